// Xero's identity protocol on the sandbox's host: authorization code with PKCE through the consent page, rotating
// refresh tokens, client credentials, revocation and GET /connections, against the real sandbox process.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Auth, REFRESH_TOKEN_LIFETIME_MS } from '../../sandbox/src/http/auth';
import { removeDir, Sandbox, sandboxForSuite, tempDir, TENANT } from './support';

const FORM = 'application/x-www-form-urlencoded';
const REDIRECT = 'http://localhost:45361/callback';
const SCOPE = 'offline_access accounting.transactions accounting.contacts accounting.settings';

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizePath(sb: Sandbox, params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  const all: Record<string, string | undefined> = { response_type: 'code', client_id: sb.ready.clientId, redirect_uri: REDIRECT, scope: SCOPE, state: 'st-1', code_challenge_method: 'S256', ...params };
  for (const [k, v] of Object.entries(all)) if (v !== undefined) q.set(k, v);
  return `/identity/connect/authorize?${q.toString()}`;
}

/** Opens the consent page and presses a button; returns where the browser is sent. */
async function consent(sb: Sandbox, challenge: string, decision: 'allow' | 'deny', extra: Record<string, string> = {}): Promise<URL> {
  const page = await sb.request('GET', authorizePath(sb, { code_challenge: challenge, ...extra }), { auth: false });
  assert.equal(page.status, 200, page.text);
  const ticket = /name="ticket" value="([^"]+)"/.exec(page.text)?.[1];
  assert.ok(ticket, 'the consent page carries a ticket');
  const answer = await fetch(`${sb.url}/identity/connect/authorize`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': FORM }, body: new URLSearchParams({ ticket, decision }).toString() });
  assert.equal(answer.status, 302);
  return new URL(answer.headers.get('location')!);
}

async function token(sb: Sandbox, fields: Record<string, string>) {
  return sb.request('POST', '/connect/token', { auth: false, contentType: FORM, body: new URLSearchParams(fields).toString() });
}

async function signIn(sb: Sandbox): Promise<{ access_token: string; refresh_token: string; expires_in: number }> {
  const { verifier, challenge } = pkce();
  const back = await consent(sb, challenge, 'allow');
  const t = await token(sb, { grant_type: 'authorization_code', code: back.searchParams.get('code')!, redirect_uri: REDIRECT, code_verifier: verifier, client_id: sb.ready.clientId });
  assert.equal(t.status, 200, t.text);
  return t.json;
}

function api(sb: Sandbox, accessToken: string) {
  return sb.request('GET', '/api.xro/2.0/Organisation', { auth: false, accept: 'json', headers: { Authorization: `Bearer ${accessToken}`, 'xero-tenant-id': TENANT } });
}

