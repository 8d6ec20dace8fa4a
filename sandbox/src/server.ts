/**
 * The sandbox endpoint: a local HTTP server speaking Xero's invoice APIs (Accounting 2.0, legacy 1.0, WorkflowMax
 * 3.0) with the engine's rules, real PDFs and an email outbox.
 *
 * It is built on node's own `http` server rather than a framework: no dependency to ship in the extension, and
 * full control of status lines, headers and the connection itself, which fault injection needs (a socket
 * destroyed before any answer, a body cut off half-way, latency before the first byte).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SandboxReady } from '../../shared/src/sandbox';
import type { App } from './api/app';
import { controlRoutes } from './api/control';
import { creditNoteRoutes } from './api/credit-notes';
import { notImplemented, postDataInvalid } from './api/errors';
import { identityRoutes } from './api/identity';
import { invoiceRoutes } from './api/invoices';
import { legacyMethodNotAllowed, legacyRoutes } from './api/legacy-v1';
import { onlineRoutes } from './api/online';
import { organisationRoutes } from './api/organisation';
import { paymentRoutes } from './api/payments';
import { workflowMaxError, workflowMaxRoutes } from './api/workflowmax';
import { addContact, newContactRecord } from './domain/contacts';
import { Documents } from './domain/documents';
import { Payments } from './domain/payments';
import { seedDocuments } from './domain/seed';
import { seedContacts, seedOrganisation } from './domain/seed-organisation';
import { Validator } from './domain/validation';
import { Auth } from './http/auth';
import { crossSiteRefusal, isLoopbackAddress, isLoopbackHost, loopbackHostRefusal } from './http/loopback';
import { readBody } from './http/body';
import { faultReply, Faults, streamWithoutEnd, truncate } from './http/faults';
import { DEFAULT_KEY_LIFETIME_SECONDS, Idempotency, MAX_KEY_LENGTH } from './http/idempotency';
import { RateLimiter } from './http/rate-limit';
import { CONTENT_TYPES, jsonReply, notFound, reply, requestedFormat, type Reply } from './http/reply';
import { matchRoute, queryLookup, type Ctx, type Route } from './http/router';
import { Store } from './store/store';

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** A loopback address: 127.0.0.1 (the default), another 127.x address, ::1 or localhost. */
  host?: string;
  dataDir?: string;
  /** A new data folder gets the organisation's settings but no contacts or documents. */
  empty?: boolean;
  /** Start over: remove what the data folder holds first. */
  reset?: boolean;
  token?: string;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  rateLimitPerMinute?: number;
  rateLimitPerDay?: number;
  /** Calls in progress at once per organisation (Xero: 5). */
  concurrentLimit?: number;
  /** Lifetime of the tokens POST /connect/token issues (Xero: 1800 s). */
  tokenLifetimeSeconds?: number;
  /** Initial fault injection, as POST /sandbox/control takes it. */
  faults?: unknown;
  /** How long an Idempotency-Key is kept (default 24 h). */
  idempotencyKeyLifetimeSeconds?: number;
}

