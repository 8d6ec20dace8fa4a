// Sign in to Xero as desktop apps do, against the real sandbox: authorization code with PKCE through the consent
// page and a loopback redirect, the organisation list, refresh before expiry with rotation, two windows refreshing
// at once, and sign-out revoking the refresh token. The identity code has no vscode import, so it runs here.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { identityUrlsFor, redirectUriFor, SIGN_IN_SCOPES } from '../../client/src/auth/identity-urls';
import { LoopbackCallback } from '../../client/src/auth/loopback';
import { authorizeUrl, exchangeCode, listConnections, OAuthError, readRedirect, refreshTokens, revokeToken } from '../../client/src/auth/oauth';
import { createPkce, randomState } from '../../client/src/auth/pkce';
import { allowOnSandboxConsentPage } from '../../client/src/auth/sandbox-consent';
import { NotSignedInError, Sessions } from '../../client/src/auth/session';
import { XeroV2Client } from '../../client/src/endpoint/xero-v2';
import { HttpClient } from '../../client/src/endpoint/http';
import { FileBag } from './file-bag';
import { startTestSandbox, TENANT, testHttp, type TestSandbox } from './support';

/** What a browser does with the consent page: open it, press a button, follow the redirect to the loopback server. */
async function browserConsent(url: URL, decision: 'allow' | 'deny'): Promise<void> {
  const page = await fetch(url);
  const ticket = /name="ticket" value="([^"]+)"/.exec(await page.text())![1];
  const answer = await fetch(new URL('/identity/connect/authorize', url), { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `ticket=${ticket}&decision=${decision}` });
  const shown = await fetch(answer.headers.get('location')!);
  assert.equal(shown.status, 200);
  assert.match(await shown.text(), decision === 'allow' ? /Signed in/ : /Not signed in/);
}

function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

