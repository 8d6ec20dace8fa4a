import * as vscode from 'vscode';
import type { InvoiceInfo } from '../../../shared/src/protocol';
import { describeError, EndpointError } from '../endpoint/errors';
import type { DocumentOutcome } from '../endpoint/xero-v2';
import { plural, refusalOf, type CommandResult, type Refusal } from '../outcomes';
import type { Services } from '../services';
import { invoiceName, resolveTargets, type InvoiceTargets } from '../targets';
import { showError, showInfo, showWarning, withProgress, type ProgressReporter } from '../ui';
import { emailProblemsInDocument } from '../preconditions';
import { cantEmail, emailOne, emailProblemsBeforeApproval } from './email';
import { ClientCommands } from '../command-ids';
import { allows } from '../../../shared/src/status';
import type { WireWrite } from '../endpoint/idempotency';
import { requireV2 } from './family';
import { eachInvoice } from './each';
import { idOf } from './lookup';
import { confirmErrors, finishRun, sendInvoices } from './send';


/**
 * Invoices not sent yet are sent with Status AUTHORISED: the server writes that status into the document
 * (one undoable edit, its own), the client re-reads the request XML and sends it — the client never edits XML
 * itself. Returns the targets as they are now.
 */
async function setStatusInDocument(s: Services, t: InvoiceTargets, invoices: InvoiceInfo[]): Promise<InvoiceTargets> {
  if (invoices.length === 0) return t;
  const { result, edits } = await s.lc.applyServerResults(
    t.document.uri,
    t.version,
    invoices.map((i) => ({ index: i.index, status: 'AUTHORISED' })),
  );
  if (!result.applicable || t.document.version !== t.version) throw new EndpointError('refused', 'The document changed while preparing the approval; nothing was sent. Try again.');
  if (edits.length) {
    const edit = new vscode.WorkspaceEdit();
    edit.set(t.document.uri, edits);
    if (!(await vscode.workspace.applyEdit(edit))) throw new EndpointError('refused', 'The document changed while preparing the approval; nothing was sent. Try again.');
  }
  const all = await s.lc.allInvoices(t.document.uri);
  const again = t.invoices.map((i) => all.invoices[i.index]);
  if (again.some((i) => !i)) throw new EndpointError('refused', 'The document changed while preparing the approval; nothing was sent. Try again.');
  return { ...t, version: all.version, invoices: again };
}

export interface ApproveRun {
  targets: InvoiceTargets;
  outcomes: Map<number, DocumentOutcome>;
  notSent: number;
  cancelled: boolean;
  stoppedBy?: EndpointError;
  unknown?: { write: WireWrite; keys: number[]; shape: 'batch' | 'update' };
}

/** Approves: a status change for invoices the endpoint has, a send with Status AUTHORISED for the others. */
export async function approveTargets(s: Services, t0: InvoiceTargets, p: ProgressReporter): Promise<ApproveRun> {
  // Re-approving an approved invoice is allowed (it keeps it editable, Xero-Net#339); PAID, VOIDED, DELETED are not.
  const refused = t0.invoices.find((i) => i.status && i.status !== 'AUTHORISED' && !allows(i.status, 'approve'));
  if (refused) throw new EndpointError('refused', `${invoiceName(refused)} can't be approved: it is ${refused.status}.`);
  const api = (await s.connections.open(t0.document.uri, { onWait: (w) => p.waiting(w) })).v2();
  const isNew = (i: InvoiceInfo) => !i.invoiceId && i.purpose === 'create';
  const t = await setStatusInDocument(s, t0, t0.invoices.filter((i) => isNew(i) && i.status !== 'AUTHORISED'));
  const existing = await eachInvoice(t.invoices.filter((i) => !isNew(i)), p, 'approving', async (inv) =>
    api.changeStatus(inv.kind, await idOf(api, inv, 'approved', p.signal), 'AUTHORISED', p.signal),
  );
  const outcomes = existing.outcomes;
  let notSent = existing.notSent;
  const fresh = t.invoices.filter(isNew);
  let stoppedBy = existing.stoppedBy;
  let unknown: ApproveRun['unknown'] = existing.unknown;
  if (fresh.length) {
    if (p.signal.aborted || stoppedBy) notSent += fresh.length;
    else {
      const run = await sendInvoices(api, fresh, p);
      for (const [k, v] of run.outcomes) outcomes.set(k, v);
      notSent += run.notSent.length;
      stoppedBy = run.stoppedBy;
      if (run.unknown) unknown = { ...run.unknown, shape: 'batch' };
      if (stoppedBy && outcomes.size === 0 && !unknown) throw stoppedBy;
    }
  }
  return { targets: t, outcomes, notSent, cancelled: p.signal.aborted, ...(stoppedBy ? { stoppedBy } : {}), ...(unknown ? { unknown } : {}) };
}

function report(verb: string, r: CommandResult): void {
  const lines = r.outcomes.map((o) => {
    if (o.steps) return `${o.invoiceNumber ?? o.name}: ${o.steps.join(' · ')}`;
    return o.ok ? `${o.invoiceNumber ?? o.name}: ${verb.toLowerCase()} ✓` : `${o.name}: not ${verb.toLowerCase()}: ${o.errors.join('; ')}`;
  });
  if (r.notSent) lines.push(`${plural(r.notSent, 'invoice')} not processed${r.cancelled ? ' (cancelled)' : ''}.`);
  if (r.stoppedBy) lines.push(`Stopped: ${r.stoppedBy}`);
  if (r.writeBack === 'stale') lines.push('The document changed meanwhile, so nothing was written into it.');
  const text = lines.join(' — ');
  const problem = r.outcomes.some((o) => !o.ok || o.steps?.some((x) => x.includes('✗'))) || r.notSent > 0;
  if (problem) showWarning(text);
  else showInfo(text);
}

