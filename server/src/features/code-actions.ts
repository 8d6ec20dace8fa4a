import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import { Commands } from '../../../shared/src/commands';
import type { DocumentStore, OpenDocument } from '../documents';
import type { XmlElement } from '../engine';
import { toRange } from './convert';
import { indentOf } from './invoice-requests';

/** The source action that sets every stated figure of the document to the computed one. */
export const RECALCULATE_KIND = `${CodeActionKind.Source}.recalculateTotals`;

const FIGURE_CODES = new Set([
  'line-amount-mismatch', 'subtotal-mismatch', 'total-tax-mismatch', 'total-mismatch', 'tax-amount-override',
  'amount-due-mismatch', 'wfm-amount-mismatch', 'wfm-outstanding-mismatch', 'wfm-detail-mismatch',
]);

function dueDatePlaceholder(): string {
  const d = new Date(Date.now() + 30 * 86400000);
  return d.toISOString().slice(0, 10);
}

/** Snippets (with tab stops) for the elements approval needs, by element name. */
const SNIPPETS: Record<string, () => string> = {
  Type: () => '<Type>${1|ACCREC,ACCPAY|}</Type>',
  Contact: () => '<Contact>\n\t<Name>${1:Contact name}</Name>\n</Contact>',
  Name: () => '<Name>${1:Contact name}</Name>',
  DueDate: () => `<DueDate>\${1:${dueDatePlaceholder()}}</DueDate>`,
  LineItems: () =>
    '<LineItems>\n\t<LineItem>\n\t\t<Description>${1:Description}</Description>\n\t\t<Quantity>${2:1}</Quantity>\n\t\t<UnitAmount>${3:0.00}</UnitAmount>\n\t\t<AccountCode>${4:200}</AccountCode>\n\t</LineItem>\n</LineItems>',
  Description: () => '<Description>${1:Description}</Description>',
  AccountCode: () => '<AccountCode>${1:200}</AccountCode>',
  Quantity: () => '<Quantity>${1:1}</Quantity>',
  UnitAmount: () => '<UnitAmount>${1:0.00}</UnitAmount>',
  InvoiceNumber: () => '<InvoiceNumber>${1:INV-0001}</InvoiceNumber>',
  CreditNoteNumber: () => '<CreditNoteNumber>${1:CN-0001}</CreditNoteNumber>',
};

const lineIndent = indentOf;

function figureEdit(d: Diagnostic): TextEdit | null {
  const computed = (d.data as { computed?: unknown } | undefined)?.computed;
  return typeof computed === 'string' ? { range: d.range, newText: computed } : null;
}

/** Edits setting every stated figure (within [from, to]) to its computed value. */
function recalculate(doc: OpenDocument, from = 0, to = Infinity): TextEdit[] {
  const result = doc.result();
  const edits: TextEdit[] = [];
  for (const d of result.diagnostics) {
    if (!FIGURE_CODES.has(d.code) || d.start < from || d.start > to) continue;
    const computed = d.data?.computed;
    if (typeof computed === 'string') edits.push({ range: toRange(doc.textDocument, d.start, d.end), newText: computed });
  }
  return edits;
}

/** The element a diagnostic's range starts in, through the document's analysis. */
function elementOf(doc: OpenDocument, offset: number): { element: XmlElement; origin: number } | null {
  const located = doc.analysis.locate(offset);
  return located ? { element: located.element, origin: located.origin } : null;
}

function insertMissing(doc: OpenDocument, d: Diagnostic, missing: string): CodeAction | null {
  const snippet = SNIPPETS[missing];
  if (!snippet) return null;
  const td = doc.textDocument;
  const at = elementOf(doc, td.offsetAt(d.range.start) + 1);
  if (!at) return null;
  const { element, origin } = at;
  const text = td;
  const last = element.children[element.children.length - 1];
  let offset: number;
  let prefix: string;
  if (last) {
    offset = origin + last.end;
    prefix = `\n${lineIndent(text, origin + last.start)}`;
  } else if (!element.selfClosing) {
    offset = origin + element.openEnd;
    prefix = `\n${lineIndent(text, origin + element.start)}\t`;
  } else {
    return null;
  }
  return {
    title: `Insert <${missing}>`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    isPreferred: true,
    command: { title: `Insert <${missing}>`, command: Commands.insertSnippet, arguments: [doc.uri, td.positionAt(offset), prefix + snippet()] },
  };
}

function removeElement(doc: OpenDocument, d: Diagnostic, title: string): CodeAction | null {
  const td = doc.textDocument;
  const at = elementOf(doc, td.offsetAt(d.range.start) + 1);
  if (!at) return null;
  let start = at.origin + at.element.start;
  const end = at.origin + at.element.end;
  // Take the element's own line with it when it stands alone on it.
  const before = td.slice(Math.max(0, start - 400), start);
  const lineStart = start - (before.length - before.lastIndexOf('\n') - 1);
  if (before.lastIndexOf('\n') >= 0 && /^[ \t]*$/.test(td.slice(lineStart, start))) start = Math.max(0, lineStart - 1);
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { changes: { [doc.uri]: [{ range: toRange(td, start, end), newText: '' }] } } };
}

