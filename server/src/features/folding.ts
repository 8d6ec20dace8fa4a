import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import type { DocumentStore, OpenDocument } from '../documents';
import type { XmlElement } from '../engine';

/** At most this many folding ranges, the outermost first. */
export const MAX_FOLDING_RANGES = 5_000;

/**
 * The elements of one invoice that span lines, level by level below the invoice element (level 0 = its
 * children): per element its start and the offset whose line ends the range (minus one line when `minusOne`),
 * as offsets from the invoice's start. Kept per version of the invoice's text: nothing is parsed again for an
 * invoice that did not change.
 */
interface InvoiceFolds {
  /** Per level, triples (start, lineEnd, minusOne). */
  levels: Int32Array[];
}

const foldsOf = new WeakMap<object, InvoiceFolds>();
/** Each invoice's multi-line comments, pairs (start, end) of offsets from its start. */
const commentsOf = new WeakMap<object, Int32Array>();

/**
 * Folding ranges: every element spanning more than one line (from its start tag's line to the line before its
 * end tag) and every multi-line comment. Bounded: the outermost come first (level by level), at most
 * MAX_FOLDING_RANGES, nothing above the maximum document size. The wrapper's elements come from the document's
 * wrapper tree (kept current edit by edit), each invoice's from its own folds (see InvoiceFolds).
 */
export function foldingRanges(store: DocumentStore, uri: string): FoldingRange[] {
  const doc = store.get(uri);
  if (!doc || doc.analysis.dialect === 'unknown') return [];
  const td = doc.textDocument;
  if (td.length > doc.settings.maxDocumentSize) return [];
  const a = doc.analysis;
  const root = a.root();
  if (!root) return [];
  const line = (offset: number) => td.positionAt(offset).line;
  const shells = new Map<XmlElement, number>();
  for (let i = 0; i < a.invoiceCount; i++) shells.set(a.invoiceShell(i), i);
  const out: FoldingRange[] = [];
  const full = () => out.length >= MAX_FOLDING_RANGES;
  const push = (startLine: number, endLine: number) => {
    if (endLine > startLine && !full()) out.push({ startLine, endLine });
  };
  /** Invoices whose shell spans lines, with the level of their shell. */
  const open: { index: number; level: number; origin: number }[] = [];
  let level: XmlElement[] = [root];
  for (let depth = 0; (level.length > 0 || open.length > 0) && !full(); depth++) {
    const next: XmlElement[] = [];
    for (const el of level) {
      const start = line(el.start);
      // An element on one line has no descendant spanning lines.
      if (line(el.end) <= start) continue;
      push(start, lastLine(td, el, line));
      if (full()) break;
      const i = shells.get(el);
      if (i !== undefined) open.push({ index: i, level: depth, origin: el.start });
      else next.push(...el.children);
    }
    for (let k = 0; k < open.length && !full(); k++) {
      const { index, level: at, origin } = open[k];
      if (at >= depth) continue;
      const rows = invoiceFolds(doc, index, line).levels[depth - at - 1];
      if (!rows) {
        open.splice(k--, 1);
        continue;
      }
      for (let r = 0; r < rows.length && !full(); r += 3) push(line(origin + rows[r]), line(origin + rows[r + 1]) - rows[r + 2]);
    }
    // Comments rank just below the root element.
    if (depth === 0) commentsAround(doc, line, out);
    level = next;
  }
  return out.sort((x, y) => x.startLine - y.startLine || y.endLine - x.endLine);
}

/** The line that ends an element's range: the line before its end tag (its own last line when it has none). */
function lastLine(td: { slice(a: number, b: number): string }, el: XmlElement, line: (offset: number) => number): number {
  if (el.selfClosing) return line(el.end);
  if (el.unclosed) return td.slice(el.end, el.end + 1) === '<' ? line(el.end) - 1 : line(el.end);
  return line(el.closeStart) - 1;
}

function invoiceFolds(doc: OpenDocument, index: number, line: (offset: number) => number): InvoiceFolds {
  const key = doc.analysis.invoiceKey(index);
  let folds = foldsOf.get(key);
  if (folds) return folds;
  const { target, origin } = doc.analysis.invoice(index);
  const td = doc.textDocument;
  const levels: Int32Array[] = [];
  let parents: XmlElement[] = [target.element];
  while (parents.length > 0) {
    const rows: number[] = [];
    const next: XmlElement[] = [];
    for (const p of parents) {
      for (const c of p.children) {
        if (line(origin + c.end) <= line(origin + c.start)) continue;
        if (c.selfClosing) rows.push(c.start, c.end, 0);
        else if (c.unclosed) rows.push(c.start, c.end, td.slice(origin + c.end, origin + c.end + 1) === '<' ? 1 : 0);
        else rows.push(c.start, c.closeStart, 1);
        next.push(c);
      }
    }
    if (rows.length > 0) levels.push(Int32Array.from(rows));
    parents = next;
  }
  folds = { levels };
  foldsOf.set(key, folds);
  return folds;
}

/**
 * The multi-line comments between the invoices and inside each, without reading the whole text: the gaps between
 * invoices are short, and an invoice's comments are found once per version of it.
 */
function commentsAround(doc: OpenDocument, line: (offset: number) => number, out: FoldingRange[]): void {
  const td = doc.textDocument;
  const a = doc.analysis;
  let gapStart = 0;
  for (let i = 0; i < a.invoiceCount; i++) {
    const { start, end } = a.invoiceShell(i);
    comments(td.slice(gapStart, start), gapStart, line, out);
    const key = a.invoiceKey(i);
    let own = commentsOf.get(key);
    if (!own) {
      const found: FoldingRange[] = [];
      comments(td.slice(start, end), 0, (o) => o, found);
      own = Int32Array.from(found.flatMap((f) => [f.startLine, f.endLine]));
      commentsOf.set(key, own);
    }
    for (let k = 0; k < own.length; k += 2) {
      const from = line(start + own[k]);
      const to = line(start + own[k + 1]);
      if (to > from && out.length < MAX_FOLDING_RANGES) out.push({ startLine: from, endLine: to, kind: FoldingRangeKind.Comment });
    }
    gapStart = end;
  }
  comments(td.slice(gapStart, td.length), gapStart, line, out);
}

/** Multi-line comments in `text` (which starts at offset `base`); CDATA sections are skipped: a `<!--` in one is text. */
function comments(text: string, base: number, line: (offset: number) => number, out: FoldingRange[]): void {
  let i = text.indexOf('<!');
  while (i >= 0 && out.length < MAX_FOLDING_RANGES) {
    if (text.startsWith('<!--', i)) {
      const close = text.indexOf('-->', i + 4);
      const end = close < 0 ? text.length : close + 3;
      const s = line(base + i);
      const e = line(base + end);
      if (e > s) out.push({ startLine: s, endLine: e, kind: FoldingRangeKind.Comment });
      i = end;
    } else if (text.startsWith('<![CDATA[', i)) {
      const close = text.indexOf(']]>', i + 9);
      i = close < 0 ? text.length : close + 3;
    } else i += 2;
    i = text.indexOf('<!', i);
  }
}