describe('sign in to the sandbox with PKCE and a loopback redirect', () => {
  let sb: TestSandbox;
  let dir: string;
  const http = () => testHttp({ authHeaders: undefined }).http;
  before(async () => {
    sb = await startTestSandbox();
    dir = mkdtempSync(join(tmpdir(), 'xero-sign-in-'));
  });
  after(async () => {
    await sb?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function signIn(port: number): Promise<{ tokens: Awaited<ReturnType<typeof exchangeCode>>; redirectUri: string }> {
    const urls = identityUrlsFor(sb.url);
    const pkce = createPkce();
    const state = randomState();
    const redirectUri = redirectUriFor(port);
    const url = authorizeUrl(urls, { clientId: sb.ready.clientId, redirectUri, scopes: SIGN_IN_SCOPES, state, codeChallenge: pkce.challenge });
    const callback = await LoopbackCallback.listen(port, undefined, url);
    // The browser is opened at the loopback root, which sends it on to the authorize URL.
    const start = await fetch(callback.startUrl, { redirect: 'manual' });
    assert.equal(start.status, 302);
    assert.equal(start.headers.get('location'), url.toString());
    const [back] = await Promise.all([callback.wait(10_000), browserConsent(url, 'allow')]);
    const code = readRedirect(back, state);
    const tokens = await exchangeCode(http(), urls, { clientId: sb.ready.clientId, code, redirectUri, verifier: pkce.verifier });
    return { tokens, redirectUri };
  }

  it('signs in through the consent page, lists the organisation and sends with the token', async () => {
    const { tokens } = await signIn(await freePort());
    assert.ok(tokens.refreshToken, 'offline_access gives a refresh token');
    assert.ok(tokens.expiresAt > Date.now() + 29 * 60_000 && tokens.expiresAt <= Date.now() + 30 * 60_000);
    const orgs = await listConnections(http(), identityUrlsFor(sb.url), tokens.accessToken);
    assert.deepEqual(orgs.map((o) => [o.tenantId, o.tenantType]), [[TENANT, 'ORGANISATION']]);
    assert.ok(orgs[0].tenantName);
    const api = new HttpClient({ timeoutMs: 5000, authHeaders: () => Promise.resolve({ Authorization: `Bearer ${tokens.accessToken}` }) });
    assert.equal((await new XeroV2Client(api, sb.url, orgs[0].tenantId).get('invoice', 'INV-0001')).InvoiceNumber, 'INV-0001');
  });

  it('Deny in the browser ends the sign-in with a clear error; a foreign state is refused', async () => {
    const urls = identityUrlsFor(sb.url);
    const state = randomState();
    const callback = await LoopbackCallback.listen(await freePort());
    const url = authorizeUrl(urls, { clientId: sb.ready.clientId, redirectUri: redirectUriFor(callback.port), scopes: SIGN_IN_SCOPES, state, codeChallenge: createPkce().challenge });
    const [back] = await Promise.all([callback.wait(10_000), browserConsent(url, 'deny')]);
    assert.throws(() => readRedirect(back, state), (e: Error) => e instanceof OAuthError && e.code === 'access_denied' && /not allowed/.test(e.message));
    const forged = new URL(back);
    forged.searchParams.set('state', 'someone-else');
    forged.searchParams.delete('error');
    forged.searchParams.set('code', 'x');
    assert.throws(() => readRedirect(forged, state), /did not carry the state/);
  });

  it('a busy redirect port is a clear error that names the setting', async () => {
    const blocker = await LoopbackCallback.listen(0);
    try {
      await assert.rejects(LoopbackCallback.listen(blocker.port), /Port \d+ is in use.*xeroInvoice\.signIn\.redirectPort/);
    } finally {
      blocker.close();
    }
  });

  it('the sandbox consent the extension gives goes through authorize and token like the browser', async () => {
    const urls = identityUrlsFor(sb.url);
    const pkce = createPkce();
    const state = randomState();
    const redirectUri = redirectUriFor(47999);
    const back = await allowOnSandboxConsentPage(http(), authorizeUrl(urls, { clientId: sb.ready.clientId, redirectUri, scopes: SIGN_IN_SCOPES, state, codeChallenge: pkce.challenge }));
    const tokens = await exchangeCode(http(), urls, { clientId: sb.ready.clientId, code: readRedirect(back, state), redirectUri, verifier: pkce.verifier });
    assert.ok(tokens.accessToken && tokens.refreshToken);
    await assert.rejects(exchangeCode(http(), urls, { clientId: sb.ready.clientId, code: readRedirect(back, state), redirectUri, verifier: pkce.verifier }), (e: Error) => e instanceof OAuthError && e.code === 'invalid_grant');
  });

  it('refreshes before expiry; the rotated refresh token replaces the old one, which stops working', async () => {
    const { tokens } = await signIn(await freePort());
    const bag = new FileBag(join(dir, 'rotate.json'));
    let now = Date.now();
    const origin = sb.url.origin;
    const sessions = new Sessions({ bag, lockDir: dir, http, urlsFor: () => identityUrlsFor(sb.url), now: () => now });
    await sessions.save(Sessions.fromTokens(origin, sb.ready.clientId, SIGN_IN_SCOPES, tokens));
    assert.equal(await sessions.accessToken(origin), tokens.accessToken, 'fresh: no refresh');
    now += 29 * 60_000; // inside the two-minute margin before the 30-minute expiry
    const renewed = await sessions.accessToken(origin);
    assert.notEqual(renewed, tokens.accessToken);
    const stored = (await sessions.load(origin))!;
    assert.notEqual(stored.refreshToken, tokens.refreshToken);
    assert.equal(stored.accessToken, renewed);
    const urls = identityUrlsFor(sb.url);
    await assert.rejects(refreshTokens(http(), urls, sb.ready.clientId, tokens.refreshToken!), (e: Error) => e instanceof OAuthError && e.code === 'invalid_grant');
  });

  it('two windows refreshing at once share one refresh, and neither is logged out', async () => {
    const { tokens } = await signIn(await freePort());
    const path = join(dir, 'two-windows.json');
    const bagA = new FileBag(path);
    const bagB = new FileBag(path);
    const origin = sb.url.origin;
    const refreshes: string[] = [];
    const counting = () => testHttp({ authHeaders: undefined, hooks: { log: (e) => e.path.includes('/connect/token') && refreshes.push(e.path) } }).http;
    const windowA = new Sessions({ bag: bagA, lockDir: dir, http: counting, urlsFor: () => identityUrlsFor(sb.url) });
    const windowB = new Sessions({ bag: bagB, lockDir: dir, http: counting, urlsFor: () => identityUrlsFor(sb.url) });
    // The stored access token has run out: both windows want a new one at the same moment.
    await windowA.save({ ...Sessions.fromTokens(origin, sb.ready.clientId, SIGN_IN_SCOPES, tokens), expiresAt: Date.now() - 1000 });
    const [a, b] = await Promise.all([windowA.accessToken(origin), windowB.accessToken(origin)]);
    assert.equal(a, b, 'both windows use the one renewed token');
    assert.equal(refreshes.length, 1, 'one refresh request for two windows');
    const api = new HttpClient({ timeoutMs: 5000, authHeaders: () => Promise.resolve({ Authorization: `Bearer ${a}` }) });
    assert.equal((await new XeroV2Client(api, sb.url, TENANT).get('invoice', 'INV-0001')).InvoiceNumber, 'INV-0001');
    // And the stored refresh token is the live one: a later refresh works in either window.
    const again = await windowB.accessToken(origin, a);
    assert.notEqual(again, a);
    assert.equal(refreshes.length, 2);
  });

  it('two windows as two processes renew at the same moment: one refresh, the same token in both', async () => {
    const { tokens } = await signIn(await freePort());
    const path = join(dir, 'two-processes.json');
    const origin = sb.url.origin;
    await new Sessions({ bag: new FileBag(path), lockDir: dir, http, urlsFor: () => identityUrlsFor(sb.url) }).save({
      ...Sessions.fromTokens(origin, sb.ready.clientId, SIGN_IN_SCOPES, tokens),
      expiresAt: Date.now() - 1000,
    });
    const counts = async () => (await (await fetch(`${origin}/sandbox/identity`)).json()) as { refreshes: number };
    const before = (await counts()).refreshes;
    const window = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'refresh-window.ts'), path, dir, origin], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`window exited ${code}: ${err}`))));
      });
    const [a, b] = await Promise.all([window(), window()]);
    assert.ok(a.length > 20);
    assert.equal(a, b, 'both processes end with the one renewed token');
    assert.equal((await counts()).refreshes - before, 1, 'one refresh for two processes');
  });

  it('a 401 on a fresh-looking token renews it once; sign-out revokes and forgets', async () => {
    const { tokens } = await signIn(await freePort());
    const bag = new FileBag(join(dir, 'revoke.json'));
    const origin = sb.url.origin;
    const sessions = new Sessions({ bag, lockDir: dir, http, urlsFor: () => identityUrlsFor(sb.url) });
    await sessions.save(Sessions.fromTokens(origin, sb.ready.clientId, SIGN_IN_SCOPES, tokens));
    const renewed = await sessions.accessToken(origin, tokens.accessToken);
    assert.notEqual(renewed, tokens.accessToken);
    const s = (await sessions.load(origin))!;
    await revokeToken(http(), identityUrlsFor(sb.url), s.clientId, s.refreshToken!);
    await assert.rejects(sessions.accessToken(origin, renewed), (e: Error) => e instanceof NotSignedInError && /Sign in to Xero again/.test(e.message));
    assert.equal(await sessions.load(origin), undefined, 'a dead sign-in is forgotten');
  });
});
