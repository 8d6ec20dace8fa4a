import * as vscode from 'vscode';
import type { InvoiceInfo, ServerInvoiceResult } from '../../../shared/src/protocol';
import { describeError, EndpointError } from '../endpoint/errors';
import { UnknownOutcomeError, type WireWrite } from '../endpoint/idempotency';
import { type DocumentKind, type DocumentOutcome, type SendItem, type SendResult, type UnmatchedAnswer, type XeroV2Client } from '../endpoint/xero-v2';
import { namesOf, plural, refusalOf, toServerResult, type CommandResult, type InvoiceOutcome, type Refusal } from '../outcomes';
import type { Services } from '../services';
import { invoiceName, resolveTargets, type InvoiceTargets } from '../targets';
import { showError, withProgress, type ProgressReporter } from '../ui';
import { showAnswerBeside, writeBack } from '../write-back';
import { requireFamily } from './family';
import { reportSend } from './report';
import { offerRetry, rememberUnknown } from './retry';
import { sendLegacy } from './send-legacy';
import { checkDestructive, confirmDestructive } from './void-delete';
import { destructiveEffect } from '../../../shared/src/status';

/** Asks before sending invoices the engine already knows the API will reject; returns those to send. */
export async function confirmErrors(invoices: InvoiceInfo[], verb: string): Promise<InvoiceInfo[] | undefined> {
  const bad = invoices.filter((i) => i.errors > 0);
  if (bad.length === 0) return invoices;
  const names = bad.slice(0, 5).map(invoiceName).join(', ') + (bad.length > 5 ? '…' : '');
  const all = `${verb} anyway`;
  const good = `${verb} only the ${invoices.length - bad.length} without problems`;
  const buttons = bad.length < invoices.length ? [all, good] : [all];
  const pick = await vscode.window.showWarningMessage(
    `${plural(bad.length, 'invoice')} (${names}) ${bad.length === 1 ? 'has' : 'have'} problems the API will reject. ${verb} anyway?`,
    { modal: true },
    ...buttons,
  );
  if (pick === all) return invoices;
  if (pick === good) return invoices.filter((i) => i.errors === 0);
  return undefined;
}

/** PUT creates; POST updates (an InvoiceID) or changes the status of an invoice named by its number. */
function methodFor(inv: InvoiceInfo): 'PUT' | 'POST' {
  return inv.invoiceId || inv.purpose !== 'create' ? 'POST' : 'PUT';
}

function outcomeFor(inv: InvoiceInfo, o: DocumentOutcome | undefined): InvoiceOutcome {
  const out: InvoiceOutcome = { index: inv.index, name: invoiceName(inv), ok: !!o?.ok, errors: o?.errors ?? ['Not sent.'] };
  if (o?.id) out.invoiceId = o.id;
  if (o?.number) out.invoiceNumber = o.number;
  if (o?.status) out.status = o.status;
  return out;
}

/** What one send run produced, before anything is written back: the endpoint's result, keyed by invoice index. */
export type SendRun = SendResult;

/** Sends invoices (Xero 2.0) in batches, grouped by kind and method; no write-back. */
export async function sendInvoices(api: XeroV2Client, invoices: InvoiceInfo[], p: ProgressReporter): Promise<SendRun> {
  const groups = new Map<string, { kind: DocumentKind; method: 'PUT' | 'POST'; items: SendItem[] }>();
  for (const inv of invoices) {
    const method = methodFor(inv);
    const key = `${inv.kind}/${method}`;
    if (!groups.has(key)) groups.set(key, { kind: inv.kind, method, items: [] });
    groups.get(key)!.items.push({ key: inv.index, elementXml: inv.elementXml, invoiceId: inv.invoiceId, invoiceNumber: inv.invoiceNumber });
  }
  const run: SendRun = { outcomes: new Map(), notSent: [], cancelled: false };
  for (const g of groups.values()) {
    if (run.cancelled || run.stoppedBy) {
      run.notSent.push(...g.items.map((i) => i.key));
      continue;
    }
    const r = await api.send(g.kind, g.method, g.items, {
      signal: p.signal,
      onProgress: (x) => p.step(x.batches > 1 ? `batch ${x.batch} of ${x.batches} (${x.done} of ${x.total} done)` : `${plural(x.total, g.kind === 'invoice' ? 'invoice' : 'credit note')}…`),
    });
    for (const [k, v] of r.outcomes) run.outcomes.set(k, v);
    run.notSent.push(...r.notSent);
    run.cancelled ||= r.cancelled;
    run.stoppedBy ??= r.stoppedBy;
    if (r.unknown) run.unknown ??= r.unknown;
    if (r.unmatched) (run.unmatched ??= []).push(...r.unmatched);
  }
  return run;
}