/** An approved invoice whose email failed: said plainly, with "Email again". Not awaited. */
function offerEmailAgain(uri: string, unsent: CommandResult['outcomes']): void {
  const names = unsent.map((o) => o.invoiceNumber ?? o.name).join(', ');
  const why = unsent.map((o) => o.steps?.find((x) => x.startsWith('email ✗'))?.replace(/^email ✗ \((.*)\)$/, '$1')).filter(Boolean).join('; ');
  const again = 'Email again';
  vscode.window
    .showWarningMessage(`${names} ${unsent.length === 1 ? 'is' : 'are'} approved but NOT sent: the email failed (${why}).`, again)
    .then((pick) => {
      if (pick !== again) return;
      for (const o of unsent) vscode.commands.executeCommand(ClientCommands.email, uri, o.index).then(undefined, () => undefined);
    }, () => undefined);
}

/** The invoices an approval acts on: chosen, on the 2.0 API, and past the user's confirmation of any errors. */
async function approvalTargets(s: Services, args: unknown[], title: string, doing: string) {
  const t = await resolveTargets(s.lc, args, title);
  if (!t) return undefined;
  requireV2(s, t, doing);
  const invoices = await confirmErrors(t.invoices, 'Approve');
  return invoices?.length ? { ...t, invoices } : undefined;
}

export async function approveCommand(s: Services, args: unknown[]): Promise<CommandResult | Refusal | undefined> {
  try {
    const t = await approvalTargets(s, args, 'Approve', 'Approving');
    if (!t) return undefined;
    const r = await withProgress(`Approving ${plural(t.invoices.length, 'invoice')}`, async (p) => {
      const run = await approveTargets(s, t, p);
      return finishRun(s, run.targets, run.outcomes, { notSent: run.notSent, cancelled: run.cancelled, stoppedBy: run.stoppedBy, unknown: run.unknown, verb: 'Approve' });
    });
    report('Approved', r);
    return r;
  } catch (e) {
    showError(e, 'Approve failed');
    return refusalOf(e);
  }
}

/** One action: approve, then email; the notification reports each step of each invoice. */
export async function approveAndEmailCommand(s: Services, args: unknown[]): Promise<CommandResult | Refusal | undefined> {
  try {
    const t = await approvalTargets(s, args, 'Approve & email', 'Approving and emailing');
    if (!t) return undefined;
    // What approval cannot fix is refused before anything changes: in the document, then at the endpoint
    // (the invoice's type there, and its contact's email address).
    for (const inv of t.invoices) {
      const blocking = emailProblemsInDocument({ ...inv, status: 'AUTHORISED', invoiceId: inv.invoiceId ?? 'pending' });
      if (blocking.length) throw cantEmail(invoiceName(inv), blocking);
    }
    await withProgress(`Checking ${plural(t.invoices.length, 'invoice')} before approving`, async (p) => {
      const api = (await s.connections.open(t.document.uri, { onWait: (w) => p.waiting(w) })).v2();
      for (const inv of t.invoices) {
        p.step(invoiceName(inv));
        const problems = await emailProblemsBeforeApproval(api, inv, p.signal);
        if (problems.length) throw new EndpointError('refused', `${invoiceName(inv)} was not approved: it could not be emailed afterwards, because ${problems.join('; ')}.`);
      }
    });
    const r = await withProgress(`Approving and emailing ${plural(t.invoices.length, 'invoice')}`, async (p) => {
      const run = await approveTargets(s, t, p);
      // The approval is written back before emailing, so typing during the emails cannot lose it.
      const result = await finishRun(s, run.targets, run.outcomes, { notSent: run.notSent, cancelled: run.cancelled, stoppedBy: run.stoppedBy, unknown: run.unknown, verb: 'Approve' });
      const api = (await s.connections.open(t.document.uri, { onWait: (w) => p.waiting(w) })).v2();
      for (const o of result.outcomes) {
        const inv = run.targets.invoices.find((i) => i.index === o.index)!;
        if (!o.ok) {
          o.steps = [`approval ✗ (${o.errors.join('; ')})`, 'not emailed'];
          continue;
        }
        if (p.signal.aborted) {
          o.steps = ['approved ✓', 'not emailed (cancelled)'];
          continue;
        }
        p.step(`emailing ${o.invoiceNumber ?? o.name}`);
        try {
          const to = await emailOne(api, inv, { id: o.invoiceId! }, p.signal);
          o.steps = ['approved ✓', `emailed to ${to} ✓`];
        } catch (e) {
          o.steps = ['approved ✓', `email ✗ (${describeError(e)})`];
        }
      }
      return result;
    });
    report('Approved', r);
    const unsent = r.outcomes.filter((o) => o.ok && o.steps?.some((x) => x.startsWith('email ✗')));
    if (unsent.length) offerEmailAgain(t.document.uri.toString(), unsent);
    return r;
  } catch (e) {
    showError(e, 'Approve & email failed');
    return refusalOf(e);
  }
}
