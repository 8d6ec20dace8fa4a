import type { HttpClient } from './http';
import { joinUrl } from './url-policy';

export type WorkflowMaxQuery =
  | { kind: 'current'; detailed?: boolean }
  | { kind: 'draft'; detailed?: boolean }
  | { kind: 'list'; from: string; to: string; detailed?: boolean }
  | { kind: 'get'; invoiceNumber: string }
  | { kind: 'job'; jobNumber: string }
  | { kind: 'payments'; invoiceNumber: string };

/** `YYYY-MM-DD` or `YYYYMMDD` as WorkflowMax's `YYYYMMDD`; undefined if it is neither. */
export function workflowMaxDate(s: string): string | undefined {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(s.trim());
  return m ? `${m[1]}${m[2]}${m[3]}` : undefined;
}

export function workflowMaxPath(q: WorkflowMaxQuery): string {
  const detailed = 'detailed' in q && q.detailed ? 'detailed=true' : '';
  switch (q.kind) {
    case 'current':
    case 'draft':
      return q.kind + (detailed ? `?${detailed}` : '');
    case 'list': {
      const p = new URLSearchParams({ from: q.from, to: q.to });
      if (q.detailed) p.set('detailed', 'true');
      return `list?${p.toString()}`;
    }
    case 'get':
      return `get/${encodeURIComponent(q.invoiceNumber)}`;
    case 'job':
      return `job/${encodeURIComponent(q.jobNumber)}`;
    case 'payments':
      return `payments/${encodeURIComponent(q.invoiceNumber)}`;
  }
}

/** WorkflowMax 3.0 `invoice.api` (read-only): OAuth 2.0 bearer + xero-tenant-id; XML answers for an editor. */
export class WorkflowMaxClient {
  private readonly base: URL;

  constructor(
    private readonly http: HttpClient,
    baseUrl: URL,
    private readonly tenantId: string,
  ) {
    this.base = /invoice\.api\/?$/.test(baseUrl.pathname) ? baseUrl : joinUrl(baseUrl, 'workflowmax/3.0/invoice.api');
  }

  async fetchXml(q: WorkflowMaxQuery, signal?: AbortSignal): Promise<string> {
    const headers: Record<string, string> = { Accept: 'application/xml' };
    if (this.tenantId) headers['xero-tenant-id'] = this.tenantId;
    const res = await this.http.request({ method: 'GET', url: joinUrl(this.base, workflowMaxPath(q)), headers, expect: 'xml', signal });
    return res.text();
  }
}