/** A finished run as the command's result, after the answers were handed to the server and written back. */
export async function finishRun(
  s: Services,
  t: InvoiceTargets,
  outcomes: Map<number, DocumentOutcome>,
  extra: { notSent?: number; cancelled?: boolean; steps?: Map<number, string[]>; stoppedBy?: EndpointError; unknown?: { write: WireWrite; keys: number[]; shape?: 'batch' | 'update' }; unmatched?: UnmatchedAnswer[]; verb?: string } = {},
): Promise<CommandResult> {
  let unanswered: string | undefined;
  if (extra.unknown && extra.stoppedBy instanceof UnknownOutcomeError) {
    const p = await rememberUnknown(s, t, extra.stoppedBy, extra.verb ?? 'Send', extra.unknown.keys, extra.unknown.shape ?? 'batch');
    unanswered = p.write.idempotencyKey;
    offerRetry(p, extra.stoppedBy);
  }
  let wb: CommandResult['writeBack'];
  let unmatched: string | undefined;
  if (extra.unmatched?.length) {
    // Answers that cannot be told apart by invoice are never written into the document.
    unmatched = extra.unmatched.map((u) => u.reason).join('; ');
    const answer = extra.unmatched.length === 1 ? extra.unmatched[0].answer : `[\n${extra.unmatched.map((u) => u.answer).join(',\n')}\n]`;
    showAnswerBeside(t.document, `The endpoint's answer could not be matched to the invoices sent (${unmatched}); nothing was written into the document. The answer is shown beside it.`, answer).catch(() => undefined);
    wb = 'nothing';
  } else {
    const results: ServerInvoiceResult[] = [...outcomes].map(([index, o]) => toServerResult(index, o));
    wb = await writeBack(s.lc, t.document, t.version, results, namesOf(t.invoices));
  }
  return {
    outcomes: t.invoices
      .filter((i) => outcomes.has(i.index))
      .map((i) => {
        const o = outcomeFor(i, outcomes.get(i.index));
        const steps = extra.steps?.get(i.index);
        return steps ? { ...o, steps } : o;
      }),
    notSent: extra.notSent ?? 0,
    cancelled: extra.cancelled ?? false,
    writeBack: wb,
    ...(extra.stoppedBy ? { stoppedBy: describeError(extra.stoppedBy) } : {}),
    ...(unanswered ? { unanswered } : {}),
    ...(unmatched ? { unmatched } : {}),
  };
}

/** Sends the targets and writes the answers back. */
export async function sendTargets(s: Services, t: InvoiceTargets, p: ProgressReporter): Promise<CommandResult> {
  const endpoint = await s.connections.open(t.document.uri, { onWait: (w) => p.waiting(w) });
  const run = await sendInvoices(endpoint.v2(), t.invoices, p);
  if (run.stoppedBy && run.outcomes.size === 0 && !run.unknown && !run.unmatched) throw run.stoppedBy;
  return finishRun(s, t, run.outcomes, { notSent: run.notSent.length, cancelled: run.cancelled, stoppedBy: run.stoppedBy, unknown: run.unknown, unmatched: run.unmatched });
}

/** What sending this invoice does that cannot be undone: a status change (or update) to VOIDED or DELETED. */
function effectOf(inv: InvoiceInfo): 'void' | 'delete' | undefined {
  if (!inv.invoiceId && inv.purpose === 'create') return undefined;
  return destructiveEffect(inv.status);
}

/**
 * A Send whose effect is to void or delete goes through the same check and confirmation as Void and Delete,
 * naming each invoice and its total (`xeroInvoice.confirmDestructive`, user settings only). False: cancelled.
 */
async function confirmEffects(s: Services, t: InvoiceTargets, invoices: InvoiceInfo[]): Promise<boolean> {
  for (const action of ['void', 'delete'] as const) {
    const these = invoices.filter((i) => effectOf(i) === action);
    if (these.length === 0) continue;
    const endpoint = await s.connections.open(t.document.uri);
    const checked = await withProgress(`Checking ${plural(these.length, 'invoice')} before sending`, (p) => checkDestructive(endpoint.v2(), action, these, p));
    const via = `Sending ${these.length === 1 ? 'this status change' : 'these status changes'} ${action === 'void' ? 'voids' : 'deletes'} ${these.length === 1 ? 'the invoice' : 'the invoices'}.`;
    if (endpoint.settings.confirmDestructive && !(await confirmDestructive(action, checked, via))) return false;
  }
  return true;
}

export async function sendCommand(s: Services, args: unknown[]): Promise<CommandResult | Refusal | undefined> {
  try {
    const t = await resolveTargets(s.lc, args, 'Send');
    if (!t) return undefined;
    if (t.dialect === 'xero-1.0') return await sendLegacy(s, t);
    requireFamily(s, t, '2.0', 'Sending');
    const invoices = await confirmErrors(t.invoices, 'Send');
    if (!invoices?.length) return undefined;
    if (!(await confirmEffects(s, t, invoices))) return undefined;
    const targets = { ...t, invoices };
    const r = await withProgress(`Sending ${plural(invoices.length, 'invoice')} to Xero`, (p) => sendTargets(s, targets, p));
    reportSend('Sent', r);
    return r;
  } catch (e) {
    showError(e, 'Send failed');
    return refusalOf(e);
  }
}
