import { Money, isDecimal } from '@engine';
import { groupOf, isList, valueOf, type Fields } from '../domain/fields';
import type { Account, ContactRecord, Organisation, TaxRate } from '../domain/organisation';
import {
  amountAllocated,
  amountDue,
  amountPaid,
  namesOf,
  numberOf,
  statusOf,
  typeOf,
  type DocRecord,
  type PaymentRecord,
} from '../domain/records';
import type { Store } from '../store/store';

/** How much of a document a response shows: lists show summaries, single GETs and writes the whole document. */
export type Detail = 'summary' | 'full';

export interface ViewOptions {
  detail: Detail;
  /** `unitdp=4`: unit amounts with four decimal places. */
  unitdp4: boolean;
}

/** Xero's element order for an invoice (seed 001, example 1); anything else stored follows in the order sent. */
const INVOICE_ORDER = [
  'Type', 'Contact', 'Date', 'DueDate', 'ExpectedPaymentDate', 'PlannedPaymentDate', 'Status', 'LineAmountTypes', 'LineItems',
  'SubTotal', 'TotalTax', 'Total', 'UpdatedDateUTC', 'CurrencyCode', 'CurrencyRate', 'InvoiceID', 'InvoiceNumber', 'Reference',
  'BrandingThemeID', 'Url', 'SentToContact', 'HasAttachments', 'Payments', 'CreditNotes', 'AmountDue', 'AmountPaid',
  'FullyPaidOnDate', 'AmountCredited',
];
const CREDIT_NOTE_ORDER = [
  'Type', 'Contact', 'Date', 'Status', 'LineAmountTypes', 'LineItems', 'SubTotal', 'TotalTax', 'Total', 'UpdatedDateUTC',
  'CurrencyCode', 'CurrencyRate', 'FullyPaidOnDate', 'CreditNoteID', 'CreditNoteNumber', 'Reference', 'BrandingThemeID',
  'SentToContact', 'HasAttachments', 'RemainingCredit', 'Allocations', 'Payments',
];
const LINE_ORDER = [
  'LineItemID', 'Description', 'Quantity', 'UnitAmount', 'ItemCode', 'AccountCode', 'AccountID', 'TaxType', 'TaxAmount',
  'LineAmount', 'DiscountRate', 'DiscountAmount', 'Tracking',
];
const CONTACT_ORDER = [
  'ContactID', 'ContactNumber', 'AccountNumber', 'ContactStatus', 'Name', 'FirstName', 'LastName', 'EmailAddress', 'SkypeUserName',
  'BankAccountDetails', 'TaxNumber', 'AccountsReceivableTaxType', 'AccountsPayableTaxType', 'Addresses', 'Phones', 'UpdatedDateUTC',
  'ContactPersons', 'IsSupplier', 'IsCustomer', 'DefaultCurrency',
];
/** List summaries (seed 001, example 2). */
const SUMMARY_FIELDS = new Set([
  'Type', 'Contact', 'Date', 'DueDate', 'Status', 'LineAmountTypes', 'SubTotal', 'TotalTax', 'Total', 'UpdatedDateUTC',
  'CurrencyCode', 'CurrencyRate', 'InvoiceID', 'CreditNoteID', 'InvoiceNumber', 'CreditNoteNumber', 'Reference', 'SentToContact',
  'HasAttachments', 'AmountDue', 'AmountPaid', 'AmountCredited', 'FullyPaidOnDate', 'RemainingCredit', 'BrandingThemeID', 'Url',
  'ExpectedPaymentDate', 'PlannedPaymentDate',
]);

export function ordered(fields: Fields, order: readonly string[]): Fields {
  const out: Fields = {};
  for (const k of order) if (fields[k] !== undefined) out[k] = fields[k];
  for (const [k, v] of Object.entries(fields)) if (!(k in out)) out[k] = v;
  return out;
}

function money(v: Money | string): string {
  return new Money(v).toFixed(2);
}


function fixed(v: string | undefined, places: number): string | undefined {
  return v !== undefined && isDecimal(v) ? new Money(v).toFixed(places) : v;
}

