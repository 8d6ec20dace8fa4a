import { Money } from '@engine';
import { compactDay, epochMs } from '../domain/dates';
import { groupOf, isList, valueOf, type Fields } from '../domain/fields';
import { amountAllocated, amountDue, amountPaid, numberOf, statusOf, typeOf, type DocRecord } from '../domain/records';
import { CONTENT_TYPES, reply, type Reply } from '../http/reply';
import { route, type Ctx, type Route } from '../http/router';
import { appendFields, newDocument, serialize } from '../render/xml';
import type { App } from './app';

const BASE = '/workflowmax/3.0/invoice.api';

const STATUS: Record<string, string> = { AUTHORISED: 'Approved', PAID: 'Paid', DRAFT: 'Draft', SUBMITTED: 'Draft', VOIDED: 'Cancelled' };

function body(status: number, fill: (root: ReturnType<typeof newDocument>) => void): Reply {
  const root = newDocument('Response');
  fill(root);
  return reply(status, serialize(root), CONTENT_TYPES.xml);
}

/** WorkflowMax's error answer: `<Response><Status>ERROR</Status><ErrorDescription>…</ErrorDescription></Response>`. */
export function workflowMaxError(status: number, description: string): Reply {
  return body(status, (root) => {
    root.ele('Status').txt('ERROR');
    root.ele('ErrorDescription').txt(description);
  });
}

/** `I000123` from INV-0123; invoices whose number has no digits get their place in the store. */
export function workflowMaxId(rec: DocRecord): string {
  const digits = (numberOf(rec) ?? '').replace(/\D/g, '');
  return `I${(digits || String(rec.seq)).slice(-6).padStart(6, '0')}`;
}

function money(v: Money | string): string {
  return new Money(v).toFixed(2);
}

/** The sales invoices WorkflowMax shows (deleted drafts are gone). */
function invoices(app: App): DocRecord[] {
  return app.docs.list('invoice').filter((r) => typeOf(r) === 'ACCREC' && statusOf(r) !== 'DELETED');
}

function costs(rec: DocRecord): Fields[] {
  const inclusive = valueOf(rec.fields, 'LineAmountTypes') === 'Inclusive';
  const lines = isList(rec.fields.LineItems) ? rec.fields.LineItems : [];
  return lines.map((l, i) => {
    const f = rec.figures.lines[i] ?? { lineAmount: '0', taxAmount: '0' };
    const tax = new Money(f.taxAmount);
    const amount = inclusive ? new Money(f.lineAmount).minus(tax) : new Money(f.lineAmount);
    const unit = valueOf(l, 'UnitAmount') ?? '0';
    return {
      Description: valueOf(l, 'Description') ?? '',
      Note: '',
      Code: valueOf(l, 'ItemCode') ?? valueOf(l, 'AccountCode') ?? '',
      Billable: 'Yes',
      Quantity: valueOf(l, 'Quantity') ?? '1',
      UnitCost: unit,
      UnitPrice: unit,
      Amount: money(amount),
      AmountTax: money(tax),
      AmountIncludingTax: money(amount.plus(tax)),
    };
  });
}

/** An invoice in the shape of seed 002: a job invoice when it has a Reference (its JobText), else miscellaneous. */
function wfmInvoice(app: App, rec: DocRecord, detailed: boolean): Fields {
  const contactRef = groupOf(rec.fields, 'Contact');
  const c = app.store.contacts.get(valueOf(contactRef, 'ContactID') ?? '');
  const party = { UUID: c?.id ?? valueOf(contactRef, 'ContactID') ?? '', Name: (c && valueOf(c.fields, 'Name')) ?? valueOf(contactRef, 'Name') ?? '' };
  const job = valueOf(rec.fields, 'Reference');
  const f: Fields = {
    ID: workflowMaxId(rec),
    UUID: rec.id,
    Type: job ? 'Progress Invoice' : 'Miscellaneous',
    Status: STATUS[statusOf(rec)] ?? statusOf(rec),
    JobText: job ?? '',
    Date: valueOf(rec.fields, 'Date') ?? '',
  };
  if (valueOf(rec.fields, 'DueDate')) f.DueDate = valueOf(rec.fields, 'DueDate')!;
  f.Amount = money(rec.figures.subTotal);
  f.AmountTax = money(rec.figures.totalTax);
  f.AmountIncludingTax = money(rec.figures.total);
  f.AmountPaid = money(amountPaid(rec).plus(amountAllocated(rec)));
  f.AmountOutstanding = money(amountDue(rec));
  f.Client = party;
  f.Contact = { ...party };
  if (detailed) {
    if (job) f.Jobs = [{ ID: job, Name: job, Description: '', ClientOrderNumber: '', Tasks: [], Costs: costs(rec) }];
    else {
      f.Tasks = [];
      f.Costs = costs(rec);
    }
  }
  return f;
}

