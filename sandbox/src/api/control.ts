import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { statusOf } from '../domain/records';
import type { Faults } from '../http/faults';
import { jsonReply, notFound, reply, type Reply } from '../http/reply';
import { route, type Ctx, type Route } from '../http/router';
import type { App } from './app';

function configure(faults: Faults, ctx: Ctx): Reply {
  let input: unknown;
  try {
    input = JSON.parse(ctx.body.toString('utf8') || '{}');
  } catch {
    return jsonReply(400, { error: 'the body must be JSON, e.g. {"errorRate":0.5,"errorStatus":503}' });
  }
  try {
    faults.configure(input);
  } catch (err) {
    return jsonReply(400, { error: (err as Error).message });
  }
  return jsonReply(200, faults.settings);
}

/** Tests shorten the access-token lifetime to see a token expire and the client refresh it: {"accessTokenLifetimeSeconds": 2}. */
function identity(app: App, ctx: Ctx): Reply {
  let input: unknown;
  try {
    input = JSON.parse(ctx.body.toString('utf8') || '{}');
  } catch {
    return jsonReply(400, { error: 'the body must be JSON, e.g. {"accessTokenLifetimeSeconds":5}' });
  }
  const seconds = (input as { accessTokenLifetimeSeconds?: unknown } | null)?.accessTokenLifetimeSeconds;
  if (seconds !== undefined) {
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0 || seconds > 86_400) {
      return jsonReply(400, { error: 'accessTokenLifetimeSeconds must be a whole number of seconds from 0 to 86400' });
    }
    app.auth.lifetimeSeconds = seconds;
  }
  return jsonReply(200, { accessTokenLifetimeSeconds: app.auth.lifetimeSeconds, ...app.auth.counts });
}

function outbox(app: App): Reply {
  const dir = app.store.outboxDir;
  const files = app.store.outboxFiles().map((name) => ({ name, path: join(dir, name), size: statSync(join(dir, name)).size }));
  return jsonReply(200, { dir, files });
}

function outboxFile(app: App, ctx: Ctx): Reply {
  const name = ctx.params[0];
  if (!app.store.outboxFiles().includes(name)) return notFound();
  return reply(200, readFileSync(join(app.store.outboxDir, name)), 'message/rfc822');
}

function state(app: App, faults: Faults): Reply {
  const byStatus: Record<string, Record<string, number>> = { invoice: {}, creditNote: {} };
  let payments = 0;
  let allocations = 0;
  for (const d of app.store.documents.values()) {
    const s = statusOf(d);
    byStatus[d.kind][s] = (byStatus[d.kind][s] ?? 0) + 1;
    payments += d.payments.filter((p) => p.Status === 'AUTHORISED').length;
    if (d.kind === 'invoice') allocations += d.allocations.length;
  }
  const count = (kind: string) => Object.values(byStatus[kind]).reduce((a, b) => a + b, 0);
  return jsonReply(200, {
    organisation: app.store.org.Name,
    tenantId: app.store.credentials.tenantId,
    invoices: count('invoice'),
    creditNotes: count('creditNote'),
    byStatus,
    contacts: app.store.contacts.size,
    payments,
    allocations,
    outbox: app.store.outboxFiles().length,
    idempotencyKeys: app.store.idempotency.size,
    faults: faults.settings,
  });
}

/** For tests and tools: fault injection, the outbox and a summary of the store. Loopback only, no token. */
export function controlRoutes(app: App, faults: Faults): Route[] {
  return [
    route('control', '/sandbox/control', { GET: () => jsonReply(200, faults.settings), POST: (c) => configure(faults, c) }),
    route('control', '/sandbox/outbox', { GET: () => outbox(app) }),
    route('control', '/sandbox/outbox/{name}', { GET: (c) => outboxFile(app, c) }),
    route('control', '/sandbox/state', { GET: () => state(app, faults) }),
    route('control', '/sandbox/identity', { GET: (c) => identity(app, { ...c, body: Buffer.alloc(0) }), POST: (c) => identity(app, c) }),
  ];
}
