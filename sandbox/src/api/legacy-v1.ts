import { randomUUID } from 'node:crypto';
import { Money } from '@engine';
import { epochMs, parseSince } from '../domain/dates';
import { groupOf, isList, listOf, valueOf, type Fields } from '../domain/fields';
import { amountAllocated, amountDue, amountPaid, numberOf, statusOf, typeOf, type DocRecord } from '../domain/records';
import { classifyBody } from '../http/body';
import { CONTENT_TYPES, reply, type Reply } from '../http/reply';
import { route, type Ctx, type Route } from '../http/router';
import { PROVIDER } from '../render/envelope';
import { appendFields, newDocument, serialize } from '../render/xml';
import type { App } from './app';

const BASE = '/api.xro/1.0';
const I_NS = 'http://www.w3.org/2001/XMLSchema-instance';

function xml(status: number, body: string): Reply {
  return reply(status, body, CONTENT_TYPES.xml);
}

function envelope(): ReturnType<typeof newDocument> {
  const root = newDocument('Response');
  root.att('xmlns:i', I_NS);
  return root;
}

function stamp(root: ReturnType<typeof newDocument>, status: string, now: Date): void {
  root.ele('ID').txt(randomUUID());
  root.ele('Status').txt(status);
  root.ele('ProviderName').txt(PROVIDER);
  root.ele('DateTimeUTC').txt(now.toISOString());
}

/** The 1.0 error shape (xero_gateway's invoice_not_found_error.xml): Errors, then ID, Status, ProviderName, DateTimeUTC. */
export function legacyError(httpStatus: number, status: string, exceptionType: string, messages: string[], now: Date): Reply {
  const root = envelope();
  const errors = root.ele('Errors');
  for (const m of messages) {
    const e = errors.ele('Error');
    e.ele('Description').txt(m);
    const x = e.ele('Exception');
    x.ele('DateTime').txt(now.toISOString());
    x.ele('ExceptionType').txt(`Xero.API.Library.Exceptions.${exceptionType}`);
    x.ele('Message').txt(m);
    x.ele('Source').txt('Xero.API.Library');
  }
  stamp(root, status, now);
  return xml(httpStatus, serialize(root));
}

function four(v: Money | string): string {
  return new Money(v).toFixed(4);
}

const ADDRESS_1_0 = ['AddressType', 'AddressLine1', 'AddressLine2', 'AddressLine3', 'AddressLine4', 'City', 'Region', 'PostalCode', 'Country'];
const PHONE_1_0 = ['PhoneType', 'PhoneNumber', 'PhoneAreaCode', 'PhoneCountryCode'];

function only(f: Fields, names: string[]): Fields {
  const out: Fields = {};
  for (const n of names) if (f[n] !== undefined) out[n] = f[n];
  return out;
}