/** A running sandbox: what its ready line announces, where it listens, and how to stop it. */
export interface SandboxHandle extends SandboxReady {
  host: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_DATA_DIR = join(tmpdir(), 'xero-invoice-sandbox');
/** The user Xero records as making API changes in a document's history. */
const API_USER = 'Sandbox API';

export { isLoopbackHost };

function secret(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

function send(res: ServerResponse, r: Reply, close = false): void {
  res.statusCode = r.status;
  for (const [k, v] of Object.entries(r.headers)) res.setHeader(k, v);
  if (r.status !== 204 && r.status !== 304) res.setHeader('Content-Length', r.body.length);
  if (close) res.setHeader('Connection', 'close');
  res.end(r.status === 204 ? undefined : r.body);
}

function withHeaders(r: Reply, headers: Record<string, string>): Reply {
  return { ...r, headers: { ...r.headers, ...headers } };
}

/** Xero's answer to a method an endpoint does not have: DELETE is a 404, anything else ErrorNumber 20. */
function methodNotAllowed(route: Route, ctx: { method: string; now: Date; format: 'xml' | 'json' }): Reply {
  const allow = Object.keys(route.methods).join(', ');
  switch (route.family) {
    case 'accounting':
      return ctx.method === 'DELETE' ? notFound() : notImplemented(ctx.format);
    case 'legacy':
      return withHeaders(legacyMethodNotAllowed(ctx.now, ctx.method), { Allow: allow });
    case 'workflowmax':
      return withHeaders(workflowMaxError(405, `${ctx.method} is not supported; the invoice API is read-only`), { Allow: allow });
    default:
      return reply(405, `${ctx.method} is not supported here; use ${allow}.`, CONTENT_TYPES.text, { Allow: allow });
  }
}

function rateLimited(problem: string | undefined, headers: Record<string, string> = {}): Reply {
  const detail = problem === 'concurrent' ? 'Rate limit exceeded: more than 5 calls are in progress for this organisation; wait for one to finish.' : `Rate limit exceeded: the ${problem} limit was reached.`;
  return jsonReply(429, { Title: 'Too Many Requests', Status: 429, Detail: detail }, headers);
}

function tooLarge(): Reply {
  return reply(413, 'The request body is larger than the 3.5 MB the API accepts; send the invoices in smaller batches (about 50 a request).', CONTENT_TYPES.text);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function openStore(options: SandboxOptions, now: Date): Promise<Store> {
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const { store, fresh } = Store.open(dataDir, options.reset ?? false);
  try {
    if (fresh) store.org = seedOrganisation(randomUUID());
    if (!store.credentials) {
      store.credentials = { token: secret(32), tenantId: randomUUID(), clientId: secret(16).toUpperCase(), clientSecret: secret(36), signingKey: secret(32) };
      await store.saveCredentials();
    }
    if (fresh) {
      const validator = new Validator(store.org);
      const docs = new Documents(store, validator, API_USER);
      if (!options.empty) {
        for (const c of seedContacts()) {
          const flags = c.fields.Name === 'PowerDirect' ? { IsSupplier: 'true', IsCustomer: 'false' } : { IsSupplier: 'false', IsCustomer: 'true' };
          await store.saveContact(addContact(store, newContactRecord(c.id, { ...c.fields, ...flags }, now)));
        }
        await seedDocuments(docs, new Payments(docs), now);
      }
      await store.saveOrganisation();
    }
    return store;
  } catch (err) {
    await store.close();
    throw err;
  }
}

/** Starts the sandbox; resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new Error(`the sandbox only listens on a loopback address (127.0.0.1, ::1, localhost), not ${host}`);
  const store = await openStore(options, new Date());
  const credentials = {
    ...store.credentials,
    ...(options.token ? { token: options.token } : {}),
    ...(options.tenantId ? { tenantId: options.tenantId } : {}),
    ...(options.clientId ? { clientId: options.clientId } : {}),
    ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
  };
  store.credentials = credentials;
  const validator = new Validator(store.org);
  const docs = new Documents(store, validator, API_USER);
  const payments = new Payments(docs);
  // Sign-ins are kept in the data folder as they change, so a restarted sandbox honours them as Xero would.
  const saveSignIns = () =>
    store.saveSignIns(() => auth.signIns(new Date())).catch((err: unknown) => {
      process.stderr.write(`sandbox: the sign-ins could not be saved: ${(err as Error).message}\n`);
    });
  let signInsWritten = Promise.resolve();
  const auth: Auth = new Auth(credentials, options.tokenLifetimeSeconds ?? 1800, store.signIns, () => {
    signInsWritten = saveSignIns();
  });
  const limiter = new RateLimiter({ perMinute: options.rateLimitPerMinute ?? 60, perDay: options.rateLimitPerDay ?? 5000, appPerMinute: 10_000, concurrent: options.concurrentLimit ?? 5 });
  const idempotency = new Idempotency(store, (options.idempotencyKeyLifetimeSeconds ?? DEFAULT_KEY_LIFETIME_SECONDS) * 1000);
  const faults = new Faults();
  if (options.faults !== undefined) faults.configure(options.faults);
  let baseUrl = '';
  const app: App = { store, docs, payments, validator, auth, signInsSaved: () => signInsWritten, baseUrl: () => baseUrl };
  const routes: Route[] = [
    ...controlRoutes(app, faults),
    ...identityRoutes(app),
    ...invoiceRoutes(app),
    ...creditNoteRoutes(app),
    ...paymentRoutes(app),
    ...organisationRoutes(app),
    ...legacyRoutes(app),
    ...workflowMaxRoutes(app),
    ...onlineRoutes(app),
  ];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const now = new Date();
    const raw = req.url ?? '/';
    let url: URL;
    try {
      url = raw.startsWith('/') ? new URL(`http://sandbox.invalid${raw}`) : new URL(raw);
    } catch {
      return send(res, reply(400, 'The request target is not a URL.', CONTENT_TYPES.text));
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const format = requestedFormat(req);
    const matched = matchRoute(routes, url.pathname);
    if (!matched) return send(res, notFound());
    const { route, params } = matched;
    const handler = route.methods[method];
    const makeCtx = (body: Buffer): Ctx => ({
      req,
      method,
      path: url.pathname,
      params,
      url,
      query: queryLookup(url),
      header: (name) => {
        const v = req.headers[name.toLowerCase()];
        return Array.isArray(v) ? v.join(', ') : v;
      },
      format,
      body,
      tenantId: credentials.tenantId,
      now,
    });

    if (route.family === 'control' || route.family === 'online' || route.family === 'identity') {
      const refused = loopbackHostRefusal(req) ?? (route.family === 'control' ? crossSiteRefusal(req, method) : undefined);
      if (refused) return send(res, route.family === 'control' ? jsonReply(403, { error: refused }) : reply(403, refused, CONTENT_TYPES.text));
    }
    if (route.family === 'control') {
      if (!isLoopbackAddress(req.socket.remoteAddress)) return send(res, jsonReply(403, { error: 'the control endpoints answer loopback clients only' }));
      if (!handler) return send(res, methodNotAllowed(route, { method, now, format }));
      const read = await readBody(req);
      if (!read.ok) return send(res, tooLarge(), !read.drained);
      return send(res, await handler(makeCtx(read.bytes)));
    }

    // Xero's concurrent limit: 5 calls in progress per organisation; the slot is held until the answer is written.
    const counted = route.family === 'accounting' || route.family === 'workflowmax' || route.family === 'legacy';
    if (counted) {
      if (!limiter.enter(credentials.tenantId)) return send(res, rateLimited('concurrent', { 'X-Rate-Limit-Problem': 'concurrent' }));
      let left = false;
      const leave = () => {
        if (left) return;
        left = true;
        limiter.leave(credentials.tenantId);
      };
      res.once('finish', leave);
      res.once('close', leave);
    }

    const fault = faults.next();
    if (fault.kind === 'hold') await faults.hold();
    if (faults.settings.latencyMs > 0) await sleep(faults.settings.latencyMs);
    if (fault.kind === 'drop' && !fault.afterProcessing) {
      req.socket.destroy();
      return;
    }
    if (fault.kind === 'error') return send(res, faultReply(fault.status));
    if (fault.kind === 'endless') return streamWithoutEnd(res, req.headers.accept);
    if (!handler) return send(res, methodNotAllowed(route, { method, now, format }));

    if (route.access !== 'none') {
      const denied = auth.checkToken(req, now) ?? (route.access === 'tenant' ? auth.checkTenant(req) : null);
      if (denied) return send(res, denied);
    }
    let limits: Record<string, string> = {};
    if (route.family === 'accounting' || route.family === 'workflowmax' || route.family === 'legacy') {
      const decision = limiter.take(credentials.tenantId, now);
      limits = decision.headers;
      if (!decision.allowed) return send(res, withHeaders(rateLimited(decision.problem), limits));
    }
    let body: Buffer = Buffer.alloc(0);
    if (method === 'PUT' || method === 'POST') {
      const read = await readBody(req);
      if (!read.ok) return send(res, withHeaders(tooLarge(), limits), !read.drained);
      body = read.bytes;
    }
    const ctx = makeCtx(body);
    let result: Reply;
    const key = ctx.header('idempotency-key');
    if (route.idempotent && key !== undefined && (method === 'PUT' || method === 'POST')) {
      if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
        result = postDataInvalid(format, `The Idempotency-Key header must be 1 to ${MAX_KEY_LENGTH} characters long; it is ${key.length}.`);
      } else {
        result = await idempotency.run({ tenant: credentials.tenantId, key, method, target: url.pathname + url.search, body }, now, async () => handler(ctx));
      }
    } else {
      result = await handler(ctx);
    }
    result = withHeaders(result, limits);
    if (fault.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault.kind === 'malformed') result = truncate(result);
    send(res, result);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      process.stderr.write(`sandbox: ${req.method} ${req.url} failed: ${(err as Error).stack ?? String(err)}\n`);
      if (!res.headersSent) send(res, reply(500, `The sandbox could not answer: ${(err as Error).message}`, CONTENT_TYPES.text));
      else res.destroy();
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', fail);
        ok();
      });
    });
  } catch (err) {
    await store.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    host,
    port,
    token: credentials.token,
    tenantId: credentials.tenantId,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    dataDir: store.dir,
    outboxDir: store.outboxDir,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((ok) => server.close(() => ok()));
        server.closeIdleConnections();
        // Requests in flight get a moment to finish; then every connection goes.
        const timer = setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, 2000);
        await closed;
        clearTimeout(timer);
        await store.close();
      })();
      return closing;
    },
  };
}
