import * as vscode from 'vscode';
import type { ServerInvoiceResult } from '../../../shared/src/protocol';
import { ClientCommands } from '../command-ids';
import { describeError, EndpointError } from '../endpoint/errors';
import { UnknownOutcomeError } from '../endpoint/idempotency';
import { outcomeOf, type DocumentOutcome, type UnmatchedAnswer } from '../endpoint/xero-v2';
import type { XeroDocumentJson } from '../endpoint/xero-json';
import { toServerResult, type Refusal } from '../outcomes';
import { PendingWrites, type PendingItem, type PendingWrite } from '../pending-writes';
import type { Services } from '../services';
import { invoiceName, type InvoiceTargets } from '../targets';
import { showError, showInfo, showWarning, withProgress } from '../ui';
import { showAnswerBeside, writeBack } from '../write-back';

export const RETRY_BUTTON = 'Retry the same request';

export function pendingWrites(s: Services): PendingWrites {
  return new PendingWrites(s.context.globalState);
}

/** Keeps a write whose outcome is unknown, so it can be retried (same bytes, same key), even after a reload. */
export async function rememberUnknown(
  s: Services,
  t: Pick<InvoiceTargets, 'document' | 'version' | 'invoices'>,
  e: UnknownOutcomeError,
  verb: string,
  indexes: number[],
  shape: PendingWrite['shape'],
): Promise<PendingWrite> {
  const invs = t.invoices.filter((i) => indexes.includes(i.index));
  const items: PendingItem[] = invs.map((i) => ({ index: i.index, name: invoiceName(i), invoiceId: i.invoiceId, invoiceNumber: i.invoiceNumber }));
  const names = items.slice(0, 3).map((i) => i.name).join(', ') + (items.length > 3 ? ` and ${items.length - 3} more` : '');
  const single = invs.length === 1 ? invs[0] : undefined;
  const isCreate = e.write.method === 'PUT' || (shape === 'batch' && !!single && !single.invoiceId && single.purpose === 'create');
  return pendingWrites(s).add({
    write: e.write,
    label: `${verb} ${names} (${vscode.workspace.asRelativePath(t.document.uri)})`,
    documentUri: t.document.uri.toString(),
    documentVersion: t.version,
    kind: single?.kind ?? invs[0]?.kind ?? 'invoice',
    shape,
    items,
    ...(isCreate && single?.invoiceNumber ? { lookupNumber: single.invoiceNumber } : {}),
  });
}

/** The message after an unknown outcome, with the retry. Not awaited: a notification left open holds nothing. */
export function offerRetry(p: PendingWrite, e: EndpointError): void {
  const text = `${p.label}: the outcome is unknown (${describeError(e)}). The endpoint may or may not have carried it out. "${RETRY_BUTTON}" sends the same request with the same Idempotency-Key, so it cannot be carried out twice; a new command would be a new request.`;
  vscode.window.showWarningMessage(text, RETRY_BUTTON, 'Show log').then((pick) => {
    if (pick === RETRY_BUTTON) vscode.commands.executeCommand(ClientCommands.retryUnanswered, p.write.idempotencyKey).then(undefined, () => undefined);
    else if (pick === 'Show log') vscode.commands.executeCommand(ClientCommands.showLog).then(undefined, () => undefined);
  }, () => undefined);
}

export interface RetryResult {
  /** answered: the endpoint answered (success or refusal); unknown: still no answer, the write is kept. */
  state: 'answered' | 'unknown';
  outcomes: { index: number; name: string; ok: boolean; invoiceId?: string; invoiceNumber?: string; status?: string; errors: string[] }[];
  /** The invoice was found by its number: the first request had created it, nothing was resent. */
  foundByNumber?: boolean;
  unmatched?: string;
  writeBack?: 'applied' | 'nothing' | 'stale';
  error?: string;
}

async function documentAt(uri: string): Promise<vscode.TextDocument> {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri) ?? vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
}

