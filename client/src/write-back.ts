import * as vscode from 'vscode';
import type { ServerInvoiceResult } from '../../shared/src/protocol';
import type { InvoiceLanguageClient } from './language-client';

export type WriteBackOutcome = 'applied' | 'nothing' | 'stale';

function serverValues(results: ServerInvoiceResult[], names: Map<number, string>): string {
  const out: Record<string, Record<string, unknown>> = {};
  for (const r of results) {
    const v: Record<string, unknown> = {};
    if (r.invoiceId) v.InvoiceID = r.invoiceId;
    if (r.invoiceNumber) v.InvoiceNumber = r.invoiceNumber;
    if (r.status) v.Status = r.status;
    if (r.updatedDateUTC) v.UpdatedDateUTC = r.updatedDateUTC;
    if (r.sentToContact !== undefined) v.SentToContact = r.sentToContact;
    if (r.errors?.length) v.Errors = r.errors;
    if (r.warnings?.length) v.Warnings = r.warnings;
    out[names.get(r.index) ?? `#${r.index + 1}`] = v;
  }
  return JSON.stringify(out, null, 2) + '\n';
}

function offerServerValues(document: vscode.TextDocument, reason: string, results: ServerInvoiceResult[], names: Map<number, string>): Promise<void> {
  return offerBeside(`${reason} Your edits are kept; the endpoint's answer was not written into ${vscode.workspace.asRelativePath(document.uri)}.`, serverValues(results, names));
}

async function offerBeside(message: string, content: string): Promise<void> {
  const show = 'Show the endpoint’s values';
  const pick = await vscode.window.showWarningMessage(message, show);
  if (pick !== show) return;
  const doc = await vscode.workspace.openTextDocument({ language: 'json', content });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
}

/**
 * An answer that cannot be matched to the invoices sent (a reordered or short batch answer): nothing is written
 * back; the answer opens in a side editor at once, so the IDs it holds are not lost.
 */
export async function showAnswerBeside(document: vscode.TextDocument, reason: string, answer: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: 'json', content: answer });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false, preserveFocus: true });
  vscode.window.showWarningMessage(`${reason} (${vscode.workspace.asRelativePath(document.uri)})`).then(undefined, () => undefined);
}

/**
 * Writes the endpoint's answers (InvoiceID, InvoiceNumber, Status, UpdatedDateUTC, SentToContact) into the
 * document as one undoable edit — only if the document is still at the version that was sent. The server
 * refuses a stale version; VS Code refuses an edit computed for an older version too (the extension host sends
 * the version with the edit). Otherwise the user is told and offered the values in a side editor.
 * Per-invoice errors go to the server, which shows them as diagnostics on the right invoice.
 */
export async function writeBack(
  lc: InvoiceLanguageClient,
  document: vscode.TextDocument,
  version: number,
  results: ServerInvoiceResult[],
  names: Map<number, string>,
): Promise<WriteBackOutcome> {
  if (results.length === 0) return 'nothing';
  const { result, edits } = await lc.applyServerResults(document.uri, version, results);
  if (!result.applicable) {
    offerServerValues(document, result.reason ?? 'The document changed while the request was on its way.', results, names).catch(() => undefined);
    return 'stale';
  }
  if (edits.length === 0) return 'nothing';
  if (document.isClosed || document.version !== version) {
    offerServerValues(document, `The document changed while the request was on its way (version ${version}, now ${document.version}).`, results, names).catch(() => undefined);
    return 'stale';
  }
  const edit = new vscode.WorkspaceEdit();
  edit.set(document.uri, edits);
  const applied = await vscode.workspace.applyEdit(edit);
  if (!applied) {
    offerServerValues(document, 'The document changed while the answer was being written.', results, names).catch(() => undefined);
    return 'stale';
  }
  return 'applied';
}
