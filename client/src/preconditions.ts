import type { InvoiceInfo } from '../../shared/src/protocol';
import { isApproved, statusRefusal } from '../../shared/src/status';
import { money, type XeroContactJson, type XeroDocumentJson } from './endpoint/xero-json';

// What the API allows, checked before a request so the user hears why in a sentence. The status rules come from
// shared/src/status.ts (FACTS §2.4, §4); here only what else the API checks. No vscode import: unit-tested in
// plain node against the sandbox's answers.

export type DestructiveAction = 'void' | 'delete';

/** Why the status rules out emailing (FACTS §4: SUBMITTED, AUTHORISED or PAID), or undefined. */
export function statusProblem(status: string | null | undefined): string | undefined {
  return statusRefusal(status, 'email');
}

/** Why the status rules out marking as sent (approved invoices only), or undefined. */
export function markAsSentProblem(status: string | null | undefined): string | undefined {
  return statusRefusal(status, 'markAsSent');
}

/** What the document shows that rules out emailing (all of it at once, so the user fixes everything in one go). */
export function emailProblemsInDocument(inv: Pick<InvoiceInfo, 'kind' | 'type' | 'status' | 'invoiceId' | 'invoiceNumber'>): string[] {
  const problems: string[] = [];
  if (inv.kind !== 'invoice') problems.push('credit notes cannot be emailed through the API');
  else if (inv.type && inv.type !== 'ACCREC') problems.push(`it is a bill (${inv.type}): only sales invoices (ACCREC) can be emailed`);
  const s = statusProblem(inv.status);
  if (s) problems.push(s);
  if (!inv.invoiceId && !inv.invoiceNumber) problems.push('it has no InvoiceID yet: send it first');
  return problems;
}

/** Where the invoice email goes: the contact's address, and contact persons included in emails. */
export function emailRecipients(contact: XeroContactJson | undefined): string[] {
  if (!contact) return [];
  const out = contact.EmailAddress?.trim() ? [contact.EmailAddress.trim()] : [];
  for (const p of contact.ContactPersons ?? []) if (p.IncludeInEmails && p.EmailAddress?.trim()) out.push(p.EmailAddress.trim());
  return out;
}

/**
 * What the endpoint's current state rules out: type, status, and a contact without an email address (`contact`
 * is the full contact when the invoice's embedded one does not show its addresses).
 */
export function emailProblemsAtEndpoint(state: XeroDocumentJson, contact?: XeroContactJson): string[] {
  const problems: string[] = [];
  if (state.Type && state.Type !== 'ACCREC') problems.push(`it is a bill (${state.Type}) at the endpoint: only sales invoices (ACCREC) can be emailed`);
  const s = statusProblem(state.Status);
  if (s) problems.push(`${s} (status at the endpoint)`);
  const c = contact ?? state.Contact;
  const known = !!c && ('EmailAddress' in c || !!contact);
  if (known && emailRecipients(c).length === 0) problems.push(`the contact ${c.Name ? `${c.Name} ` : ''}has no email address`);
  return problems;
}

export function withCurrency(state: XeroDocumentJson, amount: string): string {
  return state.CurrencyCode ? `${amount} ${state.CurrencyCode}` : amount;
}

/** Why the endpoint's current state does not allow the action (FACTS §2.4), or undefined when it does. */
export function refusalReason(action: DestructiveAction, state: XeroDocumentJson): string | undefined {
  const status = state.Status ?? 'unknown';
  const paid = money(state.AmountPaid);
  const credited = money(state.AmountCredited);
  const payments = (state.Payments ?? []).filter((x) => x.Status !== 'DELETED');
  if (action === 'void') {
    if (!isApproved(status)) return statusRefusal(status, 'void');
    if (paid && paid !== '0.00') return `it has ${payments.length > 1 ? `payments of ${withCurrency(state, paid)}` : `a payment of ${withCurrency(state, paid)}`} (remove the payment first)`;
    if (credited && credited !== '0.00') return `it has credit of ${withCurrency(state, credited)} allocated (remove the allocation first)`;
    return statusRefusal(status, 'void');
  }
  return statusRefusal(status, 'delete');
}
