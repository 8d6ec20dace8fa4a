import type { XmlElement } from '../xml/tree';
import type { Dialect, DocumentKind } from './dialect';
import type { LineAmountTypes, LineInput } from './totals';

/**
 * What a document asks of the API: create or update an invoice, change the status of an existing one, or (for a
 * document fetched from the API) describe its state.
 */
export type Purpose = 'create' | 'statusChange' | 'state';

export interface LineModel {
  element: XmlElement;
  fields: Fields;
  tracking: XmlElement[];
  input: LineInput;
}

export interface InvoiceModel {
  dialect: Dialect;
  kind: DocumentKind;
  element: XmlElement;
  fields: Fields;
  purpose: Purpose;
  /** ACCREC, ACCPAY, ACCRECCREDIT, … as written. */
  type: string | null;
  /** The status the document is headed to (DRAFT when a request states none), or the state it reports. */
  status: string | null;
  /** The Status element, when written. */
  statusElement?: XmlElement;
  lineAmountTypes: LineAmountTypes;
  currency: string | null;
  number: string | null;
  numberElement?: XmlElement;
  invoiceId: string | null;
  contactName: string | null;
  lineItems?: XmlElement;
  lines: LineModel[];
}

const SETTLED = new Set(['PAID', 'VOIDED', 'DELETED']);

const READ_ONLY_FIELDS = [
  'AmountDue', 'AmountPaid', 'AmountCredited', 'Payments', 'UpdatedDateUTC', 'FullyPaidOnDate', 'HasAttachments',
  'Prepayments', 'Overpayments', 'RemainingCredit', 'Allocations', 'LineItemID',
];

/** An element's child elements by name (the first of a name counts). */
export interface Fields {
  get(name: string): XmlElement | undefined;
  has(name: string): boolean;
}

/**
 * A scan rather than a Map: an invoice has a few dozen fields, read a dozen times, and element names are shared
 * strings, so comparing them is cheaper than building a hash table per invoice and per line.
 */
class ChildFields implements Fields {
  constructor(private readonly children: readonly XmlElement[]) {}

  get(name: string): XmlElement | undefined {
    const children = this.children;
    for (let i = 0; i < children.length; i++) if (children[i].name === name) return children[i];
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }
}

export function fieldsOf(el: XmlElement): Fields {
  return new ChildFields(el.children);
}

/** The trimmed text of a field, or undefined when the field is absent. */
export function fieldText(fields: Fields, name: string): string | undefined {
  const el = fields.get(name);
  return el ? el.text.trim() : undefined;
}

function nonEmpty(v: string | undefined): string | null {
  return v ? v : null;
}

function lineAmountTypesOf(dialect: Dialect, fields: Fields): LineAmountTypes {
  if (dialect === 'xero-1.0') {
    // Both 1.0 examples (seeds 003, 004) say IncludesTax true yet add the tax on top of the lines
    // (SubTotal + TotalTax = Total): true means "tax is added per line", false means no tax.
    const flag = fieldText(fields, 'IncludesTax') ?? fieldText(fields, 'TaxInclusive');
    return flag === 'false' || flag === '0' ? 'NoTax' : 'Exclusive';
  }
  const v = fieldText(fields, 'LineAmountTypes');
  return v === 'Inclusive' || v === 'NoTax' ? v : 'Exclusive';
}

function lineModel(el: XmlElement): LineModel {
  const fields = fieldsOf(el);
  const tracking: XmlElement[] = [];
  const categories = fields.get('Tracking')?.children;
  if (categories) for (let i = 0; i < categories.length; i++) if (categories[i].name === 'TrackingCategory') tracking.push(categories[i]);
  return {
    element: el,
    fields,
    tracking,
    input: {
      quantity: fieldText(fields, 'Quantity'),
      unitAmount: fieldText(fields, 'UnitAmount'),
      discountRate: fieldText(fields, 'DiscountRate'),
      discountAmount: fieldText(fields, 'DiscountAmount'),
      lineAmount: fieldText(fields, 'LineAmount'),
      taxAmount: fieldText(fields, 'TaxAmount'),
      taxType: fieldText(fields, 'TaxType'),
      hasItemCode: !!fieldText(fields, 'ItemCode'),
    },
  };
}