describe('sandbox identity: authorization code with PKCE', () => {
  const sb = sandboxForSuite();

  it('shows a consent page naming the organisation, then redirects with code and state', async () => {
    const { challenge } = pkce();
    const page = await sb().request('GET', authorizePath(sb(), { code_challenge: challenge }), { auth: false });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /text\/html/);
    const org = (await sb().request('GET', '/api.xro/2.0/Organisation', { accept: 'json' })).json.Organisations[0].Name;
    assert.ok(page.text.includes(org), `the page names ${org}`);
    assert.match(page.text, /Allow access/);
    assert.match(page.text, /accounting\.transactions/);
    const back = await consent(sb(), challenge, 'allow');
    assert.equal(`${back.origin}${back.pathname}`, REDIRECT);
    assert.equal(back.searchParams.get('state'), 'st-1');
    assert.match(back.searchParams.get('code')!, /^[A-Za-z0-9_-]{40,}$/);
  });

  it('Deny redirects with error=access_denied and the state', async () => {
    const back = await consent(sb(), pkce().challenge, 'deny');
    assert.equal(back.searchParams.get('error'), 'access_denied');
    assert.equal(back.searchParams.get('state'), 'st-1');
    assert.equal(back.searchParams.get('code'), null);
  });

  it('a consent ticket answers once', async () => {
    const page = await sb().request('GET', authorizePath(sb(), { code_challenge: pkce().challenge }), { auth: false });
    const ticket = /name="ticket" value="([^"]+)"/.exec(page.text)![1];
    const post = () => fetch(`${sb().url}/identity/connect/authorize`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': FORM }, body: `ticket=${ticket}&decision=allow` });
    assert.equal((await post()).status, 302);
    const again = await post();
    assert.equal(again.status, 400);
    assert.match(await again.text(), /expired or was already answered/);
  });

  it('refuses unknown clients and non-loopback redirect URIs on the page, other mistakes by redirect', async () => {
    const unknown = await sb().request('GET', authorizePath(sb(), { client_id: 'NOT-AN-APP', code_challenge: pkce().challenge }), { auth: false });
    assert.equal(unknown.status, 400);
    assert.match(unknown.text, /unauthorized_client/);
    const remote = await sb().request('GET', authorizePath(sb(), { redirect_uri: 'https://evil.example/callback', code_challenge: pkce().challenge }), { auth: false });
    assert.equal(remote.status, 400);
    assert.match(remote.text, /not a loopback http URL/);
    const fetchManual = (path: string) => fetch(`${sb().url}${path}`, { redirect: 'manual' });
    const noPkce = await fetchManual(authorizePath(sb(), {}));
    assert.equal(noPkce.status, 302);
    assert.equal(new URL(noPkce.headers.get('location')!).searchParams.get('error'), 'invalid_request');
    const plain = await fetchManual(authorizePath(sb(), { code_challenge: pkce().challenge, code_challenge_method: 'plain' }));
    assert.equal(new URL(plain.headers.get('location')!).searchParams.get('error'), 'invalid_request');
    const scope = await fetchManual(authorizePath(sb(), { code_challenge: pkce().challenge, scope: 'accounting.everything' }));
    assert.equal(new URL(scope.headers.get('location')!).searchParams.get('error'), 'invalid_scope');
    const type = await fetchManual(authorizePath(sb(), { code_challenge: pkce().challenge, response_type: 'token' }));
    assert.equal(new URL(type.headers.get('location')!).searchParams.get('error'), 'unsupported_response_type');
  });

  it('exchanges the code once, with the right verifier, for a 1800 s access token and a refresh token', async () => {
    const code = (await consent(sb(), pkce().challenge, 'allow')).searchParams.get('code')!;
    const base = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: sb().ready.clientId };
    const wrong = await token(sb(), { ...base, code_verifier: pkce().verifier });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.json.error, 'invalid_grant');
    assert.match(wrong.json.error_description, /code_verifier does not match/);

    const { verifier: v2, challenge: c2 } = pkce();
    const code2 = (await consent(sb(), c2, 'allow')).searchParams.get('code')!;
    const ok = await token(sb(), { ...base, code: code2, code_verifier: v2 });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.token_type, 'Bearer');
    assert.equal(ok.json.expires_in, 1800);
    assert.equal(ok.json.scope, SCOPE);
    assert.ok(ok.json.refresh_token);
    assert.equal(ok.headers.get('cache-control'), 'no-store');
    assert.equal((await api(sb(), ok.json.access_token)).status, 200);
    const again = await token(sb(), { ...base, code: code2, code_verifier: v2 });
    assert.equal(again.status, 400);
    assert.deepEqual(Object.keys(again.json).sort(), ['error', 'error_description']);
    assert.equal(again.json.error, 'invalid_grant');
    assert.match(again.json.error_description, /already been used/);
    assert.equal((await api(sb(), ok.json.access_token)).status, 401, 'a code used twice revokes what it gave');
  });

  it('refuses a code sent with another redirect_uri or client', async () => {
    const { verifier, challenge } = pkce();
    const code = (await consent(sb(), challenge, 'allow')).searchParams.get('code')!;
    const other = await token(sb(), { grant_type: 'authorization_code', code, redirect_uri: 'http://localhost:1/callback', code_verifier: verifier, client_id: sb().ready.clientId });
    assert.equal(other.json.error, 'invalid_grant');
    const client = await token(sb(), { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier, client_id: 'SOMEONE-ELSE' });
    assert.equal(client.status, 400);
    assert.equal(client.json.error, 'invalid_client');
  });

  it('rotates refresh tokens: the new pair works, the consumed token answers invalid_grant', async () => {
    const first = await signIn(sb());
    const refreshed = await token(sb(), { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: sb().ready.clientId });
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.notEqual(refreshed.json.refresh_token, first.refresh_token);
    assert.notEqual(refreshed.json.access_token, first.access_token);
    assert.equal((await api(sb(), refreshed.json.access_token)).status, 200);
    const replay = await token(sb(), { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: sb().ready.clientId });
    assert.equal(replay.status, 400);
    assert.equal(replay.json.error, 'invalid_grant');
    const next = await token(sb(), { grant_type: 'refresh_token', refresh_token: refreshed.json.refresh_token, client_id: sb().ready.clientId });
    assert.equal(next.status, 200);
    const unknown = await token(sb(), { grant_type: 'refresh_token', refresh_token: 'nope', client_id: sb().ready.clientId });
    assert.equal(unknown.json.error, 'invalid_grant');
  });

  it('revocation ends the sign-in: the refresh token and its access tokens stop working', async () => {
    const t = await signIn(sb());
    const revoke = await sb().request('POST', '/connect/revocation', { auth: false, contentType: FORM, body: new URLSearchParams({ token: t.refresh_token, client_id: sb().ready.clientId }).toString() });
    assert.equal(revoke.status, 200);
    assert.equal((await api(sb(), t.access_token)).status, 401);
    const after = await token(sb(), { grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: sb().ready.clientId });
    assert.equal(after.json.error, 'invalid_grant');
    const unknown = await sb().request('POST', '/connect/revocation', { auth: false, contentType: FORM, body: `token=unknown&client_id=${sb().ready.clientId}` });
    assert.equal(unknown.status, 200, 'RFC 7009: an unknown token is not an error');
    const noClient = await sb().request('POST', '/connect/revocation', { auth: false, contentType: FORM, body: 'token=x' });
    assert.equal(noClient.json.error, 'invalid_client');
  });

  it('GET /connections lists the organisation with tenantId, tenantName and tenantType for a signed-in token', async () => {
    const t = await signIn(sb());
    const r = await sb().request('GET', '/connections', { auth: false, headers: { Authorization: `Bearer ${t.access_token}` } });
    assert.equal(r.status, 200);
    assert.equal(r.json.length, 1);
    assert.equal(r.json[0].tenantId, TENANT);
    assert.equal(r.json[0].tenantType, 'ORGANISATION');
    assert.ok(r.json[0].tenantName);
    assert.equal((await sb().request('GET', '/connections', { auth: false })).status, 401);
  });

  it('access tokens expire after the lifetime the control API sets', async () => {
    const set = await sb().request('POST', '/sandbox/identity', { auth: false, json: { accessTokenLifetimeSeconds: 0 } });
    assert.equal(set.json.accessTokenLifetimeSeconds, 0);
    const before = set.json;
    try {
      const t = await signIn(sb());
      assert.equal(t.expires_in, 0);
      const r = await api(sb(), t.access_token);
      assert.equal(r.status, 401);
      assert.match(r.json.Detail, /TokenExpired/);
      const refreshed = await token(sb(), { grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: sb().ready.clientId });
      assert.equal(refreshed.status, 200);
      const counts = (await sb().request('GET', '/sandbox/identity', { auth: false })).json;
      assert.deepEqual([counts.codesIssued - before.codesIssued, counts.codesRedeemed - before.codesRedeemed, counts.refreshes - before.refreshes], [1, 1, 1]);
    } finally {
      await sb().request('POST', '/sandbox/identity', { auth: false, json: { accessTokenLifetimeSeconds: 1800 } });
    }
    const bad = await sb().request('POST', '/sandbox/identity', { auth: false, json: { accessTokenLifetimeSeconds: -1 } });
    assert.equal(bad.status, 400);
  });

  it('errors in OAuth JSON shape for a wrong body or grant type', async () => {
    const json = await sb().request('POST', '/connect/token', { auth: false, json: { grant_type: 'refresh_token' } });
    assert.equal(json.status, 400);
    assert.equal(json.json.error, 'invalid_request');
    const grant = await token(sb(), { grant_type: 'password', client_id: sb().ready.clientId });
    assert.equal(grant.json.error, 'unsupported_grant_type');
  });
});

