import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { byteView } from '../../server/src/cli/byte-view';
import { FileChecker, readFile } from '../../server/src/cli/check-file';
import { checkStreaming, resolveOptions } from '@engine';
import { ROOT, fixtureFiles } from '../support/fixtures';

// The CLI checks a UTF-8 file that is not all ASCII from its bytes, read one character each (ByteView), with
// offsets in bytes, and decodes only the values that hold other characters. Its report must be the report of
// the decoded text, to the character: here every fixture, and variants of each with characters beyond ASCII in
// values, comments, attributes and names, are checked both ways in both formats.

const engineOptions = { region: 'NZ' as const, taxRates: {}, reportUnknownDocuments: true };
const scratch = mkdtempSync(join(tmpdir(), 'byte-view-'));

/** Ways to put characters beyond ASCII (two, three and four bytes in UTF-8) into a document. */
const VARIANTS: Record<string, (xml: string) => string> = {
  'values start with é—€😀': (xml) => xml.replace(/>(?=[^<\s])/g, '>é—€😀'),
  'values end with ’ and an entity': (xml) => xml.replace(/([^>\s])<\//g, '$1 ’&amp;&#8212;</'),
  'a comment before the root': (xml) => xml.replace(/^(<\?xml[^>]*\?>)?/, '$1<!-- café — note -->'),
  'an attribute of the first element inside the root': (xml) => xml.replace(/(<[A-Za-z][\w:.-]*[^>]*>\s*<[A-Za-z][\w:.-]*)/, '$1 note="café"'),
  'a name with an accent': (xml) => xml.replace(/<(\/?)Description>/g, '<$1Descrïption>'),
  'a name with a middle dot': (xml) => xml.replace(/<(\/?)Reference>/g, '<$1Refer·ence>'),
  'an undefined entity with an accent': (xml) => xml.replace(/>(?=[^<\s])/g, '>—').replace(/>(?=[^<\s])/, '>&café;'),
  'an end tag missing among values': (xml) => xml.replace(/>(?=[^<\s])/g, '>—').replace(/<\/(Name|Description)>/, ''),
  'an end tag missing beside names beyond ASCII': (xml) => xml.replace(/<(Name|Description)>/g, '<$1>Café — ').replace(/<\/(Type|Status|Quantity)>/, ''),
  'values in CRLF lines after a BOM': (xml) => '\ufeff' + xml.replace(/\r?\n/g, '\r\n').replace(/>(?=[^<\s])/g, '>—'),
};

function variantFile(name: string, fixture: string, text: string): string {
  const file = join(scratch, `${fixture.replace(/[\\/]/g, '_')}.${name.replace(/\W+/g, '-')}.xml`);
  writeFileSync(file, text);
  return file;
}

function report(file: string, format: 'text' | 'json', view: boolean) {
  const o = new FileChecker(engineOptions, format, view).check(file);
  return { out: o.out.join(''), errors: o.errors, warnings: o.warnings, invoices: o.invoices, error: o.error };
}

/** Whether the file's check kept to its bytes (it did not need the decoded text). */
function keptToBytes(file: string): boolean {
  const read = readFile(file, true);
  if ('error' in read || !read.bytes) return false;
  return !checkStreaming(read.text, resolveOptions(engineOptions), { view: byteView(read.bytes) }).readAgain;
}

const fixtures = fixtureFiles().map((f) => ({ fixture: f, text: readFileSync(join(ROOT, f), 'utf8') }));

describe('checking UTF-8 from its bytes (ByteView)', () => {
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('gives the decoded text’s report for every fixture and every variant, in both formats', () => {
    let compared = 0;
    let fromBytes = 0;
    for (const { fixture, text } of fixtures) {
      const files = [join(ROOT, fixture), ...Object.entries(VARIANTS).map(([name, make]) => variantFile(name, fixture, make(text)))];
      for (const file of files) {
        for (const format of ['text', 'json'] as const) {
          assert.deepEqual(report(file, format, true), report(file, format, false), `${file} (${format})`);
          compared++;
        }
        if (keptToBytes(file)) fromBytes++;
      }
    }
    // Most variants are checked from their bytes; the rest (names, attributes, comments) from the decoded text.
    assert.ok(compared >= 11 * 2 * 200, `${compared} reports compared`);
    assert.ok(fromBytes >= 2 * 150, `${fromBytes} files checked from their bytes`);
  });

  it('keeps to the bytes where values hold other characters, and reads the decoded text where names or the wrapper do', () => {
    const base = readFileSync(join(ROOT, 'test/fixtures/seeds/001-every-element.xml'), 'utf8');
    const cases: [string, string, boolean][] = [
      ['values', VARIANTS['values start with é—€😀'](base), true],
      ['values with references', VARIANTS['values end with ’ and an entity'](base), true],
      ['a problem beside values beyond ASCII', VARIANTS['an end tag missing beside names beyond ASCII'](base), true],
      ['a problem that spans a character beyond ASCII', VARIANTS['an undefined entity with an accent'](base), false],
      ['a value beyond ASCII whose end tag is missing', VARIANTS['an end tag missing among values'](base), false],
      ['a comment outside the invoices', VARIANTS['a comment before the root'](base), false],
      ['an attribute', VARIANTS['an attribute of the first element inside the root'](base), false],
      ['an element name', VARIANTS['a name with an accent'](base), false],
      ['a name with a middle dot (reads as a name either way)', VARIANTS['a name with a middle dot'](base), false],
    ];
    for (const [what, text, bytes] of cases) {
      assert.notEqual(text, base, what);
      assert.equal(keptToBytes(variantFile(what, 'case', text)), bytes, what);
    }
  });

  it('gives the same positions on a line of megabytes, where characters are counted from marks along the line', () => {
    const base = readFileSync(join(ROOT, 'test/fixtures/seeds/001-every-element.xml'), 'utf8');
    const invoice = base.slice(base.indexOf('<Invoice>'), base.lastIndexOf('</Invoice>') + '</Invoice>'.length);
    const one = VARIANTS['values start with é—€😀'](invoice).replace(/\r?\n\s*/g, '').replace(/<Quantity>[^<]*</g, '<Quantity>x<');
    const text = `<Invoices>${one.repeat(300)}</Invoices>`;
    assert.ok(!text.includes('\n') && Buffer.byteLength(text) > 1_000_000, 'one line of over a megabyte');
    const file = variantFile('one-line', 'case', text);
    assert.ok(keptToBytes(file));
    for (const format of ['text', 'json'] as const) {
      const fromBytes = report(file, format, true);
      assert.ok(fromBytes.errors >= 300, `${fromBytes.errors} errors`);
      assert.deepEqual(fromBytes, report(file, format, false), format);
    }
  });

  it('reports line and character of a problem after characters beyond ASCII on its line, in UTF-16 units', () => {
    const text = readFileSync(join(ROOT, 'test/fixtures/seeds/001-every-element.xml'), 'utf8').replace(
      /<Description>([^<]*)<\/Description>/,
      '<Description>$1 — 😀</Description><Bogus/>',
    );
    const file = variantFile('position', 'case', text);
    assert.ok(keptToBytes(file));
    const json = JSON.parse(`{"files":[${report(file, 'json', true).out}]}`) as { files: { diagnostics: { code: string; range: { start: { line: number; character: number } } }[] }[] };
    const bogus = json.files[0].diagnostics.find((d) => d.code === 'schema-unknown-element');
    assert.ok(bogus, 'the stray element is reported');
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('<Bogus/>'));
    assert.deepEqual(bogus.range.start, { line, character: lines[line].indexOf('<Bogus/>') });
  });
});
