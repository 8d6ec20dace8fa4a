import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { removeDir, request, Sandbox, SANDBOX_JS, ensureBuilt, TENANT, TOKEN } from './support';

describe('sandbox start-up and authentication', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await Sandbox.start({ env: { SANDBOX_CLIENT_ID: 'TESTCLIENT', SANDBOX_CLIENT_SECRET: 'test-secret' } });
  });
  after(async () => {
    await sb.stop();
    removeDir(sb.ready.dataDir);
  });

  it('prints SANDBOX_READY with its JSON first, then human-readable lines', () => {
    const [first, ...rest] = sb.stdout;
    assert.match(first, /^SANDBOX_READY \{/);
    const ready = sb.ready;
    assert.match(ready.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(ready.token, TOKEN);
    assert.equal(ready.tenantId, TENANT);
    assert.equal(ready.clientId, 'TESTCLIENT');
    assert.equal(ready.clientSecret, 'test-secret');
    assert.ok(existsSync(ready.dataDir) && existsSync(ready.outboxDir));
    const human = rest.join('\n');
    for (const part of [ready.url, `Bearer ${TOKEN}`, TENANT, 'TESTCLIENT', 'test-secret', ready.dataDir]) assert.ok(human.includes(part), part);
  });

  it('answers 401 without a token or with a wrong one, 403 for another or no tenant', async () => {
    const none = await sb.request('GET', '/api.xro/2.0/Invoices', { auth: false });
    assert.equal(none.status, 401);
    assert.deepEqual([none.json.Title, none.json.Status, none.json.Detail], ['Unauthorized', 401, 'AuthenticationUnsuccessful']);
    const bad = await sb.request('GET', '/api.xro/2.0/Invoices', { auth: false, headers: { Authorization: 'Bearer not-the-token', 'xero-tenant-id': TENANT } });
    assert.equal(bad.status, 401);
    const wrongTenant = await sb.request('GET', '/api.xro/2.0/Invoices', { auth: false, headers: { Authorization: `Bearer ${TOKEN}`, 'xero-tenant-id': '00000000-1111-2222-3333-444444444444' } });
    assert.equal(wrongTenant.status, 403);
    assert.deepEqual([wrongTenant.json.Title, wrongTenant.json.Status, wrongTenant.json.Detail], ['Forbidden', 403, 'AuthenticationUnsuccessful']);
    assert.ok(wrongTenant.json.Instance);
    const noTenant = await sb.request('GET', '/workflowmax/3.0/invoice.api/current', { auth: false, headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(noTenant.status, 403);
    const ok = await sb.request('GET', '/api.xro/2.0/Invoices');
    assert.equal(ok.status, 200);
  });

  it('issues client-credentials tokens (Basic or form fields) that the API accepts', async () => {
    const basic = Buffer.from('TESTCLIENT:test-secret').toString('base64');
    const t1 = await sb.request('POST', '/connect/token', {
      auth: false,
      body: 'grant_type=client_credentials',
      contentType: 'application/x-www-form-urlencoded',
      headers: { Authorization: `Basic ${basic}` },
    });
    assert.equal(t1.status, 200);
    assert.equal(t1.json.token_type, 'Bearer');
    assert.equal(t1.json.expires_in, 1800);
    assert.ok(t1.json.scope);
    assert.equal(t1.json.access_token.split('.').length, 3);
    const t2 = await sb.request('POST', '/connect/token', {
      auth: false,
      body: 'grant_type=client_credentials&client_id=TESTCLIENT&client_secret=test-secret&scope=accounting.transactions',
      contentType: 'application/x-www-form-urlencoded',
    });
    assert.equal(t2.status, 200);
    assert.equal(t2.json.scope, 'accounting.transactions');
    const used = await sb.request('GET', '/api.xro/2.0/Invoices', { auth: false, headers: { Authorization: `Bearer ${t1.json.access_token}`, 'xero-tenant-id': TENANT } });
    assert.equal(used.status, 200);
    const tampered = `${t1.json.access_token.slice(0, -4)}AAAA`;
    const rejected = await sb.request('GET', '/api.xro/2.0/Invoices', { auth: false, headers: { Authorization: `Bearer ${tampered}`, 'xero-tenant-id': TENANT } });
    assert.equal(rejected.status, 401);
  });

  it('refuses wrong client credentials and other grant types', async () => {
    const form = 'application/x-www-form-urlencoded';
    const wrong = await sb.request('POST', '/connect/token', { auth: false, body: 'grant_type=client_credentials&client_id=TESTCLIENT&client_secret=nope', contentType: form });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.json.error, 'invalid_client');
    const grant = await sb.request('POST', '/connect/token', { auth: false, body: 'grant_type=password&client_id=TESTCLIENT&client_secret=test-secret', contentType: form });
    assert.equal(grant.json.error, 'unsupported_grant_type');
    const get = await sb.request('GET', '/connect/token', { auth: false });
    assert.equal(get.status, 405);
  });

  it('lists the organisation as the one tenant of GET /connections', async () => {
    const r = await sb.request('GET', '/connections', { auth: false, headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(r.status, 200);
    assert.equal(r.json.length, 1);
    assert.deepEqual([r.json[0].tenantId, r.json[0].tenantType, r.json[0].tenantName], [TENANT, 'ORGANISATION', 'Sandbox Company (NZ)']);
    assert.equal((await sb.request('GET', '/connections', { auth: false })).status, 401);
  });

  it("answers unknown routes with Xero's 404 text", async () => {
    for (const path of ['/', '/api.xro/2.0/Nothing', '/api.xro/2.0/Invoices/INV-0001/pdf']) {
      const r = await sb.request('GET', path);
      assert.equal(r.status, 404, path);
      assert.equal(r.text, "The resource you're looking for cannot be found");
    }
  });

  it('keeps a second sandbox out of a data folder in use', async () => {
    await assert.rejects(Sandbox.start({ dataDir: sb.ready.dataDir }), /in use by another sandbox/);
  });

  it('stops cleanly on SIGTERM', async () => {
    const other = await Sandbox.start();
    assert.equal(await other.stop(), 0);
    assert.ok(!existsSync(`${other.ready.dataDir}/sandbox.lock`));
    removeDir(other.ready.dataDir);
  });

  it('treats expired client-credentials tokens as Xero does (401 TokenExpired)', async () => {
    const short = await Sandbox.start({ args: ['--token-lifetime', '0'] });
    try {
      const { clientId, clientSecret } = short.ready;
      const t = await short.request('POST', '/connect/token', {
        auth: false,
        body: `grant_type=client_credentials&client_id=${clientId}&client_secret=${clientSecret}`,
        contentType: 'application/x-www-form-urlencoded',
      });
      assert.equal(t.json.expires_in, 0);
      const r = await request(short.ready, 'GET', '/api.xro/2.0/Invoices', { auth: false, headers: { Authorization: `Bearer ${t.json.access_token}`, 'xero-tenant-id': TENANT } });
      assert.equal(r.status, 401);
      assert.match(r.json.Detail, /^TokenExpired: token expired at \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d$/);
      assert.match(r.headers.get('www-authenticate') ?? '', /Bearer/);
    } finally {
      await short.stop();
      removeDir(short.ready.dataDir);
    }
  });

  it('refuses to listen on anything but a loopback address, and explains its flags', () => {
    ensureBuilt();
    const bad = spawnSync(process.execPath, [SANDBOX_JS, '--host', '0.0.0.0', '--port', '0'], { encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /loopback/);
    const usage = spawnSync(process.execPath, [SANDBOX_JS, '--bogus'], { encoding: 'utf8' });
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /unknown option --bogus/);
    const help = spawnSync(process.execPath, [SANDBOX_JS, '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--rate-limit-per-minute/);
  });
});
