import {
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  type Diagnostic,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver';
import { diagnostic } from '../engine/diagnostics';
import { CheckCancelled } from '../engine';
import type { DocumentStore, OpenDocument } from '../documents';
import { toDiagnostic } from './convert';

/** What was last reported per document (kept as is between saves under the onSave trigger). */
const lastReported = new Map<string, Diagnostic[]>();

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Engine diagnostics plus the endpoint's verdicts on invoices not edited since, less the silenced codes. */
export function computeDiagnostics(store: DocumentStore, doc: OpenDocument, token?: CancellationToken): Diagnostic[] {
  const result = store.result(doc, token);
  if (result.dialect === 'unknown') return [];
  const silenced = new Set(doc.settings.silencedCodes);
  const td = doc.textDocument;
  const out: Diagnostic[] = [];
  for (const d of result.diagnostics) if (!silenced.has(d.code)) out.push(toDiagnostic(doc.textDocument, d));
  // The endpoint's answer stays on an invoice until the invoice is edited: compare its text now with then.
  doc.verdicts = doc.verdicts.filter((v) => {
    const inv = result.documents[v.index] ?? result.documents.find((d) => td.slice(d.start, d.end) === v.text);
    if (!inv || td.slice(inv.start, inv.end) !== v.text) return false;
    if (silenced.has('response-validation-error')) return true;
    const tagEnd = inv.start + 1 + (/^<([\w:.-]+)/.exec(td.slice(inv.start, inv.start + 64))?.[1].length ?? 0);
    for (const m of v.errors) out.push(toDiagnostic(doc.textDocument, diagnostic('response-validation-error', `The endpoint rejected this invoice: ${m}`, inv.start, tagEnd, { message: m })));
    for (const m of v.warnings) out.push(toDiagnostic(doc.textDocument, diagnostic('response-validation-error', `The endpoint warned: ${m}`, inv.start, tagEnd, { message: m }, 'warning')));
    return true;
  });
  return out;
}

/**
 * Pull diagnostics: wait until the user pauses typing (debounce), answer for the newest version, give up when
 * the request is cancelled. Under the onSave trigger the last saved analysis is kept until the next save.
 */
export async function pullDiagnostics(store: DocumentStore, uri: string, token: CancellationToken): Promise<DocumentDiagnosticReport> {
  let doc = store.get(uri);
  if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  for (;;) {
    const wait = doc.changedAt + doc.settings.validate.debounceMs - Date.now();
    if (wait <= 0) break;
    await delay(wait);
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'The document changed.', { retriggerRequest: true });
    doc = store.get(uri);
    if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  }
  const saved = lastReported.get(uri);
  if (doc.settings.validate.trigger === 'onSave' && saved && doc.savedVersion !== doc.textDocument.version) {
    return { kind: DocumentDiagnosticReportKind.Full, items: saved };
  }
  try {
    const items = computeDiagnostics(store, doc, token);
    lastReported.set(uri, items);
    return { kind: DocumentDiagnosticReportKind.Full, items };
  } catch (err) {
    if (err instanceof CheckCancelled) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'The check was cancelled.', { retriggerRequest: true });
    throw err;
  }
}

export function forgetDiagnostics(uri: string): void {
  lastReported.delete(uri);
}