function lineView(line: Fields, figures: { lineAmount: string; taxAmount: string } | undefined, unitdp4: boolean): Fields {
  const l: Fields = { ...line };
  if (typeof l.Quantity === 'string') l.Quantity = fixed(l.Quantity, 4)!;
  if (typeof l.UnitAmount === 'string') l.UnitAmount = fixed(l.UnitAmount, unitdp4 ? 4 : 2)!;
  if (figures) {
    l.TaxAmount = figures.taxAmount;
    l.LineAmount = figures.lineAmount;
  }
  if (!isList(l.Tracking)) l.Tracking = [];
  return ordered(l, LINE_ORDER);
}

export function contactView(c: ContactRecord, detail: Detail): Fields {
  if (detail === 'summary') return { ContactID: c.id, Name: valueOf(c.fields, 'Name') ?? '' };
  return ordered({ ...c.fields, ContactID: c.id, UpdatedDateUTC: c.updatedDateUTC }, CONTACT_ORDER);
}

function paymentOnDocument(p: PaymentRecord): Fields {
  const f: Fields = { PaymentID: p.PaymentID, Date: p.Date, Amount: p.Amount };
  if (p.Reference) f.Reference = p.Reference;
  f.CurrencyRate = p.CurrencyRate;
  return f;
}

/** An invoice or credit note as the 2.0 API returns it. */
export function documentView(store: Store, rec: DocRecord, opts: ViewOptions): Fields {
  const names = namesOf(rec.kind);
  const f: Fields = { ...rec.fields };
  const contactRef = groupOf(rec.fields, 'Contact');
  const contact = contactRef ? store.contacts.get(valueOf(contactRef, 'ContactID') ?? '') : undefined;
  if (contact) f.Contact = contactView(contact, opts.detail);
  f[names.idField] = rec.id;
  f.SubTotal = rec.figures.subTotal;
  f.TotalTax = rec.figures.totalTax;
  f.Total = rec.figures.total;
  f.UpdatedDateUTC = rec.updatedDateUTC;
  if (!valueOf(f, 'CurrencyRate')) f.CurrencyRate = '1.000000';
  f.SentToContact = rec.sentToContact ? 'true' : 'false';
  f.HasAttachments = 'false';
  if (rec.fullyPaidOnDate) f.FullyPaidOnDate = rec.fullyPaidOnDate;
  if (rec.kind === 'invoice') {
    f.AmountDue = money(amountDue(rec));
    f.AmountPaid = money(amountPaid(rec));
    f.AmountCredited = money(amountAllocated(rec));
  } else {
    f.RemainingCredit = money(amountDue(rec));
  }
  if (opts.detail === 'summary') {
    for (const k of Object.keys(f)) if (!SUMMARY_FIELDS.has(k)) delete f[k];
    return ordered(f, rec.kind === 'invoice' ? INVOICE_ORDER : CREDIT_NOTE_ORDER);
  }
  f.LineItems = (isList(rec.fields.LineItems) ? rec.fields.LineItems : []).map((l, i) => lineView(l, rec.figures.lines[i], opts.unitdp4));
  const payments = rec.payments.filter((p) => p.Status === 'AUTHORISED').map(paymentOnDocument);
  if (rec.kind === 'invoice') {
    f.Payments = payments;
    f.CreditNotes = rec.allocations.map((a) => {
      const cn = store.documents.get(a.creditNoteId);
      const out: Fields = { CreditNoteID: a.creditNoteId };
      if (cn && numberOf(cn)) out.CreditNoteNumber = numberOf(cn)!;
      out.AppliedAmount = a.Amount;
      out.Date = a.Date;
      if (cn) out.Total = cn.figures.total;
      return out;
    });
  } else {
    f.Allocations = rec.allocations.map((a) => {
      const inv = store.documents.get(a.invoiceId);
      const invoice: Fields = { InvoiceID: a.invoiceId };
      if (inv && numberOf(inv)) invoice.InvoiceNumber = numberOf(inv)!;
      return { AllocationID: a.AllocationID, Amount: a.Amount, Date: a.Date, Invoice: invoice };
    });
  }
  return ordered(f, rec.kind === 'invoice' ? INVOICE_ORDER : CREDIT_NOTE_ORDER);
}

