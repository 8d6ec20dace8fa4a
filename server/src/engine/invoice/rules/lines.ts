import { parseAmount } from '../totals';
import type { InvoiceModel } from '../model';
import { report, valueRange, type RuleContext } from './context';

/** Line rules that hold whatever the status: quantities, ACCREC-only fields, discounts. */
export function checkLines(inv: InvoiceModel, ctx: RuleContext): void {
  const accpay = inv.kind === 'invoice' && inv.type === 'ACCPAY';
  if (accpay) {
    const reference = inv.fields.get('Reference');
    if (reference && reference.text.trim()) {
      report(ctx, 'accrec-only', 'Reference is for sales invoices (ACCREC) only; on a bill (ACCPAY) the InvoiceNumber is the reference.', valueRange(reference), { element: 'Reference' });
    }
  }
  inv.lines.forEach((line, i) => {
    const n = i + 1;
    const quantity = line.fields.get('Quantity');
    const q = parseAmount(line.input.quantity);
    if (quantity && q && q.isNegative() && !q.isZero()) {
      report(ctx, 'quantity-negative', `Line ${n}: Quantity must be zero or more; write a credit as a positive Quantity with a negative UnitAmount.`, valueRange(quantity));
    }
    const rate = line.fields.get('DiscountRate');
    const amount = line.fields.get('DiscountAmount');
    if (accpay) {
      for (const d of [rate, amount]) {
        if (d) report(ctx, 'accrec-only', `Line ${n}: Discounts may not be applied to ACCPAY invoices (${d.name} is for sales invoices only).`, valueRange(d), { element: d.name });
      }
    }
    if (rate && amount) {
      report(ctx, 'discount-both', `Line ${n} states both DiscountRate and DiscountAmount; Xero takes one of them, so state only one (DiscountRate is used here).`, valueRange(amount));
    }
  });
}
