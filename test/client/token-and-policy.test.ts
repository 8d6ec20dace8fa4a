// Client-credentials tokens (identity endpoint, refreshed before expiry), the http-only-to-loopback rule,
// redaction, and batching limits.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { makeBatches, MAX_BATCH_BYTES } from '../../client/src/endpoint/batches';
import { EndpointError } from '../../client/src/endpoint/errors';
import { readErrorBody } from '../../client/src/endpoint/error-body';
import { retryAfterSeconds } from '../../client/src/endpoint/http';
import { newIdempotencyKey } from '../../client/src/endpoint/idempotency';
import { redact, redactUrl } from '../../client/src/endpoint/redact';
import { ClientCredentialsTokenSource, tokenUrlFor } from '../../client/src/endpoint/token';
import { checkedEndpointUrl } from '../../client/src/endpoint/url-policy';
import { XeroV2Client, outcomeOf } from '../../client/src/endpoint/xero-v2';
import { xeroDateToIso } from '../../client/src/endpoint/xero-json';
import { HttpClient } from '../../client/src/endpoint/http';
import { useTestSandbox, testHttp, TENANT, type TestSandbox } from './support';

describe('client credentials against the sandbox identity endpoint', () => {
  const sandbox = useTestSandbox();
  let sb: TestSandbox;
  beforeEach(() => {
    sb = sandbox();
  });

  it('gets a token from /connect/token, reuses it, and fetches a new one before it expires', async () => {
    let now = Date.now();
    const rec = testHttp({ authHeaders: undefined });
    const source = new ClientCredentialsTokenSource(rec.http, tokenUrlFor(sb.url), { clientId: sb.ready.clientId, clientSecret: sb.ready.clientSecret }, { now: () => now });
    const first = await source.accessToken();
    assert.equal(await source.accessToken(), first, 'reused while fresh');
    assert.equal(rec.logs.length, 1);
    now += 29.5 * 60_000; // 30 s before Xero's 30-minute expiry: inside the refresh margin
    const second = await source.accessToken();
    assert.notEqual(second, first);
    assert.equal(rec.logs.length, 2);
    const http = new HttpClient({ timeoutMs: 5000, authHeaders: () => Promise.resolve({ Authorization: `Bearer ${second}` }) });
    const state = await new XeroV2Client(http, sb.url, TENANT).get('invoice', 'INV-0001');
    assert.equal(state.InvoiceNumber, 'INV-0001');
    assert.ok(!JSON.stringify(rec.logs).includes(second), 'the token is redacted from the trace body');
  });

  it('a wrong secret is reported as refused credentials, without the secret', async () => {
    const source = new ClientCredentialsTokenSource(testHttp({ authHeaders: undefined }).http, tokenUrlFor(sb.url), { clientId: sb.ready.clientId, clientSecret: 'nope-nope' });
    await assert.rejects(source.accessToken(), (e: Error) => {
      assert.ok(e instanceof EndpointError && e.kind === 'auth');
      assert.match(e.message, /refused the client id and secret \(400 invalid_client/);
      return true;
    });
  });
});

describe('policies (no network)', () => {
  it('https anywhere, http only to loopback', () => {
    assert.equal(checkedEndpointUrl('https://api.xero.com').host, 'api.xero.com');
    assert.equal(checkedEndpointUrl('http://127.0.0.1:4567').port, '4567');
    assert.equal(checkedEndpointUrl('http://localhost:8080').hostname, 'localhost');
    assert.equal(checkedEndpointUrl('http://[::1]:8080').hostname, '[::1]');
    assert.throws(() => checkedEndpointUrl('http://api.xero.com'), /plain http/);
    assert.throws(() => checkedEndpointUrl('http://192.168.1.5:3000'), /plain http/);
    assert.throws(() => checkedEndpointUrl('ftp://example.com'), /https/);
    assert.throws(() => checkedEndpointUrl('not a url'), /not a valid URL/);
  });

  it('token URL: Xero identity for xero.com, the endpoint origin otherwise', () => {
    assert.equal(tokenUrlFor(new URL('https://api.xero.com')).toString(), 'https://identity.xero.com/connect/token');
    assert.equal(tokenUrlFor(new URL('http://127.0.0.1:9000/some/prefix')).toString(), 'http://127.0.0.1:9000/connect/token');
  });

  it('redacts credentials in URLs and text', () => {
    assert.equal(redactUrl(new URL('https://x.example/api.xro/1.0/invoice?apiKey=AAA&xeroKey=BBB&modifiedSince=2026-01-01')), '/api.xro/1.0/invoice?apiKey=***&xeroKey=***&modifiedSince=2026-01-01');
    const t = redact('Authorization: Bearer abc.def.ghi {"access_token":"zzz","client_secret":"s3cr3t"} token=opaque', ['opaque']);
    assert.ok(!/abc\.def|zzz|s3cr3t|opaque/.test(t), t);
  });

  it('Idempotency-Key: a new random UUID per action, whatever the content (≤ 128 characters)', () => {
    const keys = new Set(Array.from({ length: 100 }, () => newIdempotencyKey()));
    assert.equal(keys.size, 100);
    for (const k of keys) assert.match(k, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('batches: at most 50 items and 3.5 MB per request, in order; an oversized item is set aside', () => {
    const items = Array.from({ length: 120 }, (_, i) => ({ i, bytes: 100 }));
    assert.deepEqual(makeBatches(items, 30).batches.map((b) => b.length), [50, 50, 20]);
    const big = [{ i: 0, bytes: 2_000_000 }, { i: 1, bytes: 2_000_000 }, { i: 2, bytes: 4_000_000 }, { i: 3, bytes: 10 }];
    const r = makeBatches(big, 30);
    assert.deepEqual(r.batches.map((b) => b.map((x) => x.i)), [[0], [1, 3]]);
    assert.deepEqual(r.oversized.map((x) => x.i), [2]);
    assert.ok(r.batches.every((b) => b.reduce((n, x) => n + x.bytes, 30) <= MAX_BATCH_BYTES));
  });

  it('Retry-After as seconds or an HTTP date', () => {
    assert.equal(retryAfterSeconds('12'), 12);
    assert.equal(retryAfterSeconds(new Date(Date.now() + 5000).toUTCString()), 5);
    assert.equal(retryAfterSeconds(undefined), undefined);
  });

  it("reads Xero's JSON shapes: dates, per-invoice errors, ApiException elements, the 401 problem", () => {
    assert.equal(xeroDateToIso('/Date(1539993600000+0000)/'), '2018-10-20T00:00:00');
    assert.equal(xeroDateToIso('/Date(1539993600123+0000)/'), '2018-10-20T00:00:00.123');
    const failed = outcomeOf({ InvoiceID: '00000000-0000-0000-0000-000000000000', HasErrors: true, ValidationErrors: [{ Message: 'Email address must be valid.' }] }, 'invoice');
    assert.deepEqual([failed.ok, failed.id, failed.errors], [false, undefined, ['Email address must be valid.']]);
    const ex = readErrorBody(JSON.stringify({ ErrorNumber: 10, Type: 'ValidationException', Message: 'A validation exception occurred', Elements: [{ ValidationErrors: [{ Message: 'A' }], LineItems: [{ ValidationErrors: [{ Message: 'B' }] }] }] }));
    assert.deepEqual(ex, { type: 'ValidationException', message: 'A validation exception occurred', details: ['A', 'B'] });
    assert.equal(readErrorBody('{"Title":"Unauthorized","Status":401,"Detail":"TokenExpired: token expired at 1/1/2026"}').message, 'TokenExpired: token expired at 1/1/2026');
    assert.equal(readErrorBody('<Response><Errors><Error><Description>The apiKey is not valid.</Description></Error></Errors></Response>').message, 'The apiKey is not valid.');
  });
});
