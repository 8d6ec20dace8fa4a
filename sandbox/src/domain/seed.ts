import { addDays, todayIn } from './dates';
import type { Documents, SentDocument } from './documents';
import type { Fields } from './fields';
import type { Payments } from './payments';

function line(Description: string, Quantity: string, UnitAmount: string, AccountCode: string, extra: Fields = {}): Fields {
  return { Description, Quantity, UnitAmount, AccountCode, ...extra };
}

function create(fields: Fields): SentDocument {
  return { fields, purpose: 'create' };
}

/**
 * Sample documents of a new organisation, made through the same rules as any request: a draft, an approved
 * invoice whose contact has an email address, a paid one, a voided one, a bill and an approved credit note.
 */
export async function seedDocuments(docs: Documents, payments: Payments, now: Date): Promise<void> {
  const today = todayIn(docs.store.org.TimeZoneId, now);
  const day = (n: number) => addDays(today, n);
  const put = { method: 'PUT' as const, unitdp4: false, now };
  const invoices = await docs.write(
    'invoice',
    [
      create({
        Type: 'ACCREC', Contact: { Name: 'ABC Limited' }, Date: day(-10), DueDate: day(20), Reference: 'PO 7781', Status: 'AUTHORISED',
        LineAmountTypes: 'Exclusive',
        LineItems: [
          line('Consulting services as agreed', '5', '120.00', '200', { TaxType: 'OUTPUT2' }),
          line('Site visit, discounted', '2.5', '85.50', '200', { TaxType: 'OUTPUT2', DiscountRate: '10' }),
        ],
      }),
      create({
        Type: 'ACCREC', Contact: { Name: 'City Agency' }, Date: day(-3), DueDate: day(27), LineAmountTypes: 'Exclusive',
        LineItems: [line('Onsite project management', '1', '1800.00', '200', { Tracking: [{ Name: 'Region', Option: 'North' }] })],
      }),
      create({
        Type: 'ACCREC', Contact: { Name: 'Marine Systems' }, Date: day(-30), DueDate: day(-16), Reference: 'J000123', Status: 'AUTHORISED',
        LineItems: [line('Brochure design', '1', '150.00', '200'), line('Courier', '1', '50.00', '425', { TaxType: 'OUTPUT2' })],
      }),
      create({
        Type: 'ACCREC', Contact: { Name: 'Bayside Club' }, Date: day(-20), DueDate: day(-6), Status: 'AUTHORISED',
        LineItems: [line('Event catering deposit', '1', '250.00', '260')],
      }),
      create({
        Type: 'ACCPAY', Contact: { Name: 'PowerDirect' }, InvoiceNumber: 'PD-20931', Date: day(-8), DueDate: day(12), Status: 'AUTHORISED',
        LineAmountTypes: 'Inclusive', LineItems: [line('Electricity', '1', '181.30', '429')],
      }),
    ],
    put,
  );
  const failed = invoices.find((o) => !o.record);
  if (failed) throw new Error(`the sample invoices do not pass the rules: ${failed.errors.join('; ')}`);
  const [, , paid, voided] = invoices.map((o) => o.record!);
  const payment = await payments.create([{ Invoice: { InvoiceID: paid.id }, Account: { Code: '090' }, Date: day(-2), Amount: paid.figures.total, Reference: 'Direct credit' }], now);
  if (!payment[0].payment) throw new Error(`the sample payment was refused: ${payment[0].errors.join('; ')}`);
  const [voiding] = await docs.write('invoice', [{ fields: { InvoiceID: voided.id, Status: 'VOIDED' }, purpose: 'statusChange' }], { ...put, method: 'POST' });
  if (!voiding.record) throw new Error(`the sample invoice could not be voided: ${voiding.errors.join('; ')}`);
  const [credit] = await docs.write(
    'creditNote',
    [
      create({
        Type: 'ACCRECCREDIT', Contact: { Name: 'ABC Limited' }, Date: day(-1), Reference: `Refund for ${invoices[0].record!.fields.InvoiceNumber as string}`,
        Status: 'AUTHORISED', LineItems: [line('Consulting hour not used', '1', '120.00', '200', { TaxType: 'OUTPUT2' })],
      }),
    ],
    put,
  );
  if (!credit.record) throw new Error(`the sample credit note does not pass the rules: ${credit.errors.join('; ')}`);
}
