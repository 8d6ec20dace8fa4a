import { formatted, notFound, type Reply } from '../http/reply';
import { route, type Ctx, type Route } from '../http/router';
import { responseBody } from '../render/envelope';
import type { App } from './app';
import { DocumentApi } from './documents';
import { validationException } from './errors';
import { readEntities } from './request';

const BASE = '/api.xro/2.0/CreditNotes';

/** PUT /CreditNotes/{id}/Allocations: `{"Allocations":[{"Invoice":{"InvoiceID":"…"},"Amount":…,"Date":"…"}]}`. */
async function allocate(app: App, api: DocumentApi, ctx: Ctx): Promise<Reply> {
  const creditNote = api.target(ctx);
  if (!creditNote) return notFound();
  const read = readEntities(ctx, 'Allocations');
  if (!read.ok) return read.reply;
  const outcomes = await app.payments.allocate(creditNote, read.value, ctx.now);
  const failed = outcomes.filter((o) => !o.allocation);
  if (failed.length) return validationException(ctx.format, failed.map((o) => ({ type: 'Allocation', fields: o.echo, errors: o.errors })));
  const entities = outcomes.map((o) => {
    const a = o.allocation!;
    const invoice = app.store.documents.get(a.invoiceId);
    return {
      fields: {
        AllocationID: a.AllocationID,
        Amount: a.Amount,
        Date: a.Date,
        Invoice: { InvoiceID: a.invoiceId, ...(invoice?.fields.InvoiceNumber ? { InvoiceNumber: invoice.fields.InvoiceNumber as string } : {}) },
        CreditNote: { CreditNoteID: creditNote.id, ...(creditNote.fields.CreditNoteNumber ? { CreditNoteNumber: creditNote.fields.CreditNoteNumber as string } : {}) },
      },
    };
  });
  return formatted(200, ctx.format, responseBody(ctx.format, 'Allocations', entities, ctx.now));
}

/** Credit notes: the operations the API has for them (no Email, no OnlineInvoice), plus allocations to invoices. */
export function creditNoteRoutes(app: App): Route[] {
  const api = new DocumentApi(app, 'creditNote');
  return [
    route('accounting', BASE, { GET: (c) => api.list(c), PUT: (c) => api.write(c, 'PUT'), POST: (c) => api.write(c, 'POST') }, { idempotent: true }),
    route('accounting', `${BASE}/{id}`, { GET: (c) => api.get(c), POST: (c) => api.write(c, 'POST', true) }, { idempotent: true }),
    route('accounting', `${BASE}/{id}/History`, { GET: (c) => api.history(c), PUT: (c) => api.addHistory(c) }, { idempotent: true }),
    route('accounting', `${BASE}/{id}/Allocations`, { PUT: (c) => allocate(app, api, c) }, { idempotent: true }),
  ];
}
