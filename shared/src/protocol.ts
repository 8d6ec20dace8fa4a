import { NotificationType, RequestType, type Position, type Range, type TextEdit } from 'vscode-languageserver-protocol';
import type { OrganisationSettings } from './settings';

/** What the client needs to know of one invoice to act on it through the API. */
export interface InvoiceInfo {
  /** Position among the document's invoices and credit notes. */
  index: number;
  kind: 'invoice' | 'creditNote';
  dialect: 'xero-2.0' | 'xero-1.0' | 'workflowmax-3.0';
  /** create: a request to create or update; statusChange: identifier + status; state: fetched from the API. */
  purpose: 'create' | 'statusChange' | 'state';
  range: Range;
  invoiceId: string | null;
  invoiceNumber: string | null;
  status: string | null;
  type: string | null;
  contact: string | null;
  currency: string | null;
  subTotal: string | null;
  totalTax: string | null;
  total: string | null;
  /** Errors the engine reports on this invoice (the client can refuse to send). */
  errors: number;
  /** The invoice as a request body of its own (`<Invoices><Invoice>…</Invoice></Invoices>` for 2.0). */
  requestXml: string;
  /** The invoice element alone (`<Invoice>…</Invoice>`), for building a batch of several. */
  elementXml: string;
}

export interface InvoiceAtParams {
  textDocument: { uri: string };
  position: Position;
}

export interface InvoicesResult {
  uri: string;
  version: number;
  dialect: 'xero-2.0' | 'xero-1.0' | 'workflowmax-3.0' | 'unknown';
  invoices: InvoiceInfo[];
}

/** The invoice at a position, or null; with the document version it was read from. */
export const InvoiceAtRequest = new RequestType<InvoiceAtParams, { version: number; invoice: InvoiceInfo | null }, void>('xeroInvoice/invoiceAt');

/** Every invoice of a document. */
export const AllInvoicesRequest = new RequestType<{ textDocument: { uri: string } }, InvoicesResult, void>('xeroInvoice/allInvoices');

/** What the endpoint answered for one invoice of a document. */
export interface ServerInvoiceResult {
  index: number;
  invoiceId?: string;
  invoiceNumber?: string;
  status?: string;
  updatedDateUTC?: string;
  sentToContact?: boolean;
  /** Per-invoice validation errors and warnings from the endpoint: shown on the invoice until it is edited. */
  errors?: string[];
  warnings?: string[];
}

export interface ApplyServerResultsParams {
  textDocument: { uri: string; version: number };
  results: ServerInvoiceResult[];
}

export interface ApplyServerResultsResult {
  /** False when the document changed since `version`: nothing to write back. */
  applicable: boolean;
  /** Edits that write the returned identifiers and statuses into the document (for that version). */
  edits: TextEdit[];
  reason?: string;
}

/**
 * Hands the endpoint's answers to the server: it remembers per-invoice errors (shown as diagnostics until the
 * invoice is edited) and computes the edits that write InvoiceID, InvoiceNumber and Status back. The client
 * applies the edits as one undoable edit, guarded by the version.
 */
export const ApplyServerResultsRequest = new RequestType<ApplyServerResultsParams, ApplyServerResultsResult, void>('xeroInvoice/applyServerResults');

/** Organisation lists fetched from the endpoint by the client, merged with the settings' lists. */
export const OrganisationNotification = new NotificationType<Partial<OrganisationSettings>>('xeroInvoice/organisation');

/** The invoice at the cursor as its customer will see it, for the preview; null view when there is none there. */
export interface PreviewResult {
  uri: string;
  version: number;
  /** The invoice's position among the document's invoices, and how many there are. */
  index: number;
  count: number;
  view: import('./render/invoice-view').InvoiceView | null;
  /** Every problem of that invoice (the view marks those about a figure it shows), in document order. */
  problems: import('./render/invoice-view').Mark[];
  /** Why there is no view (not an invoice document, a WorkflowMax document, …). */
  message?: string;
}

/** The preview of the invoice at a position (or the first invoice when the position is outside every invoice). */
export const PreviewRequest = new RequestType<InvoiceAtParams, PreviewResult, void>('xeroInvoice/preview');
