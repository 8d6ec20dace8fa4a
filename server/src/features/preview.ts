import { format2, type CheckResult, type EngineDiagnostic, type XmlElement } from '../engine';
import type { DocumentStore, OpenDocument } from '../documents';
import { amountsAreText, displayDay, titleOf, type HeaderField, type InvoiceView as CustomerView, type LineField, type Mark, type ViewLine } from '../../../shared/src/render/invoice-view';
import type { PreviewResult } from '../../../shared/src/protocol';
import { invoiceView } from './invoice-view';

const HEADER_FIELDS: Record<string, HeaderField> = {
  Contact: 'contact',
  InvoiceNumber: 'number',
  CreditNoteNumber: 'number',
  Date: 'date',
  DueDate: 'dueDate',
  Status: 'status',
  SubTotal: 'subTotal',
  TotalTax: 'totalTax',
  Total: 'total',
};
const LINE_FIELDS: Record<string, LineField> = {
  Description: 'description',
  Quantity: 'quantity',
  UnitAmount: 'unitAmount',
  DiscountRate: 'discount',
  DiscountAmount: 'discount',
  TaxType: 'tax',
  TaxAmount: 'taxAmount',
  LineAmount: 'amount',
};

const within = (el: XmlElement, origin: number, at: number) => at >= origin + el.start && at <= origin + el.end;

/** The child of `parent` a diagnostic starts in, or null when it sits on `parent`'s own tag. */
function childAt(parent: XmlElement, origin: number, at: number): XmlElement | null {
  return parent.children.find((c) => within(c, origin, at)) ?? null;
}

function push<K extends string>(marks: Partial<Record<K, Mark[]>>, key: K, mark: Mark): void {
  (marks[key] ??= []).push(mark);
}

function mine(result: CheckResult, start: number, end: number, silenced: string[]): EngineDiagnostic[] {
  return result.diagnostics.filter((d) => d.start >= start && d.start <= end && !silenced.includes(d.code));
}

/**
 * The invoice at `offset` as the customer will see it (the shared view the sandbox's online invoice and PDF draw),
 * from the engine's model and figures: computed amounts, and each figure a diagnostic is about marked with it.
 */
export function invoicePreview(store: DocumentStore, uri: string, offset: number): PreviewResult | null {
  const doc = store.get(uri);
  if (!doc) return null;
  const result = doc.result();
  const base = { uri, version: doc.textDocument.version, count: result.documents.length, problems: [] as Mark[] };
  if (result.documents.length === 0) return { ...base, index: -1, view: null, message: 'There is no invoice or credit note in this document.' };
  const at = doc.analysis.invoiceIndexAt(offset);
  // Between or after invoices: the one before the cursor (the first one before any).
  const next = result.documents.findIndex((d) => d.start > offset);
  const index = at >= 0 ? at : next < 0 ? result.documents.length - 1 : Math.max(0, next - 1);
  const v = invoiceView(doc, index);
  if (!v) return { ...base, index, view: null, message: `A ${doc.analysis.dialect} document has no customer view here.` };
  const checked = result.documents[index];
  const problems = mine(result, checked.start, checked.end, doc.settings.silencedCodes).map((d) => mark(doc, d));
  return { ...base, index, problems, view: customerView(doc, v, result, checked.start, checked.end) };
}

function mark(doc: OpenDocument, d: EngineDiagnostic): Mark {
  const p = doc.textDocument.positionAt(d.start);
  return { code: d.code, message: d.message, line: p.line, character: p.character };
}

function customerView(doc: OpenDocument, v: NonNullable<ReturnType<typeof invoiceView>>, result: CheckResult, start: number, end: number): CustomerView {
  const { model, figures, origin } = v;
  const text = (name: string) => model.fields.get(name)?.text.trim() ?? '';
  const lines: ViewLine[] = model.lines.map((line, i) => {
    const f = figures?.lines[i];
    const rate = line.input.discountRate?.trim();
    const discountAmount = line.input.discountAmount?.trim();
    return {
      description: line.fields.get('Description')?.text.trim() ?? '',
      quantity: line.input.quantity?.trim() ?? '',
      unitAmount: line.input.unitAmount?.trim() ?? '',
      discount: rate ? `${rate}%` : (discountAmount ?? ''),
      tax: f?.rate ? `${f.rate.toString()}%` : (line.input.taxType?.trim() ?? ''),
      taxAmount: format2(f?.taxAmount ?? null) ?? '',
      amount: format2(f?.lineAmount ?? null) ?? '',
    };
  });
  const view: CustomerView = {
    title: titleOf(model.kind, model.type),
    number: model.number ?? '',
    reference: text('Reference'),
    status: model.status ?? 'DRAFT',
    date: displayDay(text('Date')),
    dueDate: displayDay(text('DueDate')),
    currency: model.currency ?? '',
    amountsAre: amountsAreText(model.lineAmountTypes),
    org: null,
    contact: { name: model.contactName ?? '', email: model.fields.get('Contact')?.children.find((c) => c.name === 'EmailAddress')?.text.trim() ?? '', addressLines: [] },
    lines,
    subTotal: format2(figures?.subTotal ?? null) ?? '',
    totalTax: format2(figures?.totalTax ?? null) ?? '',
    total: format2(figures?.total ?? null) ?? '',
    paid: text('AmountPaid'),
    credited: text('AmountCredited'),
    due: text('AmountDue') || (format2(figures?.total ?? null) ?? ''),
    dueLabel: model.kind === 'creditNote' ? 'Remaining credit' : 'Amount due',
    marks: {},
  };
  // Each diagnostic marks the figure it is about: the element it starts in, or the element it says is missing.
  for (const d of mine(result, start, end, doc.settings.silencedCodes)) {
    const m = mark(doc, d);
    const missing = typeof d.data?.missing === 'string' ? d.data.missing : undefined;
    const line = model.lines.findIndex((l) => within(l.element, origin, d.start));
    if (line >= 0) {
      const child = childAt(model.lines[line].element, origin, d.start);
      const field = LINE_FIELDS[child?.name ?? missing ?? ''] ?? (missing === 'AccountCode' ? undefined : 'description');
      const target = view.lines[line];
      if (field) push((target.marks ??= {}), field, m);
      continue;
    }
    const child = childAt(model.element, origin, d.start);
    const field = HEADER_FIELDS[child?.name ?? missing ?? ''];
    if (field) push(view.marks!, field, m);
  }
  return view;
}
