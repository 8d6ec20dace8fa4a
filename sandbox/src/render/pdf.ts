import { PDFContentStream, PDFDocument, PDFName, PDFNumber, PDFOperator, PDFOperatorNames as Ops, PDFString, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import { tableColumns, totalRows, type Column } from '../../../shared/src/render/invoice-view';
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

/** Space between two columns of the line table, in points. */
const GAP = 12;
/** The narrowest a description column gets before the other columns' text is made smaller. */
const MIN_DESCRIPTION = 110;

interface PlacedColumn extends Column {
  /** Left and right edge of the column's text. */
  left: number;
  right: number;
}

/**
 * The line table's columns (tableColumns: the same as the online invoice and the editor's preview), each as wide as
 * its widest text — header or cell — at `size`; the description takes what is left. Columns never overlap: when the
 * figures do not fit beside a MIN_DESCRIPTION-wide description, the caller tries a smaller size.
 */
function placeColumns(c: Canvas, p: Printable, size: number): PlacedColumn[] | undefined {
  const cols = tableColumns(p);
  const widths = cols.map((col) => (col.key === 'description' ? 0 : Math.max(c.width(col.header, size, true), ...p.lines.map((l) => c.width(l[col.key], size)))));
  const figures = widths.reduce((a, b) => a + b, 0) + GAP * (cols.length - 1);
  const description = RIGHT - LEFT - figures;
  if (description < MIN_DESCRIPTION) return undefined;
  const placed: PlacedColumn[] = [];
  let right = RIGHT;
  for (let i = cols.length - 1; i >= 1; i--) {
    placed.unshift({ ...cols[i], left: right - widths[i], right });
    right -= widths[i] + GAP;
  }
  placed.unshift({ ...cols[0], left: LEFT, right: LEFT + description });
  return placed;
}

/** A one- or more-page PDF of an invoice or credit note, laid out like Xero's standard theme. */
export async function documentPdf(p: Printable): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`${p.title === 'TAX INVOICE' ? 'Invoice' : p.title === 'BILL' ? 'Bill' : 'Credit Note'} ${p.number}`.trim());
  if (p.org) doc.setAuthor(p.org.name);
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
  // Three blocks side by side, each wrapped to its own third of the page.
  const third = (RIGHT - LEFT - 2 * GAP) / 3;
  const block = (lines: string[], x: number, at: number, boldFirst: boolean): number => {
    let by = at + 13;
    lines.forEach((line, i) => {
      for (const w of c.wrap(line, i === 0 && boldFirst ? 10 : 9, third)) c.text(w, x, (by -= 13), i === 0 && boldFirst ? 10 : 9, { bold: i === 0 && boldFirst });
    });
    return by;
  };
  const cy = block([p.contact.name, ...p.contact.addressLines], LEFT, y, true);
  const meta: [string, string][] = [
    [p.title === 'CREDIT NOTE' ? 'Credit Note Date' : 'Invoice Date', p.date],
    [p.title === 'CREDIT NOTE' ? 'Credit Note Number' : 'Invoice Number', p.number],
  ];
  if (p.reference) meta.push(['Reference', p.reference]);
  if (p.dueDate) meta.push(['Due Date', p.dueDate]);
  const metaX = LEFT + third + GAP;
  let my = top;
  for (const [label, value] of meta) {
    c.text(label, metaX, my, 8, { bold: true });
    const wrapped = c.wrap(value, 9, third);
    wrapped.forEach((w, i) => c.text(w, metaX, my - 11 - i * 11, 9));
    my -= 15 + 11 * wrapped.length;
  }
  const oy = p.org ? block([p.org.name, ...p.org.addressLines, p.org.email].filter(Boolean), LEFT + 2 * (third + GAP), top, true) : top;
  y = Math.min(cy, my, oy) - 30;

  let size = 9;
  let cols = placeColumns(c, p, size);
  while (!cols && size > 6) cols = placeColumns(c, p, (size -= 0.5));
  // Past 6 pt the figures are wider than the page allows: they go one under the other (never over each other).
  const table = cols ?? placeColumns(c, { ...p, lines: [] }, size)!;
  const header = (canvas: Canvas, at: number) => {
    for (const col of table) canvas.text(col.header, col.align === 'right' ? col.right : col.left, at, size, { bold: true, align: col.align });
    canvas.rule(at - 6, 0.2);
    return at - 20;
  };
  y = header(c, y);
  const [description, ...figures] = table;
  for (const line of p.lines) {
    const wrapped = c.wrap(line.description, size, description.right - description.left);
    const stacked = !cols;
    const height = (stacked ? wrapped.length + figures.length : wrapped.length) * (size + 3);
    if (y - height < BOTTOM + 110) {
      c.text('continued on the next page', RIGHT, BOTTOM - 20, 8, { align: 'right', gray: 0.45 });
      c = newPage();
      y = header(c, A4[1] - 70);
    }
    for (const w of wrapped) {
      c.text(w, LEFT, y, size);
      y -= size + 3;
    }
    if (stacked) {
      for (const col of figures) {
        c.text(`${col.header}: ${line[col.key]}`, RIGHT, y, size, { align: 'right' });
        y -= size + 3;
      }
    } else {
      const first = y + (size + 3) * wrapped.length;
      for (const col of figures) c.text(line[col.key], col.right, first, size, { align: 'right' });
    }
    c.rule(y + 5, 0.85);
    y -= 6;
  }
  y -= 8;
  const totals = totalRows(p);
  const values = Math.max(...totals.map((row) => c.width(row.value, 9, true)));
  for (const row of totals) {
    c.text(row.label, RIGHT - values - GAP, y, 9, { bold: row.bold, align: 'right' });
    c.text(row.value, RIGHT, y, 9, { bold: row.bold, align: 'right' });
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
