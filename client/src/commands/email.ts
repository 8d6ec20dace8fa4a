import type * as vscode from 'vscode';
import type { InvoiceInfo } from '../../../shared/src/protocol';
import { describeError, EndpointError } from '../endpoint/errors';
import type { XeroV2Client } from '../endpoint/xero-v2';
import { plural, type CommandResult } from '../outcomes';
import type { Services } from '../services';
import { invoiceName, resolveTargets } from '../targets';
import { showError, showInfo, showWarning, withProgress, type ProgressReporter } from '../ui';
import { emailProblemsAtEndpoint, emailProblemsInDocument, emailRecipients, statusProblem } from '../preconditions';
import { eachInvoice } from './each';
import { requireV2 } from './family';
import { currentState } from './lookup';
import { finishRun } from './send';

export function cantEmail(name: string, problems: string[]): EndpointError {
  return new EndpointError('refused', `${name} can't be emailed: ${problems.join('; ')}.`);
}

/** Checks the endpoint's state (and the contact's addresses), then emails; returns who it went to. Throws with every reason it can't. */
export async function emailOne(api: XeroV2Client, inv: InvoiceInfo, known: { id?: string }, signal: AbortSignal): Promise<string> {
  const name = invoiceName(inv);
  const { id, state } = await currentState(api, known.id ? { ...inv, invoiceId: known.id } : inv, 'emailed', signal);
  const embedded = state.Contact;
  const contact = embedded && !('EmailAddress' in embedded) && embedded.ContactID ? await api.contact(embedded.ContactID, signal) : embedded;
  const problems = emailProblemsAtEndpoint(state, contact);
  if (problems.length) throw cantEmail(name, problems);
  await api.email(id, signal);
  const to = emailRecipients(contact);
  return `${contact?.Name ?? 'the contact'}${to.length ? ` <${to.join(', ')}>` : ''}`;
}

async function emailTargets(s: Services, invoices: InvoiceInfo[], uri: vscode.Uri, p: ProgressReporter) {
  const endpoint = await s.connections.open(uri, { onWait: (w) => p.waiting(w) });
  const api = endpoint.v2();
  const sent: string[] = [];
  const failed: string[] = [];
  let notSent = 0;
  for (const inv of invoices) {
    if (p.signal.aborted) {
      notSent++;
      continue;
    }
    p.step(invoiceName(inv));
    try {
      const to = await emailOne(api, inv, {}, p.signal);
      sent.push(`${invoiceName(inv)} to ${to}`);
    } catch (e) {
      if (e instanceof EndpointError && e.kind === 'cancelled') {
        notSent++;
        continue;
      }
      if (e instanceof EndpointError && (e.kind === 'auth' || e.kind === 'network' || e.kind === 'refused') && invoices.length === 1) throw e;
      failed.push(`${invoiceName(inv)}: ${describeError(e)}`);
    }
  }
  return { sent, failed, notSent };
}

export async function emailCommand(s: Services, args: unknown[]): Promise<{ sent: string[]; failed: string[] } | undefined> {
  try {
    const t = await resolveTargets(s.lc, args, 'Email to contact');
    if (!t) return undefined;
    requireV2(s, t, 'Emailing');
    // Refuse locally first, naming everything that is missing.
    const blocked = t.invoices.map((i) => ({ i, problems: emailProblemsInDocument(i) })).filter((x) => x.problems.length);
    if (blocked.length === t.invoices.length) throw cantEmail(invoiceName(blocked[0].i), blocked[0].problems);
    const ready = t.invoices.filter((i) => !blocked.some((b) => b.i === i));
    const r = await withProgress(`Emailing ${plural(ready.length, 'invoice')}`, (p) => emailTargets(s, ready, t.document.uri, p));
    const skipped = blocked.map((b) => `${invoiceName(b.i)}: ${b.problems.join('; ')}`);
    const failed = [...skipped, ...r.failed];
    const text = [r.sent.length ? `Emailed ${r.sent.join(', ')}.` : '', failed.length ? `Not emailed: ${failed.join(' · ')}` : '', r.notSent ? `Cancelled: ${plural(r.notSent, 'invoice')} not emailed.` : '']
      .filter(Boolean)
      .join(' ');
    if (failed.length || r.notSent) showWarning(text);
    else showInfo(text);
    return { sent: r.sent, failed };
  } catch (e) {
    showError(e, 'Email failed');
    return undefined;
  }
}

/** Mark as sent: SentToContact true, for approved sales invoices (what you do after sending the PDF yourself). */
export async function markAsSentCommand(s: Services, args: unknown[]): Promise<CommandResult | undefined> {
  try {
    const t = await resolveTargets(s.lc, args, 'Mark as sent');
    if (!t) return undefined;
    requireV2(s, t, 'Marking as sent');
    for (const inv of t.invoices) {
      const problems: string[] = [];
      if (inv.kind !== 'invoice') problems.push('credit notes cannot be marked as sent through the API');
      const st = statusProblem(inv.status);
      if (st) problems.push(st);
      if (!inv.invoiceId && !inv.invoiceNumber) problems.push('it has no InvoiceID yet: send it first');
      if (problems.length) throw new EndpointError('refused', `${invoiceName(inv)} can't be marked as sent: ${problems.join('; ')}.`);
    }
    const r = await withProgress(`Marking ${plural(t.invoices.length, 'invoice')} as sent`, async (p) => {
      const api = (await s.connections.open(t.document.uri, { onWait: (w) => p.waiting(w) })).v2();
      const run = await eachInvoice(t.invoices, p, 'marking', async (inv) => api.markAsSent(inv.invoiceId ?? (await currentState(api, inv, 'marked as sent', p.signal)).id, p.signal));
      return finishRun(s, t, run.outcomes, { notSent: run.notSent, cancelled: run.cancelled, stoppedBy: run.stoppedBy });
    });
    const ok = r.outcomes.filter((o) => o.ok).map((o) => o.name);
    const bad = r.outcomes.filter((o) => !o.ok);
    const text = [ok.length ? `Marked as sent: ${ok.join(', ')}.` : '', ...bad.map((b) => `${b.name} was not marked: ${b.errors.join('; ')}`), r.stoppedBy ? `Stopped: ${r.stoppedBy}` : '']
      .filter(Boolean)
      .join(' ');
    if (bad.length || r.notSent) showWarning(text);
    else showInfo(text);
    return r;
  } catch (e) {
    showError(e, 'Mark as sent failed');
    return undefined;
  }
}
