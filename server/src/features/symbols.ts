import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { DocumentStore, OpenDocument } from '../documents';
import type { CheckedDocument, XmlElement } from '../engine';
import { toRange } from './convert';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/** At most this many invoice symbols: an outline of more helps nobody and costs the client dearly. */
export const MAX_INVOICE_SYMBOLS = 2_000;
/** At most this many symbols in all (invoices and their lines). */
export const MAX_SYMBOLS = 10_000;
const MAX_DESCRIPTION = 60;

function clip(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > MAX_DESCRIPTION ? `${t.slice(0, MAX_DESCRIPTION - 1)}…` : t;
}

function childText(el: XmlElement, name: string): string | undefined {
  const c = el.children.find((x) => x.name === name);
  const t = c ? clip(c.text) : '';
  return t ? t : undefined;
}

/** `INV-0042 · ABC Limited · 98.00 NZD · AUTHORISED`, `INV-123 → VOIDED` for a status change. */
function invoiceName(s: CheckedDocument | undefined, el: XmlElement): string {
  const number = s ? s.number : (childText(el, 'InvoiceNumber') ?? childText(el, 'CreditNoteNumber') ?? childText(el, 'ID') ?? null);
  const shown = number ?? '(no number)';
  if (!s) return shown;
  if (s.purpose === 'statusChange') return `${shown} → ${s.status ?? '?'}`;
  const parts = [shown];
  if (s.contact) parts.push(s.contact);
  if (s.total) parts.push(s.currency ? `${s.total} ${s.currency}` : s.total);
  if (s.status) parts.push(s.status);
  return parts.join(' · ');
}

interface LineSymbol {
  element: XmlElement;
  name: string;
}

/** The lines of a Xero invoice: `Line 1 · Consulting services · 600.00`. */
function xeroLines(el: XmlElement, s: CheckedDocument | undefined): LineSymbol[] {
  const items = el.children.find((c) => c.name === 'LineItems');
  if (!items) return [];
  return items.children
    .filter((c) => c.name === 'LineItem')
    .map((line, n) => {
      const parts = [`Line ${n + 1}`];
      const description = childText(line, 'Description');
      if (description) parts.push(description);
      const amount = s?.lines[n]?.lineAmount;
      if (amount) parts.push(amount);
      return { element: line, name: parts.join(' · ') };
    });
}

/** The tasks and costs of a WorkflowMax invoice, directly under it or under Jobs/Job. */
function workflowMaxLines(el: XmlElement): LineSymbol[] {
  const out: LineSymbol[] = [];
  let tasks = 0;
  let costs = 0;
  const collect = (holder: XmlElement) => {
    for (const c of holder.children) {
      if (c.name !== 'Tasks' && c.name !== 'Costs') continue;
      const task = c.name === 'Tasks';
      for (const d of c.children) {
        if (d.name !== (task ? 'Task' : 'Cost')) continue;
        const parts = [task ? `Task ${++tasks}` : `Cost ${++costs}`];
        const what = childText(d, task ? 'Name' : 'Description');
        if (what) parts.push(what);
        const amount = childText(d, 'Amount');
        if (amount) parts.push(amount);
        out.push({ element: d, name: parts.join(' · ') });
      }
    }
  };
  collect(el);
  for (const jobs of el.children) if (jobs.name === 'Jobs') for (const job of jobs.children) if (job.name === 'Job') collect(job);
  return out;
}

function symbol(td: TextDocument, el: Placed, origin: number, name: string, kind: SymbolKind, detail?: string, children?: DocumentSymbol[]): DocumentSymbol {
  return {
    name,
    kind,
    ...(detail ? { detail } : {}),
    range: toRange(td, origin + el.start, origin + el.end),
    selectionRange: toRange(td, origin + el.start + 1, origin + el.nameEnd),
    ...(children ? { children } : {}),
  };
}

/** Where an element stands, in offsets from its invoice's start. */
interface Placed {
  start: number;
  end: number;
  nameEnd: number;
}

/** An invoice's outline: its name and its lines', in offsets from its start. */
interface InvoiceOutline extends Placed {
  name: string;
  lines: (Placed & { name: string })[];
}

/** Outlines per version of an invoice's text (and check): an outline request parses only invoices that changed. */
const outlines = new WeakMap<object, InvoiceOutline>();

function outlineOf(doc: OpenDocument, i: number, dialect: string, summary: CheckedDocument | undefined): InvoiceOutline {
  const key = doc.analysis.invoiceKey(i);
  let o = outlines.get(key);
  if (!o) {
    const el = doc.analysis.invoice(i).target.element;
    const lines = dialect === 'workflowmax-3.0' ? workflowMaxLines(el) : xeroLines(el, summary);
    const placed = (e: XmlElement) => ({ start: e.start, end: e.end, nameEnd: e.nameEnd });
    o = { ...placed(el), name: invoiceName(summary, el), lines: lines.map((l) => ({ ...placed(l.element), name: l.name })) };
    outlines.set(key, o);
  }
  return o;
}

/**
 * The outline: one symbol per invoice or credit note, with its lines (WorkflowMax: tasks and costs) beneath.
 * Bounded: lines are dropped first (from the invoice whose lines no longer fit), then invoices beyond
 * MAX_INVOICE_SYMBOLS; nothing at all above the maximum document size.
 */
export function documentSymbols(store: DocumentStore, uri: string): DocumentSymbol[] {
  const doc = store.get(uri);
  if (!doc || doc.analysis.dialect === 'unknown') return [];
  const td = doc.textDocument;
  if (td.length > doc.settings.maxDocumentSize) return [];
  const result = doc.result();
  if (result.dialect === 'unknown') return [];
  const count = Math.min(doc.analysis.invoiceCount, MAX_INVOICE_SYMBOLS);
  let budget = MAX_SYMBOLS - count;
  const out: DocumentSymbol[] = [];
  for (let i = 0; i < count; i++) {
    const origin = doc.analysis.invoiceShell(i).start;
    const summary = result.documents[i];
    const outline = outlineOf(doc, i, result.dialect, summary);
    let lines = outline.lines;
    if (budget > 0) {
      if (lines.length > budget) {
        lines = [];
        budget = 0;
      } else budget -= lines.length;
    } else lines = [];
    const kindWord = summary?.kind === 'creditNote' ? 'credit note' : 'invoice';
    const detail = summary?.type ? `${summary.type} ${kindWord}` : kindWord;
    const children = lines.map((l) => symbol(td, l, origin, l.name, SymbolKind.Field));
    out.push(symbol(td, outline, origin, outline.name, SymbolKind.Object, detail, children));
  }
  return out;
}
