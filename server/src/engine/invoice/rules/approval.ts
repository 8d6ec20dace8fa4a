import { fieldsOf, fieldText, type InvoiceModel } from '../model';
import { allows, CREATABLE_STATUSES, isKnownStatus } from '../../../../../shared/src/status';
import { report, tagRange, valueRange, type RuleContext } from './context';

function article(word: string): string {
  return /^[AEIOU]/i.test(word) ? `an ${word}` : `a ${word}`;
}
const APPROVING = new Set(['SUBMITTED', 'AUTHORISED']);

/**
 * What the API needs to create or update a document with the status it is headed to (FACTS.md §2.1):
 * a draft needs Type and Contact; submitting or approving also needs DueDate (invoices) and complete lines.
 */
export function checkApproval(inv: InvoiceModel, ctx: RuleContext): void {
  const status = inv.status ?? 'DRAFT';
  const what = inv.kind === 'creditNote' ? 'credit note' : 'invoice';
  if (inv.statusElement && isKnownStatus(status) && !(CREATABLE_STATUSES as readonly string[]).includes(status)) {
    report(ctx, 'status-not-creatable', `Invoice not of valid status for creation: ${article(what)} cannot be created as ${status}; create it as DRAFT, SUBMITTED or AUTHORISED.`, valueRange(inv.statusElement), { status });
  }
  const tag = tagRange(inv.element);
  if (!inv.type) {
    report(ctx, 'required-type', `The ${what} needs a <Type> (${inv.kind === 'creditNote' ? 'ACCRECCREDIT or ACCPAYCREDIT' : 'ACCREC for a sales invoice, ACCPAY for a bill'}).`, tag, { missing: 'Type' });
  }
  const contact = inv.fields.get('Contact');
  if (!contact) {
    report(ctx, 'required-contact', `The ${what} needs a <Contact> with a ContactID, ContactNumber or Name.`, tag, { missing: 'Contact' });
  } else {
    const c = fieldsOf(contact);
    if (!fieldText(c, 'ContactID') && !fieldText(c, 'ContactNumber') && !fieldText(c, 'Name')) {
      report(ctx, 'required-contact', 'The <Contact> needs a ContactID, ContactNumber or Name to identify the contact.', tagRange(contact), { missing: 'Name', parent: 'Contact' });
    }
  }
  const approving = APPROVING.has(status);
  if (inv.lines.length === 0) {
    report(
      ctx,
      'required-line-items',
      approving
        ? `${article(status).replace(/^a/, 'A')} ${what} needs at least one <LineItem>.`
        : `The API asks for at least one <LineItem> ("One or more line items must be specified"); older versions accepted a draft without lines.`,
      tag,
      { missing: 'LineItems' },
      approving ? 'error' : 'warning',
    );
  }
  // An empty <DueDate></DueDate> is one defect: the schema check reports it on the element ('' is not a date).
  if (approving && inv.kind === 'invoice' && !inv.fields.has('DueDate')) {
    report(ctx, 'required-due-date', `The document DueDate field must be specified: ${article(status)} invoice needs a <DueDate> (YYYY-MM-DD).`, tag, { missing: 'DueDate' });
  }
  const sent = fieldText(inv.fields, 'SentToContact');
  const sentElement = inv.fields.get('SentToContact');
  if (sentElement && (sent === 'true' || sent === '1') && !allows(status, 'markAsSent')) {
    report(ctx, 'sent-to-contact-not-approved', `SentToContact can only be set on an approved invoice; this one is headed to ${status}.`, valueRange(sentElement), { status });
  }
  if (!approving) return;
  inv.lines.forEach((line, i) => {
    const n = i + 1;
    const ltag = tagRange(line.element);
    if (!fieldText(line.fields, 'Description')) {
      report(ctx, 'required-description', `Line ${n} needs a <Description> of at least one character to be approved.`, ltag, { missing: 'Description' });
    }
    // The line's input holds the trimmed text of its amounts (read once for its figures).
    const quantity = !!line.input.quantity;
    const unitAmount = !!line.input.unitAmount;
    const lineAmount = !!line.input.lineAmount;
    if (!quantity && !unitAmount && !lineAmount) return;
    const item = !!line.input.hasItemCode;
    if (!fieldText(line.fields, 'AccountCode') && !fieldText(line.fields, 'AccountID') && !item) {
      report(ctx, 'required-account', `Line ${n} has an amount, so it needs an <AccountCode> (or AccountID) to be approved.`, ltag, { missing: 'AccountCode' });
    }
    // Seed 001: "If you wish to omit either of the <Quantity> or <UnitAmount> you can provide a LineAmount and Xero
    // will calculate the missing amount for you": either may be left out beside a LineAmount, not both.
    if (!quantity && (!lineAmount || !unitAmount)) {
      report(
        ctx,
        'required-quantity',
        lineAmount
          ? `Line ${n} states only a LineAmount: Xero derives a missing Quantity or UnitAmount from it, not both, so it needs a <Quantity> to be approved.`
          : `Line ${n} has an amount, so it needs a <Quantity> (or a LineAmount to derive it from) to be approved.`,
        ltag,
        { missing: 'Quantity' },
      );
    }
    if (!unitAmount && !lineAmount && !item) {
      report(ctx, 'required-unit-amount', `Line ${n} has a quantity, so it needs a <UnitAmount> (or a LineAmount to derive it from) to be approved.`, ltag, { missing: 'UnitAmount' });
    }
  });
}
