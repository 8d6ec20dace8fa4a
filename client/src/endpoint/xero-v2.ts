import { EndpointError } from './errors';
import { validationMessages } from './error-body';
import type { HttpClient } from './http';
import { newIdempotencyKey, outcomeUnknown, UnknownOutcomeError, type WireWrite } from './idempotency';
import { joinUrl } from './url-policy';
import { batchMismatch, makeBatches } from './batches';
import { escapeXml, requestDocument } from '../../../shared/src/xml-text';
import { ZERO_GUID, xeroDateToIso, type XeroContactJson, type XeroDocumentJson } from './xero-json';

export type DocumentKind = 'invoice' | 'creditNote';

const NAMES = {
  invoice: { path: 'Invoices', element: 'Invoice', id: 'InvoiceID', number: 'InvoiceNumber' },
  creditNote: { path: 'CreditNotes', element: 'CreditNote', id: 'CreditNoteID', number: 'CreditNoteNumber' },
} as const;

export function namesOf(kind: DocumentKind) {
  return NAMES[kind];
}

/** What the endpoint answered for one invoice or credit note. */
export interface DocumentOutcome {
  ok: boolean;
  id?: string;
  number?: string;
  status?: string;
  updatedDateUTC?: string;
  sentToContact?: boolean;
  errors: string[];
  warnings: string[];
}

export interface SendItem {
  /** The caller's own reference (the invoice's index in its document). */
  key: number;
  /** One `<Invoice>…</Invoice>` (or `<CreditNote>`) element. */
  elementXml: string;
  /** What the document names it by, to check that the answer is for it. */
  invoiceId?: string | null;
  invoiceNumber?: string | null;
}

export interface SendProgress {
  batch: number;
  batches: number;
  done: number;
  total: number;
}

export interface SendResult {
  outcomes: Map<number, DocumentOutcome>;
  /** Items of batches that were never sent (cancelled, or a failure stopped the run). */
  notSent: number[];
  cancelled: boolean;
  /** A failure of a whole request that stopped the run (auth, endpoint unreachable after the retries). */
  stoppedBy?: EndpointError;
  /** The batch whose outcome is unknown (stoppedBy is then an UnknownOutcomeError), by its items' keys. */
  unknown?: { write: WireWrite; keys: number[] };
  /** Answers that could not be matched to what was sent: nothing of them may be written back. */
  unmatched?: UnmatchedAnswer[];
}

export interface UnmatchedAnswer {
  reason: string;
  keys: number[];
  /** The endpoint's answer as it came. */
  answer: string;
}

/** A batch's answer read per item, or why it cannot be matched to the items. */
export type BatchAnswer = { outcomes: Map<number, DocumentOutcome> } | { unmatched: UnmatchedAnswer };

export interface ListOptions {
  modifiedSince?: Date;
  statuses?: string[];
  where?: string;
  page?: number;
}

export interface OrganisationLists {
  accounts?: string[];
  taxTypes?: string[];
  currencies?: string[];
  trackingCategories?: { name: string; options: string[] }[];
  /** Names of the active contacts, for completion in <Contact><Name>. */
  contacts?: string[];
}

/** Xero pages contacts 100 at a time; completion needs names, not every contact of a very large organisation. */
const CONTACT_PAGES = 10;

export function outcomeOf(doc: XeroDocumentJson | undefined, kind: DocumentKind): DocumentOutcome {
  if (!doc) return { ok: false, errors: ['The endpoint did not answer for this document.'], warnings: [] };
  const n = NAMES[kind];
  const rawId = (doc as Record<string, unknown>)[n.id] as string | undefined;
  const id = rawId && rawId !== ZERO_GUID ? rawId : undefined;
  const errors = validationMessages(doc);
  const failed = doc.HasErrors === true || doc.StatusAttributeString === 'ERROR' || errors.length > 0;
  const out: DocumentOutcome = { ok: !failed && !!id, errors, warnings: (doc.Warnings ?? []).map((w) => w.Message ?? '').filter(Boolean) };
  if (failed && errors.length === 0) out.errors.push('The endpoint reported an error for this document without a message.');
  if (!failed && !id) out.errors.push('The endpoint did not return an identifier for this document.');
  if (id) out.id = id;
  const number = (doc as Record<string, unknown>)[n.number] as string | undefined;
  if (number && id) out.number = number;
  if (doc.Status && id) out.status = doc.Status;
  const updated = xeroDateToIso(doc.UpdatedDateUTC);
  if (updated && id) out.updatedDateUTC = updated;
  if (typeof doc.SentToContact === 'boolean' && id) out.sentToContact = doc.SentToContact;
  return out;
}