/** A payment as /Payments returns it, with the invoice it pays. */
export function paymentView(store: Store, p: PaymentRecord, invoice: DocRecord): Fields {
  const contactRef = groupOf(invoice.fields, 'Contact');
  const inv: Fields = { InvoiceID: invoice.id };
  if (numberOf(invoice)) inv.InvoiceNumber = numberOf(invoice)!;
  inv.Type = typeOf(invoice);
  if (contactRef) {
    const c = store.contacts.get(valueOf(contactRef, 'ContactID') ?? '');
    inv.Contact = c ? contactView(c, 'summary') : contactRef;
  }
  inv.Status = statusOf(invoice);
  inv.CurrencyCode = valueOf(invoice.fields, 'CurrencyCode') ?? store.org.BaseCurrency;
  const f: Fields = { PaymentID: p.PaymentID, Date: p.Date, Amount: p.Amount };
  if (p.Reference) f.Reference = p.Reference;
  f.CurrencyRate = p.CurrencyRate;
  f.IsReconciled = 'false';
  f.Status = p.Status;
  f.PaymentType = typeOf(invoice) === 'ACCPAY' ? 'ACCPAYPAYMENT' : 'ACCRECPAYMENT';
  f.UpdatedDateUTC = p.UpdatedDateUTC;
  f.Account = { AccountID: p.AccountID, Code: p.AccountCode };
  f.Invoice = inv;
  return f;
}

export function accountView(a: Account, org: Organisation): Fields {
  const f: Fields = { AccountID: a.AccountID, Code: a.Code, Name: a.Name, Status: a.Status, Type: a.Type, TaxType: a.TaxType };
  if (a.Description) f.Description = a.Description;
  f.Class = a.Class;
  if (a.SystemAccount) f.SystemAccount = a.SystemAccount;
  f.EnablePaymentsToAccount = String(a.EnablePaymentsToAccount);
  f.ShowInExpenseClaims = 'false';
  if (a.BankAccountNumber) {
    f.BankAccountNumber = a.BankAccountNumber;
    f.BankAccountType = 'BANK';
    f.CurrencyCode = org.BaseCurrency;
  }
  f.ReportingCode = a.Class === 'ASSET' ? 'ASS' : a.Class === 'LIABILITY' ? 'LIA' : a.Class === 'REVENUE' ? 'REV' : 'EXP';
  f.HasAttachments = 'false';
  return f;
}

export function taxRateView(t: TaxRate): Fields {
  const rate = new Money(t.Rate).toFixed(4);
  return {
    Name: t.Name,
    TaxType: t.TaxType,
    ReportTaxType: t.ReportTaxType,
    CanApplyToAssets: 'true',
    CanApplyToEquity: 'true',
    CanApplyToExpenses: String(t.CanApplyToExpenses),
    CanApplyToLiabilities: 'true',
    CanApplyToRevenue: String(t.CanApplyToRevenue),
    DisplayTaxRate: rate,
    EffectiveRate: rate,
    Status: t.Status,
    TaxComponents: [{ Name: 'GST', Rate: rate, IsCompound: 'false', IsNonRecoverable: 'false' }],
  };
}

export function organisationView(org: Organisation): Fields {
  return {
    OrganisationID: org.OrganisationID,
    APIKey: '',
    Name: org.Name,
    LegalName: org.LegalName,
    PaysTax: 'true',
    Version: 'NZ',
    OrganisationType: 'COMPANY',
    BaseCurrency: org.BaseCurrency,
    CountryCode: org.CountryCode,
    IsDemoCompany: 'false',
    OrganisationStatus: 'ACTIVE',
    TaxNumber: '123-456-789',
    FinancialYearEndDay: '31',
    FinancialYearEndMonth: '3',
    SalesTaxBasis: 'INVOICE',
    SalesTaxPeriod: 'TWOMONTHS',
    Timezone: org.Timezone,
    OrganisationEntityType: 'COMPANY',
    ShortCode: org.ShortCode,
    Edition: 'BUSINESS',
    Class: 'STANDARD',
  };
}
