import { existsSync } from 'node:fs';
import { allows } from '../../../shared/src/status';
import { join } from 'node:path';
import { ccPeople, contactName, primaryEmail } from '../domain/contacts';
import { groupOf, valueOf } from '../domain/fields';
import { numberOf, statusOf, typeOf } from '../domain/records';
import { formatted, noContent, notFound, type Reply } from '../http/reply';
import { route, type Ctx, type Route } from '../http/router';
import { fileStem, invoiceEmail } from '../render/email';
import { responseBody } from '../render/envelope';
import { documentPdf } from '../render/pdf';
import { printable } from '../render/printable';
import type { App } from './app';
import { DocumentApi } from './documents';

const BASE = '/api.xro/2.0/Invoices';

/** Names handed out but perhaps not written yet (two emails in the same millisecond). */
const reserved = new Set<string>();

/** `20241020T101112345Z-INV-0001.eml`: sorts by time, says which invoice. */
function outboxName(dir: string, number: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  const safe = fileStem(number);
  let name = `${stamp}-${safe}.eml`;
  for (let n = 2; reserved.has(join(dir, name)) || existsSync(join(dir, name)); n++) name = `${stamp}-${safe}-${n}.eml`;
  reserved.add(join(dir, name));
  return name;
}

export function onlineInvoiceUrl(app: App, id: string): string {
  return `${app.baseUrl()}/online/${id}`;
}

/**
 * POST /Invoices/{id}/Email (FACTS §4, email preconditions): a sales invoice, submitted or approved, whose contact
 * has an email address. The message goes to the outbox folder instead of the network; the invoice is marked sent.
 */
async function email(app: App, api: DocumentApi, ctx: Ctx): Promise<Reply> {
  const rec = api.target(ctx);
  if (!rec) return notFound();
  const status = statusOf(rec);
  if (typeOf(rec) !== 'ACCREC') return api.refuse(ctx, rec, `Only sales invoices (ACCREC) can be emailed; this one is ${typeOf(rec)}.`);
  if (!allows(status, 'email')) {
    return api.refuse(ctx, rec, `An invoice can be emailed once it is submitted or approved; this one is ${status}.`);
  }
  const contact = app.store.contacts.get(valueOf(groupOf(rec.fields, 'Contact'), 'ContactID') ?? '');
  const address = primaryEmail(contact);
  if (!contact || !address) {
    const name = contact ? contactName(contact) : 'of this invoice';
    return api.refuse(ctx, rec, `The contact ${name} has no email address: add an EmailAddress to the contact before emailing the invoice.`);
  }
  const org = app.store.org;
  const p = printable(app.store, rec);
  const number = numberOf(rec) ?? '';
  const to = [{ name: contactName(contact), email: address }, ...ccPeople(contact)];
  const text = [
    `Hi ${contactName(contact)},`,
    '',
    `Here's invoice ${number} for ${p.currency} ${p.total}.`,
    '',
    p.dueDate ? `The amount outstanding of ${p.currency} ${p.due} is due on ${p.dueDate}.` : `The amount outstanding is ${p.currency} ${p.due}.`,
    '',
    `View and pay your bill online: ${onlineInvoiceUrl(app, rec.id)}`,
    '',
    'If you have any questions, please let us know.',
    '',
    'Thanks,',
    org.Name,
    '',
  ].join('\n');
  const message = invoiceEmail({
    from: { name: org.Name, email: org.EmailAddress },
    to,
    subject: `Invoice ${number} from ${org.Name}`,
    text,
    attachment: { filename: `Invoice ${number}.pdf`, content: await documentPdf(p) },
    date: ctx.now,
  });
  await app.store.writeOutbox(outboxName(app.store.outboxDir, number, ctx.now), message);
  rec.sentToContact = true;
  app.docs.addHistory(rec, 'Sent', ctx.now, `Invoice ${number} sent to ${to.map((t) => `${t.name} <${t.email}>`).join(', ')} by email.`);
  await app.store.saveDocument(rec);
  return noContent();
}

/** GET /Invoices/{id}/OnlineInvoice: a sales invoice that is not a draft has a URL its contact can open. */
function onlineInvoice(app: App, api: DocumentApi, ctx: Ctx): Reply {
  const rec = api.target(ctx);
  if (!rec) return notFound();
  if (typeOf(rec) !== 'ACCREC') return api.refuse(ctx, rec, `Online invoices are for sales invoices (ACCREC) only; this one is ${typeOf(rec)}.`);
  const status = statusOf(rec);
  if (status === 'DRAFT' || status === 'DELETED') return api.refuse(ctx, rec, `An online invoice is available once the invoice is submitted or approved; this one is ${status}.`);
  const body = responseBody(ctx.format, 'OnlineInvoices', [{ fields: { OnlineInvoiceUrl: onlineInvoiceUrl(app, rec.id) } }], ctx.now);
  return formatted(200, ctx.format, body);
}

export function invoiceRoutes(app: App): Route[] {
  const api = new DocumentApi(app, 'invoice');
  return [
    route('accounting', BASE, { GET: (c) => api.list(c), PUT: (c) => api.write(c, 'PUT'), POST: (c) => api.write(c, 'POST') }, { idempotent: true }),
    route('accounting', `${BASE}/{id}`, { GET: (c) => api.get(c), POST: (c) => api.write(c, 'POST', true) }, { idempotent: true }),
    route('accounting', `${BASE}/{id}/Email`, { POST: (c) => email(app, api, c) }, { idempotent: true }),
    route('accounting', `${BASE}/{id}/OnlineInvoice`, { GET: (c) => onlineInvoice(app, api, c) }),
    route('accounting', `${BASE}/{id}/History`, { GET: (c) => api.history(c), PUT: (c) => api.addHistory(c) }, { idempotent: true }),
  ];
}
