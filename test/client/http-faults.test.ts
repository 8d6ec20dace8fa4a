// The HTTP layer against the sandbox's fault injection: 401, 404, 429 (Retry-After honoured), 500, timeouts,
// dropped connections, unreadable answers, a stopped bulk run — and an idempotent retry after a dropped
// connection that creates exactly one invoice.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { EndpointError } from '../../client/src/endpoint/errors';
import { HttpClient } from '../../client/src/endpoint/http';
import { UnknownOutcomeError } from '../../client/src/endpoint/idempotency';
import { ClientCredentialsTokenSource, tokenUrlFor } from '../../client/src/endpoint/token';
import { invoiceXml, startTestSandbox, testHttp, TOKEN, useTestSandbox, v2, type TestSandbox } from './support';

function kindOf(e: unknown): string | undefined {
  return e instanceof EndpointError ? e.kind : undefined;
}

describe('HTTP layer: errors, retries and idempotency (sandbox fault injection)', () => {
  const sandbox = useTestSandbox({ resetAfterEach: true });
  let sb: TestSandbox;
  beforeEach(() => {
    sb = sandbox();
  });

  it('401: a refused token is an auth error at once (no retry), without the token in the message or the log', async () => {
    const rec = testHttp({}, 'wrong-token-value-123');
    await assert.rejects(v2(sb, rec.http).get('invoice', 'INV-0001'), (e: Error) => {
      assert.equal(kindOf(e), 'auth');
      assert.match(e.message, /refused the credentials/);
      assert.ok(!e.message.includes('wrong-token-value-123'));
      return true;
    });
    assert.equal(rec.logs.length, 1);
    assert.equal(rec.logs[0].status, 401);
    assert.ok(!JSON.stringify(rec.logs).includes('wrong-token-value-123'));
  });

  it('401 with client credentials: fetches a new token once and retries', async () => {
    const rec = testHttp({ authHeaders: undefined });
    const source = new ClientCredentialsTokenSource(rec.http, tokenUrlFor(sb.url), { clientId: sb.ready.clientId, clientSecret: sb.ready.clientSecret }, {
      initial: { accessToken: 'revoked-token', expiresAt: Date.now() + 3600_000 },
    });
    const http = new HttpClient({
      timeoutMs: 5000,
      authHeaders: async (refresh) => ({ Authorization: `Bearer ${await source.accessToken(refresh)}` }),
      canRefreshAuth: () => true,
      hooks: { log: (e) => rec.logs.push(e) },
    });
    const state = await v2(sb, http).get('invoice', 'INV-0001');
    assert.equal(state.InvoiceNumber, 'INV-0001');
    assert.deepEqual(
      rec.logs.map((l) => `${l.method} ${l.path.split('?')[0]} ${l.status}`),
      ['GET /api.xro/2.0/Invoices/INV-0001 401', 'POST /connect/token 200', 'GET /api.xro/2.0/Invoices/INV-0001 200'],
    );
  });

  it('404: not found, no retry', async () => {
    const rec = testHttp();
    await assert.rejects(v2(sb, rec.http).getXml('invoice', 'INV-404404'), (e: Error) => kindOf(e) === 'notFound');
    assert.equal(rec.logs.length, 1);
  });

  it('429: waits (visible countdown) and retries', async () => {
    await sb.control({ failNext: [{ status: 429 }] });
    const rec = testHttp();
    const state = await v2(sb, rec.http).get('invoice', 'INV-0001');
    assert.equal(state.InvoiceNumber, 'INV-0001');
    assert.deepEqual(rec.logs.map((l) => l.status), [429, 200]);
    assert.ok(rec.waits.some((w) => w.remainingSeconds >= 1 && /Rate limited/.test(w.reason)), JSON.stringify(rec.waits));
  });

  it('500: retried with backoff, then succeeds', async () => {
    await sb.control({ failNext: [{ status: 500 }, { status: 500 }] });
    const rec = testHttp();
    await v2(sb, rec.http).get('invoice', 'INV-0001');
    assert.deepEqual(rec.logs.map((l) => l.status), [500, 500, 200]);
    assert.equal(rec.waits.length, 2);
  });

  it('503 with Retry-After: waits as long as it says', async () => {
    await sb.control({ failNext: [{ status: 503 }] });
    const rec = testHttp({ backoffMs: 1 });
    await v2(sb, rec.http).get('invoice', 'INV-0001');
    assert.deepEqual(rec.logs.map((l) => l.status), [503, 200]);
    assert.equal(rec.logs[0].rateLimit.retryAfter, '1');
    assert.deepEqual(rec.waits.map((w) => w.remainingSeconds), [1, 0]);
  });

  it('500 every time: a bounded number of attempts, then an error with the cause', async () => {
    await sb.control({ errorRate: 1, errorStatus: 500 });
    const rec = testHttp({ maxRetries: 2 });
    await assert.rejects(v2(sb, rec.http).get('invoice', 'INV-0001'), (e: Error) => {
      assert.equal(kindOf(e), 'server');
      assert.match(e.message, /internal error after 3 attempts/);
      assert.match(e.message, /An error occurred in Xero/);
      return true;
    });
    assert.equal(rec.logs.length, 3);
  });

  it('dropped connection: retried; the invoice is created once', async () => {
    const before = await sb.state();
    await sb.control({ failNext: [{ drop: true }] });
    const rec = testHttp();
    const r = await v2(sb, rec.http).send('invoice', 'PUT', [{ key: 0, elementXml: invoiceXml({ status: 'DRAFT' }) }]);
    assert.ok(r.outcomes.get(0)!.ok);
    assert.deepEqual(rec.logs.map((l) => l.status), [null, 200]);
    assert.match(rec.logs[0].error!, /dropped|reset|hang up/i);
    assert.equal((await sb.state()).invoices, before.invoices + 1);
  });

  it('idempotent retry after a dropped connection (the request was carried out, its answer lost): exactly one invoice', async () => {
    const before = await sb.state();
    await sb.control({ failNext: [{ drop: true, afterProcessing: true }] });
    const rec = testHttp();
    const r = await v2(sb, rec.http).send('invoice', 'PUT', [{ key: 0, elementXml: invoiceXml({ status: 'AUTHORISED' }) }]);
    const o = r.outcomes.get(0)!;
    assert.ok(o.ok, o.errors.join('; '));
    assert.deepEqual(rec.logs.map((l) => l.status), [null, 200]);
    const after = await sb.state();
    assert.equal(after.invoices, before.invoices + 1, 'one invoice, not two');
    assert.equal(after.idempotencyKeys, before.idempotencyKeys + 1);
  });

  it('unreadable answer (body cut off): retried; a write is replayed from its Idempotency-Key, not repeated', async () => {
    const before = await sb.state();
    await sb.control({ failNext: [{ malformed: true }] });
    const rec = testHttp();
    const r = await v2(sb, rec.http).send('invoice', 'PUT', [{ key: 0, elementXml: invoiceXml({ status: 'DRAFT' }) }]);
    assert.ok(r.outcomes.get(0)!.ok);
    assert.deepEqual(rec.logs.map((l) => [l.status, l.error !== undefined]), [
      [200, true],
      [200, false],
    ]);
    assert.equal((await sb.state()).invoices, before.invoices + 1);
  });

  it('timeout: retried with the same key; then an unknown outcome whose "Retry the same request" (same bytes, same key) makes one invoice', async () => {
    const before = await sb.state();
    await sb.control({ latencyMs: 700 });
    const rec = testHttp({ timeoutMs: 300, maxRetries: 1 });
    const xml = invoiceXml({ status: 'DRAFT' });
    const first = await v2(sb, rec.http).send('invoice', 'PUT', [{ key: 0, elementXml: xml }]);
    assert.ok(first.stoppedBy instanceof UnknownOutcomeError);
    assert.equal(first.stoppedBy.kind, 'timeout');
    assert.match(first.stoppedBy.message, /did not answer in time \(2 attempts\)/);
    assert.deepEqual(first.unknown?.keys, [0]);
    assert.deepEqual(first.notSent, []);
    assert.deepEqual(rec.logs.map((l) => l.status), [null, null]);
    await sb.control({ latencyMs: 0 });
    const again = testHttp();
    const api = v2(sb, again.http);
    // Whichever of the three identical requests the endpoint carries out first, the others get its answer.
    const res = await api.replay(first.unknown.write);
    const read = api.readBatch('invoice', [{ key: 0, elementXml: xml }], res.json());
    assert.ok('outcomes' in read && read.outcomes.get(0)!.ok);
    assert.equal((await sb.state()).invoices, before.invoices + 1, 'the timed-out request and its retry made one invoice');
  });

  it('bulk: a batch whose connection keeps dropping stops the run; earlier batches stay created, the rest is reported not sent', async () => {
    const before = await sb.state();
    const rec = testHttp({ maxRetries: 1 });
    const items = Array.from({ length: 70 }, (_, i) => ({ key: i, elementXml: invoiceXml({ status: 'DRAFT' }) }));
    let armed = false;
    const r = await v2(sb, rec.http).send('invoice', 'PUT', items, {
      onProgress: async (p) => {
        if (p.done === 50 && !armed) {
          armed = true;
          await sb.control({ failNext: [{ drop: true }, { drop: true }] });
        }
      },
    });
    assert.equal(r.outcomes.size, 50);
    assert.equal(r.stoppedBy?.kind, 'network');
    assert.ok(r.stoppedBy instanceof UnknownOutcomeError, 'the second batch may or may not have landed');
    assert.equal(r.unknown?.keys.length, 20);
    assert.equal(r.notSent.length, 0);
    assert.equal((await sb.state()).invoices, before.invoices + 50);
  });

  it('never logs the token, even with request and response bodies at trace level', async () => {
    const rec = testHttp();
    await v2(sb, rec.http).get('invoice', 'INV-0001');
    await assert.rejects(v2(sb, testHttp({}, 'bad').http).get('invoice', 'INV-0001'));
    assert.ok(rec.logs[0].responseBody, 'bodies are logged at trace');
    assert.ok(!JSON.stringify(rec.logs).includes(TOKEN));
  });
});

