import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DocumentSymbol, FoldingRange } from 'vscode-languageserver-protocol';
import { FIXTURES } from '../support/fixtures';
import { LspClient, positionOf } from '../support/lsp-client';

const read = (p: string) => readFileSync(join(FIXTURES, p), 'utf8');
const uri = (name: string) => `file:///work/symbols/${name}`;

const names = (symbols: DocumentSymbol[]) => symbols.map((s) => s.name);
const folds = (ranges: FoldingRange[]) => ranges.map((r) => `${r.startLine}-${r.endLine}${r.kind ? ` ${r.kind}` : ''}`);

/** A document of `n` invoices with `lines` lines each. */
function bulk(n: number, lines: number): string {
  const line = '<LineItem><Description>Item</Description><Quantity>1</Quantity><UnitAmount>1.00</UnitAmount></LineItem>';
  const invoice = (i: number) =>
    `<Invoice><Type>ACCREC</Type><Contact><Name>C</Name></Contact><InvoiceNumber>INV-${i}</InvoiceNumber><LineItems>${line.repeat(lines)}</LineItems></Invoice>\n`;
  return `<Invoices>\n${Array.from({ length: n }, (_, i) => invoice(i + 1)).join('')}</Invoices>\n`;
}

describe('document symbols over the protocol', () => {
  let client: LspClient;
  before(async () => (client = await LspClient.start()));
  after(async () => client.stop());

  it('names each invoice by number, contact, total, currency and status, with its lines beneath', async () => {
    const text = read('rules/totals/bulk-five.xml');
    await client.open(uri('bulk.xml'), text);
    const symbols = await client.symbols(uri('bulk.xml'));
    assert.deepEqual(names(symbols), [
      'INV-1531 · ABC Limited · 88.42 · AUTHORISED',
      'INV-1532 · Basket Case · 914.55 · AUTHORISED',
      'INV-1533 · ABC Limited · 604.54 · AUTHORISED',
      'INV-1534 · ABC Limited · 123.40 · AUTHORISED',
      'INV-1535 · Red House Reads · 449.44 · AUTHORISED',
    ]);
    assert.deepEqual(names(symbols[1].children!), ['Line 1 · Project team meeting · 464.55', 'Line 2 · Development work - per hour rate · 450.00']);
    assert.equal(symbols[0].kind, 19 /* Object */);
    assert.equal(symbols[0].children![0].kind, 8 /* Field */);
    assert.equal(symbols[0].detail, 'ACCREC invoice');
    // Range: the element; selection: the start tag's name.
    const start = positionOf(text, '<Invoice>', 1);
    assert.deepEqual(symbols[1].range.start, start);
    assert.deepEqual(symbols[1].selectionRange, { start: { line: start.line, character: start.character + 1 }, end: { line: start.line, character: start.character + 8 } });
    assert.deepEqual(symbols[1].range.end, positionOf(text, '</Invoice>', 1, '</Invoice>'.length));
  });

  it('names seed 001, a status change, a credit note, a draft without number and a WorkflowMax invoice', async () => {
    const cases: [string, string[], string[]?][] = [
      ['seeds/001-every-element.xml', ['OIT:01065 · Ariki Properties · 98.00 NZD · SUBMITTED'], ['Line 1 · 3 copies of OS X 10.6 Snow Leopard · 177.00', 'Line 2 · Returned Apple Keyboard with Numeric Keypad (faulty) · -79.00']],
      ['seeds/001-void.xml', ['INV-123 → VOIDED'], []],
      ['seeds/001-minimum-draft.xml', ['(no number) · ABC Limited · 0.00 · DRAFT'], []],
      ['rules/workflowmax/task-cost-mismatch.xml', ['I000208 · A C Smith Limited · 225.00 · Approved'], ['Task 1 · Design · 150.00', 'Cost 1 · Courier · 50.00']],
    ];
    for (const [file, want, lines] of cases) {
      await client.open(uri(file), read(file));
      const symbols = await client.symbols(uri(file));
      assert.deepEqual(names(symbols), want, file);
      if (lines) assert.deepEqual(names(symbols[0].children ?? []), lines, file);
    }
    const credit = read('../../samples/credit-note.xml');
    await client.open(uri('credit.xml'), credit);
    const [note] = await client.symbols(uri('credit.xml'));
    assert.match(note.detail ?? '', /credit note$/);
    assert.match(note.name, /^CN-\S+ · .+ · \d+\.\d\d( [A-Z]{3})? · [A-Z]+$/);
  });

  it('caps huge documents: lines go first, then invoices beyond 2,000; nothing above maxDocumentSize', async () => {
    await client.open(uri('huge.xml'), bulk(2500, 5));
    const symbols = await client.symbols(uri('huge.xml'));
    assert.equal(symbols.length, 2000);
    const total = symbols.reduce((n, s) => n + 1 + (s.children?.length ?? 0), 0);
    assert.ok(total <= 10_000, `${total} symbols`);
    assert.equal(symbols[0].children!.length, 5);
    // 8,000 symbols are left for lines: the first 1,600 invoices keep their five lines, the rest have none.
    assert.equal(symbols[1599].children!.length, 5);
    assert.equal(symbols[1600].children!.length, 0);
    // Lines without a TaxType: the total is not known, so the name leaves it out.
    assert.equal(symbols[1999].name, 'INV-2000 · C · DRAFT');
    const small = await LspClient.start({ settings: { maxDocumentSize: 100 } });
    try {
      await small.open(uri('big.xml'), read('rules/totals/bulk-five.xml'));
      assert.deepEqual(await small.symbols(uri('big.xml')), []);
      assert.deepEqual(await small.folding(uri('big.xml')), []);
    } finally {
      await small.stop();
    }
  });

  it('gives nothing for documents that are not invoices', async () => {
    await client.open(uri('pom.xml'), read('bad-input/maven-pom.xml'));
    assert.deepEqual(await client.symbols(uri('pom.xml')), []);
    assert.deepEqual(await client.folding(uri('pom.xml')), []);
  });
});