function listReply(app: App, recs: DocRecord[], detailed: boolean): Reply {
  return body(200, (root) => {
    root.ele('Status').txt('OK');
    appendFields(root, { Invoices: recs.map((r) => wfmInvoice(app, r, detailed)) });
  });
}

function detailed(ctx: Ctx): boolean {
  return (ctx.query('detailed') ?? '').toLowerCase() === 'true';
}

function byNumber(app: App, key: string): DocRecord | undefined {
  const k = key.trim().toUpperCase();
  return invoices(app).find((r) => workflowMaxId(r) === k || numberOf(r)?.toUpperCase() === k);
}

/**
 * WorkflowMax 3.0 invoice.api, read-only views of the same store: AUTHORISED/PAID/DRAFT/VOIDED become
 * Approved/Paid/Draft/Cancelled, the invoice number gives the ID, the Reference is the job.
 */
export function workflowMaxRoutes(app: App): Route[] {
  return [
    // Current: the invoices that have been issued (approved or paid); drafts are under /draft.
    route('workflowmax', `${BASE}/current`, { GET: (c) => listReply(app, invoices(app).filter((r) => ['AUTHORISED', 'PAID'].includes(statusOf(r))), detailed(c)) }),
    route('workflowmax', `${BASE}/draft`, { GET: (c) => listReply(app, invoices(app).filter((r) => ['DRAFT', 'SUBMITTED'].includes(statusOf(r))), detailed(c)) }),
    route('workflowmax', `${BASE}/get/{number}`, {
      GET: (c) => {
        const rec = byNumber(app, c.params[0]);
        if (!rec) return workflowMaxError(404, `Invoice ${c.params[0]} not found`);
        return body(200, (root) => {
          root.ele('Status').txt('OK');
          appendFields(root, { Invoice: wfmInvoice(app, rec, true) });
        });
      },
    }),
    route('workflowmax', `${BASE}/job/{number}`, {
      GET: (c) => listReply(app, invoices(app).filter((r) => valueOf(r.fields, 'Reference')?.toUpperCase() === c.params[0].trim().toUpperCase()), detailed(c)),
    }),
    route('workflowmax', `${BASE}/list`, {
      GET: (c) => {
        const from = compactDay(c.query('from'));
        const to = compactDay(c.query('to'));
        if (!from || !to) return workflowMaxError(400, 'from and to are required, as YYYYMMDD (for example from=20090801&to=20090901)');
        if (epochMs(to) < epochMs(from)) return workflowMaxError(400, 'to must not be before from');
        if (epochMs(to) - epochMs(from) > 366 * 86_400_000) return workflowMaxError(400, 'The date range must not be longer than one year');
        const recs = invoices(app).filter((r) => {
          const d = epochMs(valueOf(r.fields, 'Date') ?? '');
          return d >= epochMs(from) && d <= epochMs(to);
        });
        return listReply(app, recs, detailed(c));
      },
    }),
    route('workflowmax', `${BASE}/payments/{number}`, {
      GET: (c) => {
        const rec = byNumber(app, c.params[0]);
        if (!rec) return workflowMaxError(404, `Invoice ${c.params[0]} not found`);
        return body(200, (root) => {
          root.ele('Status').txt('OK');
          const payments = rec.payments.filter((p) => p.Status === 'AUTHORISED').map((p) => ({ Date: p.Date, Amount: p.Amount, Reference: p.Reference ?? '' }));
          appendFields(root, { Payments: payments });
        });
      },
    }),
  ];
}
