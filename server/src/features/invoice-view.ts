import { invoiceFigures, invoiceModel, type InvoiceFigures, type InvoiceModel } from '../engine';
import type { OpenDocument } from '../documents';

export interface InvoiceView {
  index: number;
  model: InvoiceModel;
  figures: InvoiceFigures | null;
  /** Document offset = origin + the model's element offsets. */
  origin: number;
}

/** The typed model and recomputed figures of one invoice (Xero 2.0 and 1.0), for hints, hover and fixes. */
export function invoiceView(doc: OpenDocument, index: number): InvoiceView | null {
  const dialect = doc.analysis.dialect;
  if (dialect !== 'xero-2.0' && dialect !== 'xero-1.0') return null;
  const { target, origin } = doc.analysis.invoice(index);
  const model = invoiceModel(dialect, target.kind, target.element, doc.analysis.inResponseDocument);
  return { index, model, figures: invoiceFigures(model, doc.analysis.options), origin };
}
