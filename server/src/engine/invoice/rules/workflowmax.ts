import type { XmlElement } from '../../xml/tree';
import { fieldsOf, fieldText, type Fields } from '../model';
import { ZERO, format2, parseAmount, round2, type Amount } from '../totals';
import { report, valueRange, type RuleContext } from './context';

export interface WorkflowMaxFigures {
  number: string | null;
  status: string | null;
  lines: { lineAmount: string | null; taxAmount: string | null }[];
  subTotal: string | null;
  totalTax: string | null;
  total: string | null;
}

function amount(fields: Fields, name: string): Amount | undefined {
  const v = parseAmount(fieldText(fields, name));
  return v ?? undefined;
}

/** Amount + AmountTax = AmountIncludingTax on one invoice, task or cost. */
function checkTriple(fields: Fields, what: string, ctx: RuleContext): void {
  const a = amount(fields, 'Amount');
  const t = amount(fields, 'AmountTax');
  const inc = amount(fields, 'AmountIncludingTax');
  if (a && t && inc && !a.plus(t).eq(inc)) {
    const computed = round2(a.plus(t)).toFixed(2);
    report(ctx, 'wfm-amount-mismatch', `${what}: Amount ${a.toFixed(2)} + AmountTax ${t.toFixed(2)} = ${computed}, not AmountIncludingTax ${inc.toFixed(2)}.`, valueRange(fields.get('AmountIncludingTax')!), { computed, element: 'AmountIncludingTax' });
  }
}

/** The tasks and costs of a detailed invoice: under Jobs/Job (job invoices) or directly (miscellaneous). */
function details(invoice: XmlElement): { element: XmlElement; what: string }[] {
  const out: { element: XmlElement; what: string }[] = [];
  const collect = (holder: XmlElement) => {
    for (const c of holder.children) {
      if (c.name === 'Tasks') for (const t of c.children) if (t.name === 'Task') out.push({ element: t, what: `Task ${fieldText(fieldsOf(t), 'Name') ?? ''}`.trim() });
      if (c.name === 'Costs') for (const t of c.children) if (t.name === 'Cost') out.push({ element: t, what: `Cost ${fieldText(fieldsOf(t), 'Description') ?? ''}`.trim() });
    }
  };
  collect(invoice);
  for (const jobs of invoice.children) {
    if (jobs.name !== 'Jobs') continue;
    for (const job of jobs.children) if (job.name === 'Job') collect(job);
  }
  return out;
}

/** WorkflowMax invoices report their own amounts: check that they add up, and take them as the figures. */
export function checkWorkflowMaxInvoice(invoice: XmlElement, ctx: RuleContext): WorkflowMaxFigures {
  const fields = fieldsOf(invoice);
  const number = fieldText(fields, 'ID') ?? null;
  checkTriple(fields, `Invoice ${number ?? ''}`.trim(), ctx);
  const inc = amount(fields, 'AmountIncludingTax');
  const paid = amount(fields, 'AmountPaid');
  const outstanding = amount(fields, 'AmountOutstanding');
  if (inc && paid && outstanding && !inc.minus(paid).eq(outstanding)) {
    const computed = round2(inc.minus(paid)).toFixed(2);
    report(ctx, 'wfm-outstanding-mismatch', `AmountIncludingTax ${inc.toFixed(2)} − AmountPaid ${paid.toFixed(2)} = ${computed}, not AmountOutstanding ${outstanding.toFixed(2)}.`, valueRange(fields.get('AmountOutstanding')!), { computed, element: 'AmountOutstanding' });
  }
  const parts = details(invoice);
  const lines: WorkflowMaxFigures['lines'] = [];
  if (parts.length > 0) {
    const sums: Record<string, Amount | null> = { Amount: ZERO, AmountTax: ZERO, AmountIncludingTax: ZERO };
    for (const p of parts) {
      const f = fieldsOf(p.element);
      checkTriple(f, p.what, ctx);
      lines.push({ lineAmount: format2(amount(f, 'Amount') ?? null), taxAmount: format2(amount(f, 'AmountTax') ?? null) });
      for (const k of Object.keys(sums)) {
        const v = amount(f, k);
        sums[k] = v && sums[k] ? sums[k].plus(v) : null;
      }
    }
    for (const k of Object.keys(sums)) {
      const el = fields.get(k);
      const s = amount(fields, k);
      const sum = sums[k];
      if (el && s && sum && !s.eq(sum)) {
        const computed = round2(sum).toFixed(2);
        report(ctx, 'wfm-detail-mismatch', `${k} ${s.toFixed(2)} does not match the tasks and costs, which add up to ${computed}.`, valueRange(el), { computed, element: k });
      }
    }
  }
  return {
    number,
    status: fieldText(fields, 'Status') || null,
    lines,
    subTotal: format2(amount(fields, 'Amount') ?? null),
    totalTax: format2(amount(fields, 'AmountTax') ?? null),
    total: format2(amount(fields, 'AmountIncludingTax') ?? null),
  };
}
