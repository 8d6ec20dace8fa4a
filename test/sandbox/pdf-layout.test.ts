import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { documentPdf } from '../../sandbox/src/render/pdf';
import type { InvoiceView } from '../../shared/src/render/invoice-view';
import { createInvoices, invoice, sandboxForSuite } from './support';

const STANDARD_FONTS = `${join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

interface Placed {
  text: string;
  x: number;
  y: number;
  width: number;
  page: number;
}

/** Every piece of text of a PDF with where pdf.js puts it (the way a viewer lays the page out). */
async function textPositions(bytes: Uint8Array): Promise<Placed[]> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false, standardFontDataUrl: STANDARD_FONTS }).promise;
  const out: Placed[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    for (const item of content.items) {
      if (!('str' in item) || !item.str.trim()) continue;
      out.push({ text: item.str, x: item.transform[4], y: item.transform[5], width: item.width, page: n });
    }
  }
  await pdf.destroy();
  return out;
}

/** Pairs of texts on one baseline whose boxes overlap (or touch closer than 2 pt). */
function overlaps(items: Placed[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i];
      const b = items[j];
      if (a.page !== b.page || Math.abs(a.y - b.y) > 1) continue;
      const [l, r] = a.x <= b.x ? [a, b] : [b, a];
      if (l.x + l.width + 2 > r.x) found.push(`"${l.text}" (${l.x.toFixed(1)}–${(l.x + l.width).toFixed(1)}) and "${r.text}" (from ${r.x.toFixed(1)}) at y ${a.y.toFixed(1)}`);
    }
  }
  return found;
}

/** The texts on the baseline of `text`, left to right. */
function row(items: Placed[], text: string): string[] {
  const at = items.find((i) => i.text === text);
  assert.ok(at, `"${text}" is in the PDF: ${JSON.stringify(items.map((i) => i.text))}`);
  return items.filter((i) => i.page === at.page && Math.abs(i.y - at.y) <= 1).sort((a, b) => a.x - b.x).map((i) => i.text);
}

function view(overrides: Partial<InvoiceView>): InvoiceView {
  return {
    title: 'TAX INVOICE',
    number: 'INV-0042',
    reference: '',
    status: 'AUTHORISED',
    date: '1 Mar 2026',
    dueDate: '31 Mar 2026',
    currency: 'NZD',
    amountsAre: 'Amounts are tax exclusive',
    org: { name: 'Demo Company (NZ)', addressLines: ['23 Main Street', 'Central City', 'Wellington 6011'], email: 'accounts@demo.example' },
    contact: { name: 'ABC Limited', email: '', addressLines: [] },
    lines: [],
    subTotal: '0.00',
    totalTax: '0.00',
    total: '0.00',
    paid: '0.00',
    credited: '0.00',
    due: '0.00',
    dueLabel: 'Amount due',
    ...overrides,
  };
}

describe('sandbox PDF layout: columns from the text, never overlapping', () => {
  const suiteSandbox = sandboxForSuite();

  it("shows a discounted line as Xero does (2 × 150.00 less 10 % = 270.00) with discount and tax columns apart", async () => {
    const sb = suiteSandbox();
    const [created] = await createInvoices(sb, [
      invoice({
        Status: 'AUTHORISED',
        LineItems: [
          { Description: 'Chairs', Quantity: 2, UnitAmount: 150, DiscountRate: 10, AccountCode: '200', TaxType: 'OUTPUT2' },
          { Description: 'Delivery', Quantity: 1, UnitAmount: 30, AccountCode: '200', TaxType: 'OUTPUT2' },
        ],
      }),
    ]);
    const r = await sb.request('GET', `/api.xro/2.0/Invoices/${created.InvoiceID}`, { accept: 'pdf' });
    assert.equal(r.status, 200);
    const items = await textPositions(r.bytes);
    assert.deepEqual(overlaps(items), []);
    assert.deepEqual(row(items, 'Description'), ['Description', 'Quantity', 'Unit Price', 'Disc.', 'Tax', 'Tax Amount', 'Amount NZD']);
    assert.deepEqual(row(items, 'Chairs'), ['Chairs', '2.00', '150.00', '10%', '15%', '40.50', '270.00']);
    assert.deepEqual(row(items, 'Delivery'), ['Delivery', '1.00', '30.00', '15%', '4.50', '30.00']);
  });

  it('keeps wide figures, long names and many columns apart, shrinking the table text before it would overlap', async () => {
    const wide = view({
      currency: 'NZD',
      contact: { name: 'Kauri Builders and Sons Construction Company of the Greater Wellington Region Limited', email: '', addressLines: ['Level 12, The Very Long Building Name Tower, 1234 Lambton Quay'] },
      number: 'INV-2026-000000001234',
      reference: 'PO 2026/000123 for the whole of the stage two works',
      lines: [
        { description: 'A very long description of work done over many weeks, which wraps over several lines of the description column', quantity: '1234567.8912', unitAmount: '98765432.1234', discount: '12.5%', tax: 'EXEMPTOUTPUT', taxAmount: '12345678.90', amount: '121932631112635269.00' },
        { description: 'Short', quantity: '1.00', unitAmount: '5.00', discount: '1234567.89', tax: '15%', taxAmount: '0.75', amount: '-1234562.89' },
      ],
      subTotal: '121932631111400706.11',
      totalTax: '12345679.65',
      total: '121932631123746385.76',
      due: '121932631123746385.76',
    });
    const items = await textPositions(await documentPdf(wide));
    assert.deepEqual(overlaps(items), []);
    assert.ok(items.some((i) => i.text === '121932631112635269.00'), 'the widest amount is shown whole');
  });
});
