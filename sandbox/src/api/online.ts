import { GUID, statusOf, typeOf } from '../domain/records';
import { CONTENT_TYPES, notFound, reply, type Reply } from '../http/reply';
import { route, type Ctx, type Route } from '../http/router';
import { onlineInvoicePage } from '../render/html';
import { documentPdf } from '../render/pdf';
import { printable } from '../render/printable';
import type { App } from './app';

/** The invoice an OnlineInvoiceUrl shows: a sales invoice past its draft, by its ID only (numbers are guessable). */
function shown(app: App, ctx: Ctx) {
  if (!GUID.test(ctx.params[0])) return undefined;
  const rec = app.docs.find('invoice', ctx.params[0]);
  if (!rec || typeOf(rec) !== 'ACCREC' || ['DRAFT', 'DELETED'].includes(statusOf(rec))) return undefined;
  return rec;
}

function page(app: App, ctx: Ctx): Reply {
  const rec = shown(app, ctx);
  if (!rec) return notFound();
  return reply(200, onlineInvoicePage(printable(app.store, rec), `${app.baseUrl()}/online/${rec.id}/pdf`), CONTENT_TYPES.html);
}

async function pdf(app: App, ctx: Ctx): Promise<Reply> {
  const rec = shown(app, ctx);
  if (!rec) return notFound();
  return reply(200, await documentPdf(printable(app.store, rec)), CONTENT_TYPES.pdf);
}

/** What the contact opens from the emailed link: no token needed, as with Xero's in.xero.com links. */
export function onlineRoutes(app: App): Route[] {
  return [route('online', '/online/{id}', { GET: (c) => page(app, c) }), route('online', '/online/{id}/pdf', { GET: (c) => pdf(app, c) })];
}