/** Xero Accounting API 2.0: XML request bodies as the language server builds them; JSON answers. */
export class XeroV2Client {
  private readonly base: URL;

  constructor(
    private readonly http: HttpClient,
    baseUrl: URL,
    private readonly tenantId: string,
  ) {
    this.base = /\/api\.xro\/2\.0\/?$/.test(baseUrl.pathname) ? baseUrl : joinUrl(baseUrl, 'api.xro/2.0');
  }

  private url(path: string): URL {
    return joinUrl(this.base, path);
  }

  private headers(accept: string, contentType?: string): Record<string, string> {
    const h: Record<string, string> = { Accept: accept };
    if (contentType) h['Content-Type'] = contentType;
    if (this.tenantId) h['xero-tenant-id'] = this.tenantId;
    return h;
  }

  /** One write with its own new key (one user action); an unknown outcome throws an UnknownOutcomeError to retry it with. */
  private write(method: 'PUT' | 'POST', path: string, body: string, signal?: AbortSignal, contentType = 'application/xml') {
    return this.replay({ method, url: this.url(path).toString(), contentType, body, idempotencyKey: newIdempotencyKey() }, signal);
  }

  /** Whether a URL is under this client's endpoint (a kept write is only ever resent to the endpoint it was for). */
  owns(url: string): boolean {
    const base = this.base.href.endsWith('/') ? this.base.href : `${this.base.href}/`;
    return url.startsWith(base);
  }

  /** Sends a write exactly as before: the same bytes with the same Idempotency-Key. */
  async replay(write: WireWrite, signal?: AbortSignal) {
    let attempted = false;
    try {
      return await this.http.request({
        method: write.method,
        url: new URL(write.url),
        headers: this.headers('application/json', write.contentType),
        body: write.body,
        idempotencyKey: write.idempotencyKey,
        expect: 'json',
        signal,
        onAttempt: () => void (attempted = true),
      });
    } catch (e) {
      if (e instanceof EndpointError && outcomeUnknown(e, attempted)) throw new UnknownOutcomeError(write, e);
      throw e;
    }
  }

  /** A batch's answer matched to its items by ID / number and count. */
  readBatch(kind: DocumentKind, items: readonly SendItem[], answer: Record<string, unknown>): BatchAnswer {
    const n = NAMES[kind];
    const docs = (answer[n.path] as XeroDocumentJson[] | undefined) ?? [];
    const identities = docs.map((d) => {
      const o = d as Record<string, unknown>;
      const id = o[n.id] as string | undefined;
      return { id: id && id !== ZERO_GUID ? id : undefined, number: o[n.number] as string | undefined };
    });
    const reason = batchMismatch(
      items.map((it) => ({ id: it.invoiceId, number: it.invoiceNumber })),
      identities,
    );
    if (reason) return { unmatched: { reason, keys: items.map((it) => it.key), answer: JSON.stringify(answer, null, 2) } };
    return { outcomes: new Map(items.map((it, i) => [it.key, outcomeOf(docs[i], kind)])) };
  }

  /** The request body of a batch. */
  batchBody(kind: DocumentKind, items: readonly SendItem[]): string {
    const n = NAMES[kind];
    return requestDocument(n.path, items.map((it) => it.elementXml));
  }

  batchPath(kind: DocumentKind): string {
    return `${NAMES[kind].path}?SummarizeErrors=false`;
  }

