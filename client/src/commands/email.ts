import type { InvoiceInfo } from '../../../shared/src/protocol';
import { describeError, EndpointError } from '../endpoint/errors';
import { UnknownOutcomeError } from '../endpoint/idempotency';
import type { XeroContactJson } from '../endpoint/xero-json';
import type { XeroV2Client } from '../endpoint/xero-v2';
import { plural, refusalOf, type CommandResult, type Refusal } from '../outcomes';
import type { Services } from '../services';
import { invoiceName, resolveTargets, type InvoiceTargets } from '../targets';
import { showError, showInfo, showWarning, withProgress, type ProgressReporter } from '../ui';
import { emailProblemsAtEndpoint, emailProblemsInDocument, emailRecipients, markAsSentProblem } from '../preconditions';
import { writeBack } from '../write-back';
import { offerRetry, rememberUnknown } from './retry';
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

/** The contact's email address in the invoice's own <Contact>, for a contact the endpoint does not have yet. */
function emailInDocument(inv: InvoiceInfo): string | undefined {
  const contact = /<Contact\b[^>]*>([\s\S]*?)<\/Contact>/.exec(inv.elementXml)?.[1] ?? '';
  return /<EmailAddress>\s*([^<\s][^<]*?)\s*<\/EmailAddress>/.exec(contact)?.[1];
}

/**
 * What rules out emailing this invoice once it is approved, read at the endpoint before anything changes: the
 * invoice's type there, and its contact's email address (the contact of the invoice at the endpoint, else the
 * contact of that name, else the address the invoice itself gives a new contact).
 */
export async function emailProblemsBeforeApproval(api: XeroV2Client, inv: InvoiceInfo, signal: AbortSignal): Promise<string[]> {
  let contact: XeroContactJson | undefined;
  let type = inv.type;
  const key = inv.invoiceId ?? (inv.purpose !== 'create' ? inv.invoiceNumber : null);
  if (key) {
    const { state } = await currentState(api, inv, 'emailed', signal);
    type = state.Type ?? type;
    const embedded = state.Contact;
    contact = embedded?.ContactID && !('EmailAddress' in embedded) ? await api.contact(embedded.ContactID, signal) : embedded;
  } else if (inv.contact) {
    contact = await api.contactByName(inv.contact, signal);
  }
  const problems: string[] = [];
  if (inv.kind !== 'invoice') problems.push('credit notes cannot be emailed through the API');
  else if (type && type !== 'ACCREC') problems.push(`it is a bill (${type}): only sales invoices (ACCREC) can be emailed`);
  if (contact) {
    if (emailRecipients(contact).length === 0) problems.push(`the contact ${contact.Name ? `${contact.Name} ` : ''}has no email address at the endpoint`);
  } else if (!emailInDocument(inv)) {
    problems.push(`the contact ${inv.contact ? `${inv.contact} ` : ''}is not at the endpoint and the invoice gives it no EmailAddress`);
  }
  return problems;
}

/** SentToContact true, written into the document once the email went (the endpoint marks an emailed invoice sent). */
async function writeSent(s: Services, t: InvoiceTargets, indexes: number[]) {
  if (indexes.length === 0) return 'nothing';
  const names = new Map(t.invoices.map((i) => [i.index, invoiceName(i)]));
  return writeBack(s.lc, t.document, t.version, indexes.map((index) => ({ index, sentToContact: true })), names);
}

