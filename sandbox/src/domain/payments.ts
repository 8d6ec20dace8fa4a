import { randomUUID } from 'node:crypto';
import { Money, isDecimal } from '@engine';
import { normalizeDay, todayIn, utcStamp } from './dates';
import { Changes, type Documents } from './documents';
import { groupOf, valueOf, type Fields } from './fields';
import { accountByCode, accountById } from './organisation';
import { amountDue, numberOf, statusOf, typeOf, ZERO_ID, type AllocationRecord, type DocRecord, type PaymentRecord } from './records';


export interface PaymentOutcome {
  payment?: PaymentRecord;
  invoice?: DocRecord;
  errors: string[];
  echo: Fields;
}

export interface AllocationOutcome {
  allocation?: AllocationRecord;
  errors: string[];
  echo: Fields;
}

function settle(doc: DocRecord, day: string): void {
  if (amountDue(doc).lte(0) && statusOf(doc) === 'AUTHORISED') {
    doc.fields.Status = 'PAID';
    doc.fullyPaidOnDate = day;
  }
}

/**
 * Payments against invoices and credit note allocations: the minimum that makes AmountPaid, AmountCredited, PAID
 * and "cannot be edited as it has a payment or credit note allocated to it" real.
 */
export class Payments {
  constructor(private readonly docs: Documents) {}

  /** Every payment with the invoice it pays, newest last. */
  all(): { payment: PaymentRecord; invoice: DocRecord }[] {
    return this.docs.list('invoice').flatMap((invoice) => invoice.payments.map((payment) => ({ payment, invoice })));
  }

  find(id: string): { payment: PaymentRecord; invoice: DocRecord } | undefined {
    const k = id.toLowerCase();
    return this.all().find((p) => p.payment.PaymentID === k);
  }

  async create(sent: Fields[], now: Date): Promise<PaymentOutcome[]> {
    const changes = new Changes();
    const outcomes = sent.map((f) => this.createOne(f, now, changes));
    await changes.persist(this.docs.store);
    return outcomes;
  }

  private createOne(f: Fields, now: Date, changes: Changes): PaymentOutcome {
    const errors: string[] = [];
    const echo: Fields = { PaymentID: ZERO_ID, ...f };
    const ref = groupOf(f, 'Invoice');
    const invoiceKey = valueOf(ref, 'InvoiceID') ?? valueOf(ref, 'InvoiceNumber');
    const invoice = invoiceKey ? this.docs.find('invoice', invoiceKey) : undefined;
    if (!ref || !invoiceKey) errors.push('A payment needs the Invoice it pays, with its InvoiceID or InvoiceNumber.');
    else if (!invoice) errors.push(`The invoice ${invoiceKey} could not be found.`);
    else if (statusOf(invoice) !== 'AUTHORISED') errors.push(`A payment can only be applied to an approved (AUTHORISED) invoice; ${numberOf(invoice) ?? invoice.id} is ${statusOf(invoice)}.`);
    const accountRef = groupOf(f, 'Account');
    const account = accountById(this.docs.store.org, valueOf(accountRef, 'AccountID')) ?? accountByCode(this.docs.store.org, valueOf(accountRef, 'Code'));
    if (!accountRef) errors.push('A payment needs the Account it is paid into, with its Code or AccountID.');
    else if (!account) errors.push('Account must be valid.');
    else if (account.Type !== 'BANK' && !account.EnablePaymentsToAccount) errors.push(`Account ${account.Code} is not a bank account and does not take payments.`);
    const rawDate = valueOf(f, 'Date');
    const date = rawDate ? normalizeDay(rawDate) : todayIn(this.docs.store.org.TimeZoneId, now);
    if (!date) errors.push(`The string '${rawDate}' is not a valid AllXsd value.`);
    const rawAmount = valueOf(f, 'Amount');
    if (!rawAmount || !isDecimal(rawAmount)) errors.push('A payment needs an Amount.');
    else if (!new Money(rawAmount).gt(0)) errors.push('The payment Amount must be more than zero.');
    else if (invoice && statusOf(invoice) === 'AUTHORISED' && new Money(rawAmount).gt(amountDue(invoice))) {
      errors.push(`The payment amount ${new Money(rawAmount).toFixed(2)} is more than the amount due on the invoice (${amountDue(invoice).toFixed(2)}).`);
    }
    if (errors.length || !invoice || !account || !date || !rawAmount) return { errors, echo };

    const payment: PaymentRecord = {
      PaymentID: randomUUID(),
      Date: date,
      Amount: new Money(rawAmount).toFixed(2),
      CurrencyRate: valueOf(f, 'CurrencyRate') ?? valueOf(invoice.fields, 'CurrencyRate') ?? '1.000000',
      AccountID: account.AccountID,
      AccountCode: account.Code,
      Status: 'AUTHORISED',
      UpdatedDateUTC: utcStamp(now),
    };
    const reference = valueOf(f, 'Reference');
    if (reference) payment.Reference = reference;
    invoice.payments.push(payment);
    invoice.updatedDateUTC = utcStamp(now);
    this.docs.addHistory(invoice, 'Payment Received', now, `Payment received on ${date.slice(0, 10)} for ${payment.Amount}.`);
    settle(invoice, date);
    if (statusOf(invoice) === 'PAID') this.docs.addHistory(invoice, 'Paid', now);
    changes.documents.add(invoice);
    return { payment, invoice, errors: [], echo };
  }