  /**
   * Creates (PUT) or creates-or-updates (POST) documents in batches of ≤ 50 and ≤ 3.5 MB with
   * SummarizeErrors=false, so each document gets its own answer. Cancelling stops before the next batch.
   */
  async send(kind: DocumentKind, method: 'PUT' | 'POST', items: SendItem[], opts: { signal?: AbortSignal; onProgress?: (p: SendProgress) => void | Promise<void> } = {}): Promise<SendResult> {
    const n = NAMES[kind];
    const sized = items.map((it) => ({ ...it, bytes: Buffer.byteLength(it.elementXml, 'utf8') + 1 }));
    const { batches, oversized } = makeBatches(sized, Buffer.byteLength(requestDocument(n.path, [])));
    const outcomes = new Map<number, DocumentOutcome>();
    for (const it of oversized) outcomes.set(it.key, { ok: false, errors: ['This document alone is larger than the 3.5 MB the API accepts in one request.'], warnings: [] });
    const result: SendResult = { outcomes, notSent: [], cancelled: false };
    let done = 0;
    for (let b = 0; b < batches.length; b++) {
      const batch = batches[b];
      if (opts.signal?.aborted) {
        result.cancelled = true;
        for (const rest of batches.slice(b)) result.notSent.push(...rest.map((it) => it.key));
        break;
      }
      await opts.onProgress?.({ batch: b + 1, batches: batches.length, done, total: items.length });
      const body = this.batchBody(kind, batch);
      try {
        const res = await this.write(method, this.batchPath(kind), body, opts.signal);
        const read = this.readBatch(kind, batch, res.json<Record<string, unknown>>());
        if ('unmatched' in read) (result.unmatched ??= []).push(read.unmatched);
        else for (const [k, v] of read.outcomes) outcomes.set(k, v);
      } catch (e) {
        if (e instanceof UnknownOutcomeError) {
          // Nothing more is sent until this batch is settled by retrying it (same bytes, same key).
          result.stoppedBy = e;
          result.unknown = { write: e.write, keys: batch.map((it) => it.key) };
          for (const rest of batches.slice(b + 1)) result.notSent.push(...rest.map((it) => it.key));
          if (e.kind === 'cancelled') result.cancelled = true;
          break;
        }
        if (e instanceof EndpointError && e.kind === 'cancelled') {
          result.cancelled = true;
          for (const rest of batches.slice(b)) result.notSent.push(...rest.map((it) => it.key));
          break;
        }
        if (!(e instanceof EndpointError)) throw e;
        if (e.kind !== 'validation') {
          // Auth or a refusal of the whole request would fail the next batches too: stop.
          result.stoppedBy = e;
          for (const rest of batches.slice(b)) result.notSent.push(...rest.map((it) => it.key));
          break;
        }
        // The endpoint rejected the request as a whole (e.g. unreadable XML): every document of the batch shares it.
        for (const it of batch) outcomes.set(it.key, { ok: false, errors: [e.message, ...e.details], warnings: [] });
      }
      done += batch.length;
      await opts.onProgress?.({ batch: b + 1, batches: batches.length, done, total: items.length });
    }
    return result;
  }

