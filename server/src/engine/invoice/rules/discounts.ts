import { HUNDRED, Money, parseAmount } from '../totals';
import type { InvoiceModel } from '../model';
import { report, valueRange, type RuleContext } from './context';

/**
 * Line discounts (FACTS.md §2.2, the OAS's LineItem): ACCREC invoices only; one of DiscountRate and
 * DiscountAmount; never more than the line ("Discount must not be greater than the line total"); and a
 * DiscountRate of 0.00 is rejected by the live API ("The discount rate '0.00' is invalid").
 */
export function checkDiscounts(inv: InvoiceModel, ctx: RuleContext): void {
  const accpay = inv.kind === 'invoice' && inv.type === 'ACCPAY';
  const creditNote = inv.kind === 'creditNote';
  inv.lines.forEach((line, i) => {
    // The input holds a field's text exactly when the line has the field: most lines have no discount.
    if (line.input.discountRate === undefined && line.input.discountAmount === undefined) return;
    const n = i + 1;
    const rate = line.fields.get('DiscountRate');
    const amount = line.fields.get('DiscountAmount');
    if (!rate && !amount) return;
    for (const d of [rate, amount]) {
      if (!d) continue;
      if (accpay) report(ctx, 'accrec-only', `Line ${n}: Discounts may not be applied to ACCPAY invoices (${d.name} is for sales invoices only).`, valueRange(d), { element: d.name });
      else if (creditNote) {
        report(ctx, 'accrec-only', `Line ${n}: credit notes do not support discounts (${d.name} is only supported on ACCREC invoices).`, valueRange(d), { element: d.name });
      }
    }
    if (rate && amount) {
      report(ctx, 'discount-both', `Line ${n} states both DiscountRate and DiscountAmount; Xero takes one of them, so state only one (DiscountRate is used here).`, valueRange(amount));
    }
    const r = parseAmount(line.input.discountRate);
    if (rate && r) {
      if (r.isZero() && inv.purpose === 'create') {
        report(ctx, 'discount-rate-zero', `Line ${n}: The discount rate '${rate.text.trim()}' is invalid. Leave <DiscountRate> out for a line without a discount.`, valueRange(rate));
      } else if (r.gt(HUNDRED)) {
        report(ctx, 'discount-exceeds-line', `Line ${n}: Discount must not be greater than the line total: a DiscountRate of ${rate.text.trim()} % is more than the whole line.`, valueRange(rate));
      }
    }
    const a = parseAmount(line.input.discountAmount);
    const q = parseAmount(line.input.quantity);
    const u = parseAmount(line.input.unitAmount);
    if (amount && !rate && a && u) {
      // In decimals: a written -0 keeps its sign, so -0 × 5 is not a line to discount.
      const gross = (q?.decimal() ?? new Money(1)).times(u.decimal());
      if (!gross.isNegative() && a.decimal().gt(gross)) {
        report(ctx, 'discount-exceeds-line', `Line ${n}: Discount must not be greater than the line total: DiscountAmount ${amount.text.trim()} is more than ${gross.toFixed(2)} (Quantity × UnitAmount).`, valueRange(amount));
      }
    }
  });
}
