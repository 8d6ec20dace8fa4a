import { EndpointError } from './errors';
import { validationMessages } from './error-body';
import type { HttpClient } from './http';
import { idempotencyKey } from './idempotency';
import { joinUrl } from './url-policy';
import { makeBatches } from './batches';
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
}

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
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

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

  private async write(action: string, method: 'PUT' | 'POST', path: string, body: string, signal?: AbortSignal, contentType = 'application/xml') {
    const url = this.url(path);
    return this.http.request({
      method,
      url,
      headers: this.headers('application/json', contentType),
      body,
      idempotencyKey: idempotencyKey(action, method, url.pathname + url.search, body),
      expect: 'json',
      signal,
    });
  }

  /**
   * Creates (PUT) or creates-or-updates (POST) documents in batches of ≤ 50 and ≤ 3.5 MB with
   * SummarizeErrors=false, so each document gets its own answer. Cancelling stops before the next batch.
   */
  async send(kind: DocumentKind, method: 'PUT' | 'POST', items: SendItem[], opts: { signal?: AbortSignal; onProgress?: (p: SendProgress) => void | Promise<void> } = {}): Promise<SendResult> {
    const n = NAMES[kind];
    const open = `<${n.path}>\n`;
    const close = `\n</${n.path}>\n`;
    const sized = items.map((it) => ({ ...it, bytes: Buffer.byteLength(it.elementXml, 'utf8') + 1 }));
    const { batches, oversized } = makeBatches(sized, Buffer.byteLength(open + close));
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
      const body = open + batch.map((it) => it.elementXml).join('\n') + close;
      try {
        const res = await this.write(`send-${kind}`, method, `${n.path}?SummarizeErrors=false`, body, opts.signal);
        const docs = res.json<Record<string, XeroDocumentJson[] | undefined>>()[n.path] ?? [];
        batch.forEach((it, i) => outcomes.set(it.key, outcomeOf(docs[i], kind)));
      } catch (e) {
        if (e instanceof EndpointError && e.kind === 'cancelled') {
          result.cancelled = true;
          for (const rest of batches.slice(b)) result.notSent.push(...rest.map((it) => it.key));
          break;
        }
        if (!(e instanceof EndpointError)) throw e;
        if (e.kind !== 'validation') {
          // Auth or an unreachable endpoint would fail the next batches too: stop. This batch's fate is unknown
          // after a dropped connection; sending it again is safe (same Idempotency-Key).
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
    const body = `<${n.path}><${n.element}>${inner}</${n.element}></${n.path}>`;
    const action = `update-${kind}-${Object.entries(fields).map(([k, v]) => `${k}=${v}`).join(',')}`;
    try {
      const res = await this.write(action, 'POST', `${n.path}/${encodeURIComponent(id)}`, body, signal);
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
    await this.write('email-invoice', 'POST', `Invoices/${encodeURIComponent(invoiceId)}/Email`, '{}', signal, 'application/json');
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

  /** Accounts, tax types, currencies and tracking categories of the organisation (each skipped if unavailable). */
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
    return out;
  }
}