async function settle(s: Services, p: PendingWrite, signal: AbortSignal): Promise<RetryResult> {
  const document = await documentAt(p.documentUri);
  const api = (await s.connections.open(document.uri)).v2();
  if (!api.owns(p.write.url)) {
    throw new EndpointError('refused', `The endpoint changed since this request was made (it was for ${new URL(p.write.url).origin}): it is not sent to another one. Point the workspace back at that endpoint to retry it.`);
  }
  const outcomes = new Map<number, DocumentOutcome>();
  let foundByNumber = false;
  let unmatched: UnmatchedAnswer | undefined;
  if (p.lookupNumber) {
    try {
      const doc = await api.get(p.kind, p.lookupNumber, signal);
      outcomes.set(p.items[0].index, outcomeOf(doc, p.kind));
      foundByNumber = true;
    } catch (e) {
      if (!(e instanceof EndpointError && e.kind === 'notFound')) throw e;
    }
  }
  if (!foundByNumber) {
    const res = await api.replay(p.write, signal);
    if (p.shape === 'batch') {
      const read = api.readBatch(
        p.kind,
        p.items.map((i) => ({ key: i.index, elementXml: '', invoiceId: i.invoiceId ?? null, invoiceNumber: i.invoiceNumber ?? null })),
        res.json<Record<string, unknown>>(),
      );
      if ('unmatched' in read) unmatched = read.unmatched;
      else for (const [k, v] of read.outcomes) outcomes.set(k, v);
    } else if (p.shape === 'update') {
      const docs = res.json<Record<string, XeroDocumentJson[] | undefined>>()[p.kind === 'invoice' ? 'Invoices' : 'CreditNotes'] ?? [];
      outcomes.set(p.items[0].index, outcomeOf(docs[0], p.kind));
    } else {
      // 204: the email went (again, or the first time); the endpoint marks an emailed invoice sent.
      outcomes.set(p.items[0].index, { ok: true, sentToContact: true, errors: [], warnings: [] });
    }
  }
  await pendingWrites(s).remove(p.write.idempotencyKey);
  const names = new Map(p.items.map((i) => [i.index, i.name]));
  const out: RetryResult = {
    state: 'answered',
    outcomes: p.items
      .filter((i) => outcomes.has(i.index))
      .map((i) => {
        const o = outcomes.get(i.index)!;
        return { index: i.index, name: i.name, ok: o.ok, errors: o.errors, ...(o.id ? { invoiceId: o.id } : {}), ...(o.number ? { invoiceNumber: o.number } : {}), ...(o.status ? { status: o.status } : {}) };
      }),
    ...(foundByNumber ? { foundByNumber } : {}),
  };
  if (unmatched) {
    out.unmatched = unmatched.reason;
    showAnswerBeside(document, `The answer could not be matched to the invoices sent (${unmatched.reason}); nothing was written into the document.`, unmatched.answer).catch(() => undefined);
    return out;
  }
  const results: ServerInvoiceResult[] = [...outcomes].map(([index, o]) => toServerResult(index, o));
  out.writeBack = await writeBack(s.lc, document, p.documentVersion, results, names);
  return out;
}

/** Sends an unanswered write again (same bytes, same key) and writes the answer back; returns what happened. */
export async function retryWrite(s: Services, p: PendingWrite): Promise<RetryResult> {
  try {
    return await withProgress(`Retrying: ${p.label}`, (prog) => settle(s, p, prog.signal));
  } catch (e) {
    if (e instanceof UnknownOutcomeError) {
      offerRetry(p, e);
      return { state: 'unknown', outcomes: [], error: describeError(e) };
    }
    if (e instanceof EndpointError && (e.kind === 'validation' || e.kind === 'notFound')) {
      // An answer, if a refusal: the write is settled.
      await pendingWrites(s).remove(p.write.idempotencyKey);
      showError(e, `${p.label} was refused`);
      return { state: 'answered', outcomes: [], error: describeError(e) };
    }
    showError(e, 'Retry failed');
    return { state: 'unknown', outcomes: [], error: describeError(e) };
  }
}

function report(p: PendingWrite, r: RetryResult): void {
  if (r.state !== 'answered' || r.error) return;
  const ok = r.outcomes.filter((o) => o.ok);
  const bad = r.outcomes.filter((o) => !o.ok);
  const how = r.foundByNumber ? ' (found at the endpoint: the first request had been carried out, nothing was sent again)' : '';
  const parts = [ok.length ? `${p.label}: done${how}: ${ok.map((o) => `${o.invoiceNumber ?? o.name}${o.status ? ` (${o.status})` : ''}`).join(', ')}.` : ''];
  for (const b of bad) parts.push(`${b.name}: ${b.errors.join('; ')}`);
  if (r.unmatched) parts.push('The answer did not match the invoices sent; it is shown beside the document.');
  if (r.writeBack === 'stale') parts.push('The document changed meanwhile, so nothing was written into it.');
  const text = parts.filter(Boolean).join(' ');
  if (bad.length || r.unmatched) showWarning(text);
  else showInfo(text);
}

/** `xeroInvoice.retryUnanswered [key]`: retries one unanswered write (the given one, or one the user picks). */
export async function retryUnansweredCommand(s: Services, args: unknown[]): Promise<RetryResult | Refusal | undefined> {
  const store = pendingWrites(s);
  const open = await store.list();
  let p = typeof args[0] === 'string' ? store.get(args[0]) : undefined;
  if (typeof args[0] === 'string' && !p) {
    const refused = 'That request is no longer waiting for a retry: it was answered, or it is older than 12 hours.';
    showWarning(refused);
    return { refused };
  }
  if (!p) {
    if (open.length === 0) {
      const refused = 'No request is waiting for a retry: every write was answered.';
      showInfo(refused);
      return { refused };
    }
    const picked = await vscode.window.showQuickPick(
      open.map((x) => ({ label: x.label, description: new Date(x.createdAt).toLocaleString(), p: x })),
      { title: 'Requests whose outcome is unknown', placeHolder: 'Retry one (the same request, with the same Idempotency-Key)' },
    );
    if (!picked) return undefined;
    p = picked.p;
  }
  const r = await retryWrite(s, p);
  report(p, r);
  return r;
}
