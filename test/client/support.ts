// Test support for the HTTP layer: a real sandbox process (dist/sandbox.js) per test file, started with fixed
// credentials, and an HttpClient that records every log entry and retry wait.
import { mkdtempSync, rmSync } from 'node:fs';
import { after, afterEach, before } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient, type HttpClientOptions, type RequestLogEntry } from '../../client/src/endpoint/http';
import { XeroV2Client } from '../../client/src/endpoint/xero-v2';
import { startSandboxProcess, type SandboxProcess, type SandboxReady } from '../../client/src/sandbox-process';

export const ROOT = join(__dirname, '..', '..');
export const TOKEN = 'client-test-token-0123456789';
export const TENANT = '6d1f0e2a-4b3c-4d5e-8f90-a1b2c3d4e5f6';

export interface TestSandbox {
  ready: SandboxReady;
  url: URL;
  control(body: unknown): Promise<unknown>;
  state(): Promise<SandboxState>;
  outbox(): Promise<{ files: { name: string; path: string }[] }>;
  stop(): Promise<void>;
}

export interface SandboxState {
  invoices: number;
  creditNotes: number;
  byStatus: { invoice: Record<string, number>; creditNote: Record<string, number> };
  outbox: number;
  idempotencyKeys: number;
}

async function controlJson<T>(base: string, path: string, body?: unknown): Promise<T> {
  const r = await fetch(`${base}${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  if (!r.ok) throw new Error(`${path} → ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

/** Spawns `node dist/sandbox.js --port 0 --data <tmp>` and waits for its SANDBOX_READY line (no sleeps). */
export async function startTestSandbox(env: Record<string, string> = {}): Promise<TestSandbox> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xero-client-test-'));
  let proc: SandboxProcess;
  try {
    proc = await startSandboxProcess({
      script: join(ROOT, 'dist', 'sandbox.js'),
      dataDir,
      env: { ...process.env, SANDBOX_TOKEN: TOKEN, SANDBOX_TENANT_ID: TENANT, ...env },
    });
  } catch (e) {
    throw new Error(`${(e as Error).message} (is dist/sandbox.js built? run node esbuild.js)`);
  }
  const base = proc.ready.url;
  return {
    ready: proc.ready,
    url: new URL(base),
    control: (body) => controlJson(base, '/sandbox/control', body),
    state: () => controlJson<SandboxState>(base, '/sandbox/state'),
    outbox: () => controlJson(base, '/sandbox/outbox'),
    async stop() {
      await proc.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Recorder {
  logs: RequestLogEntry[];
  waits: { remainingSeconds: number; reason: string }[];
}

/** An HttpClient for the sandbox with the test token; short backoff; records logs and waits. */
export function testHttp(overrides: Partial<HttpClientOptions> = {}, token = TOKEN): { http: HttpClient } & Recorder {
  const rec: Recorder = { logs: [], waits: [] };
  const http = new HttpClient({
    timeoutMs: 5000,
    backoffMs: 20,
    authHeaders: () => Promise.resolve({ Authorization: `Bearer ${token}` }),
    secrets: () => [token],
    hooks: { log: (e) => rec.logs.push(e), waiting: (w) => rec.waits.push(w), traceBodies: () => true },
    ...overrides,
  });
  return { http, ...rec };
}

export function v2(sb: TestSandbox, http: HttpClient): XeroV2Client {
  return new XeroV2Client(http, sb.url, TENANT);
}

let counter = 0;
/** A new sales invoice as the language server's request XML would hold it (`<Invoice>…</Invoice>`). */
export function invoiceXml(opts: { status?: string; contact?: string; email?: string; number?: string; amount?: string; extra?: string } = {}): string {
  counter++;
  const contact = opts.contact ?? `Test Customer ${process.pid}-${counter}`;
  return [
    '<Invoice>',
    '<Type>ACCREC</Type>',
    `<Contact><Name>${contact}</Name>${opts.email === '' ? '' : `<EmailAddress>${opts.email ?? 'billing@customer.example'}</EmailAddress>`}</Contact>`,
    '<Date>2026-11-02</Date><DueDate>2026-11-30</DueDate>',
    opts.number ? `<InvoiceNumber>${opts.number}</InvoiceNumber>` : '',
    opts.status ? `<Status>${opts.status}</Status>` : '',
    '<LineAmountTypes>Exclusive</LineAmountTypes>',
    `<LineItems><LineItem><Description>Consulting ${counter}</Description><Quantity>1</Quantity><UnitAmount>${opts.amount ?? '100.00'}</UnitAmount><AccountCode>200</AccountCode><TaxType>OUTPUT2</TaxType></LineItem></LineItems>`,
    opts.extra ?? '',
    '</Invoice>',
  ].join('');
}

export function creditNoteXml(status = 'DRAFT'): string {
  counter++;
  return [
    '<CreditNote><Type>ACCRECCREDIT</Type>',
    `<Contact><Name>Credit Customer ${counter}</Name></Contact>`,
    `<Date>2026-11-15</Date><Status>${status}</Status><LineAmountTypes>Exclusive</LineAmountTypes>`,
    '<LineItems><LineItem><Description>Refund</Description><Quantity>1</Quantity><UnitAmount>50.00</UnitAmount><AccountCode>200</AccountCode><TaxType>OUTPUT2</TaxType></LineItem></LineItems>',
    '</CreditNote>',
  ].join('');
}

/**
 * One sandbox for the enclosing describe block: started before its tests, stopped after them, and with
 * `resetAfterEach` put back to its seeded state (faults cleared) after each test. Returns the running sandbox.
 */
export function useTestSandbox(opts: { resetAfterEach?: boolean } = {}): () => TestSandbox {
  let sb: TestSandbox | undefined;
  before(async () => {
    sb = await startTestSandbox();
  });
  after(async () => {
    await sb?.stop();
  });
  if (opts.resetAfterEach) {
    afterEach(async () => {
      await sb?.control({ reset: true });
    });
  }
  return () => {
    if (!sb) throw new Error('the sandbox is not running (used outside a test?)');
    return sb;
  };
}