  /** Updates one document by ID with the given fields (a status change, SentToContact). */
  async update(kind: DocumentKind, id: string, fields: Record<string, string>, signal?: AbortSignal): Promise<DocumentOutcome> {
    const n = NAMES[kind];
    const inner = [`<${n.id}>${escapeXml(id)}</${n.id}>`, ...Object.entries(fields).map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)].join('');
    const body = requestDocument(n.path, [`<${n.element}>${inner}</${n.element}>`]);
    try {
      const res = await this.write('POST', `${n.path}/${encodeURIComponent(id)}`, body, signal);
      const docs = res.json<Record<string, XeroDocumentJson[] | undefined>>()[n.path] ?? [];
      return outcomeOf(docs[0], kind);
    } catch (e) {
      if (e instanceof EndpointError && e.kind === 'validation') return { ok: false, errors: e.details.length ? e.details : [e.message], warnings: [] };
      throw e;
    }
  }

  changeStatus(kind: DocumentKind, id: string, status: string, signal?: AbortSignal): Promise<DocumentOutcome> {
    return this.update(kind, id, { Status: status }, signal);
  }

  markAsSent(id: string, signal?: AbortSignal): Promise<DocumentOutcome> {
    return this.update('invoice', id, { SentToContact: 'true' }, signal);
  }

  /** Emails an approved sales invoice to its contact (204 No Content). */
  async email(invoiceId: string, signal?: AbortSignal): Promise<void> {
    await this.write('POST', `Invoices/${encodeURIComponent(invoiceId)}/Email`, '{}', signal, 'application/json');
  }

  /** The current state of one document, by ID or number. */
  async get(kind: DocumentKind, idOrNumber: string, signal?: AbortSignal): Promise<XeroDocumentJson> {
    const n = NAMES[kind];
    const res = await this.http.request({ method: 'GET', url: this.url(`${n.path}/${encodeURIComponent(idOrNumber)}`), headers: this.headers('application/json'), expect: 'json', signal });
    const doc = res.json<Record<string, XeroDocumentJson[] | undefined>>()[n.path]?.[0];
    if (!doc) throw new EndpointError('notFound', `${idOrNumber} was not found at the endpoint.`, { status: 404 });
    return doc;
  }

  /** A contact with its email addresses (an invoice's embedded contact may leave them out). */
  async contact(contactId: string, signal?: AbortSignal): Promise<XeroContactJson | undefined> {
    const res = await this.http.request({ method: 'GET', url: this.url(`Contacts/${encodeURIComponent(contactId)}`), headers: this.headers('application/json'), expect: 'json', signal });
    return res.json<{ Contacts?: XeroContactJson[] }>().Contacts?.[0];
  }

  /** The contact with this exact name, with its email addresses, or undefined when the endpoint has none. */
  async contactByName(name: string, signal?: AbortSignal): Promise<XeroContactJson | undefined> {
    const where = `Name=="${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    const res = await this.http.request({ method: 'GET', url: this.url(`Contacts?where=${encodeURIComponent(where)}`), headers: this.headers('application/json'), expect: 'json', signal });
    return res.json<{ Contacts?: XeroContactJson[] }>().Contacts?.find((c) => c.Name === name);
  }

  /** One document as the endpoint's XML, for an editor. */
  async getXml(kind: DocumentKind, idOrNumber: string, signal?: AbortSignal): Promise<string> {
    const n = NAMES[kind];
    const res = await this.http.request({ method: 'GET', url: this.url(`${n.path}/${encodeURIComponent(idOrNumber)}`), headers: this.headers('application/xml'), expect: 'xml', signal });
    return res.text();
  }

  /** The PDF streamed into `file` (never held in memory); its size in bytes. */
  async pdf(kind: DocumentKind, idOrNumber: string, file: string, signal?: AbortSignal): Promise<number> {
    const n = NAMES[kind];
    const url = this.url(`${n.path}/${encodeURIComponent(idOrNumber)}`);
    const res = await this.http.request({ method: 'GET', url, headers: this.headers('application/pdf'), expect: 'pdf', signal, saveTo: file });
    return res.saved?.bytes ?? 0;
  }

  /** A page of documents (100 per page, with lines) as XML, optionally modified since a moment. */
  async listXml(kind: DocumentKind, opts: ListOptions = {}, signal?: AbortSignal): Promise<string> {
    const n = NAMES[kind];
    const q = new URLSearchParams();
    q.set('page', String(opts.page ?? 1));
    if (opts.statuses?.length) q.set('Statuses', opts.statuses.join(','));
    if (opts.where) q.set('where', opts.where);
    const headers = this.headers('application/xml');
    if (opts.modifiedSince) headers['If-Modified-Since'] = opts.modifiedSince.toISOString().replace(/\.\d{3}Z$/, '');
    const res = await this.http.request({ method: 'GET', url: this.url(`${n.path}?${q.toString()}`), headers, expect: 'xml', signal });
    return res.text();
  }

  /** Accounts, tax types, currencies, tracking categories and contact names of the organisation (each skipped if unavailable). */
  async organisationLists(signal?: AbortSignal): Promise<OrganisationLists> {
    const get = async <T>(path: string): Promise<T | undefined> => {
      try {
        return (await this.http.request({ method: 'GET', url: this.url(path), headers: this.headers('application/json'), expect: 'json', signal })).json<T>();
      } catch (e) {
        if (e instanceof EndpointError && (e.kind === 'notFound' || e.kind === 'validation' || e.kind === 'server')) return undefined;
        throw e;
      }
    };
    const out: OrganisationLists = {};
    const accounts = await get<{ Accounts?: { Code?: string; Status?: string }[] }>('Accounts');
    if (accounts?.Accounts) out.accounts = accounts.Accounts.filter((a) => a.Code && a.Status !== 'ARCHIVED').map((a) => a.Code!);
    const taxRates = await get<{ TaxRates?: { TaxType?: string; Status?: string }[] }>('TaxRates');
    if (taxRates?.TaxRates) out.taxTypes = taxRates.TaxRates.filter((t) => t.TaxType && t.Status !== 'DELETED' && t.Status !== 'ARCHIVED').map((t) => t.TaxType!);
    const currencies = await get<{ Currencies?: { Code?: string }[] }>('Currencies');
    if (currencies?.Currencies) out.currencies = currencies.Currencies.filter((c) => c.Code).map((c) => c.Code!);
    const tracking = await get<{ TrackingCategories?: { Name?: string; Options?: { Name?: string }[] }[] }>('TrackingCategories');
    if (tracking?.TrackingCategories) {
      out.trackingCategories = tracking.TrackingCategories.filter((t) => t.Name).map((t) => ({ name: t.Name!, options: (t.Options ?? []).filter((o) => o.Name).map((o) => o.Name!) }));
    }
    const names = new Set<string>();
    for (let page = 1; page <= CONTACT_PAGES; page++) {
      const contacts = await get<{ Contacts?: { Name?: string; ContactStatus?: string }[] }>(`Contacts?summaryOnly=true&page=${page}`);
      if (!contacts?.Contacts) break;
      for (const c of contacts.Contacts) if (c.Name && (c.ContactStatus ?? 'ACTIVE') === 'ACTIVE') names.add(c.Name);
      if (contacts.Contacts.length < 100) break;
    }
    if (names.size > 0) out.contacts = [...names];
    return out;
  }
}
