/**
 * An invoice or credit note as its customer reads it: display strings only, no engine, no DOM, no PDF library.
 * The sandbox builds one from its store (online invoice, PDF, email), the language server from the document being
 * edited (the preview); html.ts and the sandbox's pdf.ts draw it, with the columns chosen here, so all look alike.
 */

/** A figure that is wrong or missing in the document, and the diagnostic that says so (the preview links to it). */
export interface Mark {
  code: string;
  message: string;
  /** Where the diagnostic starts in the document (0-based line and UTF-16 character), for "go to the problem". */
  line: number;
  character: number;
}

export type LineField = 'description' | 'quantity' | 'unitAmount' | 'discount' | 'tax' | 'taxAmount' | 'amount';
export type HeaderField = 'contact' | 'number' | 'date' | 'dueDate' | 'status' | 'subTotal' | 'totalTax' | 'total';

export interface ViewLine {
  description: string;
  quantity: string;
  unitAmount: string;
  /** `10%` for a DiscountRate, the amount for a DiscountAmount, '' without a discount. */
  discount: string;
  /** The rate (`15%`) or, when no rate is known, the TaxType. */
  tax: string;
  taxAmount: string;
  amount: string;
  marks?: Partial<Record<LineField, Mark[]>>;
}

export interface InvoiceView {
  /** TAX INVOICE, BILL, CREDIT NOTE. */
  title: string;
  number: string;
  reference: string;
  status: string;
  date: string;
  dueDate: string;
  currency: string;
  amountsAre: string;
  /** The sender, where known (the sandbox's organisation; the editor does not know it). */
  org: { name: string; addressLines: string[]; email: string } | null;
  contact: { name: string; email: string; addressLines: string[] };
  lines: ViewLine[];
  subTotal: string;
  totalTax: string;
  total: string;
  paid: string;
  credited: string;
  due: string;
  dueLabel: string;
  marks?: Partial<Record<HeaderField, Mark[]>>;
}

export interface Column {
  key: LineField;
  header: string;
  align: 'left' | 'right';
}

/**
 * The line table's columns as Xero's standard theme shows them: a discount column only when a line has a
 * discount, the tax columns unless the invoice has no tax.
 */
export function tableColumns(view: InvoiceView): Column[] {
  const cols: Column[] = [
    { key: 'description', header: 'Description', align: 'left' },
    { key: 'quantity', header: 'Quantity', align: 'right' },
    { key: 'unitAmount', header: 'Unit Price', align: 'right' },
  ];
  if (view.lines.some((l) => l.discount)) cols.push({ key: 'discount', header: 'Disc.', align: 'right' });
  if (view.amountsAre !== 'No tax') {
    cols.push({ key: 'tax', header: 'Tax', align: 'right' }, { key: 'taxAmount', header: 'Tax Amount', align: 'right' });
  }
  cols.push({ key: 'amount', header: `Amount ${view.currency}`.trim(), align: 'right' });
  return cols;
}

/** The totals block, in order: label, value, bold, which header field it shows. */
export function totalRows(view: InvoiceView): { label: string; value: string; bold: boolean; field?: HeaderField }[] {
  const rows: { label: string; value: string; bold: boolean; field?: HeaderField }[] = [{ label: 'Subtotal', value: view.subTotal, bold: false, field: 'subTotal' }];
  if (view.amountsAre !== 'No tax') rows.push({ label: 'Total Tax', value: view.totalTax, bold: false, field: 'totalTax' });
  rows.push({ label: `TOTAL ${view.currency}`.trim(), value: view.total, bold: true, field: 'total' });
  if (view.paid && view.paid !== '0.00') rows.push({ label: 'Less Amount Paid', value: view.paid, bold: false });
  if (view.credited && view.credited !== '0.00') rows.push({ label: 'Less Credit Applied', value: view.credited, bold: false });
  if (view.due) rows.push({ label: `${view.dueLabel.toUpperCase()} ${view.currency}`.trim(), value: view.due, bold: true });
  return rows;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2024-03-01` (or a dateTime) as Xero prints it: `1 Mar 2024`; anything else as written. */
export function displayDay(value: string | undefined): string {
  if (!value) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return value;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

export function amountsAreText(lineAmountTypes: string | undefined | null): string {
  return lineAmountTypes === 'Inclusive' ? 'Amounts are tax inclusive' : lineAmountTypes === 'NoTax' ? 'No tax' : 'Amounts are tax exclusive';
}

export function titleOf(kind: 'invoice' | 'creditNote', type: string | null | undefined): string {
  return kind === 'creditNote' ? 'CREDIT NOTE' : type === 'ACCPAY' ? 'BILL' : 'TAX INVOICE';
}
