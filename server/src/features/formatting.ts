import type { DocumentFormattingParams, DocumentRangeFormattingParams, FormattingOptions, Position, TextEdit } from 'vscode-languageserver';
import type { DocumentStore } from '../documents';
import { STRUCTURAL_PROBLEMS, parseXml, type XmlElement } from '../engine';
import { toRange } from './convert';
import { indentOf } from './invoice-requests';

function isSpace(c: string): boolean {
  return c === ' ' || c === '\n' || c === '\r' || c === '\t';
}

/** The document's own line ending: CRLF if its first line break is one. */
function lineEnding(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Reads a part of a text (a whole document is never joined to be formatted). */
type Slice = (start: number, end: number) => string;

/**
 * Re-indents element-only content and nothing else. Our own printer over the tolerant parser's tree (a
 * serialiser would rewrite text): each whitespace run between the tags of an element that holds elements and no
 * text becomes a line break plus the indentation of its depth, so each child element stands on its own line.
 * Leaf content, mixed content, comments' insides, CDATA, processing instructions, attribute values and anything
 * outside the root element are left exactly as they are. One edit per changed whitespace run; none when the
 * structure is a guess (unclosed, mismatched or stray tags, malformed tags). The wrapper comes from the
 * document's wrapper tree, each invoice from its own slice of the text, parsed on its own.
 */
export function formatDocument(store: DocumentStore, params: DocumentFormattingParams): TextEdit[] {
  const doc = store.get(params.textDocument.uri);
  if (!doc || doc.analysis.dialect === 'unknown') return [];
  const a = doc.analysis;
  const td = doc.textDocument;
  const root = a.root();
  if (!root || !a.structurallySound) return [];
  const eol = lineEnding(td.slice(0, Math.min(td.length, 65_536)));
  const unit = indentUnit(params.options);
  const shells = new Map<XmlElement, number>();
  for (let i = 0; i < a.invoiceCount; i++) shells.set(a.invoiceShell(i), i);
  const invoice = (el: XmlElement, depth: number): Edit[] | undefined => {
    const i = shells.get(el);
    if (i === undefined) return undefined;
    const { target, origin } = a.invoice(i);
    const text = td.slice(origin, origin + target.element.end);
    const own = indentEdits((s, e) => text.slice(s, e), target.element, eol, unit, unit.repeat(depth));
    return own.map((e) => ({ start: origin + e.start, end: origin + e.end, text: e.text }));
  };
  const edits = indentEdits((s, e) => td.slice(s, e), root, eol, unit, '', invoice);
  return edits.map((e) => ({ range: toRange(td, e.start, e.end), newText: e.text }));
}

/**
 * Formatting a range: the invoices it touches, each re-parsed from its own slice of the text and re-indented
 * from its own start tag's indentation, with only the edits inside the range. A range outside every invoice
 * (the prolog, the wrapper) gets the whole document's edits that fall inside it.
 */
export function formatRange(store: DocumentStore, params: DocumentRangeFormattingParams): TextEdit[] {
  const doc = store.get(params.textDocument.uri);
  if (!doc || doc.analysis.dialect === 'unknown') return [];
  const td = doc.textDocument;
  const from = td.offsetAt(params.range.start);
  const to = td.offsetAt(params.range.end);
  const inside = (e: { range: { start: Position; end: Position } }) => td.offsetAt(e.range.start) >= from && td.offsetAt(e.range.end) <= to;
  const a = doc.analysis;
  const byInvoice: TextEdit[][] = [];
  let touched = false;
  for (let i = a.invoiceStartingAtOrBefore(to); i >= 0; i--) {
    const { start, end } = a.invoiceShell(i);
    if (end < from) break;
    touched = true;
    const text = td.slice(start, end);
    const xml = parseXml(text);
    if (!xml.root || xml.problems.some((p) => STRUCTURAL_PROBLEMS.has(p.code))) continue;
    const eol = lineEnding(td.slice(Math.max(0, start - 200), end));
    const edits: TextEdit[] = [];
    for (const e of indentEdits((s, x) => text.slice(s, x), xml.root, eol, indentUnit(params.options), indentOf(td, start))) {
      const edit = { range: toRange(td, start + e.start, start + e.end), newText: e.text };
      if (inside(edit)) edits.push(edit);
    }
    byInvoice.push(edits);
  }
  if (touched) return byInvoice.reverse().flat();
  return formatDocument(store, { textDocument: params.textDocument, options: params.options }).filter(inside);
}

function indentUnit(options: FormattingOptions): string {
  return options.insertSpaces ? ' '.repeat(Math.max(1, options.tabSize)) : '\t';
}

/**
 * The edits re-indenting the element-only content under `root` (whose start tag is indented by `base`).
 * `own` may take over an element (an invoice, formatted from its own slice): its edits, or undefined.
 */
function indentEdits(slice: Slice, root: XmlElement, eol: string, unit: string, base: string, own?: (el: XmlElement, depth: number) => Edit[] | undefined): Edit[] {
  const edits: Edit[] = [];
  const visit = (el: XmlElement, depth: number) => {
    // xml:space="preserve" asks for whitespace to be kept as it is, in the element and below it.
    if (el.attributes.some((a) => a.name === 'xml:space' && a.value === 'preserve')) return;
    const taken = own?.(el, depth);
    if (taken) {
      for (const e of taken) edits.push(e);
      return;
    }
    if (el.children.length === 0) return;
    if (el.textStart < 0) edits.push(...reindent(slice, el, eol + base + unit.repeat(depth + 1), eol + base + unit.repeat(depth)));
    for (const c of el.children) visit(c, depth + 1);
  };
  visit(root, 0);
  return edits;
}

/**
 * The edits that re-indent the content of an element-only element: its gaps (start tag to first child, between
 * children, last child to end tag) hold whitespace, comments and processing instructions. Any other markup
 * there (a CDATA section, even of blanks, is text) leaves the element as it is.
 */
function reindent(slice: Slice, el: XmlElement, inner: string, outer: string): Edit[] {
  const out: Edit[] = [];
  const kids = el.children;
  for (let k = 0; k <= kids.length; k++) {
    const from = k === 0 ? el.openEnd : kids[k - 1].end;
    const to = k === kids.length ? el.closeStart : kids[k].start;
    const gap = slice(from, to);
    let i = 0;
    for (;;) {
      let j = i;
      while (j < gap.length && isSpace(gap[j])) j++;
      if (j >= gap.length) {
        // The run before a child element or the end tag: always a line break and the indentation.
        const want = k === kids.length ? outer : inner;
        if (gap.slice(i) !== want) out.push({ start: from + i, end: to, text: want });
        break;
      }
      let close: number;
      if (gap.startsWith('<!--', j)) close = gap.indexOf('-->', j + 4) + 3;
      else if (gap.startsWith('<?', j)) close = gap.indexOf('?>', j + 2) + 2;
      else return [];
      // Unterminated within the gap (indexOf gave -1): the structure is not what it seems.
      if (close < j + 4) return [];
      // A comment or processing instruction keeps its place on a line it shares; on a line of its own it is
      // indented like the elements around it.
      const run = gap.slice(i, j);
      if ((run.includes('\n') || run.includes('\r')) && run !== inner) out.push({ start: from + i, end: from + j, text: inner });
      i = close;
    }
  }
  return out;
}
