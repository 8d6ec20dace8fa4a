import { randomUUID } from 'node:crypto';
import { itemNameOf, type Fields } from '../domain/fields';
import { fieldsToJson, RawNumber, stringify, type Json } from './json';
import { appendFields, newDocument, serialize, XSI } from './xml';

export type Format = 'xml' | 'json';

/** One entity of a response, with the API's verdict on it when the response carries one. */
export interface Entity {
  fields: Fields;
  /** `status="OK|ERROR"` (XML) / `StatusAttributeString` (JSON): SummarizeErrors=false answers. */
  status?: 'OK' | 'ERROR';
  errors?: string[];
  warnings?: string[];
}

export interface Pagination {
  page: number;
  pageSize: number;
  pageCount: number;
  itemCount: number;
}

export const PROVIDER = 'Xero Invoice Sandbox';

function messages(list: string[]): Fields[] {
  return list.map((Message) => ({ Message }));
}

function entityJson(e: Entity): { [key: string]: Json } {
  const out = fieldsToJson(e.fields);
  if (e.status) {
    out.StatusAttributeString = e.status;
    out.HasErrors = e.status === 'ERROR';
  }
  if (e.errors?.length) out.ValidationErrors = e.errors.map((Message) => ({ Message }));
  if (e.warnings?.length) out.Warnings = e.warnings.map((Message) => ({ Message }));
  return out;
}

/**
 * `<Response><Id/><Status>OK</Status><ProviderName/><DateTimeUTC/><Invoices>…</Invoices></Response>`, or its JSON
 * form `{"Id":…,"Status":"OK",…,"Invoices":[…]}`. Pagination is JSON-only (the XML schema has no element for it).
 */
export function responseBody(format: Format, collection: string, entities: Entity[], now: Date, pagination?: Pagination): string {
  const id = randomUUID();
  if (format === 'json') {
    const body: { [key: string]: Json } = { Id: id, Status: 'OK', ProviderName: PROVIDER, DateTimeUTC: `/Date(${now.getTime()})/` };
    if (pagination) body.pagination = { page: pagination.page, pageSize: pagination.pageSize, pageCount: pagination.pageCount, itemCount: pagination.itemCount };
    body[collection] = entities.map(entityJson);
    return stringify(body);
  }
  const root = newDocument('Response', true);
  root.ele('Id').txt(id);
  root.ele('Status').txt('OK');
  root.ele('ProviderName').txt(PROVIDER);
  root.ele('DateTimeUTC').txt(now.toISOString());
  const list = root.ele(collection);
  const item = itemNameOf(collection);
  for (const e of entities) {
    const el = list.ele(item);
    if (e.status) el.att('status', e.status);
    if (e.errors?.length) appendFields(el, { ValidationErrors: messages(e.errors) });
    if (e.warnings?.length) appendFields(el, { Warnings: messages(e.warnings) });
    appendFields(el, e.fields);
  }
  return serialize(root);
}

export interface ExceptionElement {
  /** `Invoice`, `CreditNote`, `Payment`, …: the xsi:type of the echoed entity. */
  type: string;
  fields: Fields;
  errors: string[];
  warnings?: string[];
}

/** The ApiException shape (FACTS §4): ErrorNumber, Type, Message, and the failed entities echoed with their errors. */
export function apiException(format: Format, errorNumber: number, type: string, message: string, elements?: ExceptionElement[]): string {
  if (format === 'json') {
    const body: { [key: string]: Json } = { ErrorNumber: new RawNumber(String(errorNumber)), Type: type, Message: message };
    if (elements) {
      body.Elements = elements.map((e) => ({
        ...fieldsToJson(e.fields),
        ValidationErrors: e.errors.map((Message) => ({ Message })),
        ...(e.warnings?.length ? { Warnings: e.warnings.map((Message) => ({ Message })) } : {}),
      }));
    }
    return stringify(body);
  }
  const root = newDocument('ApiException', true);
  root.ele('ErrorNumber').txt(String(errorNumber));
  root.ele('Type').txt(type);
  root.ele('Message').txt(message);
  if (elements) {
    const list = root.ele('Elements');
    for (const e of elements) {
      const el = list.ele('DataContractBase').att(XSI, 'xsi:type', e.type);
      appendFields(el, { ValidationErrors: messages(e.errors) });
      appendFields(el, { Warnings: messages(e.warnings ?? []) });
      appendFields(el, e.fields);
    }
  }
  return serialize(root);
}
