import type { CodeLens, CodeLensParams } from 'vscode-languageserver';
import type { DocumentStore, OpenDocument } from '../documents';
import { Commands, type InvoiceCommandArguments } from '../../../shared/src/commands';
import { invoiceFingerprint } from '../../../shared/src/fingerprint';
import { allows, isClosed } from '../../../shared/src/status';
import { toRange } from './convert';

/** Beyond this many invoices only the summary lenses are shown, for the first ones. */
export const MAX_LENSED_INVOICES = 1000;

/** Each invoice's fingerprint, per version of its text (a code-lens request does not hash every invoice again). */
const fingerprints = new WeakMap<object, string>();

function fingerprintOf(doc: OpenDocument, i: number): string {
  const key = doc.analysis.invoiceKey(i);
  let f = fingerprints.get(key);
  if (f === undefined) {
    const { start, end } = doc.analysis.invoiceShell(i);
    f = invoiceFingerprint(doc.textDocument.slice(start, end));
    fingerprints.set(key, f);
  }
  return f;
}

/**
 * On each invoice: `Subtotal 87.11 · Tax 10.89 · Total 98.00 NZD · DRAFT`, and the actions the client offers
 * for it (Send, Approve, Approve & email, PDF, Void), as the invoice's status allows (shared/src/status.ts). Each
 * action lens names its invoice (ID or number and a fingerprint of its text): the command refuses if that invoice
 * is no longer where the lens was.
 */
export function codeLenses(store: DocumentStore, params: CodeLensParams): CodeLens[] {
  const doc = store.get(params.textDocument.uri);
  if (!doc || doc.textDocument.length > doc.settings.maxDocumentSize) return [];
  const result = doc.result();
  if (result.dialect === 'unknown') return [];
  const lenses: CodeLens[] = [];
  const uri = params.textDocument.uri;
  result.documents.slice(0, MAX_LENSED_INVOICES).forEach((d, i) => {
    const tagEnd = d.start + 1 + (d.kind === 'creditNote' ? 'CreditNote'.length : 'Invoice'.length);
    const range = toRange(doc.textDocument, d.start, Math.min(tagEnd, d.end));
    const args: InvoiceCommandArguments = [uri, i, { invoiceId: d.invoiceId, invoiceNumber: d.number, fingerprint: fingerprintOf(doc, i) }];
    if (d.purpose === 'statusChange') {
      lenses.push({ range, command: { title: `Status change${d.number ? ` of ${d.number}` : ''} → ${d.status ?? '?'}`, command: '' } });
    } else {
      const money = (v: string | null) => v ?? '?';
      const cur = d.currency ? ` ${d.currency}` : '';
      const title = `Subtotal ${money(d.subTotal)} · Tax ${money(d.totalTax)} · Total ${money(d.total)}${cur}${d.status ? ` · ${d.status}` : ''}`;
      lenses.push({ range, command: { title, command: '' } });
    }
    if (result.dialect === 'workflowmax-3.0') return;
    const status = d.status ?? 'DRAFT';
    // A voided or deleted invoice is finished: nothing left to send.
    if (!(d.invoiceId && isClosed(status))) {
      lenses.push({ range, command: { title: d.invoiceId ? 'Send update' : 'Send', command: Commands.send, arguments: args } });
    }
    if (result.dialect !== 'xero-2.0') return;
    if (d.purpose !== 'statusChange' && allows(status, 'approve')) {
      lenses.push({ range, command: { title: 'Approve', command: Commands.approve, arguments: args } });
      if (d.kind === 'invoice' && d.type === 'ACCREC') lenses.push({ range, command: { title: 'Approve & email', command: Commands.approveAndEmail, arguments: args } });
    }
    if (d.invoiceId) lenses.push({ range, command: { title: 'PDF', command: Commands.downloadPdf, arguments: args } });
    if (d.invoiceId && allows(status, 'void')) lenses.push({ range, command: { title: 'Void', command: Commands.void, arguments: args } });
  });
  return lenses;
}
