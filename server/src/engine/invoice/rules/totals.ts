import type { XmlElement } from '../../xml/tree';
import { fieldText, type InvoiceModel } from '../model';
import { ZERO, format2, parseAmount, round2, type Amount, type InvoiceFigures } from '../totals';
import { report, valueRange, type RuleContext } from './context';

function stated(el: XmlElement | undefined): Amount | undefined {
  const v = el ? parseAmount(el.text) : undefined;
  return v === null ? undefined : v;
}

/** Stated figures against the ones computed with Xero's rounding; each mismatch carries the computed value. */
export function checkTotals(inv: InvoiceModel, figures: InvoiceFigures, ctx: RuleContext): void {
  // A stated figure comes from its element, which is looked up only when there is something to report.
  inv.lines.forEach((line, i) => {
    const n = i + 1;
    const f = figures.lines[i];
    const sla = f.statedLineAmount;
    const la = sla && f.computedLineAmount && !sla.eq(f.computedLineAmount) ? line.fields.get('LineAmount') : undefined;
    if (la) {
      const computed = f.computedLineAmount!.toFixed(2);
      report(ctx, 'line-amount-mismatch', `The line total ${round2(sla!).toFixed(2)} does not match the expected line total ${computed} (${f.lineDerivation}).`, valueRange(la), { computed, line: n });
    }
    const sta = f.statedTaxAmount;
    const ta = sta && f.computedTaxAmount && !sta.eq(f.computedTaxAmount) ? line.fields.get('TaxAmount') : undefined;
    if (ta) {
      const computed = f.computedTaxAmount!.toFixed(2);
      report(ctx, 'tax-amount-override', `TaxAmount ${round2(sta!).toFixed(2)} overrides the computed ${computed} (${f.taxDerivation.replace(/^.*\(computed (.*)\)$/, '$1')}); Xero uses the stated amount.`, valueRange(ta), { computed, line: n });
    }
    const tt = f.rateStatus === 'unknown-code' && !sta && inv.lineAmountTypes !== 'NoTax' ? line.fields.get('TaxType') : undefined;
    if (tt) {
      const code = tt.text.trim();
      report(ctx, 'tax-rate-unknown', `No rate is known for TaxType '${code}' in region ${ctx.options.region}, so line ${n}'s tax is not computed; configure its rate (for example ${code}=15) or state the TaxAmount.`, valueRange(tt), { taxType: code });
    }
  });
  const inclusive = inv.lineAmountTypes === 'Inclusive';
  checkStated(inv, ctx, 'SubTotal', 'subtotal-mismatch', figures.subTotal, inclusive ? 'Total − TotalTax' : 'the sum of the line amounts');
  checkStated(inv, ctx, 'TotalTax', 'total-tax-mismatch', figures.totalTax, 'the sum of the line taxes');
  checkStated(inv, ctx, 'Total', 'total-mismatch', figures.total, inclusive ? 'the sum of the tax-inclusive line amounts' : 'SubTotal + TotalTax');
}

function checkStated(
  inv: InvoiceModel,
  ctx: RuleContext,
  name: string,
  code: 'subtotal-mismatch' | 'total-tax-mismatch' | 'total-mismatch',
  computed: Amount | null,
  how: string,
): void {
  const el = inv.fields.get(name);
  const s = stated(el);
  if (!el || !s || computed === null || s.eq(round2(computed))) return;
  const value = format2(computed)!;
  report(ctx, code, `${name} ${round2(s).toFixed(2)} does not match the computed ${value} (${how}).`, valueRange(el), { computed: value, element: name });
}

/** For a fetched invoice: AmountDue = Total − AmountPaid − AmountCredited. */
export function checkAmountDue(inv: InvoiceModel, figures: InvoiceFigures | null, ctx: RuleContext): void {
  const dueElement = inv.fields.get('AmountDue');
  const due = stated(dueElement);
  if (!dueElement || !due) return;
  const total = figures?.total ?? stated(inv.fields.get('Total'));
  if (!total) return;
  const amount = (name: string) => {
    const v = parseAmount(fieldText(inv.fields, name));
    return v ?? undefined;
  };
  const expected = round2(total).minus(amount('AmountPaid') ?? ZERO).minus(amount('AmountCredited') ?? ZERO);
  if (!due.eq(expected)) {
    const value = expected.toFixed(2);
    report(ctx, 'amount-due-mismatch', `AmountDue ${round2(due).toFixed(2)} differs from Total − AmountPaid − AmountCredited = ${value}.`, valueRange(dueElement), { computed: value, element: 'AmountDue' });
  }
}
