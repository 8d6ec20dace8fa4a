import { diagnostic, type EngineDiagnostic } from '../../diagnostics';

export interface NumberedDocument {
  kind: 'invoice' | 'creditNote';
  type: string | null;
  number: string | null;
  /** Range of the InvoiceNumber element's value. */
  numberStart: number;
  numberEnd: number;
  checked: boolean;
}

/**
 * ACCREC invoice numbers are unique across the organisation ("Invoice # must be unique."); within one document
 * that is checked here, on every repeat after the first. Bills (ACCPAY) may share numbers.
 */
export function checkDuplicateNumbers(docs: NumberedDocument[]): { index: number; diagnostic: EngineDiagnostic }[] {
  const out: { index: number; diagnostic: EngineDiagnostic }[] = [];
  const first = new Map<string, number>();
  docs.forEach((d, i) => {
    if (!d.checked || d.kind !== 'invoice' || d.type !== 'ACCREC' || !d.number) return;
    const key = d.number.toLowerCase();
    const seen = first.get(key);
    if (seen === undefined) {
      first.set(key, i);
      return;
    }
    out.push({
      index: i,
      diagnostic: diagnostic('duplicate-invoice-number', `Invoice # must be unique: ${d.number} is also invoice ${seen + 1} of this document.`, d.numberStart, d.numberEnd, {
        number: d.number,
        firstIndex: seen,
      }),
    });
  });
  return out;
}
