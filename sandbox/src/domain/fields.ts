import { isDecimal, type XmlElement } from '@engine';

/**
 * A document as the API sees it, independent of XML or JSON: element name → text, nested fields, or a list.
 * Key order is kept (it is the element order of what was sent, or the order a view chose).
 */
export type FieldValue = string | Fields | Fields[];
export interface Fields {
  [name: string]: FieldValue;
}

/** List containers and the name of their items, as both XML and JSON bodies spell them. */
export const LIST_ITEMS: Readonly<Record<string, string>> = {
  Invoices: 'Invoice',
  CreditNotes: 'CreditNote',
  LineItems: 'LineItem',
  Tracking: 'TrackingCategory',
  Addresses: 'Address',
  Phones: 'Phone',
  ContactPersons: 'ContactPerson',
  ContactGroups: 'ContactGroup',
  Payments: 'Payment',
  Prepayments: 'Prepayment',
  Overpayments: 'Overpayment',
  Allocations: 'Allocation',
  ValidationErrors: 'ValidationError',
  Warnings: 'Warning',
  HistoryRecords: 'HistoryRecord',
  Attachments: 'Attachment',
  InvoiceAddresses: 'InvoiceAddress',
  Options: 'Option',
  TaxComponents: 'TaxComponent',
  Accounts: 'Account',
  TaxRates: 'TaxRate',
  TrackingCategories: 'TrackingCategory',
  Currencies: 'Currency',
  Contacts: 'Contact',
  Items: 'Item',
  OnlineInvoices: 'OnlineInvoice',
  Organisations: 'Organisation',
  Jobs: 'Job',
  Tasks: 'Task',
  Costs: 'Cost',
  Errors: 'Error',
};

export function itemNameOf(container: string): string {
  return LIST_ITEMS[container] ?? container.replace(/s$/, '');
}

export function isList(v: FieldValue | undefined): v is Fields[] {
  return Array.isArray(v);
}

export function isGroup(v: FieldValue | undefined): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The text of a field (trimmed), or undefined when it is absent or not text. */
export function textOf(f: Fields | undefined, name: string): string | undefined {
  const v = f?.[name];
  return typeof v === 'string' ? v : undefined;
}

/** The text of a field when it has any. */
export function valueOf(f: Fields | undefined, name: string): string | undefined {
  const v = textOf(f, name);
  return v ? v : undefined;
}

export function groupOf(f: Fields | undefined, name: string): Fields | undefined {
  const v = f?.[name];
  return isGroup(v) ? v : undefined;
}

export function listOf(f: Fields | undefined, name: string): Fields[] {
  const v = f?.[name];
  return isList(v) ? v : [];
}

export function cloneFields<T extends Fields>(f: T): T {
  return structuredClone(f);
}

/** A copy without the named fields. */
export function without(f: Fields, names: Iterable<string>): Fields {
  const drop = new Set(names);
  const out: Fields = {};
  for (const [k, v] of Object.entries(f)) if (!drop.has(k)) out[k] = v;
  return out;
}

function isNil(el: XmlElement): boolean {
  return el.attributes.some((a) => a.name.endsWith(':nil') && (a.value === 'true' || a.value === '1'));
}

/**
 * The fields of an element of a parsed (well-formed) document. Repeated elements outside list containers keep
 * their first occurrence, as the engine's model does; `xsi:nil` elements count as absent.
 */
export function fieldsOf(el: XmlElement): Fields {
  const out: Fields = {};
  for (const c of el.children) {
    if (c.name in out || isNil(c)) continue;
    out[c.name] = valueOfElement(c);
  }
  return out;
}

function valueOfElement(el: XmlElement): FieldValue {
  if (el.name in LIST_ITEMS) {
    const item = LIST_ITEMS[el.name];
    return el.children.filter((c) => c.name === item).map(fieldsOf);
  }
  if (el.children.length > 0) return fieldsOf(el);
  return el.text.trim();
}

/** Loose equality for change detection: same text, same number (5 = 5.0000), same nested values. */
export function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (typeof a === 'string' || typeof b === 'string') {
    if (typeof a !== 'string' || typeof b !== 'string') return false;
    if (a === b) return true;
    if (isDecimal(a) && isDecimal(b)) return numericEqual(a, b);
    const day = /^(\d{4}-\d{2}-\d{2})(T00:00:00)?$/;
    const da = day.exec(a);
    const db = day.exec(b);
    return !!da && !!db && da[1] === db[1];
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameFields(x, b[i]));
  }
  return sameFields(a, b);
}

function numericEqual(a: string, b: string): boolean {
  const norm = (s: string) => {
    let [i, f = ''] = s.replace(/^\+/, '').split('.');
    const neg = i.startsWith('-');
    i = i.replace(/^-/, '').replace(/^0+(?=\d)/, '');
    f = f.replace(/0+$/, '');
    const body = f ? `${i || '0'}.${f}` : i || '0';
    return body === '0' ? '0' : (neg ? '-' : '') + body;
  };
  return norm(a) === norm(b);
}

/** Every field of `sent` has the same value in `stored`. */
export function sameFields(sent: Fields, stored: Fields): boolean {
  return Object.entries(sent).every(([k, v]) => sameValue(v, stored[k]));
}
