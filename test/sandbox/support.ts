import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvoiceEngine, parseXml, type XmlElement } from '@engine';
import { SANDBOX_READY_PREFIX, parseSandboxReady, type SandboxReady } from '../../shared/src/sandbox';
import { after, before } from 'node:test';

// The sandbox as the extension and users run it: the bundled dist/sandbox.js in its own process, spoken to over
// real sockets on 127.0.0.1.
export const ROOT = join(__dirname, '..', '..');
export const SANDBOX_JS = join(ROOT, 'dist', 'sandbox.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const TOKEN = 'sandbox-test-token';
export const TENANT = '6f2a1c3e-8b4d-4e5f-9a6b-7c8d9e0f1a2b';

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    newest = Math.max(newest, s.isDirectory() ? newestSource(p) : s.mtimeMs);
  }
  return newest;
}

let built = false;
/** `npm test` builds first; a test file run on its own builds when the bundle is missing or older than the sources. */
export function ensureBuilt(): void {
  if (built) return;
  let stale = true;
  try {
    const bundled = statSync(SANDBOX_JS).mtimeMs;
    stale = newestSource(join(ROOT, 'sandbox', 'src')) > bundled || newestSource(join(ROOT, 'server', 'src')) > bundled;
  } catch {
    stale = true;
  }
  if (stale) {
    const r = spawnSync(process.execPath, ['esbuild.js'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
  }
  built = true;
}

export function tempDir(prefix = 'sandbox-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export type Ready = SandboxReady;

export interface StartOptions {
  dataDir?: string;
  args?: string[];
  env?: Record<string, string>;
}

export class Sandbox {
  readonly stdout: string[] = [];
  stderr = '';
  private exited: Promise<number | null>;

  private constructor(
    readonly proc: ChildProcess,
    readonly ready: Ready,
    exited: Promise<number | null>,
  ) {
    this.exited = exited;
  }

  get url(): string {
    return this.ready.url;
  }

  /** Spawns the sandbox and resolves with its SANDBOX_READY line; no sleeping, the line is the signal. */
  static start(opts: StartOptions = {}): Promise<Sandbox> {
    ensureBuilt();
    const dataDir = opts.dataDir ?? tempDir();
    const proc = spawn(process.execPath, [SANDBOX_JS, '--port', '0', '--data', dataDir, ...(opts.args ?? [])], {
      // Functional tests make more calls than Xero's 60 a minute and 5 at once; the rate-limit tests set their own limits.
      env: { ...process.env, SANDBOX_TOKEN: TOKEN, SANDBOX_TENANT_ID: TENANT, SANDBOX_RATE_LIMIT_PER_MINUTE: '100000', SANDBOX_CONCURRENT_LIMIT: '1000', ...(opts.env ?? {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    return new Promise((resolve, reject) => {
      let buffered = '';
      let stderr = '';
      let sandbox: Sandbox | undefined;
      const lines: string[] = [];
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`no SANDBOX_READY line within 15 s; stderr: ${stderr}`));
      }, 15_000);
      proc.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (sandbox) sandbox.stderr += d.toString();
      });
      proc.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        let i: number;
        while ((i = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, i);
          buffered = buffered.slice(i + 1);
          lines.push(line);
          if (sandbox) sandbox.stdout.push(line);
          if (!sandbox && line.startsWith(SANDBOX_READY_PREFIX)) {
            clearTimeout(timer);
            sandbox = new Sandbox(proc, parseSandboxReady(line)!, exited);
            sandbox.stdout.push(...lines);
            sandbox.stderr = stderr;
            resolve(sandbox);
          }
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        if (!sandbox) reject(new Error(`the sandbox exited with ${code} before it was ready; stderr: ${stderr}`));
      });
    });
  }

  /** SIGTERM, and the exit code. */
  async stop(): Promise<number | null> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGTERM');
    return this.exited;
  }

  async kill9(): Promise<void> {
    this.proc.kill('SIGKILL');
    await this.exited;
  }

  async request(method: string, path: string, opts: RequestOptions = {}): Promise<Answer> {
    return request(this.ready, method, path, opts);
  }
}

