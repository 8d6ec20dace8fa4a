import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PreviewRequest, type PreviewResult } from '../../shared/src/protocol';
import { invoiceHtml } from '../../shared/src/render/html';
import { FIXTURES } from '../support/fixtures';
import { LspClient, positionOf } from '../support/lsp-client';

const read = (p: string) => readFileSync(join(FIXTURES, p), 'utf8');

describe('the invoice preview over the protocol (xeroInvoice/preview)', () => {
  let client: LspClient;
  before(async () => (client = await LspClient.start()));
  after(async () => client.stop());

  const preview = (uri: string, line: number, character: number) =>
    client.connection.sendRequest<PreviewResult>(PreviewRequest.method, { textDocument: { uri }, position: { line, character } });

  it('gives the invoice at the cursor as the customer sees it, with the wrong figures marked by their diagnostics', async () => {
    const uri = 'file:///w/wrong-totals.xml';
    const text = read('../../samples/wrong-totals.xml');
    await client.open(uri, text);
    const at = positionOf(text, '<Quantity>3');
    const r = await preview(uri, at.line, at.character);
    assert.equal(r.index, 0);
    assert.equal(r.count, 1);
    const v = r.view!;
    assert.equal(v.title, 'TAX INVOICE');
    assert.equal(v.contact.name, 'Ariki Properties');
    assert.equal(v.number, 'INV-0043');
    assert.equal(v.status, 'SUBMITTED');
    assert.equal(v.date, '8 Nov 2026');
    assert.equal(v.dueDate, '20 Dec 2026');
    assert.equal(v.amountsAre, 'Amounts are tax inclusive');
    assert.deepEqual(
      v.lines.map((l) => [l.description, l.quantity, l.unitAmount, l.tax, l.taxAmount, l.amount]),
      [
        ['3 copies of accounting software', '3', '59.00', '12.5%', '19.67', '177.00'],
        ['Returned keyboard (faulty)', '1', '-79.00', '12.5%', '-8.78', '-79.00'],
      ],
    );
    // The customer sees the computed totals; the stated ones that differ are marked with their diagnostics.
    assert.deepEqual([v.subTotal, v.totalTax, v.total], ['87.11', '10.89', '98.00']);
    assert.deepEqual(v.marks?.subTotal?.map((m) => [m.code, m.line + 1]), [['subtotal-mismatch', 30]]);
    assert.deepEqual(v.marks?.totalTax?.map((m) => [m.code, m.line + 1]), [['total-tax-mismatch', 31]]);
    assert.equal(v.marks?.total, undefined);
    assert.deepEqual(r.problems.map((p) => p.code), ['subtotal-mismatch', 'total-tax-mismatch']);
    const html = invoiceHtml(v, { markLink: (m) => `#problem-${m.line}-${m.character}` });
    assert.match(html, /<span class="wrong" title="SubTotal 87\.10 does not match the computed 87\.11[^"]*" data-code="subtotal-mismatch"><a class="mark" href="#problem-29-\d+"/);
  });

  it('follows the text as it changes: a fixed figure loses its mark, a missing DueDate and a discount show', async () => {
    const uri = 'file:///w/live.xml';
    let text = read('../../samples/wrong-totals.xml');
    await client.open(uri, text);
    const fix = (from: string, to: string) => {
      const start = positionOf(text, from);
      const end = { line: start.line, character: start.character + from.length };
      text = text.replace(from, to);
      return client.change(uri, [{ range: { start, end }, text: to }]);
    };
    await fix('<TotalTax>10.90', '<TotalTax>10.89');
    assert.equal((await preview(uri, 2, 2)).view?.marks?.totalTax, undefined, 'the fixed TotalTax is no longer marked');
    await fix('<DueDate>2026-12-20</DueDate>', '');
    await fix('<UnitAmount>59.00</UnitAmount>', '<UnitAmount>59.00</UnitAmount><DiscountRate>10</DiscountRate>');
    const r = await preview(uri, 2, 2);
    const v = r.view!;
    // 159.30 × 12.5/112.5 = 17.70, so the line taxes now add up to 17.70 − 8.78 = 8.92.
    assert.deepEqual(v.marks?.totalTax?.map((m) => m.message), ['TotalTax 10.89 does not match the computed 8.92 (the sum of the line taxes).']);
    assert.deepEqual(v.marks?.dueDate?.map((m) => m.code), ['required-due-date']);
    assert.equal(v.dueDate, '');
    assert.equal(v.lines[0].discount, '10%');
    assert.equal(v.lines[0].amount, '159.30', '3 × 59.00 less 10 %');
    assert.deepEqual(v.lines[0].marks?.amount?.map((m) => m.code), ['line-amount-mismatch'], 'the stated LineAmount 177.00 is now wrong');
  });

  it('previews the invoice the cursor is in, in a bulk document (the third, a bill), and says so when there is none', async () => {
    const uri = 'file:///w/bulk.xml';
    const text = read('../../samples/bulk-invoices.xml');
    await client.open(uri, text);
    const third = positionOf(text, '<Invoice>', 2, 3);
    const r = await preview(uri, third.line, third.character);
    assert.equal(r.index, 2);
    assert.equal(r.count, 3);
    assert.equal(r.view?.title, 'BILL');
    const lines = text.split('\n').length;
    assert.equal((await preview(uri, lines - 1, 0)).index, 2, 'after the last invoice: the last one');
    assert.equal((await preview(uri, 1, 0)).index, 0, 'before the first invoice: the first one');
    const other = 'file:///w/other.xml';
    await client.open(other, '<Invoices></Invoices>');
    const none = await preview(other, 0, 3);
    assert.equal(none.view, null);
    assert.match(none.message ?? '', /no invoice/);
  });
});
