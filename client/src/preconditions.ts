import type { InvoiceInfo } from '../../shared/src/protocol';
import { money, type XeroContactJson, type XeroDocumentJson } from './endpoint/xero-json';

// What the API allows, checked before a request so the user hears why in a sentence (FACTS §2.4, §4 email
// preconditions). No vscode import: unit-tested in plain node against the sandbox's answers.

export type DestructiveAction = 'void' | 'delete';

const APPROVED = new Set(['AUTHORISED', 'PAID']);

export function statusProblem(status: string | null | undefined): string | undefined {
  if (!status) return 'its status is not known: approve it first';
  if (APPROVED.has(status)) return undefined;
  if (status === 'SUBMITTED') return 'it is awaiting approval (SUBMITTED): approve it first';
  if (status === 'DRAFT') return 'it is a draft: approve it first';
  return `it is ${status}`;
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
  if (known && emailRecipients(c).length === 0) problems.push(`the contact ${c!.Name ? `${c!.Name} ` : ''}has no email address`);
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
    if (status === 'VOIDED') return 'it is already voided';
    if (status === 'DELETED') return 'it was deleted';
    if (status === 'DRAFT' || status === 'SUBMITTED') return `it is not approved yet (${status}): delete the draft instead`;
    if (paid && paid !== '0.00') return `it has ${payments.length > 1 ? `payments of ${withCurrency(state, paid)}` : `a payment of ${withCurrency(state, paid)}`} (remove the payment first)`;
    if (status === 'PAID') return 'it is paid (remove the payment first)';
    if (credited && credited !== '0.00') return `it has credit of ${withCurrency(state, credited)} allocated (remove the allocation first)`;
    if (status !== 'AUTHORISED') return `it is ${status}`;
    return undefined;
  }
  if (status === 'DELETED') return 'it is already deleted';
  if (status === 'AUTHORISED' || status === 'PAID') return `it is approved (${status}): void it instead`;
  if (status !== 'DRAFT' && status !== 'SUBMITTED') return `it is ${status}`;
  return undefined;
}