export interface RequestOptions {
  body?: string | Uint8Array;
  /** A value sent as JSON (Content-Type: application/json). */
  json?: unknown;
  /** `xml` sends Content-Type: application/xml. */
  contentType?: string;
  /** json, xml, pdf: the media type; anything else is sent as the Accept header as it is. */
  accept?: string;
  headers?: Record<string, string>;
  /** false: no Authorization and xero-tenant-id headers. */
  auth?: boolean;
}

export interface Answer {
  status: number;
  headers: Headers;
  bytes: Buffer;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read the sandbox's JSON answers as plain data
  json: any;
}

export async function request(ready: Ready, method: string, path: string, opts: RequestOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (opts.auth !== false) {
    headers.Authorization = `Bearer ${TOKEN}`;
    headers['xero-tenant-id'] = TENANT;
  }
  if (opts.accept) headers.Accept = { json: 'application/json', xml: 'application/xml', pdf: 'application/pdf' }[opts.accept] ?? opts.accept;
  let body: string | Uint8Array | undefined = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['Content-Type'] = 'application/json';
  }
  if (opts.contentType) headers['Content-Type'] = opts.contentType === 'xml' ? 'application/xml' : opts.contentType;
  Object.assign(headers, opts.headers ?? {});
  const res = await fetch(`${ready.url}${path}`, { method, headers, body });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, bytes, text, json };
}

export function fixture(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

/**
 * A sandbox for one describe block: started before its tests, stopped (and its data removed) after them. The
 * returned getter gives the running sandbox inside the tests.
 */
export function sandboxForSuite(options?: StartOptions): () => Sandbox {
  let sb: Sandbox | undefined;
  before(async () => {
    sb = await Sandbox.start(options);
  });
  after(async () => {
    if (!sb) return;
    await sb.stop();
    removeDir(sb.ready.dataDir);
  });
  return () => sb!;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The elements at a path below the root of an XML text (`Invoices/Invoice`), parsed with the engine's parser. */
export function xmlAll(text: string, path: string): XmlElement[] {
  const doc = parseXml(text);
  if (!doc.root) return [];
  let level: XmlElement[] = [doc.root];
  for (const name of path.split('/').filter(Boolean)) level = level.flatMap((e) => e.children.filter((c) => c.name === name));
  return level;
}

/** The text of the first element at a path below an element. */
export function xmlText(el: XmlElement | undefined, path: string): string | undefined {
  let cur = el;
  for (const name of path.split('/')) cur = cur?.children.find((c) => c.name === name);
  return cur?.text.trim();
}

export function rootName(text: string): string | undefined {
  return parseXml(text).root?.name;
}

/** Error diagnostics the engine reports on a response (what the editor would show for it). */
export function engineErrors(text: string): string[] {
  return new InvoiceEngine({}).check(text).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);
}

/** A minimal valid ACCREC invoice as JSON fields. */
export function invoice(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Type: 'ACCREC',
    Contact: { Name: 'ABC Limited' },
    Date: '2026-03-01',
    DueDate: '2026-03-31',
    LineItems: [{ Description: 'Consulting', Quantity: 2, UnitAmount: 100, AccountCode: '200', TaxType: 'OUTPUT2' }],
    ...overrides,
  };
}

/** Creates invoices (PUT, JSON) and returns them as the API answered. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's invoices, read by the tests as plain data
export async function createInvoices(sb: Sandbox, invoices: Record<string, unknown>[]): Promise<any[]> {
  const r = await sb.request('PUT', '/api.xro/2.0/Invoices', { json: { Invoices: invoices }, accept: 'json' });
  if (r.status !== 200) throw new Error(`create failed: ${r.status} ${r.text}`);
  return r.json.Invoices;
}
