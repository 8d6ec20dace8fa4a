import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Position, Range } from 'vscode-languageserver-protocol';
import { FIXTURES } from '../support/fixtures';
import { LspClient } from '../support/lsp-client';

const read = (p: string) => readFileSync(join(FIXTURES, p), 'utf8');

/** A request must answer, however broken the document: a hang is a failure, not a wait. */
async function answers<T>(what: string, p: Promise<T>, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function inside(text: string, r: Range | Position, what: string): void {
  const lines = text.split(/\r\n|\r|\n/);
  for (const p of 'start' in r ? [r.start, r.end] : [r]) {
    assert.ok(p.line >= 0 && p.line < lines.length, `${what}: line ${p.line} of ${lines.length}`);
    assert.ok(p.character >= 0 && p.character <= lines[p.line].length, `${what}: character ${p.character} of ${lines[p.line].length} on line ${p.line}`);
  }
}

/** Every feature, once, with every range checked against the text. */
async function exercise(client: LspClient, uri: string, text: string, at: Position): Promise<void> {
  const whole = { start: { line: 0, character: 0 }, end: { line: text.split('\n').length, character: 0 } };
  const diags = await answers('diagnostics', client.diagnostics(uri));
  for (const d of diags) inside(text, d.range, `diagnostic ${d.code}`);
  for (const h of await answers('inlay hints', client.inlayHints(uri, whole))) inside(text, h.position, 'inlay hint');
  for (const l of await answers('code lenses', client.codeLenses(uri))) inside(text, l.range, 'code lens');
  for (const s of await answers('symbols', client.symbols(uri))) inside(text, s.range, 'symbol');
  await answers('folding', client.folding(uri));
  const completion = await answers('completion', client.completion(uri, at));
  for (const item of Array.isArray(completion) ? completion : (completion?.items ?? [])) {
    const edit = item.textEdit;
    if (edit && 'range' in edit) inside(text, edit.range, 'completion edit');
  }
  const h = await answers('hover', client.hover(uri, at));
  if (h?.range) inside(text, h.range, 'hover');
  const actions = await answers('code actions', client.codeActions(uri, diags[0]?.range ?? whole, diags.slice(0, 3)));
  for (const a of actions) for (const e of a.edit?.changes?.[uri] ?? []) inside(text, e.range, `edit of ${a.title}`);
  for (const e of await answers('formatting', client.format(uri))) inside(text, e.range, 'formatting edit');
}

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

describe('the server never crashes or hangs', () => {
  let client: LspClient;
  before(async () => (client = await LspClient.start()));
  after(async () => client.stop());

  it('answers every request with ranges inside the document while fixtures are mutated at random', async () => {
    const fixtures = ['seeds/001-every-element.xml', 'rules/totals/bulk-five.xml', 'seeds/002-get-job-invoice.xml', 'seeds/003-put-request.xml', 'reference/api_exception.xml'].map(read);
    const pieces = ['', 'x', '9', '<', '>', '/', '"', '&', ']]>', '<![CDATA[', '<!--', '-->', '<LineItem>', '</LineItem>', '<Invoice>', '</Invoice>', '<Quantity>-1', '\r\n', '\uFFFF', '\u0000', '😀'];
    const edit = fc.record({ at: fc.nat(1_000_000), remove: fc.nat(40), text: fc.constantFrom(...pieces) });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(fixtures.length - 1), fc.array(edit, { minLength: 1, maxLength: 6 }), async (which, edits) => {
        const uri = `file:///fuzz/${n++}.xml`;
        let text = fixtures[which];
        await client.open(uri, text);
        for (const e of edits) {
          const start = e.at % (text.length + 1);
          const end = Math.min(text.length, start + e.remove);
          await client.change(uri, [{ range: { start: positionAt(text, start), end: positionAt(text, end) }, text: e.text }]);
          text = text.slice(0, start) + e.text + text.slice(end);
          await exercise(client, uri, text, positionAt(text, start));
        }
        await client.close(uri);
      }),
      { numRuns: 60, seed: 424242 },
    );
    assert.ok(client.alive, client.stderr);
  });

  it('survives binary content, 10 MB on one line and 10,000 invoices', async () => {
    const junk = Array.from({ length: 20000 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join('');
    await client.open('file:///big/junk.xml', junk);
    await exercise(client, 'file:///big/junk.xml', junk, { line: 0, character: 5 });
    const invoice = '<Invoice><Type>ACCREC</Type><Contact><Name>A</Name></Contact><LineItems><LineItem><Description>x</Description><Quantity>1</Quantity><UnitAmount>1.00</UnitAmount><TaxType>OUTPUT2</TaxType></LineItem></LineItems></Invoice>';
    const oneLine = `<Invoices>${invoice.repeat(Math.ceil(10_000_000 / invoice.length))}</Invoices>`;
    await client.open('file:///big/one-line.xml', oneLine);
    assert.deepEqual(await answers('diagnostics', client.diagnostics('file:///big/one-line.xml'), 60_000), []);
    const many = `<Invoices>\n${Array.from({ length: 10000 }, (_, i) => invoice.replace('<Type>', `<InvoiceNumber>INV-${i}</InvoiceNumber><Type>`)).join('\n')}\n</Invoices>`;
    await client.open('file:///big/many.xml', many);
    assert.deepEqual(await answers('diagnostics', client.diagnostics('file:///big/many.xml'), 60_000), []);
    const symbols = await answers('symbols', client.symbols('file:///big/many.xml'), 60_000);
    assert.ok(symbols.length <= 2000, `symbols capped: ${symbols.length}`);
    assert.ok(client.alive, client.stderr);
  });

  it('keeps up with an edit storm of 1,000 changes sent without waiting', async () => {
    const uri = 'file:///storm.xml';
    let text = read('rules/totals/bulk-five.xml');
    await client.open(uri, text);
    const sends: Promise<number>[] = [];
    let at = text.indexOf('<Description>') + '<Description>'.length;
    for (let i = 0; i < 1000; i++) {
      const insert = i % 10 === 9 ? '' : 'a';
      const remove = i % 10 === 9 ? 9 : 0;
      const p = positionAt(text, at);
      const q = positionAt(text, at + remove);
      sends.push(client.change(uri, [{ range: { start: p, end: q }, text: insert }]));
      text = text.slice(0, at) + insert + text.slice(at + remove);
      at += insert.length;
    }
    await Promise.all(sends);
    const diags = await answers('diagnostics after the storm', client.diagnostics(uri), 30_000);
    const fresh = await LspClient.start();
    try {
      await fresh.open(uri, text);
      assert.deepEqual(diags, await fresh.diagnostics(uri), 'the same diagnostics as a server that saw only the final text');
    } finally {
      await fresh.stop();
    }
    assert.ok(client.alive, client.stderr);
  });
});
