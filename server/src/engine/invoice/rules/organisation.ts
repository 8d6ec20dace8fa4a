import type { XmlElement } from '../../xml/tree';
import { fieldsOf, fieldText, type InvoiceModel } from '../model';
import { report, valueRange, type RuleContext } from './context';

function listed(list: string[] | undefined, value: string): boolean {
  return !list || list.length === 0 || list.some((v) => v.toLowerCase() === value.toLowerCase());
}

function preview(list: string[]): string {
  return list.length <= 8 ? list.join(', ') : `${list.slice(0, 8).join(', ')}, …`;
}

/** Codes checked against the organisation's own lists (from settings or the endpoint), when there are lists. */
export function checkOrganisationLists(inv: InvoiceModel, ctx: RuleContext): void {
  const org = ctx.options.organisation;
  const currency = inv.fields.get('CurrencyCode');
  if (currency && org.currencies && !listed(org.currencies, currency.text.trim())) {
    report(ctx, 'unknown-currency', `The organisation is not subscribed to currency ${currency.text.trim()} (it has ${preview(org.currencies)}).`, valueRange(currency), { expected: org.currencies });
  }
  // Without lists for the lines (the default) there is nothing to look up in them.
  if (!org.accounts && !org.taxTypes && !(org.trackingCategories && org.trackingCategories.length > 0)) return;
  inv.lines.forEach((line, i) => {
    const n = i + 1;
    const account = line.fields.get('AccountCode');
    if (account && org.accounts && !listed(org.accounts, account.text.trim())) {
      report(ctx, 'unknown-account-code', `Account code '${account.text.trim()}' is not a valid code for this organisation (line ${n}); it has ${preview(org.accounts)}.`, valueRange(account), { expected: org.accounts });
    }
    const taxType = line.fields.get('TaxType');
    if (taxType && org.taxTypes && !listed(org.taxTypes, taxType.text.trim())) {
      report(ctx, 'unknown-tax-type', `The TaxType code ${taxType.text.trim()} does not exist in this organisation (line ${n}); it has ${preview(org.taxTypes)}.`, valueRange(taxType), { expected: org.taxTypes });
    }
    if (org.trackingCategories && org.trackingCategories.length > 0) {
      for (const tc of line.tracking) checkTracking(tc, n, ctx);
    }
  });
}

function checkTracking(tc: XmlElement, line: number, ctx: RuleContext): void {
  const categories = ctx.options.organisation.trackingCategories ?? [];
  const f = fieldsOf(tc);
  const name = fieldText(f, 'Name');
  const option = fieldText(f, 'Option');
  if (!name) return;
  const category = categories.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (!category) {
    report(ctx, 'unknown-tracking-category', `Line ${line}: the organisation has no tracking category '${name}' (it has ${preview(categories.map((c) => c.name))}).`, valueRange(f.get('Name')!), { expected: categories.map((c) => c.name) });
    return;
  }
  if (option && !listed(category.options, option)) {
    report(ctx, 'unknown-tracking-category', `Line ${line}: '${option}' is not an option of tracking category '${category.name}' (it has ${preview(category.options)}).`, valueRange(f.get('Option')!), { expected: category.options });
  }
}
