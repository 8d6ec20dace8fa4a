import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { firstForbiddenCharacter, readDocumentBytes } from '../../server/src/cli/read-document';
import { ROOT, runFixture } from '../support/fixtures';

// The CLI as CI pipelines run it: the bundled dist/cli.js (npm test builds it first), real files, exit codes.
const CLI = join(ROOT, 'dist', 'cli.js');
const fixture = (p: string) => join('test', 'fixtures', p);
const fixtureFiles = ['seeds', 'rules/totals', 'bad-input'].flatMap((d) => readdirSync(join(ROOT, 'test', 'fixtures', d)).filter((f) => f.endsWith('.xml')).map((f) => fixture(`${d}/${f}`)));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function scratch(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'invoice-check-'));
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('invoice-check CLI', () => {
  it('prints file:line:column: severity code: message, then a line per invoice, and exits 1 on errors', () => {
    const r = run(fixture('seeds/004-modified-since-response.xml'));
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0], /^test\/fixtures\/seeds\/004-modified-since-response\.xml:13:5: error xml-unclosed-element: <Phone> is not closed before <\/Contact>\.$/);
    assert.equal(lines.at(-1), 'test/fixtures/seeds/004-modified-since-response.xml: OIT00535 (ACCREC, AUTHORISED, Exclusive): subtotal 379.53 · tax 47.44 · total 426.97');
    assert.match(r.stderr, /1 file, 1 invoice: 1 error, 0 warnings/);
  });

  it('exits 0 when there are only warnings', () => {
    const r = run(fixture('seeds/001-minimum-draft.xml'));
    assert.equal(r.code, 0);
    assert.match(r.stdout, /:1:1: warning required-line-items: /);
  });

  it('writes the JSON contract: 0-based LSP ranges, 2-decimal amounts, documents in order', () => {
    const r = run('--format', 'json', fixture('seeds/001-every-element.xml'), fixture('seeds/001-get-single.xml'));
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), ['files']);
    const [every, single] = out.files;
    assert.equal(every.dialect, 'xero-2.0');
    assert.deepEqual(every.diagnostics, []);
    assert.deepEqual(every.documents, [
      {
        kind: 'invoice', number: 'OIT:01065', status: 'SUBMITTED', type: 'ACCREC', lineAmountTypes: 'Inclusive', currency: 'NZD',
        lines: [{ lineAmount: '177.00', taxAmount: '19.67' }, { lineAmount: '-79.00', taxAmount: '-8.78' }],
        subTotal: '87.11', totalTax: '10.89', total: '98.00',
      },
    ]);
    assert.deepEqual(single.diagnostics.map((d: { code: string; severity: string; range: unknown }) => [d.code, d.severity, d.range]), [
      ['schema-invalid-value', 'error', { start: { line: 52, character: 20 }, end: { line: 52, character: 55 } }],
    ]);
  });

  it('writes the JSON report exactly as JSON.stringify(report, null, 2) would, for every fixture and the unreadable', () => {
    const schemaFixtures = ['xero-2.0', 'xero-1.0', 'workflowmax-3.0'].flatMap((d) => readdirSync(join(ROOT, 'test', 'fixtures', 'schema', d)).filter((f) => f.endsWith('.xml')).map((f) => fixture(`schema/${d}/${f}`)));
    const all = [...fixtureFiles, fixture('seeds/does-not-exist.xml'), ...schemaFixtures];
    const r = run('--format', 'json', ...all);
    const report = JSON.parse(r.stdout) as { files: { documents: unknown[]; diagnostics: unknown[] }[] };
    assert.equal(report.files.length, all.length);
    assert.ok(report.files.some((f) => f.documents.length > 1) && report.files.some((f) => f.diagnostics.length > 1), 'documents and diagnostics are there to format');
    assert.equal(r.stdout, JSON.stringify(report, null, 2) + '\n');
  });

  it('applies --region and --tax-rate', () => {
    const file = scratch('au.xml', '<Invoice><Type>ACCREC</Type><Contact><Name>A</Name></Contact><LineItems><LineItem><Description>x</Description><Quantity>1</Quantity><UnitAmount>95.00</UnitAmount><TaxType>OUTPUT</TaxType></LineItem><LineItem><Description>y</Description><Quantity>1</Quantity><UnitAmount>10.00</UnitAmount><TaxType>TAX001</TaxType></LineItem></LineItems></Invoice>');
    const au = JSON.parse(run('--format=json', '--region', 'AU', '--tax-rate', 'TAX001=7.5', file).stdout).files[0];
    assert.deepEqual(au.documents[0].lines, [{ lineAmount: '95.00', taxAmount: '9.50' }, { lineAmount: '10.00', taxAmount: '0.75' }]);
    const nz = JSON.parse(run('--format', 'json', file).stdout).files[0];
    assert.deepEqual(nz.diagnostics.map((d: { code: string }) => d.code), ['tax-rate-unknown']);
    assert.equal(nz.documents[0].total, null);
  });

  it('reports a document of no known dialect as unknown, without invoice checks', () => {
    const r = run('--format', 'json', fixture('bad-input/maven-pom.xml'));
    const f = JSON.parse(r.stdout).files[0];
    assert.equal(f.dialect, 'unknown');
    assert.deepEqual(f.diagnostics.map((d: { code: string }) => d.code), ['unknown-document']);
    assert.equal(r.code, 0);
  });

  it('exits 2 with a clear message for a missing file, a directory, a binary file and bad usage', () => {
    const missing = run('nope.xml');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /invoice-check: nope\.xml: no such file/);
    const dir = run('test/fixtures');
    assert.equal(dir.code, 2);
    assert.match(dir.stderr, /test\/fixtures is a directory; pass the XML files in it/);
    const binary = run(scratch('junk.xml', Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256))));
    assert.equal(binary.code, 2);
    assert.match(binary.stderr, /a binary file, not XML text/);
    for (const args of [[], ['--format', 'yaml', 'x.xml'], ['--region', 'FR', 'x.xml'], ['--tax-rate', 'X', 'x.xml'], ['--bogus', 'x.xml']]) {
      const r = run(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /^invoice-check: .+\n\nUsage: invoice-check/);
    }
    for (const r of [missing, dir, binary]) assert.doesNotMatch(r.stderr, /\bat .+\.js:\d+/);
  });

  it('reads UTF-16 with a byte order mark and reports positions in characters', () => {
    const text = '<Invoice>\n  <Type>ACCREC</Type>\n  <Contact><Name>Ā</Name></Contact>\n  <Foo/>\n</Invoice>';
    const file = scratch('u16.xml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const r = run(file);
    assert.match(r.stdout, /u16\.xml:4:3: error schema-unknown-element: <Foo> is not allowed in <Invoice>\./);
  });

  it('finds a character XML does not allow from the bytes, at the place the editor finds it in the text', () => {
    const file = fixture('bad-input/control-character.xml');
    const cli = JSON.parse(run('--format', 'json', file).stdout).files[0];
    const engine = runFixture(file);
    const where = (start: number, end: number) => ({ start: engine.lines.positionAt(start), end: engine.lines.positionAt(end) });
    const fromText = engine.result.diagnostics.filter((d) => d.code === 'xml-binary-content').map((d) => ({ message: d.message, range: where(d.start, d.end) }));
    assert.equal(fromText.length, 1);
    assert.match(fromText[0].message, /U\+000B/);
    assert.deepEqual(cli.diagnostics.filter((d: { code: string }) => d.code === 'xml-binary-content').map((d: { message: string; range: unknown }) => ({ message: d.message, range: d.range })), fromText);
  });

  it('reads the first character XML does not allow from UTF-8 bytes as an offset in the text', () => {
    // eslint-disable-next-line no-control-regex -- the parser's own pattern, the reference the bytes are held to
    const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
    const texts = [
      '<a>plain</a>',
      '\u0001<a/>',
      '<a>tab\tLF\nCR\r fine</a>',
      '<a>Ōtaki — 🐟🐟 \u001f</a>',
      '<a>é\uffff then \u0008</a>',
      '<a>🐟\ufffe</a>',
      `<a>${'x'.repeat(9000)}\u0000</a>`,
      '<a>\ufffd is allowed, \u007f too</a>',
    ];
    for (const text of texts) {
      const expected = FORBIDDEN.exec(text)?.index ?? -1;
      assert.equal(firstForbiddenCharacter(Buffer.from(text, 'utf8')), expected, JSON.stringify(text.slice(0, 40)));
      const withBom = readDocumentBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
      assert.ok(!('error' in withBom) && withBom.text === text && withBom.firstForbidden === expected, JSON.stringify(text.slice(0, 40)));
    }
    // Other encodings are scanned by the parser, as the editor's text is.
    const latin1 = readDocumentBytes(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>caf\xe9\u0001</a>', 'latin1'));
    assert.ok(!('error' in latin1) && latin1.firstForbidden === undefined);
  });

  it('answers the bad inputs: empty file, 10 MB on one line, deep nesting, an entity bomb', () => {
    const empty = run('--format', 'json', fixture('bad-input/empty.xml'));
    assert.deepEqual(JSON.parse(empty.stdout).files[0].diagnostics.map((d: { code: string }) => d.code), ['xml-empty-document']);
    assert.equal(empty.code, 1);
    const invoice = '<Invoice><Type>ACCREC</Type><Contact><Name>A</Name></Contact><LineItems><LineItem><Description>x</Description><Quantity>1</Quantity><UnitAmount>1.00</UnitAmount></LineItem></LineItems></Invoice>';
    const big = scratch('big.xml', `<Invoices>${invoice.repeat(Math.ceil(10_000_000 / invoice.length))}</Invoices>`);
    const bigRun = JSON.parse(run('--format', 'json', big).stdout).files[0];
    assert.deepEqual(bigRun.diagnostics, []);
    assert.equal(bigRun.documents.length, Math.ceil(10_000_000 / invoice.length));
    const deep = scratch('deep.xml', `<Invoices><Invoice>${'<Nest>'.repeat(50000)}${'</Nest>'.repeat(50000)}</Invoice></Invoices>`);
    const deepRun = run('--format', 'json', deep);
    assert.ok(JSON.parse(deepRun.stdout).files[0].diagnostics.some((d: { code: string }) => d.code === 'xml-too-deep'));
    // An <Invoice> cannot hold an <Invoice>: 50,000 start tags without end tags are 50,000 invoices, each closed by the next.
    const open = scratch('open.xml', `<Invoices>${'<Invoice>'.repeat(50000)}${'</Invoice>'.repeat(50000)}</Invoices>`);
    const openRun = JSON.parse(run('--format', 'json', open).stdout).files[0];
    assert.equal(openRun.documents.length, 50000);
    const unclosed = openRun.diagnostics.filter((d: { code: string }) => d.code === 'xml-unclosed-element').length;
    assert.ok(unclosed > 0 && unclosed <= 1000, String(unclosed));
    const bomb = run('--format', 'json', fixture('bad-input/billion-laughs.xml'));
    const codes = JSON.parse(bomb.stdout).files[0].diagnostics.map((d: { code: string }) => d.code);
    assert.ok(codes.includes('xml-doctype') && codes.includes('xml-undefined-entity'), codes.join());
  });

  it('--jobs: many files, or one big file split by its invoices, give the output of one thread, in input order', () => {
    const invoice = (n: number, total = '1.15') =>
      `<Invoice><Type>ACCREC</Type><InvoiceNumber>INV-${n}</InvoiceNumber><Contact><Name>A</Name></Contact><LineItems><LineItem><Description>x</Description><Quantity>1</Quantity><UnitAmount>1.00</UnitAmount><TaxType>OUTPUT2</TaxType></LineItem></LineItems><Total>${total}</Total></Invoice>\n`;
    // Over 2 MB: split into shares. The same number at both ends (a duplicate across shares) and wrong totals spread through it.
    const count = Math.ceil(2_200_000 / invoice(0).length);
    // Invoices read with a problem are checked where they stand, the others may be checked from their own text on
    // another thread: both kinds, spread through the file, must give what one thread gives.
    const broken = [
      (s: string) => s.replace('</Invoice>', ''),
      (s: string) => s.replace('<Name>A</Name>', '<Name>A &nbsp; B</Name>'),
      (s: string) => s.replace('</LineItem>', '</LineItem></Contact>'),
      (s: string) => s.replace('<Quantity>1</Quantity>', '<Quantity>1<Quantity>'),
      (s: string) => s.replace('</Description>', '</Descripton>'),
    ];
    const body = Array.from({ length: count }, (_, i) => {
      const text = invoice(i === count - 1 ? 0 : i, i % 997 === 5 ? '9.99' : '1.15');
      return i % 1499 === 700 ? broken[Math.floor(i / 1499) % broken.length](text) : text;
    }).join('');
    const big = scratch('big.xml', `<Invoices>\n${body}<Oops/></Invoices>`);
    const one = run('--jobs', '1', '--format', 'json', big);
    const two = run('--jobs', '2', '--format', 'json', big);
    assert.equal(two.stdout, one.stdout);
    assert.equal(two.code, 1);
    const codes = JSON.parse(two.stdout).files[0].diagnostics.map((d: { code: string }) => d.code);
    for (const code of ['duplicate-invoice-number', 'schema-unknown-element', 'total-mismatch', 'xml-unclosed-element', 'xml-undefined-entity', 'xml-stray-end-tag', 'xml-mismatched-end-tag']) {
      assert.ok(codes.includes(code), `${code} in ${[...new Set(codes)].join()}`);
    }
    assert.ok(JSON.parse(two.stdout).files[0].documents.length >= count - 2);
    // Many files, some unreadable: the same bytes in the same order, the same exit status and stderr.
    const files = Array.from({ length: 150 }, (_, i) => (i % 50 === 7 ? `missing-${i}.xml` : fixtureFiles[i % fixtureFiles.length]));
    for (const format of ['json', 'text']) {
      const a = run('--jobs', '1', '--format', format, ...files);
      const b = run('--jobs', '3', '--format', format, ...files);
      assert.equal(b.stdout, a.stdout, format);
      assert.equal(b.stderr, a.stderr, format);
      assert.equal(b.code, 2);
    }
    for (const bad of ['0', '65', 'x']) assert.equal(run('--jobs', bad, big).code, 2);
  });

  it('exits quietly when the reader closes the pipe early (invoice-check … | head)', async () => {
    const files = Array.from({ length: 400 }, (_, i) => fixtureFiles[i % fixtureFiles.length]);
    const child = spawn(process.execPath, [CLI, '--jobs', '1', ...files], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.doesNotMatch(stderr, /EPIPE|Error|at .+\.js:\d+/);
    assert.ok(code === 0 || code === 1, `exit ${code}`);
  });
});