async function emailTargets(s: Services, t: InvoiceTargets, invoices: InvoiceInfo[], p: ProgressReporter) {
  const endpoint = await s.connections.open(t.document.uri, { onWait: (w) => p.waiting(w) });
  const api = endpoint.v2();
  const sent: string[] = [];
  const failed: string[] = [];
  const emailed: number[] = [];
  let notSent = 0;
  let unanswered: string | undefined;
  for (const inv of invoices) {
    if (p.signal.aborted || unanswered) {
      notSent++;
      continue;
    }
    p.step(invoiceName(inv));
    try {
      const to = await emailOne(api, inv, {}, p.signal);
      sent.push(`${invoiceName(inv)} to ${to}`);
      emailed.push(inv.index);
    } catch (e) {
      if (e instanceof UnknownOutcomeError) {
        const pending = await rememberUnknown(s, t, e, 'Email', [inv.index], 'email');
        unanswered = pending.write.idempotencyKey;
        offerRetry(pending, e);
        failed.push(`${invoiceName(inv)}: the outcome is unknown (${describeError(e)})`);
        continue;
      }
      if (e instanceof EndpointError && e.kind === 'cancelled') {
        notSent++;
        continue;
      }
      if (e instanceof EndpointError && (e.kind === 'auth' || e.kind === 'network' || e.kind === 'refused') && invoices.length === 1) throw e;
      failed.push(`${invoiceName(inv)}: ${describeError(e)}`);
    }
  }
  const writeBackResult = await writeSent(s, t, emailed);
  return { sent, failed, notSent, writeBack: writeBackResult, ...(unanswered ? { unanswered } : {}) };
}

export interface EmailResult {
  sent: string[];
  failed: string[];
  writeBack?: string;
  unanswered?: string;
}

export async function emailCommand(s: Services, args: unknown[]): Promise<EmailResult | Refusal | undefined> {
  try {
    const t = await resolveTargets(s.lc, args, 'Email to contact');
    if (!t) return undefined;
    requireV2(s, t, 'Emailing');
    // Refuse locally first, naming everything that is missing.
    const blocked = t.invoices.map((i) => ({ i, problems: emailProblemsInDocument(i) })).filter((x) => x.problems.length);
    if (blocked.length === t.invoices.length) throw cantEmail(invoiceName(blocked[0].i), blocked[0].problems);
    const ready = t.invoices.filter((i) => !blocked.some((b) => b.i === i));
    const r = await withProgress(`Emailing ${plural(ready.length, 'invoice')}`, (p) => emailTargets(s, t, ready, p));
    const skipped = blocked.map((b) => `${invoiceName(b.i)}: ${b.problems.join('; ')}`);
    const failed = [...skipped, ...r.failed];
    const text = [r.sent.length ? `Emailed ${r.sent.join(', ')}.` : '', failed.length ? `Not emailed: ${failed.join(' · ')}` : '', r.notSent ? `Cancelled: ${plural(r.notSent, 'invoice')} not emailed.` : '']
      .filter(Boolean)
      .join(' ');
    if (failed.length || r.notSent) showWarning(text);
    else showInfo(text);
    return { sent: r.sent, failed, writeBack: r.writeBack, ...(r.unanswered ? { unanswered: r.unanswered } : {}) };
  } catch (e) {
    showError(e, 'Email failed');
    return refusalOf(e);
  }
}

/** Mark as sent: SentToContact true, for approved sales invoices (what you do after sending the PDF yourself). */
export async function markAsSentCommand(s: Services, args: unknown[]): Promise<CommandResult | Refusal | undefined> {
  try {
    const t = await resolveTargets(s.lc, args, 'Mark as sent');
    if (!t) return undefined;
    requireV2(s, t, 'Marking as sent');
    for (const inv of t.invoices) {
      const problems: string[] = [];
      if (inv.kind !== 'invoice') problems.push('credit notes cannot be marked as sent through the API');
      const st = markAsSentProblem(inv.status);
      if (st) problems.push(st);
      if (!inv.invoiceId && !inv.invoiceNumber) problems.push('it has no InvoiceID yet: send it first');
      if (problems.length) throw new EndpointError('refused', `${invoiceName(inv)} can't be marked as sent: ${problems.join('; ')}.`);
    }
    const r = await withProgress(`Marking ${plural(t.invoices.length, 'invoice')} as sent`, async (p) => {
      const api = (await s.connections.open(t.document.uri, { onWait: (w) => p.waiting(w) })).v2();
      const run = await eachInvoice(t.invoices, p, 'marking', async (inv) => api.markAsSent(inv.invoiceId ?? (await currentState(api, inv, 'marked as sent', p.signal)).id, p.signal));
      return finishRun(s, t, run.outcomes, { notSent: run.notSent, cancelled: run.cancelled, stoppedBy: run.stoppedBy, unknown: run.unknown, verb: 'Mark as sent' });
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
    return refusalOf(e);
  }
}
