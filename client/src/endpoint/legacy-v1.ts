import type { HttpClient } from './http';
import { newIdempotencyKey } from './idempotency';
import { joinUrl } from './url-policy';

export interface LegacyKeys {
  apiKey: string;
  xeroKey: string;
}

/**
 * The legacy Xero API 1.0 (2008–2009): every call carries `apiKey` (provider) and `xeroKey` (customer) as query
 * parameters; bodies and answers are XML, which the language server reads.
 */
export class LegacyV1Client {
  private readonly base: URL;

  constructor(
    private readonly http: HttpClient,
    baseUrl: URL,
    private readonly keys: LegacyKeys,
  ) {
    this.base = /\/api\.xro\/1\.0\/?$/.test(baseUrl.pathname) ? baseUrl : joinUrl(baseUrl, 'api.xro/1.0');
    http.addSecret(keys.apiKey);
    http.addSecret(keys.xeroKey);
  }

  private url(path: string, params: Record<string, string> = {}): URL {
    const u = joinUrl(this.base, path);
    u.searchParams.set('apiKey', this.keys.apiKey);
    u.searchParams.set('xeroKey', this.keys.xeroKey);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    return u;
  }

  /** PUT /invoice: creates one invoice from its 1.0 `<Invoice>` XML; answers `<Response>` XML (a 400 too: it lists the errors). */
  async putInvoice(invoiceXml: string, signal?: AbortSignal): Promise<{ status: number; xml: string }> {
    const url = this.url('invoice');
    // API 1.0 predates Idempotency-Key: the header is sent (harmless) but the endpoint may not honour it, so a
    // request whose answer was lost is not repeated automatically (a second PUT could create a second invoice).
    // The key is derived from the path only, never from the credentials in the query.
    const res = await this.http.request({
      method: 'PUT',
      url,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', Accept: 'application/xml' },
      body: invoiceXml,
      idempotencyKey: newIdempotencyKey(),
      expect: 'xml',
      acceptStatus: [400],
      retries: 0,
      signal,
    });
    return { status: res.status, xml: res.text() };
  }

  /** GET /invoice by ID or number. */
  async getInvoiceXml(idOrNumber: string, signal?: AbortSignal): Promise<string> {
    const isGuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrNumber);
    const url = this.url('invoice', isGuid ? { invoiceID: idOrNumber } : { invoiceNumber: idOrNumber });
    return (await this.http.request({ method: 'GET', url, headers: { Accept: 'application/xml' }, expect: 'xml', signal })).text();
  }

  /** GET /invoices?modifiedSince=YYYY-MM-DD. */
  async listXml(modifiedSince: Date | undefined, signal?: AbortSignal): Promise<string> {
    const url = this.url('invoices', modifiedSince ? { modifiedSince: modifiedSince.toISOString().slice(0, 10) } : {});
    return (await this.http.request({ method: 'GET', url, headers: { Accept: 'application/xml' }, expect: 'xml', signal })).text();
  }
}
