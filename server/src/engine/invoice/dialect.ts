import { child, type XmlElement } from '../xml/tree';

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

/** The dialect an invoice element is written in, from its own children. */
export function invoiceDialect(invoice: XmlElement): Dialect {
  if (hasAny(invoice, LEGACY_MARKERS)) return 'xero-1.0';
  if (hasAny(invoice, WORKFLOWMAX_MARKERS)) return 'workflowmax-3.0';
  return 'xero-2.0';
}

/** The first invoice-like element below a root, for telling the dialects apart. */
function firstInvoice(root: XmlElement): XmlElement | undefined {
  const single = child(root, 'Invoice');
  if (single) return single;
  const list = child(root, 'Invoices');
  return list ? child(list, 'Invoice') : undefined;
}

/** Which API a document speaks, from its root and the shape of its first invoice. */
export function detectDialect(root: XmlElement | null): Dialect {
  if (!root) return 'unknown';
  switch (root.name) {
    case 'Invoice':
      return invoiceDialect(root);
    case 'Invoices': {
      const first = child(root, 'Invoice');
      return first ? invoiceDialect(first) : 'xero-2.0';
    }
    case 'CreditNote':
    case 'CreditNotes':
    case 'ApiException':
      return 'xero-2.0';
    case 'Response': {
      const inv = firstInvoice(root);
      if (inv) return invoiceDialect(inv);
      if (child(root, 'CreditNotes') || child(root, 'Id')) return 'xero-2.0';
      if (child(root, 'ID') || child(root, 'Errors')) return 'xero-1.0';
      if (child(root, 'Status')) return 'workflowmax-3.0';
      return 'unknown';
    }
    default:
      return 'unknown';
  }
}

/** The invoices and credit notes of a document, in document order. */
export function findInvoices(root: XmlElement, dialect: Dialect): InvoiceElement[] {
  const out: InvoiceElement[] = [];
  const take = (parent: XmlElement | undefined) => {
    if (!parent) return;
    for (const c of parent.children) {
      if (c.name === 'Invoice') out.push({ element: c, kind: 'invoice' });
      else if (c.name === 'CreditNote' && dialect === 'xero-2.0') out.push({ element: c, kind: 'creditNote' });
    }
  };
  switch (root.name) {
    case 'Invoice':
      out.push({ element: root, kind: 'invoice' });
      break;
    case 'CreditNote':
      out.push({ element: root, kind: 'creditNote' });
      break;
    case 'Invoices':
    case 'CreditNotes':
      take(root);
      break;
    case 'Response':
      for (const c of root.children) {
        if (c.name === 'Invoice') out.push({ element: c, kind: 'invoice' });
        else if (c.name === 'CreditNote' && dialect === 'xero-2.0') out.push({ element: c, kind: 'creditNote' });
        else if (c.name === 'Invoices' || c.name === 'CreditNotes') take(c);
      }
      break;
    case 'ApiException': {
      const elements = child(root, 'Elements');
      for (const c of elements?.children ?? []) {
        if (c.name !== 'DataContractBase') continue;
        const t = c.attributes.find((a) => a.name === 'xsi:type')?.value.replace(/^.*:/, '');
        if (t === 'Invoice') out.push({ element: c, kind: 'invoice' });
        else if (t === 'CreditNote') out.push({ element: c, kind: 'creditNote' });
      }
      break;
    }
  }
  return out;
}
