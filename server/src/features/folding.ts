import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import type { DocumentStore, OpenDocument } from '../documents';
import type { XmlElement } from '../engine';

/** At most this many folding ranges, the outermost first. */
export const MAX_FOLDING_RANGES = 5_000;
/** Documents above this many characters fold without a whole re-parse after an edit inside an invoice. */
const LARGE = 1_000_000;

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
  // After an edit inside one invoice, a big document is not re-parsed whole for folding: the invoices (kept
  // current) and the root's own range are enough.
  if (!doc.analysis.wrapperCurrent && td.length > LARGE) return invoiceRanges(doc, doc.analysis.parsedTree.root?.start ?? 0, line);
  const text = td.getText();
  const root = doc.analysis.root();
  if (!root) return [];
  // Invoices re-parsed on their own live in their own coordinates: take their subtrees from the analysis.
  const invoices = new Map<number, Node>();
  for (let i = 0; i < doc.analysis.invoiceCount; i++) {
    const { target, origin } = doc.analysis.invoice(i);
    invoices.set(origin + target.element.start, { element: target.element, origin });
  }
  const node = (element: XmlElement, origin: number): Node => {
    const inv = invoices.get(origin + element.start);
    return inv && inv.element.name === element.name ? inv : { element, origin };
  };
  const lastLine = (n: Node): number => {
    const { element: el, origin } = n;
    if (el.selfClosing) return line(origin + el.end);
    if (el.unclosed) {
      const end = origin + el.end;
      return text[end] === '<' ? line(end) - 1 : line(end);
    }
    return line(origin + el.closeStart) - 1;
  };
  const out: FoldingRange[] = [];
  let level: Node[] = [node(root, 0)];
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
    if (depth === 0) comments(text, line, out);
    level = next;
    depth++;
  }
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

/** The root element's start precedes every invoice, so edits inside invoices never move it. */
function invoiceRanges(doc: OpenDocument, rootStart: number, line: (offset: number) => number): FoldingRange[] {
  const td = doc.textDocument;
  const out: FoldingRange[] = [];
  const tail = td.slice(Math.max(0, td.length - 200), td.length);
  const rootEnd = tail.lastIndexOf('</');
  if (rootEnd >= 0) {
    const endLine = line(td.length - tail.length + rootEnd) - 1;
    if (endLine > line(rootStart)) out.push({ startLine: line(rootStart), endLine });
  }
  for (let i = 0; i < doc.analysis.invoiceCount && out.length < MAX_FOLDING_RANGES; i++) {
    const { target, origin } = doc.analysis.invoice(i);
    const el = target.element;
    const start = line(origin + el.start);
    const end = el.unclosed ? line(origin + el.end) : line(origin + el.closeStart) - 1;
    if (end > start) out.push({ startLine: start, endLine: end });
  }
  return out;
}

/** Multi-line comments (CDATA sections are skipped: a `<!--` inside one is text). */
function comments(text: string, line: (offset: number) => number, out: FoldingRange[]): void {
  let i = text.indexOf('<!');
  while (i >= 0 && out.length < MAX_FOLDING_RANGES) {
    if (text.startsWith('<!--', i)) {
      const close = text.indexOf('-->', i + 4);
      const end = close < 0 ? text.length : close + 3;
      const s = line(i);
      const e = line(end);
      if (e > s) out.push({ startLine: s, endLine: e, kind: FoldingRangeKind.Comment });
      i = end;
    } else if (text.startsWith('<![CDATA[', i)) {
      const close = text.indexOf(']]>', i + 9);
      i = close < 0 ? text.length : close + 3;
    } else i += 2;
    i = text.indexOf('<!', i);
  }
}