  /** POST /Payments/{id} with Status DELETED: the payment is removed and a paid invoice is approved again. */
  async remove(found: { payment: PaymentRecord; invoice: DocRecord }, now: Date): Promise<string | null> {
    if (found.payment.Status === 'DELETED') return 'This payment has already been deleted.';
    found.payment.Status = 'DELETED';
    found.payment.UpdatedDateUTC = utcStamp(now);
    const invoice = found.invoice;
    if (statusOf(invoice) === 'PAID' && amountDue(invoice).gt(0)) {
      invoice.fields.Status = 'AUTHORISED';
      delete invoice.fullyPaidOnDate;
    }
    invoice.updatedDateUTC = utcStamp(now);
    this.docs.addHistory(invoice, 'Payment Deleted', now, `Payment of ${found.payment.Amount} on ${found.payment.Date.slice(0, 10)} deleted.`);
    await this.docs.store.saveDocument(invoice);
    return null;
  }

  /** PUT /CreditNotes/{id}/Allocations: applies an approved credit note to an approved invoice of the same contact. */
  async allocate(creditNote: DocRecord, sent: Fields[], now: Date): Promise<AllocationOutcome[]> {
    const changes = new Changes();
    const outcomes = sent.map((f) => this.allocateOne(creditNote, f, now, changes));
    await changes.persist(this.docs.store);
    return outcomes;
  }

  private allocateOne(creditNote: DocRecord, f: Fields, now: Date, changes: Changes): AllocationOutcome {
    const errors: string[] = [];
    const echo: Fields = { AllocationID: ZERO_ID, ...f };
    const ref = groupOf(f, 'Invoice');
    const key = valueOf(ref, 'InvoiceID') ?? valueOf(ref, 'InvoiceNumber');
    const invoice = key ? this.docs.find('invoice', key) : undefined;
    if (statusOf(creditNote) !== 'AUTHORISED') errors.push(`Only an approved (AUTHORISED) credit note can be allocated; this one is ${statusOf(creditNote)}.`);
    if (!key) errors.push('An allocation needs the Invoice it applies to, with its InvoiceID or InvoiceNumber.');
    else if (!invoice) errors.push(`The invoice ${key} could not be found.`);
    else {
      if (statusOf(invoice) !== 'AUTHORISED') errors.push(`A credit note can only be allocated to an approved (AUTHORISED) invoice; ${numberOf(invoice) ?? invoice.id} is ${statusOf(invoice)}.`);
      if (typeOf(creditNote) !== `${typeOf(invoice)}CREDIT`) errors.push(`A ${typeOf(creditNote)} credit note cannot be allocated to an ${typeOf(invoice)} invoice.`);
      const contactOf = (d: DocRecord) => valueOf(groupOf(d.fields, 'Contact'), 'ContactID');
      if (contactOf(invoice) !== contactOf(creditNote)) errors.push('The credit note and the invoice must belong to the same contact.');
      if (valueOf(invoice.fields, 'CurrencyCode') !== valueOf(creditNote.fields, 'CurrencyCode')) errors.push('The credit note and the invoice must be in the same currency.');
    }
    const rawAmount = valueOf(f, 'Amount') ?? valueOf(f, 'AppliedAmount');
    if (!rawAmount || !isDecimal(rawAmount) || !new Money(rawAmount).gt(0)) errors.push('An allocation needs an Amount more than zero.');
    else {
      const amount = new Money(rawAmount);
      if (amount.gt(amountDue(creditNote))) errors.push(`The amount ${amount.toFixed(2)} is more than the credit remaining (${amountDue(creditNote).toFixed(2)}).`);
      if (invoice && amount.gt(amountDue(invoice))) errors.push(`The amount ${amount.toFixed(2)} is more than the amount due on the invoice (${amountDue(invoice).toFixed(2)}).`);
    }
    const rawDate = valueOf(f, 'Date');
    const date = rawDate ? normalizeDay(rawDate) : todayIn(this.docs.store.org.TimeZoneId, now);
    if (!date) errors.push(`The string '${rawDate}' is not a valid AllXsd value.`);
    if (errors.length || !invoice || !rawAmount || !date) return { errors, echo };

    const allocation: AllocationRecord = {
      AllocationID: randomUUID(),
      Amount: new Money(rawAmount).toFixed(2),
      Date: date,
      invoiceId: invoice.id,
      creditNoteId: creditNote.id,
      UpdatedDateUTC: utcStamp(now),
    };
    for (const d of [invoice, creditNote]) {
      d.allocations.push(allocation);
      d.updatedDateUTC = utcStamp(now);
      settle(d, date);
    }
    this.docs.addHistory(invoice, 'Credit Applied', now, `Credit note ${numberOf(creditNote) ?? creditNote.id} for ${allocation.Amount} applied.`);
    this.docs.addHistory(creditNote, 'Credit Applied', now, `${allocation.Amount} applied to invoice ${numberOf(invoice) ?? invoice.id}.`);
    changes.documents.add(invoice);
    changes.documents.add(creditNote);
    return { allocation, errors: [], echo };
  }
}
