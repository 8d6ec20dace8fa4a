import { PDFContentStream, PDFDocument, PDFName, PDFNumber, PDFOperator, PDFOperatorNames as Ops, PDFString, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import type { Printable } from './printable';

const A4: [number, number] = [595.28, 841.89];
const LEFT = 50;
const RIGHT = 545;
const BOTTOM = 70;

interface Font {
  font: PDFFont;
  key: PDFName;
}

/** One character the standard fonts' WinAnsi encoding can show, or '?'. */
function encodable(font: PDFFont, text: string): string {
  let out = '';
  for (const ch of text.replace(/[\r\n\t]+/g, ' ')) {
    try {
      font.encodeText(ch);
      out += ch;
    } catch {
      out += '?';
    }
  }
  return out;
}

/** A PDF literal string `(…)` of the font's byte codes: readable in the file, so tests can find the invoice number. */
function literal(font: PDFFont, text: string): PDFString {
  const hex = font.encodeText(text).asString();
  let s = '';
  for (let i = 0; i < hex.length; i += 2) {
    const code = parseInt(hex.slice(i, i + 2), 16);
    const ch = String.fromCharCode(code);
    if (ch === '(' || ch === ')' || ch === '\\') s += `\\${ch}`;
    else if (code >= 0x20 && code < 0x7f) s += ch;
    else s += `\\${code.toString(8).padStart(3, '0')}`;
  }
  return PDFString.of(s);
}

/**
 * Draws with operators of our own into an uncompressed content stream (pdf-lib compresses the streams it writes
 * for drawText), so the text of the invoice stays findable in the bytes.
 */
class Canvas {
  private ops: PDFOperator[] = [];

  constructor(
    readonly page: PDFPage,
    private readonly regular: Font,
    private readonly bold: Font,
  ) {}

  width(text: string, size: number, heavy = false): number {
    const f = heavy ? this.bold.font : this.regular.font;
    return f.widthOfTextAtSize(encodable(f, text), size);
  }

  text(text: string, x: number, y: number, size: number, opts: { bold?: boolean; align?: 'left' | 'right'; gray?: number } = {}): void {
    const f = opts.bold ? this.bold : this.regular;
    const shown = encodable(f.font, text);
    const left = opts.align === 'right' ? x - f.font.widthOfTextAtSize(shown, size) : x;
    this.ops.push(
      PDFOperator.of(Ops.BeginText),
      PDFOperator.of(Ops.NonStrokingColorGray, [num(opts.gray ?? 0)]),
      PDFOperator.of(Ops.SetFontAndSize, [f.key, num(size)]),
      PDFOperator.of(Ops.MoveText, [num(left), num(y)]),
      PDFOperator.of(Ops.ShowText, [literal(f.font, shown)]),
      PDFOperator.of(Ops.EndText),
    );
  }

  rule(y: number, gray = 0.6): void {
    this.ops.push(
      PDFOperator.of(Ops.StrokingColorGray, [num(gray)]),
      PDFOperator.of(Ops.SetLineWidth, [num(0.75)]),
      PDFOperator.of(Ops.MoveTo, [num(LEFT), num(y)]),
      PDFOperator.of(Ops.LineTo, [num(RIGHT), num(y)]),
      PDFOperator.of(Ops.StrokePath),
    );
  }

  /** Words of `text` in lines no wider than `max`. */
  wrap(text: string, size: number, max: number): string[] {
    const lines: string[] = [];
    let current = '';
    for (const word of text.split(/\s+/).filter(Boolean)) {
      const candidate = current ? `${current} ${word}` : word;
      if (this.width(candidate, size) <= max || !current) current = candidate;
      else {
        lines.push(current);
        current = word;
      }
    }
    if (current) lines.push(current);
    return lines.length ? lines : [''];
  }

  finish(doc: PDFDocument): void {
    const stream = PDFContentStream.of(doc.context.obj({}), this.ops, false);
    this.page.node.addContentStream(doc.context.register(stream));
  }
}

function num(n: number): PDFNumber {
  return PDFNumber.of(Number(n.toFixed(2)));
}

const COLUMNS = { quantity: 330, unit: 395, tax: 445, taxAmount: 495, amount: RIGHT };

/** A one- or more-page PDF of an invoice or credit note, laid out like Xero's standard theme. */
export async function documentPdf(p: Printable): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`${p.title === 'TAX INVOICE' ? 'Invoice' : p.title === 'BILL' ? 'Bill' : 'Credit Note'} ${p.number}`.trim());
  doc.setAuthor(p.org.name);
  doc.setCreator('Xero Invoice Sandbox');
  doc.setProducer('Xero Invoice Sandbox (pdf-lib)');
  const regularFont = await doc.embedFont(StandardFonts.Helvetica);
  const boldFont = await doc.embedFont(StandardFonts.HelveticaBold);
  const canvases: Canvas[] = [];

  const newPage = (): Canvas => {
    const page = doc.addPage(A4);
    const regular = { font: regularFont, key: page.node.newFontDictionary('F', regularFont.ref) };
    const bold = { font: boldFont, key: page.node.newFontDictionary('F', boldFont.ref) };
    const c = new Canvas(page, regular, bold);
    canvases.push(c);
    return c;
  };

  let c = newPage();
  let y = A4[1] - 70;
  c.text(p.title, LEFT, y, 22, { bold: true });
  c.text(p.status, RIGHT, y, 14, { bold: true, align: 'right', gray: 0.45 });
  y -= 36;
  const top = y;
  c.text(p.contact.name, LEFT, y, 10, { bold: true });
  for (const line of p.contact.addressLines) c.text(line, LEFT, (y -= 13), 9);
  const meta: [string, string][] = [
    [p.title === 'CREDIT NOTE' ? 'Credit Note Date' : 'Invoice Date', p.date],
    [p.title === 'CREDIT NOTE' ? 'Credit Note Number' : 'Invoice Number', p.number],
  ];
  if (p.reference) meta.push(['Reference', p.reference]);
  if (p.dueDate) meta.push(['Due Date', p.dueDate]);
  let my = top;
  for (const [label, value] of meta) {
    c.text(label, 250, my, 8, { bold: true });
    c.text(value, 250, my - 11, 9);
    my -= 26;
  }
  let oy = top;
  c.text(p.org.name, 400, oy, 10, { bold: true });
  for (const line of [...p.org.addressLines, p.org.email]) c.text(line, 400, (oy -= 13), 9);
  y = Math.min(y, my, oy) - 30;

  const header = (canvas: Canvas, at: number) => {
    canvas.text('Description', LEFT, at, 9, { bold: true });
    canvas.text('Quantity', COLUMNS.quantity, at, 9, { bold: true, align: 'right' });
    canvas.text('Unit Price', COLUMNS.unit, at, 9, { bold: true, align: 'right' });
    canvas.text('Tax', COLUMNS.tax, at, 9, { bold: true, align: 'right' });
    canvas.text('Tax Amount', COLUMNS.taxAmount, at, 9, { bold: true, align: 'right' });
    canvas.text(`Amount ${p.currency}`, COLUMNS.amount, at, 9, { bold: true, align: 'right' });
    canvas.rule(at - 6, 0.2);
    return at - 20;
  };
  y = header(c, y);
  for (const line of p.lines) {
    const wrapped = c.wrap(line.description, 9, COLUMNS.quantity - LEFT - 50);
    if (y - wrapped.length * 12 < BOTTOM + 110) {
      c.text('continued on the next page', RIGHT, BOTTOM - 20, 8, { align: 'right', gray: 0.45 });
      c = newPage();
      y = header(c, A4[1] - 70);
    }
    c.text(line.quantity, COLUMNS.quantity, y, 9, { align: 'right' });
    c.text(line.unitAmount, COLUMNS.unit, y, 9, { align: 'right' });
    c.text(line.tax, COLUMNS.tax, y, 9, { align: 'right' });
    c.text(line.taxAmount, COLUMNS.taxAmount, y, 9, { align: 'right' });
    c.text(line.amount, COLUMNS.amount, y, 9, { align: 'right' });
    for (const w of wrapped) {
      c.text(w, LEFT, y, 9);
      y -= 12;
    }
    c.rule(y + 5, 0.85);
    y -= 6;
  }
  y -= 8;
  const totals: [string, string, boolean][] = [
    ['Subtotal', p.subTotal, false],
    ['Total Tax', p.totalTax, false],
    [`TOTAL ${p.currency}`, p.total, true],
  ];
  if (p.paid !== '0.00') totals.push(['Less Amount Paid', p.paid, false]);
  if (p.credited !== '0.00') totals.push(['Less Credit Applied', p.credited, false]);
  totals.push([`${p.dueLabel.toUpperCase()} ${p.currency}`, p.due, true]);
  for (const [label, value, bold] of totals) {
    c.text(label, COLUMNS.taxAmount, y, 9, { bold, align: 'right' });
    c.text(value, COLUMNS.amount, y, 9, { bold, align: 'right' });
    y -= 15;
  }
  y -= 10;
  if (p.dueDate && p.title !== 'CREDIT NOTE') c.text(`Due Date: ${p.dueDate}`, LEFT, y, 10, { bold: true });
  c.text(p.amountsAre, LEFT, BOTTOM, 8, { gray: 0.45 });
  canvases.forEach((canvas, i) => {
    if (canvases.length > 1) canvas.text(`Page ${i + 1} of ${canvases.length}`, RIGHT, BOTTOM, 8, { align: 'right', gray: 0.45 });
    canvas.finish(doc);
  });
  return doc.save({ useObjectStreams: false });
}
