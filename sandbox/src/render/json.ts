import { isDecimal } from '@engine';
import { msDate } from '../domain/dates';
import type { FieldValue, Fields } from '../domain/fields';

/** A number written exactly as its decimal text (money never passes through a JavaScript number). */
export class RawNumber {
  constructor(readonly text: string) {}
}

export type Json = string | number | boolean | null | RawNumber | Json[] | { [key: string]: Json };

export function stringify(value: Json): string {
  if (value instanceof RawNumber) return value.text;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stringify).join(',')}]`;
  return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${stringify(v)}`).join(',')}}`;
}

const NUMERIC = new Set([
  'Quantity', 'UnitAmount', 'LineAmount', 'TaxAmount', 'DiscountRate', 'DiscountAmount', 'SubTotal', 'TotalTax', 'Total',
  'TotalDiscount', 'AmountDue', 'AmountPaid', 'AmountCredited', 'CurrencyRate', 'Amount', 'BankAmount', 'RemainingCredit',
  'AppliedAmount', 'EffectiveRate', 'DisplayTaxRate', 'Rate', 'UnitPrice', 'CISDeduction', 'CISRate', 'Discount',
]);
const BOOLEAN = new Set([
  'SentToContact', 'HasAttachments', 'IsDiscounted', 'HasErrors', 'IsSupplier', 'IsCustomer', 'IsReconciled', 'IsDeleted',
  'EnablePaymentsToAccount', 'ShowInExpenseClaims', 'IsCompound', 'IsNonRecoverable', 'CanApplyToAssets', 'CanApplyToEquity',
  'CanApplyToExpenses', 'CanApplyToLiabilities', 'CanApplyToRevenue', 'IncludeInEmails', 'HasValidationErrors', 'HasAccount',
  'IsSold', 'IsPurchased', 'PaysTax', 'IsDemoCompany',
]);
/** Dates that JSON also spells out in a `…String` companion field (as is a history record's DateUTC). */
const DAY_FIELDS = new Set(['Date', 'DueDate', 'ExpectedPaymentDate', 'PlannedPaymentDate', 'FullyPaidOnDate']);
const STAMP_FIELDS = new Set(['UpdatedDateUTC', 'DateUTC', 'DateTimeUTC', 'CreatedDateUTC']);

const DATE_LIKE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+)?Z?$/;

function jsonValue(name: string, value: FieldValue): Json {
  if (Array.isArray(value)) return value.map(fieldsToJson);
  if (typeof value !== 'string') return fieldsToJson(value);
  if (NUMERIC.has(name) && isDecimal(value)) return new RawNumber(value);
  if (BOOLEAN.has(name) && (value === 'true' || value === 'false')) return value === 'true';
  if ((DAY_FIELDS.has(name) || STAMP_FIELDS.has(name)) && DATE_LIKE.test(value)) return msDate(value);
  return value;
}

/**
 * Fields as Xero's JSON writes them: amounts as numbers, flags as booleans, dates as `/Date(ms+0000)/` (with a
 * `DateString` companion for days).
 */
export function fieldsToJson(fields: Fields): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(fields)) {
    out[k] = jsonValue(k, v);
    if ((DAY_FIELDS.has(k) || k === 'DateUTC') && typeof v === 'string' && DATE_LIKE.test(v)) out[`${k}String`] = v;
  }
  return out;
}
