import { Money } from '@engine';
import type { Fields } from './fields';

export type DocKind = 'invoice' | 'creditNote';

/** The words and element names that differ between invoices and credit notes. */
export interface KindNames {
  kind: DocKind;
  element: 'Invoice' | 'CreditNote';
  collection: 'Invoices' | 'CreditNotes';
  idField: 'InvoiceID' | 'CreditNoteID';
  numberField: 'InvoiceNumber' | 'CreditNoteNumber';
  /** The type whose numbers are unique and auto-numbered. */
  salesType: 'ACCREC' | 'ACCRECCREDIT';
  label: string;
}

export const INVOICE: KindNames = {
  kind: 'invoice', element: 'Invoice', collection: 'Invoices', idField: 'InvoiceID', numberField: 'InvoiceNumber', salesType: 'ACCREC', label: 'Invoice',
};
export const CREDIT_NOTE: KindNames = {
  kind: 'creditNote', element: 'CreditNote', collection: 'CreditNotes', idField: 'CreditNoteID', numberField: 'CreditNoteNumber', salesType: 'ACCRECCREDIT', label: 'Credit Note',
};

export function namesOf(kind: DocKind): KindNames {
  return kind === 'invoice' ? INVOICE : CREDIT_NOTE;
}

/** Figures computed by the engine, as 2-decimal strings. */
export interface Figures {
  subTotal: string;
  totalTax: string;
  total: string;
  lines: { lineAmount: string; taxAmount: string }[];
}

export interface PaymentRecord {
  PaymentID: string;
  Date: string;
  Amount: string;
  Reference?: string;
  CurrencyRate: string;
  AccountID: string;
  AccountCode: string;
  Status: 'AUTHORISED' | 'DELETED';
  UpdatedDateUTC: string;
}

/** A credit note applied to an invoice; held by both documents. */
export interface AllocationRecord {
  AllocationID: string;
  Amount: string;
  Date: string;
  invoiceId: string;
  creditNoteId: string;
  UpdatedDateUTC: string;
}

export interface HistoryRecord {
  Changes: string;
  DateUTC: string;
  User: string;
  Details: string;
}

/** An invoice or credit note as stored: what was sent (merged over time), what was computed, what happened. */
export interface DocRecord {
  kind: DocKind;
  id: string;
  seq: number;
  /**
   * The request-side fields, with defaults filled in: Type, Contact (ContactID and Name), Date, DueDate, Status,
   * LineAmountTypes, the number, LineItems (each with its LineItemID), … Never computed or read-only fields.
   */
  fields: Fields;
  figures: Figures;
  payments: PaymentRecord[];
  allocations: AllocationRecord[];
  sentToContact: boolean;
  createdDateUTC: string;
  updatedDateUTC: string;
  fullyPaidOnDate?: string;
  history: HistoryRecord[];
}

export function statusOf(rec: DocRecord): string {
  const s = rec.fields.Status;
  return typeof s === 'string' && s ? s : 'DRAFT';
}

export function numberOf(rec: DocRecord): string | undefined {
  const v = rec.fields[namesOf(rec.kind).numberField];
  return typeof v === 'string' && v ? v : undefined;
}

export function typeOf(rec: DocRecord): string {
  const v = rec.fields.Type;
  return typeof v === 'string' ? v : '';
}

export function amountPaid(rec: DocRecord): Money {
  return rec.payments.filter((p) => p.Status === 'AUTHORISED').reduce((s, p) => s.plus(p.Amount), new Money(0));
}

export function amountAllocated(rec: DocRecord): Money {
  return rec.allocations.reduce((s, a) => s.plus(a.Amount), new Money(0));
}

/** Invoices: Total − AmountPaid − AmountCredited. Credit notes: the credit not yet allocated (RemainingCredit). */
export function amountDue(rec: DocRecord): Money {
  return new Money(rec.figures.total).minus(amountPaid(rec)).minus(amountAllocated(rec));
}

/** A payment or a credit note is allocated to it: most edits and every status change are refused. */
export function isLocked(rec: DocRecord): boolean {
  return rec.payments.some((p) => p.Status === 'AUTHORISED') || rec.allocations.length > 0;
}

export const ZERO_ID = '00000000-0000-0000-0000-000000000000';
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
