import type { TextEdit } from 'vscode-languageserver';
import { rangeIndexAt, type CheckResult, type XmlElement } from '../engine';
import type { DocumentStore, OpenDocument } from '../documents';
import type { ApplyServerResultsParams, ApplyServerResultsResult, InvoiceInfo, InvoicesResult, ServerInvoiceResult } from '../../../shared/src/protocol';
import { escapeXml, requestDocument } from '../../../shared/src/xml-text';
import { toRange } from './convert';

/** Errors per invoice, in one pass over the (sorted) diagnostics: a bulk document is not scanned once per invoice. */
function errorsPerInvoice(result: CheckResult): number[] {
  const docs = result.documents;
  const counts = new Array<number>(docs.length).fill(0);
  for (const x of result.diagnostics) {
    if (x.severity !== 'error') continue;
    const i = rangeIndexAt(docs.length, (k) => docs[k].start, (k) => docs[k].end, x.start);
    if (i >= 0) counts[i]++;
  }
  return counts;
}

function invoiceInfo(doc: OpenDocument, result: CheckResult, index: number, errors: number): InvoiceInfo {
  const d = result.documents[index];
  // The shell's offsets are the document's: nothing is parsed to slice an invoice's text.
  const el = doc.analysis.invoiceShell(index);
  const tag = d.kind === 'creditNote' ? 'CreditNote' : 'Invoice';
  const inner = doc.textDocument.slice(el.openEnd, el.closeStart);
  const single = `<${tag}>${inner}</${tag}>`;
  const requestXml = result.dialect === 'xero-2.0' ? requestDocument(`${tag}s`, [single]) : `${single}\n`;
  return {
    index,
    kind: d.kind,
    dialect: result.dialect as InvoiceInfo['dialect'],
    purpose: d.purpose,
    range: toRange(doc.textDocument, d.start, d.end),
    invoiceId: d.invoiceId,
    invoiceNumber: d.number,
    status: d.status,
    type: d.type,
    contact: d.contact,
    currency: d.currency,
    subTotal: d.subTotal,
    totalTax: d.totalTax,
    total: d.total,
    errors,
    requestXml,
    elementXml: single,
  };
}

export function invoiceAt(store: DocumentStore, uri: string, offset: (doc: OpenDocument) => number): { version: number; invoice: InvoiceInfo | null } {
  const doc = store.get(uri);
  if (!doc) return { version: -1, invoice: null };
  const result = doc.result();
  const version = doc.textDocument.version;
  if (result.dialect === 'unknown') return { version, invoice: null };
  const at = offset(doc);
  let index = doc.analysis.invoiceIndexAt(at);
  // A cursor in a single-invoice document's prolog or wrapper still means that invoice.
  if (index < 0 && result.documents.length === 1) index = 0;
  return { version, invoice: index >= 0 ? invoiceInfo(doc, result, index, errorsPerInvoice(result)[index]) : null };
}

export function allInvoices(store: DocumentStore, uri: string): InvoicesResult {
  const doc = store.get(uri);
  if (!doc) return { uri, version: -1, dialect: 'unknown', invoices: [] };
  const result = doc.result();
  return {
    uri,
    version: doc.textDocument.version,
    dialect: result.dialect,
    invoices: result.dialect === 'unknown' ? [] : errorsPerInvoice(result).map((errors, i) => invoiceInfo(doc, result, i, errors)),
  };
}

/** Leading whitespace of the line an offset is on, for inserting an element beside its siblings. */
export function indentOf(text: { slice(a: number, b: number): string }, offset: number): string {
  const before = text.slice(Math.max(0, offset - 400), offset);
  const line = before.slice(before.lastIndexOf('\n') + 1);
  return /^[ \t]*/.exec(line)![0];
}

function writeBack(doc: OpenDocument, index: number, r: ServerInvoiceResult): TextEdit[] {
  const text = doc.textDocument;
  const { target, origin } = doc.analysis.invoice(index);
  const el = target.element;
  const credit = target.kind === 'creditNote';
  const fields: [string, string | undefined][] = [
    [credit ? 'CreditNoteID' : 'InvoiceID', r.invoiceId],
    [credit ? 'CreditNoteNumber' : 'InvoiceNumber', r.invoiceNumber],
    ['Status', r.status],
  ];
  const child = (name: string): XmlElement | undefined => el.children.find((c) => c.name === name);
  // SentToContact is written when it became true, or where the document already states it.
  if (r.sentToContact === true || (r.sentToContact !== undefined && child('SentToContact'))) fields.push(['SentToContact', String(r.sentToContact)]);
  // UpdatedDateUTC is read-only: written back only where the document already carries it.
  if (r.updatedDateUTC && child('UpdatedDateUTC')) fields.push(['UpdatedDateUTC', r.updatedDateUTC]);
  const edits: TextEdit[] = [];
  const anchor = child('Type') ?? child('InvoiceType');
  const first = el.children[0];
  const indent = first ? indentOf(text, origin + first.start) : indentOf(text, origin + el.start) + '  ';
  const inserted: string[] = [];
  for (const [name, value] of fields) {
    if (value === undefined) continue;
    const existing = child(name);
    if (existing) {
      if (existing.text.trim() === value) continue;
      if (existing.selfClosing) {
        edits.push({ range: toRange(doc.textDocument, origin + existing.start, origin + existing.end), newText: `<${name}>${escapeXml(value)}</${name}>` });
      } else {
        edits.push({ range: toRange(doc.textDocument, origin + existing.openEnd, origin + existing.closeStart), newText: escapeXml(value) });
      }
    } else {
      inserted.push(`<${name}>${escapeXml(value)}</${name}>`);
    }
  }
  if (inserted.length > 0) {
    const at = anchor ? origin + anchor.end : origin + el.openEnd;
    const newText = anchor || first ? inserted.map((x) => `\n${indent}${x}`).join('') : inserted.map((x) => `\n${indent}${x}`).join('') + `\n${indentOf(text, origin + el.start)}`;
    edits.push({ range: toRange(doc.textDocument, at, at), newText });
  }
  return edits;
}

export function applyServerResults(store: DocumentStore, params: ApplyServerResultsParams): ApplyServerResultsResult {
  const doc = store.get(params.textDocument.uri);
  if (!doc) return { applicable: false, edits: [], reason: 'The document is not open.' };
  if (doc.textDocument.version !== params.textDocument.version) {
    return { applicable: false, edits: [], reason: `The document changed since it was sent (version ${params.textDocument.version}, now ${doc.textDocument.version}).` };
  }
  const result = doc.result();
  const edits: TextEdit[] = [];
  for (const r of params.results) {
    if (!result.documents[r.index]) continue;
    doc.setVerdict(r.index, r.errors ?? [], r.warnings ?? []);
    edits.push(...writeBack(doc, r.index, r));
  }
  return { applicable: true, edits };
}