/** An invoice in the 1.0 element names (InvoiceType, InvoiceDate, IncludesTax, InvoiceStatus), amounts with 4 decimals. */
function legacyInvoice(app: App, rec: DocRecord): Fields {
  const contactRef = groupOf(rec.fields, 'Contact');
  const c = app.store.contacts.get(valueOf(contactRef, 'ContactID') ?? '');
  const contact: Fields = { ContactID: c?.id ?? valueOf(contactRef, 'ContactID') ?? '' };
  if (c) {
    for (const k of ['ContactNumber', 'ContactStatus', 'Name', 'EmailAddress']) if (valueOf(c.fields, k)) contact[k] = valueOf(c.fields, k)!;
    contact.Addresses = listOf(c.fields, 'Addresses').map((a) => only(a, ADDRESS_1_0));
    contact.Phones = listOf(c.fields, 'Phones').map((p) => only(p, PHONE_1_0));
  } else {
    contact.Name = valueOf(contactRef, 'Name') ?? '';
  }
  const f: Fields = { InvoiceType: typeOf(rec), InvoiceID: rec.id, Contact: contact };
  f.InvoiceDate = valueOf(rec.fields, 'Date') ?? '';
  if (valueOf(rec.fields, 'DueDate')) f.DueDate = valueOf(rec.fields, 'DueDate')!;
  f.InvoiceNumber = numberOf(rec) ?? '';
  f.Reference = valueOf(rec.fields, 'Reference') ?? '';
  f.IncludesTax = valueOf(rec.fields, 'LineAmountTypes') === 'NoTax' ? 'false' : 'true';
  f.SubTotal = four(rec.figures.subTotal);
  f.TotalTax = four(rec.figures.totalTax);
  f.Total = four(rec.figures.total);
  f.InvoiceStatus = statusOf(rec);
  // 1.0 adds tax on top of the lines and has no discounts: inclusive or discounted lines are shown by their
  // tax-exclusive amount and the unit price that gives it.
  const inclusive = valueOf(rec.fields, 'LineAmountTypes') === 'Inclusive';
  f.LineItems = (isList(rec.fields.LineItems) ? rec.fields.LineItems : []).map((l, i) => {
    const line: Fields = { LineItemID: valueOf(l, 'LineItemID') ?? '', Description: valueOf(l, 'Description') ?? '' };
    const tax = new Money(rec.figures.lines[i]?.taxAmount ?? '0');
    const amount = new Money(rec.figures.lines[i]?.lineAmount ?? '0').minus(inclusive ? tax : 0);
    const quantity = valueOf(l, 'Quantity');
    let unit = new Money(valueOf(l, 'UnitAmount') ?? '0');
    const discounted = valueOf(l, 'DiscountRate') !== undefined || valueOf(l, 'DiscountAmount') !== undefined;
    if ((inclusive || discounted) && quantity && !new Money(quantity).isZero()) unit = amount.div(quantity).toDecimalPlaces(4);
    if (quantity) line.Quantity = four(quantity);
    line.UnitAmount = four(unit);
    if (valueOf(l, 'TaxType')) line.TaxType = valueOf(l, 'TaxType')!;
    line.TaxAmount = four(tax);
    line.LineAmount = four(amount);
    if (valueOf(l, 'AccountCode')) line.AccountCode = valueOf(l, 'AccountCode')!;
    line.Tracking = listOf(l, 'Tracking').map((t) => only(t, ['Name', 'Option']));
    return line;
  });
  const payments = rec.payments.filter((p) => p.Status === 'AUTHORISED');
  if (payments.length) f.Payments = payments.map((p) => ({ Date: p.Date, Amount: four(p.Amount) }));
  if (rec.fullyPaidOnDate) f.FullyPaidOnDate = rec.fullyPaidOnDate;
  f.AmountDue = four(amountDue(rec));
  f.AmountPaid = four(amountPaid(rec));
  f.AmountCredited = four(amountAllocated(rec));
  return f;
}

function ok(now: Date, content: (root: ReturnType<typeof newDocument>) => void): Reply {
  const root = envelope();
  stamp(root, 'OK', now);
  content(root);
  return xml(200, serialize(root));
}

/** apiKey (the app: the sandbox's client id) and xeroKey (the organisation: its tenant id) on every 1.0 call. */
function checkKeys(app: App, ctx: Ctx): Reply | null {
  const apiKey = ctx.query('apiKey') ?? '';
  const xeroKey = ctx.query('xeroKey') ?? '';
  const creds = app.store.credentials;
  if (!apiKey || !xeroKey) return legacyError(401, 'Unauthorized', 'InvalidApiKeyException', ['The apiKey and xeroKey query parameters are required.'], ctx.now);
  if (apiKey !== creds.clientId) return legacyError(401, 'Unauthorized', 'InvalidApiKeyException', [`The apiKey ${apiKey} is not valid.`], ctx.now);
  if (xeroKey.toLowerCase() !== creds.tenantId.toLowerCase()) return legacyError(401, 'Unauthorized', 'InvalidXeroKeyException', [`The xeroKey ${xeroKey} is not valid for this organisation.`], ctx.now);
  return null;
}

const RENAMES: Record<string, string> = { InvoiceType: 'Type', InvoiceDate: 'Date', InvoiceStatus: 'Status' };

/** A 1.0 invoice as the 2.0 fields the store keeps (IncludesTax true: tax added per line, as the engine reads it). */
function toCurrentFields(f: Fields): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(f)) {
    if (k === 'IncludesTax' || k === 'TaxInclusive') {
      out.LineAmountTypes = v === 'false' || v === '0' ? 'NoTax' : 'Exclusive';
    } else if (k === 'Reference' && v === '') {
      continue;
    } else {
      out[RENAMES[k] ?? k] = v;
    }
  }
  return out;
}

