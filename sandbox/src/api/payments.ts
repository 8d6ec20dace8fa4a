import { valueOf } from '../domain/fields';
import { ZERO_ID } from '../domain/records';
import { formatted, notFound, type Reply } from '../http/reply';
import { route, type Ctx, type Route } from '../http/router';
import { responseBody, type Entity } from '../render/envelope';
import { paymentView } from '../render/views';
import type { App } from './app';
import { validationException, validationMessage } from './errors';
import { readEntities } from './request';

const BASE = '/api.xro/2.0/Payments';

/**
 * PUT/POST /Payments: `{"Payments":[{"Invoice":{"InvoiceID":"…"},"Account":{"Code":"090"},"Date":"…","Amount":…}]}`
 * (or XML). As for invoices, the valid payments of a batch are made even when another one fails.
 */
async function create(app: App, ctx: Ctx): Promise<Reply> {
  const read = readEntities(ctx, 'Payments');
  if (!read.ok) return read.reply;
  const outcomes = await app.payments.create(read.value, ctx.now);
  const summarize = (ctx.query('summarizeErrors') ?? 'true').trim().toLowerCase() !== 'false';
  if (!summarize) {
    const entities: Entity[] = outcomes.map((o) =>
      o.payment ? { fields: paymentView(app.store, o.payment, o.invoice!), status: 'OK' } : { fields: { ...o.echo, PaymentID: ZERO_ID }, status: 'ERROR', errors: o.errors },
    );
    return formatted(200, ctx.format, responseBody(ctx.format, 'Payments', entities, ctx.now));
  }
  const failed = outcomes.filter((o) => !o.payment);
  if (failed.length) return validationException(ctx.format, failed.map((o) => ({ type: 'Payment', fields: o.echo, errors: o.errors })));
  return formatted(200, ctx.format, responseBody(ctx.format, 'Payments', outcomes.map((o) => ({ fields: paymentView(app.store, o.payment!, o.invoice!) })), ctx.now));
}

function list(app: App, ctx: Ctx): Reply {
  const entities = app.payments.all().map(({ payment, invoice }) => ({ fields: paymentView(app.store, payment, invoice) }));
  return formatted(200, ctx.format, responseBody(ctx.format, 'Payments', entities, ctx.now));
}

function one(app: App, ctx: Ctx): Reply {
  const found = app.payments.find(ctx.params[0]);
  if (!found) return notFound();
  return formatted(200, ctx.format, responseBody(ctx.format, 'Payments', [{ fields: paymentView(app.store, found.payment, found.invoice) }], ctx.now));
}

/** POST /Payments/{id} `{"Status":"DELETED"}`: the way to take a payment off an invoice. */
async function remove(app: App, ctx: Ctx): Promise<Reply> {
  const found = app.payments.find(ctx.params[0]);
  if (!found) return notFound();
  const read = readEntities(ctx, 'Payments');
  if (!read.ok) return read.reply;
  const status = read.value.length === 1 ? valueOf(read.value[0], 'Status') : undefined;
  if (status !== 'DELETED') return validationMessage(ctx.format, 'Payment', { PaymentID: found.payment.PaymentID }, 'A payment can only be changed by deleting it: send {"Status":"DELETED"}.');
  const problem = await app.payments.remove(found, ctx.now);
  if (problem) return validationMessage(ctx.format, 'Payment', { PaymentID: found.payment.PaymentID }, problem);
  return formatted(200, ctx.format, responseBody(ctx.format, 'Payments', [{ fields: paymentView(app.store, found.payment, found.invoice) }], ctx.now));
}

export function paymentRoutes(app: App): Route[] {
  return [
    route('accounting', BASE, { GET: (c) => list(app, c), PUT: (c) => create(app, c), POST: (c) => create(app, c) }, { idempotent: true }),
    route('accounting', `${BASE}/{id}`, { GET: (c) => one(app, c), POST: (c) => remove(app, c) }, { idempotent: true }),
  ];
}
