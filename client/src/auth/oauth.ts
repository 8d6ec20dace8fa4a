import { EndpointError } from '../endpoint/errors';
import type { HttpClient } from '../endpoint/http';
import type { IdentityUrls } from './identity-urls';

/** An error the identity server answered in OAuth's JSON shape (`{"error":"invalid_grant","error_description":…}`). */
export class OAuthError extends EndpointError {
  constructor(
    readonly code: string,
    readonly description: string | undefined,
    status: number,
    message: string,
  ) {
    super('auth', message, { status, causeText: `${status} ${code}${description ? `: ${description}` : ''}` });
    this.name = 'OAuthError';
  }
}

export interface TokenAnswer {
  accessToken: string;
  refreshToken: string | undefined;
  /** Epoch milliseconds, from `expires_in` counted from when the request was sent. */
  expiresAt: number;
  scope: string | undefined;
}

export interface Connection {
  tenantId: string;
  tenantName: string;
  tenantType: string;
}

export interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  state: string;
  codeChallenge: string;
}

export function authorizeUrl(urls: IdentityUrls, p: AuthorizeParams): URL {
  const u = new URL(urls.authorize);
  u.searchParams.set('response_type', 'code');
  u.searchParams.set('client_id', p.clientId);
  u.searchParams.set('redirect_uri', p.redirectUri);
  u.searchParams.set('scope', p.scopes.join(' '));
  u.searchParams.set('state', p.state);
  u.searchParams.set('code_challenge', p.codeChallenge);
  u.searchParams.set('code_challenge_method', 'S256');
  return u;
}

/** What the browser was sent back with: a code for this state, or the error the user or server chose. */
export function readRedirect(redirect: URL, expectedState: string): string {
  const state = redirect.searchParams.get('state');
  if (state !== expectedState) throw new OAuthError('invalid_state', undefined, 400, 'The sign-in answer did not carry the state this sign-in sent, so it was ignored. Sign in again.');
  const error = redirect.searchParams.get('error');
  if (error) {
    const description = redirect.searchParams.get('error_description') ?? undefined;
    const text = error === 'access_denied' ? 'Access was not allowed in the browser, so nothing was signed in.' : `The sign-in was refused (${error}${description ? `: ${description}` : ''}).`;
    throw new OAuthError(error, description, 400, text);
  }
  const code = redirect.searchParams.get('code');
  if (!code) throw new OAuthError('invalid_request', undefined, 400, 'The sign-in answer carried neither a code nor an error.');
  return code;
}

async function tokenRequest(http: HttpClient, tokenUrl: URL, form: Record<string, string>, what: string, secrets: string[]): Promise<TokenAnswer> {
  const started = Date.now();
  for (const s of secrets) http.addSecret(s);
  const res = await http.request({
    method: 'POST',
    url: tokenUrl,
    auth: false,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
    expect: 'json',
    acceptStatus: [400, 401],
    // A code or refresh token is used once: a blind retry after a lost answer would only earn invalid_grant.
    retries: 0,
  });
  const j = res.json<{ access_token?: string; refresh_token?: string; expires_in?: number; scope?: string; error?: string; error_description?: string }>();
  if (res.status !== 200) {
    const code = j.error ?? `http_${res.status}`;
    const message =
      code === 'invalid_grant'
        ? `The sign-in has ended (${j.error_description ?? 'invalid_grant'}). Sign in to Xero again.`
        : code === 'invalid_client' || code === 'unauthorized_client'
          ? `The identity server does not know this app's client id (${code}). Check xeroInvoice.signIn.clientId.`
          : `The identity server refused to ${what} (${code}${j.error_description ? `: ${j.error_description}` : ''}).`;
    throw new OAuthError(code, j.error_description, res.status, message);
  }
  if (!j.access_token) throw new EndpointError('malformed', 'The identity server answered without an access token.');
  http.addSecret(j.access_token);
  if (j.refresh_token) http.addSecret(j.refresh_token);
  return { accessToken: j.access_token, refreshToken: j.refresh_token, expiresAt: started + (j.expires_in ?? 1800) * 1000, scope: j.scope };
}

/** grant_type=authorization_code with the PKCE verifier; no client secret. */
export function exchangeCode(http: HttpClient, urls: IdentityUrls, p: { clientId: string; code: string; redirectUri: string; verifier: string }): Promise<TokenAnswer> {
  return tokenRequest(http, urls.token, { grant_type: 'authorization_code', client_id: p.clientId, code: p.code, redirect_uri: p.redirectUri, code_verifier: p.verifier }, 'finish the sign-in', [p.code, p.verifier]);
}

/** grant_type=refresh_token: the answer carries the rotated refresh token, which replaces the one sent. */
export function refreshTokens(http: HttpClient, urls: IdentityUrls, clientId: string, refreshToken: string): Promise<TokenAnswer> {
  return tokenRequest(http, urls.token, { grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken }, 'renew the access token', [refreshToken]);
}

/** POST /connect/revocation: the refresh token (and the connections it made) stop working. */
export async function revokeToken(http: HttpClient, urls: IdentityUrls, clientId: string, token: string): Promise<void> {
  http.addSecret(token);
  const res = await http.request({
    method: 'POST',
    url: urls.revocation,
    auth: false,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, client_id: clientId }).toString(),
    acceptStatus: [400, 401],
  });
  if (res.status >= 400) {
    let code = `http_${res.status}`;
    try {
      code = res.json<{ error?: string }>().error ?? code;
    } catch {
      // not JSON: the status says enough
    }
    throw new OAuthError(code, undefined, res.status, `The identity server refused to revoke the sign-in (${code}).`);
  }
}

/** GET /connections: the organisations the token may act on. */
export async function listConnections(http: HttpClient, urls: IdentityUrls, accessToken: string): Promise<Connection[]> {
  http.addSecret(accessToken);
  const res = await http.request({ method: 'GET', url: urls.connections, auth: false, headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' }, expect: 'json' });
  const list = res.json<unknown>();
  if (!Array.isArray(list)) throw new EndpointError('malformed', 'GET /connections did not answer a list.');
  return list
    .filter((c): c is Connection => typeof c === 'object' && c !== null && typeof (c as Connection).tenantId === 'string')
    .map((c) => ({ tenantId: c.tenantId, tenantName: typeof c.tenantName === 'string' && c.tenantName ? c.tenantName : c.tenantId, tenantType: typeof c.tenantType === 'string' ? c.tenantType : '' }));
}