describe('HTTP layer: the real rate limit (sandbox with 2 calls a minute)', () => {
  let sb: TestSandbox;
  before(async () => {
    sb = await startTestSandbox({ SANDBOX_RATE_LIMIT_PER_MINUTE: '2' });
  });
  after(async () => {
    await sb?.stop();
  });

  it('429 with Retry-After: the countdown starts at the header value and the request is retried after it', async () => {
    const slept: number[] = [];
    const rec = testHttp({ max429Retries: 1, sleep: (ms) => Promise.resolve(void slept.push(ms)) });
    const api = v2(sb, rec.http);
    await api.get('invoice', 'INV-0001');
    await api.get('invoice', 'INV-0001');
    await assert.rejects(api.get('invoice', 'INV-0001'), (e: Error) => {
      assert.equal(kindOf(e), 'rateLimit');
      assert.match(e.message, /per-minute request limit is reached\. Try again in \d+ s/);
      return true;
    });
    const first429 = rec.logs[2];
    assert.equal(first429.status, 429);
    assert.equal(first429.rateLimit.problem, 'minute');
    const retryAfter = Number(first429.rateLimit.retryAfter);
    assert.ok(retryAfter >= 1 && retryAfter <= 60);
    // Honoured: one second of countdown per second of Retry-After, then the retry (the 4th request).
    assert.equal(rec.waits[0].remainingSeconds, retryAfter);
    assert.equal(slept.length, retryAfter);
    assert.equal(rec.logs.length, 4);
  });

  it('a Retry-After longer than we are willing to wait is reported with the time to wait, not waited for', async () => {
    const rec = testHttp({ maxRetryAfterSeconds: 0 });
    await assert.rejects(v2(sb, rec.http).get('invoice', 'INV-0001'), (e: Error) => {
      assert.equal(kindOf(e), 'rateLimit');
      assert.match(e.message, /Try again in \d+ s/);
      return true;
    });
    assert.equal(rec.waits.length, 0);
    assert.equal(rec.logs.length, 1);
  });
});
