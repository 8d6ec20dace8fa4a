import { Money } from '@engine';
import { displayDay } from '../domain/dates';
import { groupOf, isList, listOf, valueOf } from '../domain/fields';
import { taxRateOf } from '../domain/organisation';
import { amountAllocated, amountDue, amountPaid, numberOf, statusOf, typeOf, type DocRecord } from '../domain/records';
import type { Store } from '../store/store';

/** A document as people read it (PDF, email, online view): display strings only. */
export interface Printable {
  title: string;
  number: string;
  reference: string;
  status: string;
  date: string;
  dueDate: string;
  currency: string;
  amountsAre: string;
  org: { name: string; addressLines: string[]; email: string };
  contact: { name: string; email: string; addressLines: string[] };
  lines: { description: string; quantity: string; unitAmount: string; tax: string; taxAmount: string; amount: string }[];
  subTotal: string;
  totalTax: string;
  total: string;
  paid: string;
  credited: string;
  due: string;
  dueLabel: string;
}

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
  const lines = isList(rec.fields.LineItems) ? rec.fields.LineItems : [];
  return {
    title: credit ? 'CREDIT NOTE' : type === 'ACCPAY' ? 'BILL' : 'TAX INVOICE',
    number: numberOf(rec) ?? '',
    reference: valueOf(rec.fields, 'Reference') ?? '',
    status: statusOf(rec),
    date: displayDay(valueOf(rec.fields, 'Date')),
    dueDate: displayDay(valueOf(rec.fields, 'DueDate')),
    currency: valueOf(rec.fields, 'CurrencyCode') ?? store.org.BaseCurrency,
    amountsAre: types === 'Inclusive' ? 'Amounts are tax inclusive' : types === 'NoTax' ? 'No tax' : 'Amounts are tax exclusive',
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
