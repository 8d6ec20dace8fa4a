import { epochMs, parseSince } from '../domain/dates';
import { textOf, valueOf, type Fields } from '../domain/fields';
import { namesOf, numberOf, statusOf, ZERO_ID, type DocKind, type DocRecord } from '../domain/records';
import { accepts, CONTENT_TYPES, formatted, notFound, reply, type Reply } from '../http/reply';
import type { Ctx } from '../http/router';
import { responseBody, type Entity } from '../render/envelope';
import { documentPdf } from '../render/pdf';
import { printable } from '../render/printable';
import { documentView, type Detail } from '../render/views';
import { fileStem } from '../render/email';
import type { App } from './app';
import { queryParseError, validationException, validationMessage } from './errors';
import { matches, parseOrder, parseWhere, QueryError, sortBy } from './query';
import { readDocuments, readEntities } from './request';

const PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

function commaList(v: string | null): string[] | null {
  if (v === null) return null;
  return v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
}

/** GET, PUT and POST of invoices and credit notes: the same operations, the same rules, different element names. */
export class DocumentApi {
  constructor(
    private readonly app: App,
    readonly kind: DocKind,
  ) {}

  private get names() {
    return namesOf(this.kind);
  }

  private unitdp4(ctx: Ctx): boolean {
    return ctx.query('unitdp') === '4';
  }

  view(ctx: Ctx, rec: DocRecord, detail: Detail): Fields {
    return documentView(this.app.store, rec, { detail, unitdp4: this.unitdp4(ctx) });
  }

  /** The document named by the path: its ID or number. */
  target(ctx: Ctx): DocRecord | undefined {
    return this.app.docs.find(this.kind, ctx.params[0]);
  }

  /** PUT (create) and POST (create or update) of a batch, and POST /{id} (update one). */
  async write(ctx: Ctx, method: 'PUT' | 'POST', withTarget = false): Promise<Reply> {
    let target: DocRecord | undefined;
    if (withTarget) {
      target = this.target(ctx);
      if (!target) return notFound();
    }
    const read = readDocuments(ctx, this.app.validator, this.kind);
    if (!read.ok) return read.reply;
    const summarize = (ctx.query('summarizeErrors') ?? 'true').trim().toLowerCase() !== 'false';
    const unitdp4 = this.unitdp4(ctx);
    const outcomes = await this.app.docs.write(this.kind, read.value, { method, target, unitdp4, now: ctx.now });
    const names = this.names;
    if (!summarize) {
      const entities: Entity[] = outcomes.map((o) =>
        o.record
          ? { fields: this.view(ctx, o.record, 'full'), status: 'OK', warnings: o.warnings }
          : { fields: { ...o.echo, [names.idField]: ZERO_ID }, status: 'ERROR', errors: o.errors, warnings: o.warnings },
      );
      return formatted(200, ctx.format, responseBody(ctx.format, names.collection, entities, ctx.now));
    }
    const failed = outcomes.filter((o) => !o.record);
    if (failed.length > 0) {
      return validationException(ctx.format, failed.map((o) => ({ type: names.element, fields: o.echo, errors: o.errors, warnings: o.warnings })));
    }
    const entities = outcomes.map((o) => ({ fields: this.view(ctx, o.record!, 'full'), warnings: o.warnings }));
    return formatted(200, ctx.format, responseBody(ctx.format, names.collection, entities, ctx.now));
  }

  /** GET one: the whole document, or its PDF with `Accept: application/pdf`. */
  async get(ctx: Ctx): Promise<Reply> {
    const rec = this.target(ctx);
    if (!rec) return notFound();
    if (accepts(ctx.req, 'application/pdf')) return this.pdf(rec);
    return formatted(200, ctx.format, responseBody(ctx.format, this.names.collection, [{ fields: this.view(ctx, rec, 'full') }], ctx.now));
  }

  async pdf(rec: DocRecord): Promise<Reply> {
    const bytes = await documentPdf(printable(this.app.store, rec));
    const name = `${fileStem(numberOf(rec) ?? rec.id)}.pdf`;
    return reply(200, bytes, CONTENT_TYPES.pdf, { 'Content-Disposition': `inline; filename="${name}"` });
  }

