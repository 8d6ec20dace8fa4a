import { attribute, child, type XmlElement } from '../xml/tree';

export type Dialect = 'xero-2.0' | 'xero-1.0' | 'workflowmax-3.0' | 'unknown';
export type DocumentKind = 'invoice' | 'creditNote';

export interface InvoiceElement {
  element: XmlElement;
  kind: DocumentKind;
}

const LEGACY_MARKERS = ['InvoiceType', 'InvoiceDate', 'IncludesTax', 'TaxInclusive', 'InvoiceStatus'];
const WORKFLOWMAX_MARKERS = ['AmountIncludingTax', 'AmountOutstanding', 'JobText', 'UUID', 'ID', 'Client', 'Jobs'];

function hasAny(el: XmlElement, names: string[]): boolean {
  return el.children.some((c) => names.includes(c.name));
}

/** The document is an API response (or an error echo): its invoices describe state, not requests. */
export function isResponseRoot(root: XmlElement | null): boolean {
  return root?.name === 'Response' || root?.name === 'ApiException';
}

/** The dialect an invoice element is written in, from its own children. */
export function invoiceDialect(invoice: XmlElement): Dialect {
  if (hasAny(invoice, LEGACY_MARKERS)) return 'xero-1.0';
  if (hasAny(invoice, WORKFLOWMAX_MARKERS)) return 'workflowmax-3.0';
  return 'xero-2.0';
}

/** The first invoice-like element below a root, for telling the dialects apart. */
function firstInvoice(root: XmlElement): XmlElement | undefined {
  if (root.name === 'Invoice') return root;
  const single = child(root, 'Invoice');
  if (single) return single;
  const list = child(root, 'Invoices');
  return list ? child(list, 'Invoice') : undefined;
}

/**
 * Which API a document speaks, from its root and its first invoice (when it has one). A streaming reader asks
 * as soon as that first invoice is complete; the root's other children then are those read so far.
 */
export function dialectFrom(root: XmlElement, invoice: XmlElement | undefined): Dialect {
  switch (root.name) {
    case 'Invoice':
      return invoiceDialect(root);
    case 'Invoices':
      return invoice?.name === 'Invoice' ? invoiceDialect(invoice) : 'xero-2.0';
    case 'CreditNote':
    case 'CreditNotes':
    case 'ApiException':
      return 'xero-2.0';
    case 'Response': {
      if (invoice?.name === 'Invoice') return invoiceDialect(invoice);
      if (child(root, 'CreditNotes') || child(root, 'Id')) return 'xero-2.0';
      if (child(root, 'ID') || child(root, 'Errors')) return 'xero-1.0';
      if (child(root, 'Status')) return 'workflowmax-3.0';
      return 'unknown';
    }
    default:
      return 'unknown';
  }
}

/** Which API a document speaks, from its root and the shape of its first invoice. */
export function detectDialect(root: XmlElement | null): Dialect {
  return root ? dialectFrom(root, firstInvoice(root)) : 'unknown';
}

/**
 * The kind of invoice an element is, by where it stands (its ancestors, outermost first), or undefined: the one
 * definition of where invoices are, for the tree (findInvoices) and for a streaming reader alike. Credit notes
 * are Xero 2.0 only; the caller that knows the dialect drops them elsewhere.
 */
export function invoiceKindAt(el: XmlElement, ancestors: readonly XmlElement[]): DocumentKind | undefined {
  const depth = ancestors.length;
  if (el.name === 'Invoice' || el.name === 'CreditNote') {
    const kind = el.name === 'Invoice' ? 'invoice' : 'creditNote';
    if (depth === 0) return kind;
    const root = ancestors[0].name;
    if (depth === 1) return root === 'Invoices' || root === 'CreditNotes' || root === 'Response' ? kind : undefined;
    if (depth !== 2 || root !== 'Response') return undefined;
    const parent = ancestors[1].name;
    return parent === 'Invoices' || parent === 'CreditNotes' ? kind : undefined;
  }
  if (el.name === 'DataContractBase' && depth === 2 && ancestors[0].name === 'ApiException' && ancestors[1].name === 'Elements') {
    const t = attribute(el, 'xsi:type')?.value.replace(/^.*:/, '');
    return t === 'Invoice' ? 'invoice' : t === 'CreditNote' ? 'creditNote' : undefined;
  }
  return undefined;
}

/**
 * Whether an element, by where it stands (its ancestors, outermost first), may hold an invoice or credit note
 * among its descendants (see invoiceKindAt): the root, and the lists an API response holds them in.
 */
export function mayHoldInvoices(el: XmlElement, ancestors: readonly XmlElement[]): boolean {
  if (ancestors.length === 0) return true;
  if (ancestors.length !== 1) return false;
  const root = ancestors[0].name;
  return (root === 'Response' && (el.name === 'Invoices' || el.name === 'CreditNotes')) || (root === 'ApiException' && el.name === 'Elements');
}

/** Whether a document of this kind is one the dialect has: credit notes are Xero 2.0's only. */
export function dialectHas(dialect: Dialect, kind: DocumentKind): boolean {
  return kind === 'invoice' || dialect === 'xero-2.0';
}

/** The invoices and credit notes of a document, in document order. */
export function findInvoices(root: XmlElement, dialect: Dialect): InvoiceElement[] {
  const out: InvoiceElement[] = [];
  const visit = (el: XmlElement, ancestors: XmlElement[]) => {
    const kind = invoiceKindAt(el, ancestors);
    if (kind) {
      if (dialectHas(dialect, kind)) out.push({ element: el, kind });
      return;
    }
    if (ancestors.length >= 2) return;
    ancestors.push(el);
    for (const c of el.children) visit(c, ancestors);
    ancestors.pop();
  };
  visit(root, []);
  return out;
}
