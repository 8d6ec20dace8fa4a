import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import type { DocumentStore, OpenDocument } from '../documents';
import type { XmlElement } from '../engine';

/** At most this many folding ranges, the outermost first. */
export const MAX_FOLDING_RANGES = 5_000;

interface Node {
  element: XmlElement;
  /** Document offset = origin + the element's offsets. */
  origin: number;
}

/**
 * Folding ranges: every element spanning more than one line (from its start tag's line to the line before its
 * end tag) and every multi-line comment. Bounded: the outermost come first (level by level), at most
 * MAX_FOLDING_RANGES, nothing above the maximum document size.
 */
export function foldingRanges(store: DocumentStore, uri: string): FoldingRange[] {
  const doc = store.get(uri);
  if (!doc || doc.analysis.dialect === 'unknown') return [];
  const td = doc.textDocument;
  if (td.length > doc.settings.maxDocumentSize) return [];
  const line = (offset: number) => td.positionAt(offset).line;
  const invoices: Node[] = [];
  for (let i = 0; i < doc.analysis.invoiceCount; i++) {
    const { target, origin } = doc.analysis.invoice(i);
    invoices.push({ element: target.element, origin });
  }
  // After an edit inside an invoice the wrapper's tree is behind the text: rather than parse the whole text
  // again, fold the root and each invoice's own (current) subtree; the wrapper's comments come back with the
  // next whole parse.
  if (!doc.analysis.wrapperCurrent) {
    const out = rootRange(doc, doc.analysis.parsedTree.root?.start ?? 0, line);
    commentsAround(td, invoices, line, out);
    byLevel(td, invoices, line, out);
    return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  }
  const root = doc.analysis.root();
  if (!root) return [];
  // Invoices re-parsed on their own live in their own coordinates: take their subtrees from the analysis.
  const byStart = new Map<number, Node>(invoices.map((n) => [n.origin + n.element.start, n]));
  const out: FoldingRange[] = [];
  byLevel(td, [{ element: root, origin: 0 }], line, out, (element, origin) => {
    const inv = byStart.get(origin + element.start);
    return inv && inv.element.name === element.name ? inv : { element, origin };
  }, () => comments(td.getText(), 0, line, out));
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

/** Elements spanning lines, level by level from `first`, outermost first, until MAX_FOLDING_RANGES. */
function byLevel(
  td: { slice(a: number, b: number): string },
  first: Node[],
  line: (offset: number) => number,
  out: FoldingRange[],
  node: (element: XmlElement, origin: number) => Node = (element, origin) => ({ element, origin }),
  afterFirstLevel?: () => void,
): void {
  const lastLine = (n: Node): number => {
    const { element: el, origin } = n;
    if (el.selfClosing) return line(origin + el.end);
    if (el.unclosed) {
      const end = origin + el.end;
      return td.slice(end, end + 1) === '<' ? line(end) - 1 : line(end);
    }
    return line(origin + el.closeStart) - 1;
  };
  let level = first;
  let depth = 0;
  while (level.length > 0 && out.length < MAX_FOLDING_RANGES) {
    const next: Node[] = [];
    for (const n of level) {
      const start = line(n.origin + n.element.start);
      // An element on one line has no descendant spanning lines.
      if (line(n.origin + n.element.end) <= start) continue;
      const end = lastLine(n);
      if (end > start) {
        out.push({ startLine: start, endLine: end });
        if (out.length >= MAX_FOLDING_RANGES) break;
      }
      for (const c of n.element.children) next.push(node(c, n.origin));
    }
    // Comments rank just below the root element.
    if (depth === 0) afterFirstLevel?.();
    level = next;
    depth++;
  }
}

/** The root element's range: its start precedes every invoice, so edits inside invoices never move it. */
function rootRange(doc: OpenDocument, rootStart: number, line: (offset: number) => number): FoldingRange[] {
  const td = doc.textDocument;
  const tail = td.slice(Math.max(0, td.length - 200), td.length);
  const rootEnd = tail.lastIndexOf('</');
  if (rootEnd < 0) return [];
  const endLine = line(td.length - tail.length + rootEnd) - 1;
  return endLine > line(rootStart) ? [{ startLine: line(rootStart), endLine }] : [];
}

/** Comments of each invoice, as offsets from its start (an invoice re-parsed after an edit is a new element). */
const invoiceComments = new WeakMap<XmlElement, [number, number][]>();

/**
 * The multi-line comments between the invoices and inside each, without reading the whole text: the gaps between
 * invoices are short, and an invoice's comments are found once per version of it.
 */
function commentsAround(td: { slice(a: number, b: number): string; length: number }, invoices: Node[], line: (offset: number) => number, out: FoldingRange[]): void {
  let gapStart = 0;
  for (const n of invoices) {
    const start = n.origin + n.element.start;
    comments(td.slice(gapStart, start), gapStart, line, out);
    let own = invoiceComments.get(n.element);
    if (!own) {
      const found: FoldingRange[] = [];
      own = [];
      const text = td.slice(start, n.origin + n.element.end);
      comments(text, 0, (o) => o, found);
      for (const f of found) own.push([f.startLine, f.endLine]);
      invoiceComments.set(n.element, own);
    }
    for (const [s, e] of own) {
      const from = line(start + s);
      const to = line(start + e);
      if (to > from && out.length < MAX_FOLDING_RANGES) out.push({ startLine: from, endLine: to, kind: FoldingRangeKind.Comment });
    }
    gapStart = n.origin + n.element.end;
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