  /**
   * GET the list: summaries without lines; with `page`, 100 (or `pageSize`) whole documents a page. Filters:
   * `where`, `IDs`, numbers, `Statuses`, `ContactIDs`, `searchTerm`, `If-Modified-Since`; `order`.
   */
  list(ctx: Ctx): Reply {
    const names = this.names;
    let recs = this.app.docs.list(this.kind);
    const ids = commaList(ctx.query('IDs'));
    if (ids) recs = recs.filter((r) => ids.includes(r.id));
    const numbers = commaList(ctx.query(this.kind === 'invoice' ? 'InvoiceNumbers' : 'CreditNoteNumbers'));
    if (numbers) recs = recs.filter((r) => numbers.includes((numberOf(r) ?? '').toLowerCase()));
    const statuses = commaList(ctx.query('Statuses'));
    if (statuses) recs = recs.filter((r) => statuses.includes(statusOf(r).toLowerCase()));
    const contacts = commaList(ctx.query('ContactIDs'));
    if (contacts) recs = recs.filter((r) => contacts.includes((textOf(r.fields.Contact as Fields, 'ContactID') ?? '').toLowerCase()));
    const since = parseSince(ctx.header('if-modified-since'));
    if (since !== null) recs = recs.filter((r) => epochMs(r.updatedDateUTC) > since);
    const search = ctx.query('searchTerm')?.trim().toLowerCase();
    if (search) recs = recs.filter((r) => [numberOf(r), valueOf(r.fields, 'Reference')].some((v) => v?.toLowerCase().includes(search)));
    const summaryOf = (r: DocRecord) => this.view(ctx, r, 'summary');
    try {
      const where = ctx.query('where');
      if (where && where.trim()) {
        const expr = parseWhere(where);
        recs = recs.filter((r) => matches(expr, summaryOf(r)));
      }
      const order = ctx.query('order');
      if (order && order.trim()) recs = sortBy(recs, parseOrder(order), summaryOf);
    } catch (err) {
      if (err instanceof QueryError) return queryParseError(ctx.format, `The where or order parameter could not be parsed: ${err.message}.`);
      throw err;
    }
    const pageParam = ctx.query('page');
    if (pageParam === null) {
      return formatted(200, ctx.format, responseBody(ctx.format, names.collection, recs.map((r) => ({ fields: summaryOf(r) })), ctx.now));
    }
    const page = Math.max(1, Number.parseInt(pageParam, 10) || 1);
    const requested = Number.parseInt(ctx.query('pageSize') ?? '', 10);
    const pageSize = Number.isFinite(requested) && requested > 0 ? Math.min(requested, MAX_PAGE_SIZE) : PAGE_SIZE;
    const slice = recs.slice((page - 1) * pageSize, page * pageSize);
    const detail: Detail = (ctx.query('summaryOnly') ?? '').toLowerCase() === 'true' ? 'summary' : 'full';
    const pagination = { page, pageSize, pageCount: Math.ceil(recs.length / pageSize), itemCount: recs.length };
    return formatted(200, ctx.format, responseBody(ctx.format, names.collection, slice.map((r) => ({ fields: this.view(ctx, r, detail) })), ctx.now, pagination));
  }

  /** GET /{id}/History: every create, update, status change, payment, email and note. */
  history(ctx: Ctx): Reply {
    const rec = this.target(ctx);
    if (!rec) return notFound();
    const records = rec.history.map((h) => ({ Changes: h.Changes, DateUTC: h.DateUTC, User: h.User, Details: h.Details }));
    return formatted(200, ctx.format, responseBody(ctx.format, 'HistoryRecords', records.map((fields) => ({ fields })), ctx.now));
  }

  /** PUT /{id}/History: notes, `{"HistoryRecords":[{"Details":"…"}]}`. */
  async addHistory(ctx: Ctx): Promise<Reply> {
    const rec = this.target(ctx);
    if (!rec) return notFound();
    const read = readEntities(ctx, 'HistoryRecords');
    if (!read.ok) return read.reply;
    const details = read.value.map((f) => valueOf(f, 'Details') ?? '');
    const bad = read.value.map((f, i) => ({ f, d: details[i] })).filter(({ d }) => !d.trim() || d.length > 2500);
    if (bad.length || details.length === 0) {
      return validationException(
        ctx.format,
        (bad.length ? bad : [{ f: {}, d: '' }]).map(({ f, d }) => ({
          type: 'HistoryRecord',
          fields: f,
          errors: [d.length > 2500 ? 'The Details of a history note must be at most 2500 characters.' : 'The Details field must be specified.'],
        })),
      );
    }
    const added = details.map((d) => {
      this.app.docs.addHistory(rec, 'Note', ctx.now, d);
      return rec.history[rec.history.length - 1];
    });
    await this.app.store.saveDocument(rec);
    return formatted(200, ctx.format, responseBody(ctx.format, 'HistoryRecords', added.map((h) => ({ fields: { ...h } })), ctx.now));
  }

  /** A validation error about the document of the path as a whole (emailing, online URL, …). */
  refuse(ctx: Ctx, rec: DocRecord, message: string): Reply {
    const names = this.names;
    const fields: Record<string, string> = { [names.idField]: rec.id };
    const n = numberOf(rec);
    if (n) fields[names.numberField] = n;
    return validationMessage(ctx.format, names.element, fields, message);
  }
}