describe('sandbox identity: sign-ins survive a restart, as they do at Xero', () => {
  it('keeps grants and refresh tokens (by their hash only) in the data folder: a restarted sandbox honours and revokes them', async () => {
    const dir = tempDir();
    let sb = await Sandbox.start({ dataDir: dir });
    try {
      const first = await signIn(sb);
      const second = (await token(sb, { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: sb.ready.clientId })).json;
      const kept = readFileSync(join(dir, 'sign-ins.json'), 'utf8');
      for (const t of [first.refresh_token, second.refresh_token, second.access_token]) assert.ok(!kept.includes(t), 'no token is written down');
      assert.equal(await sb.stop(), 0);

      sb = await Sandbox.start({ dataDir: dir });
      assert.equal((await api(sb, second.access_token)).status, 200, "the sign-in's access token still works");
      const consumed = await token(sb, { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: sb.ready.clientId });
      assert.equal(consumed.json.error, 'invalid_grant', 'a consumed refresh token stays consumed');
      assert.match(consumed.json.error_description, /already been used/);
      const third = await token(sb, { grant_type: 'refresh_token', refresh_token: second.refresh_token, client_id: sb.ready.clientId });
      assert.equal(third.status, 200, third.text);
      const revoke = await sb.request('POST', '/connect/revocation', { auth: false, contentType: FORM, body: new URLSearchParams({ token: third.json.refresh_token, client_id: sb.ready.clientId }).toString() });
      assert.equal(revoke.status, 200);
      assert.equal(await sb.stop(), 0);

      sb = await Sandbox.start({ dataDir: dir });
      assert.equal((await api(sb, third.json.access_token)).status, 401, 'a revoked sign-in stays revoked');
      const after = await token(sb, { grant_type: 'refresh_token', refresh_token: third.json.refresh_token, client_id: sb.ready.clientId });
      assert.match(after.json.error_description, /revoked/);
    } finally {
      await sb.stop();
      removeDir(dir);
    }
  });

  it('keeps only what can still be used: refresh tokens within 60 days, and grants with one or with tokens still live', () => {
    const now = new Date('2026-06-01T12:00:00Z');
    const ago = (ms: number) => now.getTime() - ms;
    const day = 86_400_000;
    const grant = (id: string, lastIssuedAt: number, revoked = false) => ({ id, clientId: 'app', scope: 'offline_access', revoked, lastIssuedAt });
    const credentials = { token: 't', tenantId: TENANT, clientId: 'app', clientSecret: 's', signingKey: 'k' };
    const auth = new Auth(credentials, 1800, {
      grants: [grant('refreshed', ago(10 * day)), grant('expired', ago(61 * day)), grant('live', ago(10 * 60_000)), grant('idle', ago(40 * 60_000)), grant('revoked', ago(day), true)],
      refreshTokens: [
        { sha256: 'a', grantId: 'refreshed', consumed: false, issuedAt: ago(10 * day) },
        { sha256: 'b', grantId: 'expired', consumed: false, issuedAt: ago(REFRESH_TOKEN_LIFETIME_MS + 1) },
        { sha256: 'c', grantId: 'revoked', consumed: false, issuedAt: ago(day) },
      ],
    });
    const kept = auth.signIns(now);
    assert.deepEqual(kept.grants.map((g) => g.id).sort(), ['live', 'refreshed', 'revoked']);
    assert.deepEqual(kept.refreshTokens.map((r) => r.sha256).sort(), ['a', 'c']);
  });

  it('moves a sign-ins file it cannot read aside and starts without sign-ins', async () => {
    const dir = tempDir();
    let sb = await Sandbox.start({ dataDir: dir });
    try {
      const t = await signIn(sb);
      assert.equal(await sb.stop(), 0);
      writeFileSync(join(dir, 'sign-ins.json'), JSON.stringify({ grants: 'nope', refreshTokens: [] }));
      sb = await Sandbox.start({ dataDir: dir });
      assert.ok(existsSync(join(dir, 'sign-ins.json.rejected')));
      assert.equal((await api(sb, t.access_token)).status, 401);
      assert.equal((await sb.request('GET', '/api.xro/2.0/Organisation', { accept: 'json' })).status, 200, 'the sandbox works on');
    } finally {
      await sb.stop();
      removeDir(dir);
    }
  });
});