describe('folding ranges over the protocol', () => {
  let client: LspClient;
  before(async () => (client = await LspClient.start()));
  after(async () => client.stop());

  it('folds every multi-line element to the line before its end tag, and multi-line comments', async () => {
    const text = read('lsp/two-invoices.xml');
    await client.open(uri('two.xml'), text);
    assert.deepEqual(folds(await client.folding(uri('two.xml'))), ['0-25', '1-2 comment', '3-11', '5-6', '13-24', '16-23', '17-22']);
  });

  it('follows an invoice re-parsed on its own after an edit, and the invoices after it', async () => {
    const text = read('lsp/two-invoices.xml');
    await client.open(uri('edit.xml'), text);
    const at = positionOf(text, '<Name>ABC Limited</Name>', 0, '<Name>ABC Limited</Name>'.length);
    await client.change(uri('edit.xml'), [{ range: { start: at, end: at }, text: '\n      <ContactNumber>42</ContactNumber>' }]);
    assert.deepEqual(folds(await client.folding(uri('edit.xml'))), ['0-26', '1-2 comment', '3-12', '5-7', '14-25', '17-24', '18-23']);
    // The symbols follow too.
    const symbols = await client.symbols(uri('edit.xml'));
    assert.deepEqual(names(symbols), ['INV-0042 · ABC Limited · 690.00 NZD · DRAFT', '(no number) · Supplier Ltd · 23.00 · DRAFT']);
    assert.equal(symbols[1].range.start.line, 14);
    assert.equal(symbols[0].children![0].name, 'Line 1 · Consulting services · 600.00');
  });

  it('folds what it can of a broken document', async () => {
    const text = read('lsp/broken-completion.xml');
    await client.open(uri('broken.xml'), text);
    const ranges = await client.folding(uri('broken.xml'));
    const got = folds(ranges);
    // <Invoices> and the second <Invoice> are never closed: they fold to the end of the document.
    assert.ok(got.includes('1-16'), got.join(' '));
    assert.ok(got.includes('5-8'), got.join(' '));
    for (const r of ranges) assert.ok(r.endLine > r.startLine);
  });

  it('caps the ranges at 5,000, the outermost first', async () => {
    await client.open(uri('many.xml'), bulk(3000, 1).replace(/<LineItems>/g, '\n<LineItems>\n').replace(/<\/LineItems>/g, '\n</LineItems>').replace(/<\/Invoice>/g, '\n</Invoice>'));
    const ranges = await client.folding(uri('many.xml'));
    assert.equal(ranges.length, 5000);
    assert.deepEqual(folds(ranges.slice(0, 1)), [`0-${ranges[0].endLine}`]);
    // Every invoice (depth 1) is there before any LineItems (depth 2).
    const lineItems = ranges.length - 1 - 3000;
    assert.equal(lineItems, 1999);
  });
});