function renameElement(doc: OpenDocument, d: Diagnostic, to: string): CodeAction | null {
  const td = doc.textDocument;
  const at = elementOf(doc, td.offsetAt(d.range.start) + 1);
  if (!at) return null;
  const { element: el, origin } = at;
  const edits: TextEdit[] = [{ range: toRange(td, origin + el.start + 1, origin + el.nameEnd), newText: to }];
  if (!el.selfClosing && !el.unclosed) edits.push({ range: toRange(td, origin + el.closeStart + 2, origin + el.closeStart + 2 + el.name.length), newText: to });
  return { title: `Rename to <${to}>`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [doc.uri]: edits } } };
}

function valueFix(doc: OpenDocument, d: Diagnostic): CodeAction | null {
  const data = (d.data ?? {}) as { kind?: string; value?: string; expected?: string[] };
  const value = (data.value ?? '').trim();
  if (data.kind === 'enumeration' && data.expected) {
    const match = data.expected.find((e) => e.toLowerCase() === value.toLowerCase() || e.toLowerCase().replace(/_/g, '') === value.toLowerCase().replace(/_/g, ''));
    if (match) {
      return { title: `Change to '${match}'`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [doc.uri]: [{ range: d.range, newText: match }] } } };
    }
  }
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (data.kind === 'format' && compact && /date/i.test(d.message)) {
    const iso = `${compact[1]}-${compact[2]}-${compact[3]}`;
    return { title: `Write the date as ${iso}`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [doc.uri]: [{ range: d.range, newText: iso }] } } };
  }
  return null;
}

/** Quick fixes, keyed by diagnostic code, and the "Recalculate all totals" source action. */
export function codeActions(store: DocumentStore, params: CodeActionParams): CodeAction[] {
  const doc = store.get(params.textDocument.uri);
  if (!doc) return [];
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
  const actions: CodeAction[] = [];
  const td = doc.textDocument;
  if (wants(CodeActionKind.QuickFix)) {
    for (const d of params.context.diagnostics) {
      if (d.source !== 'xero-invoice' || typeof d.code !== 'string') continue;
      const data = (d.data ?? {}) as { computed?: string; missing?: string; suggestion?: string; element?: string };
      if (FIGURE_CODES.has(d.code)) {
        const edit = figureEdit(d);
        if (edit) {
          const what = data.element ?? d.message.split(' ')[0];
          actions.push({ title: `Set ${what} to ${data.computed}`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [doc.uri]: [edit] } } });
        }
        const invoice = doc.analysis.invoiceIndexAt(td.offsetAt(d.range.start));
        if (invoice >= 0) {
          const r = doc.result().documents[invoice];
          const edits = recalculate(doc, r.start, r.end);
          if (edits.length > 1) actions.push({ title: `Recalculate every figure of ${r.number ?? 'this invoice'}`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { changes: { [doc.uri]: edits } } });
        }
        const all = recalculate(doc);
        if (all.length > 1) actions.push({ title: 'Recalculate every figure in the document', kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { changes: { [doc.uri]: all } } });
      } else if (d.code.startsWith('required-') && data.missing) {
        const a = insertMissing(doc, d, data.missing);
        if (a) actions.push(a);
      } else if (d.code === 'schema-invalid-value') {
        const a = valueFix(doc, d);
        if (a) actions.push(a);
      } else if (d.code === 'schema-too-many') {
        const a = removeElement(doc, d, `Remove this <${data.element ?? 'element'}>`);
        if (a) actions.push(a);
      } else if (d.code === 'schema-unknown-element' && data.suggestion) {
        const a = renameElement(doc, d, data.suggestion);
        if (a) actions.push(a);
      } else if (d.code === 'date-time-offset') {
        const date = (d.data as { date?: unknown } | undefined)?.date;
        if (typeof date === 'string') {
          actions.push({ title: `Write the date as ${date}`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [doc.uri]: [{ range: d.range, newText: date }] } } });
        }
      } else if (d.code === 'accrec-only' || d.code === 'discount-both') {
        const a = removeElement(doc, d, d.code === 'discount-both' ? 'Remove DiscountAmount (keep DiscountRate)' : `Remove <${data.element ?? 'element'}>`);
        if (a) actions.push(a);
      }
    }
  }
  if (wants(RECALCULATE_KIND)) {
    const edits = recalculate(doc);
    if (edits.length > 0) actions.push({ title: 'Recalculate all totals', kind: RECALCULATE_KIND, edit: { changes: { [doc.uri]: edits } } });
  }
  return actions;
}
