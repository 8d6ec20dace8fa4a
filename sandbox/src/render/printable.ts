import { Money } from '@engine';
import { displayDay } from '../domain/dates';
import { amountsAreText, titleOf, type InvoiceView } from '../../../shared/src/render/invoice-view';
import { groupOf, isList, listOf, valueOf } from '../domain/fields';
import { taxRateOf } from '../domain/organisation';
import { amountAllocated, amountDue, amountPaid, numberOf, statusOf, typeOf, type DocRecord } from '../domain/records';
import type { Store } from '../store/store';

/** A document as people read it (PDF, email, online view): the shared view the editor's preview draws too. */
export type Printable = InvoiceView;

function trimNumber(v: string | undefined): string {
  if (!v) return '';
  return /^-?\d+(\.\d+)?$/.test(v) ? new Money(v).toFixed(Math.max(2, Math.min(4, (v.split('.')[1] ?? '').replace(/0+$/, '').length))) : v;
}

export function printable(store: Store, rec: DocRecord): Printable {
  const contactRef = groupOf(rec.fields, 'Contact');
  const contact = store.contacts.get(valueOf(contactRef, 'ContactID') ?? '');
  const address = contact ? listOf(contact.fields, 'Addresses')[0] : undefined;
  const type = typeOf(rec);
  const credit = rec.kind === 'creditNote';
  const types = valueOf(rec.fields, 'LineAmountTypes') ?? 'Exclusive';
  const discount = (l: Parameters<typeof valueOf>[0]): string => {
    const rate = valueOf(l, 'DiscountRate');
    if (rate) return `${trimNumber(rate).replace(/\.?0+$/, '')}%`;
    const amount = valueOf(l, 'DiscountAmount');
    return amount ? trimNumber(amount) : '';
  };
  const lines = isList(rec.fields.LineItems) ? rec.fields.LineItems : [];
  return {
    title: titleOf(rec.kind, type),
    number: numberOf(rec) ?? '',
    reference: valueOf(rec.fields, 'Reference') ?? '',
    status: statusOf(rec),
    date: displayDay(valueOf(rec.fields, 'Date')),
    dueDate: displayDay(valueOf(rec.fields, 'DueDate')),
    currency: valueOf(rec.fields, 'CurrencyCode') ?? store.org.BaseCurrency,
    amountsAre: amountsAreText(types),
    org: { name: store.org.Name, addressLines: store.org.AddressLines, email: store.org.EmailAddress },
    contact: {
      name: (contact && valueOf(contact.fields, 'Name')) ?? valueOf(contactRef, 'Name') ?? '',
      email: (contact && valueOf(contact.fields, 'EmailAddress')) ?? '',
      addressLines: address
        ? ['AttentionTo', 'AddressLine1', 'AddressLine2', 'AddressLine3', 'AddressLine4', 'City', 'Region', 'PostalCode', 'Country']
            .map((k) => valueOf(address, k))
            .filter((v): v is string => !!v)
        : [],
    },
    lines: lines.map((l, i) => {
      const rate = taxRateOf(store.org, valueOf(l, 'TaxType'));
      return {
        description: valueOf(l, 'Description') ?? '',
        quantity: trimNumber(valueOf(l, 'Quantity')),
        unitAmount: trimNumber(valueOf(l, 'UnitAmount')),
        discount: discount(l),
        tax: rate ? `${new Money(rate.Rate).toString()}%` : (valueOf(l, 'TaxType') ?? ''),
        taxAmount: rec.figures.lines[i]?.taxAmount ?? '',
        amount: rec.figures.lines[i]?.lineAmount ?? '',
      };
    }),
    subTotal: rec.figures.subTotal,
    totalTax: rec.figures.totalTax,
    total: rec.figures.total,
    paid: amountPaid(rec).toFixed(2),
    credited: amountAllocated(rec).toFixed(2),
    due: amountDue(rec).toFixed(2),
    dueLabel: credit ? 'Remaining credit' : 'Amount due',
  };
}
