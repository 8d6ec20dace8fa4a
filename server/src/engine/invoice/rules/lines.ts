import { parseAmount } from '../totals';
import type { InvoiceModel } from '../model';
import { report, valueRange, type RuleContext } from './context';
import { checkDiscounts } from './discounts';

/** Line rules that hold whatever the status: quantities, ACCREC-only fields, discounts (discounts.ts). */
export function checkLines(inv: InvoiceModel, ctx: RuleContext): void {
  const accpay = inv.kind === 'invoice' && inv.type === 'ACCPAY';
  if (accpay) {
    const reference = inv.fields.get('Reference');
    if (reference && reference.text.trim()) {
      report(ctx, 'accrec-only', 'Reference is for sales invoices (ACCREC) only; on a bill (ACCPAY) the InvoiceNumber is the reference.', valueRange(reference), { element: 'Reference' });
    }
  }
  // Each line's element is looked up only when there is something to report (see LineModel.input).
  // Only a number written with a minus sign can be below zero: the others are not parsed (a check of an invoice of
  // thousands of lines, redone at every keystroke in it, would otherwise read every Quantity again).
  inv.lines.forEach((line, i) => {
    const raw = line.input.quantity;
    if (raw === undefined || raw.indexOf('-') < 0) return;
    const q = parseAmount(raw);
    if (!(q && q.sign() < 0)) return;
    const quantity = line.fields.get('Quantity');
    if (quantity) {
      report(ctx, 'quantity-negative', `Line ${i + 1}: Quantity must be zero or more; write a credit as a positive Quantity with a negative UnitAmount.`, valueRange(quantity));
    }
  });
  checkDiscounts(inv, ctx);
}
