import * as vscode from 'vscode';
import type { InvoiceInfo, ServerInvoiceResult } from '../../../shared/src/protocol';
import { describeError, EndpointError } from '../endpoint/errors';
import { type DocumentKind, type DocumentOutcome, type SendItem, type XeroV2Client } from '../endpoint/xero-v2';
import { namesOf, plural, toServerResult, type CommandResult, type InvoiceOutcome } from '../outcomes';
import type { Services } from '../services';
import { invoiceName, resolveTargets, type InvoiceTargets } from '../targets';
import { showError, withProgress, type ProgressReporter } from '../ui';
import { writeBack } from '../write-back';
import { requireFamily } from './family';
import { reportSend } from './report';
import { sendLegacy } from './send-legacy';

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

/** What one send run produced, before anything is written back. */
export interface SendRun {
  outcomes: Map<number, DocumentOutcome>;
  notSent: number[];
  cancelled: boolean;
  stoppedBy?: EndpointError;
}

/** Sends invoices (Xero 2.0) in batches, grouped by kind and method; no write-back. */
export async function sendInvoices(api: XeroV2Client, invoices: InvoiceInfo[], p: ProgressReporter): Promise<SendRun> {
  const groups = new Map<string, { kind: DocumentKind; method: 'PUT' | 'POST'; items: SendItem[] }>();
  for (const inv of invoices) {
    const method = methodFor(inv);
    const key = `${inv.kind}/${method}`;
    if (!groups.has(key)) groups.set(key, { kind: inv.kind, method, items: [] });
    groups.get(key)!.items.push({ key: inv.index, elementXml: inv.elementXml });
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
  }
  return run;
}

/** A finished run as the command's result, after the answers were handed to the server and written back. */
export async function finishRun(
  s: Services,
  t: InvoiceTargets,
  outcomes: Map<number, DocumentOutcome>,
  extra: { notSent?: number; cancelled?: boolean; steps?: Map<number, string[]>; stoppedBy?: EndpointError } = {},
): Promise<CommandResult> {
  const results: ServerInvoiceResult[] = [...outcomes].map(([index, o]) => toServerResult(index, o));
  const wb = await writeBack(s.lc, t.document, t.version, results, namesOf(t.invoices));
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
  };
}

/** Sends the targets and writes the answers back. */
export async function sendTargets(s: Services, t: InvoiceTargets, p: ProgressReporter): Promise<CommandResult> {
  const endpoint = await s.connections.open(t.document.uri, { onWait: (w) => p.waiting(w) });
  const run = await sendInvoices(endpoint.v2(), t.invoices, p);
  if (run.stoppedBy && run.outcomes.size === 0) throw run.stoppedBy;
  return finishRun(s, t, run.outcomes, { notSent: run.notSent.length, cancelled: run.cancelled, stoppedBy: run.stoppedBy });
}

export async function sendCommand(s: Services, args: unknown[]): Promise<CommandResult | undefined> {
  try {
    const t = await resolveTargets(s.lc, args, 'Send');
    if (!t) return undefined;
    if (t.dialect === 'xero-1.0') return await sendLegacy(s, t);
    requireFamily(s, t, '2.0', 'Sending');
    const invoices = await confirmErrors(t.invoices, 'Send');
    if (!invoices?.length) return undefined;
    const targets = { ...t, invoices };
    const r = await withProgress(`Sending ${plural(invoices.length, 'invoice')} to Xero`, (p) => sendTargets(s, targets, p));
    reportSend('Sent', r);
    return r;
  } catch (e) {
    showError(e, 'Send failed');
    return undefined;
  }
}