function purposeOf(dialect: Dialect, fields: Fields, inResponse: boolean): Purpose {
  if (inResponse) return 'state';
  const typeField = dialect === 'xero-1.0' ? 'InvoiceType' : 'Type';
  const statusField = dialect === 'xero-1.0' ? 'InvoiceStatus' : 'Status';
  if (!fields.has(typeField) && !fields.has('Contact') && !fields.has('LineItems') && (fields.has(statusField) || fields.has('SentToContact'))) {
    return 'statusChange';
  }
  const id = fieldText(fields, 'InvoiceID') ?? fieldText(fields, 'CreditNoteID');
  // An existing invoice (it has an ID) that is paid, voided or deleted, or carries read-only fields, is a record
  // of its state (as written back after a void, or fetched), not a request to create it with that status.
  const status = fieldText(fields, statusField);
  if (id && (READ_ONLY_FIELDS.some((f) => fields.has(f)) || (status !== undefined && SETTLED.has(status)))) return 'state';
  return 'create';
}

/** A line item's model: kept (`models`, by element), or made and kept. */
function keptLineModel(el: XmlElement, models: WeakMap<XmlElement, LineModel>): LineModel {
  let m = models.get(el);
  if (!m) {
    m = lineModel(el);
    models.set(el, m);
  }
  return m;
}

/**
 * The typed view of one invoice or credit note of a Xero 2.0 or legacy 1.0 document. `lineModels`: line models kept
 * by line item element, by a caller that drops those of elements that change (see CheckMemo).
 */
export function invoiceModel(dialect: Dialect, kind: DocumentKind, el: XmlElement, inResponse: boolean, lineModels?: WeakMap<XmlElement, LineModel>): InvoiceModel {
  const fields = fieldsOf(el);
  const legacy = dialect === 'xero-1.0';
  const purpose = purposeOf(dialect, fields, inResponse);
  const statusElement = fields.get(legacy ? 'InvoiceStatus' : 'Status');
  const statusText = statusElement?.text.trim();
  const status = statusText ? statusText : purpose === 'create' && !legacy ? 'DRAFT' : null;
  const numberElement = fields.get(kind === 'creditNote' ? 'CreditNoteNumber' : 'InvoiceNumber');
  const lineItems = fields.get('LineItems');
  const contact = fields.get('Contact');
  // Lists per invoice are pushed to, not made with map or filter: map in optimised code makes a holey array where
  // the interpreter makes a packed one, and code optimised on one kind is thrown away at the first of the other
  // (thousands of invoices into a big file, as the producer gets optimised).
  const lines: LineModel[] = [];
  const items = lineItems?.children;
  if (items) {
    for (let i = 0; i < items.length; i++) {
      const c = items[i];
      if (c.name === 'LineItem') lines.push(lineModels ? keptLineModel(c, lineModels) : lineModel(c));
    }
  }
  return {
    dialect,
    kind,
    element: el,
    fields,
    purpose,
    type: nonEmpty(fieldText(fields, legacy ? 'InvoiceType' : 'Type')),
    status,
    statusElement,
    lineAmountTypes: lineAmountTypesOf(dialect, fields),
    currency: nonEmpty(fieldText(fields, 'CurrencyCode')),
    number: nonEmpty(numberElement?.text.trim()),
    numberElement,
    invoiceId: nonEmpty(fieldText(fields, kind === 'creditNote' ? 'CreditNoteID' : 'InvoiceID')),
    contactName: contact ? nonEmpty(fieldText(fieldsOf(contact), 'Name')) : null,
    lineItems,
    lines,
  };
}