/** PUT /invoice: an XML body (or form-encoded `xml=`), checked by the engine in its 1.0 dialect, then as any new invoice. */
async function put(app: App, ctx: Ctx): Promise<Reply> {
  const denied = checkKeys(app, ctx);
  if (denied) return denied;
  const body = classifyBody(ctx.body, ctx.header('content-type'));
  if (body.kind !== 'xml') {
    return legacyError(400, 'BadRequest', 'PostDataInvalidException', ['The request body must be an <Invoice> XML document (as the body, or form-encoded in an xml= field).'], ctx.now);
  }
  const checked = app.validator.readBody(body.text);
  if (checked.unreadable) return legacyError(400, 'BadRequest', 'PostDataInvalidException', [checked.unreadable], ctx.now);
  if (checked.result.dialect !== 'xero-1.0' || checked.root?.name !== 'Invoice' || checked.documents.length !== 1) {
    return legacyError(400, 'BadRequest', 'PostDataInvalidException', ['The request body must be one 1.0 <Invoice> (InvoiceType, Contact, InvoiceDate, InvoiceNumber, LineItems, …).'], ctx.now);
  }
  const problems = checked.result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
  if (problems.length) return legacyError(400, 'BadRequest', 'ValidationException', problems, ctx.now);
  const [outcome] = await app.docs.write('invoice', [{ fields: toCurrentFields(checked.documents[0].fields), purpose: 'create' }], { method: 'PUT', unitdp4: true, now: ctx.now });
  if (!outcome.record) return legacyError(400, 'BadRequest', 'ValidationException', outcome.errors, ctx.now);
  const rec = outcome.record;
  return ok(ctx.now, (root) => appendFields(root, { Invoice: legacyInvoice(app, rec) }));
}

/** GET /invoices?modifiedSince=YYYY-MM-DD: every invoice updated after that moment (UTC). */
function list(app: App, ctx: Ctx): Reply {
  const denied = checkKeys(app, ctx);
  if (denied) return denied;
  const raw = ctx.query('modifiedSince');
  const since = raw ? parseSince(raw) : null;
  if (raw && since === null) return legacyError(400, 'BadRequest', 'ArgumentException', [`modifiedSince '${raw}' is not a date (YYYY-MM-DD).`], ctx.now);
  const recs = app.docs.list('invoice').filter((r) => since === null || epochMs(r.updatedDateUTC) > since);
  return ok(ctx.now, (root) => appendFields(root, { Invoices: recs.map((r) => legacyInvoice(app, r)) }));
}

/** GET /invoice?invoiceID=…|invoiceNumber=… */
function one(app: App, ctx: Ctx): Reply {
  const denied = checkKeys(app, ctx);
  if (denied) return denied;
  const id = ctx.query('invoiceID');
  const number = ctx.query('invoiceNumber');
  if (!id && !number) return legacyError(400, 'BadRequest', 'ArgumentException', ['Give the invoiceID or the invoiceNumber of the invoice.'], ctx.now);
  const rec = app.docs.find('invoice', (id ?? number)!);
  if (!rec) {
    const what = id ? `invoice ID ${id}` : `invoice number ${number}`;
    return legacyError(404, 'InternalServerError', 'ObjectDoesNotExistException', [`Invoice with ${what} does not exist for this organisation`], ctx.now);
  }
  return ok(ctx.now, (root) => appendFields(root, { Invoice: legacyInvoice(app, rec) }));
}

export function legacyRoutes(app: App): Route[] {
  return [
    route('legacy', `${BASE}/invoice`, { GET: (c) => one(app, c), PUT: (c) => put(app, c) }),
    route('legacy', `${BASE}/invoices`, { GET: (c) => list(app, c) }),
  ];
}

export function legacyMethodNotAllowed(now: Date, method: string): Reply {
  return legacyError(405, 'MethodNotAllowed', 'MethodNotAllowedException', [`${method} is not supported here.`], now);
}
