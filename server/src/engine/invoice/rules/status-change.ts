import { fieldText, type InvoiceModel } from '../model';
import { allows, SETTABLE_STATUSES } from '../../../../../shared/src/status';
import { report, tagRange, valueRange, type RuleContext } from './context';

/**
 * A status change (seed 001: `<InvoiceNumber>INV-123</InvoiceNumber><Status>VOIDED</Status>`) needs only an
 * identifier and a status the API sets this way; whether the transition is allowed depends on the invoice's
 * current state, which only the endpoint knows.
 */
export function checkStatusChange(inv: InvoiceModel, ctx: RuleContext): void {
  const credit = inv.kind === 'creditNote';
  const id = fieldText(inv.fields, credit ? 'CreditNoteID' : 'InvoiceID');
  const number = fieldText(inv.fields, credit ? 'CreditNoteNumber' : 'InvoiceNumber');
  if (!id && !number) {
    report(ctx, 'required-identifier', `A status change needs the ${credit ? 'CreditNoteID or CreditNoteNumber' : 'InvoiceID or InvoiceNumber'} of the document to change.`, tagRange(inv.element), { missing: credit ? 'CreditNoteNumber' : 'InvoiceNumber' });
  }
  const status = inv.statusElement ? inv.status : null;
  if (inv.statusElement && status && !(SETTABLE_STATUSES as readonly string[]).includes(status)) {
    const why = status === 'PAID'
      ? 'an invoice becomes PAID only when payments or credit notes are applied to it'
      : `${status} cannot be set on an existing document; approve with AUTHORISED, void with VOIDED, delete a draft with DELETED`;
    report(ctx, 'status-change-invalid', `Invoice not of valid status for modification: ${why}.`, valueRange(inv.statusElement), { status });
  }
  const sent = inv.fields.get('SentToContact');
  if (sent && status && !allows(status, 'markAsSent') && ['true', '1'].includes(sent.text.trim())) {
    report(ctx, 'sent-to-contact-not-approved', `SentToContact can only be set on an approved invoice, not with Status ${status}.`, valueRange(sent), { status });
  }
}
