// The runner's view of the local sandbox the extension started: its URL and tenant come from the workspace settings
// the extension wrote; the token is the fixed one the runner gave code-server's environment (SANDBOX_TOKEN), which
// the extension host and the sandbox it spawns inherit.
import { readFileSync } from 'node:fs';

/** .vscode/settings.json as VS Code writes it (JSON; comments tolerated). */
export function readWorkspaceSettings(file) {
  const text = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => !/^\s*\/\//.test(l))
    .join('\n');
  return JSON.parse(text);
}

export class Sandbox {
  constructor({ url, tenantId, token }) {
    this.url = url.replace(/\/$/, '');
    this.tenantId = tenantId;
    this.token = token;
  }

  async #get(path, headers = {}) {
    const r = await fetch(`${this.url}${path}`, { headers });
    if (!r.ok) throw new Error(`GET ${path} → ${r.status} ${(await r.text()).slice(0, 300)}`);
    return r;
  }

  /** GET /sandbox/state: counts by kind and status, the outbox size (loopback only, no token). */
  async state() {
    return (await this.#get('/sandbox/state')).json();
  }

  /** GET /sandbox/outbox: the .eml files the sandbox "sent". */
  async outbox() {
    return (await this.#get('/sandbox/outbox')).json();
  }

  async outboxFile(name) {
    return (await this.#get(`/sandbox/outbox/${encodeURIComponent(name)}`)).text();
  }

  /** The Accounting API 2.0 with the token and tenant, as JSON. */
  async api(path) {
    const r = await this.#get(`/api.xro/2.0/${path}`, { Authorization: `Bearer ${this.token}`, 'xero-tenant-id': this.tenantId, Accept: 'application/json' });
    return r.json();
  }

  async invoice(idOrNumber) {
    const body = await this.api(`Invoices/${encodeURIComponent(idOrNumber)}`);
    return body.Invoices?.[0];
  }

  async invoices() {
    return (await this.api('Invoices')).Invoices ?? [];
  }
}

export const count = (state, status) => state.byStatus?.invoice?.[status] ?? 0;
