import type { InvoiceModel } from '../model';
import { report, valueRange, type RuleContext } from './context';

const DATE_FIELDS = ['Date', 'DueDate', 'ExpectedPaymentDate', 'PlannedPaymentDate'];
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|([+-])(\d{2}):?(\d{2}))$/;

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * A date sent as a dateTime with a UTC offset is stored as the UTC date, so `2024-03-01T00:00:00+13:00` lands on
 * 2024-02-29 (FACTS.md §2.3: calcinai/xero-php#177, Xero-NetStandard#269). Plain YYYY-MM-DD is what Xero asks for.
 */
export function checkDates(inv: InvoiceModel, ctx: RuleContext): void {
  for (let i = 0; i < DATE_FIELDS.length; i++) {
    const name = DATE_FIELDS[i];
    const el = inv.fields.get(name);
    const m = el ? DATE_TIME.exec(el.text.trim()) : null;
    if (!el || !m || m[7] === 'Z') continue;
    const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
    const sign = m[8] === '-' ? -1 : 1;
    const offsetMinutes = sign * (Number(m[9]) * 60 + Number(m[10]));
    const written = new Date(Date.UTC(y, mo - 1, d));
    const utc = new Date(Date.UTC(y, mo - 1, d, h, mi) - offsetMinutes * 60_000);
    if (Number.isNaN(utc.getTime()) || iso(utc) === iso(written)) continue;
    const local = iso(written);
    report(
      ctx,
      'date-time-offset',
      `${name} ${el.text.trim()} has a UTC offset: Xero keeps the date in UTC, so it lands on ${iso(utc)}, not ${local}. Write ${local}.`,
      valueRange(el),
      { element: name, date: local },
    );
  }
}
