/** The parts of Xero's JSON answers the client reads (Accept: application/json; never XML, which the server reads). */

export interface XeroMessage {
  Message?: string;
}

export interface XeroPaymentJson {
  Amount?: number | string;
  Date?: string;
  Status?: string;
}

export interface XeroContactJson {
  ContactID?: string;
  Name?: string;
  EmailAddress?: string;
  ContactPersons?: { EmailAddress?: string; IncludeInEmails?: boolean }[];
}

export interface XeroDocumentJson {
  InvoiceID?: string;
  CreditNoteID?: string;
  InvoiceNumber?: string;
  CreditNoteNumber?: string;
  Type?: string;
  Status?: string;
  UpdatedDateUTC?: string;
  SentToContact?: boolean;
  HasErrors?: boolean;
  StatusAttributeString?: string;
  ValidationErrors?: XeroMessage[];
  Warnings?: XeroMessage[];
  Contact?: XeroContactJson & { ValidationErrors?: XeroMessage[] };
  LineItems?: { ValidationErrors?: XeroMessage[] }[];
  CurrencyCode?: string;
  Total?: number | string;
  AmountDue?: number | string;
  AmountPaid?: number | string;
  AmountCredited?: number | string;
  Payments?: XeroPaymentJson[];
  CreditNotes?: { Total?: number | string; AppliedAmount?: number | string }[];
  Allocations?: { Amount?: number | string }[];
  Prepayments?: unknown[];
  Overpayments?: unknown[];
}

export const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

/**
 * Xero's JSON dates: `/Date(1539993600000+0000)/`, or already ISO. Returned as the XML form
 * (`2018-10-20T00:00:00` / `…T01:44:26.747`), which is what an XML document carries.
 */
export function xeroDateToIso(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(value.trim());
  if (!m) return value;
  const iso = new Date(Number(m[1])).toISOString().replace('Z', '');
  return iso.endsWith('.000') ? iso.slice(0, -4) : iso;
}

/** An amount as Xero sends it (number or string) as a two-decimal string; undefined when absent. */
export function money(value: number | string | undefined): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (Number.isNaN(n)) return String(value);
  // Display only: amounts from the endpoint are already rounded to cents.
  return n.toFixed(2);
}
