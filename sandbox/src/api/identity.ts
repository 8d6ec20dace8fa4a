import { isLoopbackHost } from '../http/loopback';
import { DEFAULT_SCOPE, type AuthorizeRequest, type TokenSet } from '../http/auth';
import { CONTENT_TYPES, jsonReply, noContent, reply, type Reply } from '../http/reply';
import { route, type Ctx, type Route } from '../http/router';
import { authorizeErrorPage, consentPage } from '../render/consent';
import type { App } from './app';

/**
 * Xero's identity service, on the sandbox's own host: the authorization code flow with PKCE as desktop apps use it
 * (GET /identity/connect/authorize → consent page → redirect with code and state; POST /connect/token), refresh
 * tokens that rotate, client credentials (custom connections), revocation, and GET /connections.
 */

/** The scopes Xero's Accounting API and OpenID Connect know; anything else is invalid_scope. */
const KNOWN_SCOPES = new Set([
  'openid',
  'profile',
  'email',
  'offline_access',
  'accounting.transactions',
  'accounting.transactions.read',
  'accounting.contacts',
  'accounting.contacts.read',
  'accounting.settings',
  'accounting.settings.read',
  'accounting.attachments',
  'accounting.attachments.read',
]);

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

function htmlPage(status: number, html: string): Reply {
  return reply(status, html, CONTENT_TYPES.html, { ...NO_STORE, 'X-Frame-Options': 'DENY', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'" });
}

function redirect(to: URL): Reply {
  return reply(302, '', undefined, { Location: to.toString(), ...NO_STORE });
}

/** The sandbox cannot know which redirect URIs an app registered: it takes loopback ones only (RFC 8252 §7.3), so a code never leaves the machine. */
function loopbackRedirect(raw: string | null): URL | undefined {
  if (!raw) return undefined;
  try {
    const u = new URL(raw);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    return u.protocol === 'http:' && isLoopbackHost(host) && !u.hash ? u : undefined;
  } catch {
    return undefined;
  }
}

function withParams(base: URL, params: Record<string, string | null>): URL {
  const u = new URL(base);
  for (const [k, v] of Object.entries(params)) if (v !== null) u.searchParams.set(k, v);
  return u;
}

function authorize(app: App, ctx: Ctx): Reply {
  const q = ctx.url.searchParams;
  const clientId = q.get('client_id') ?? '';
  if (!app.auth.knownClient(clientId)) return htmlPage(400, authorizeErrorPage(`unauthorized_client: the client_id '${clientId}' is not an app of this sandbox. Use the client id on its SANDBOX_READY line.`));
  const redirectUri = loopbackRedirect(q.get('redirect_uri'));
  if (!redirectUri) return htmlPage(400, authorizeErrorPage(`invalid_request: the redirect_uri '${q.get('redirect_uri') ?? ''}' is not a loopback http URL (http://localhost:PORT/callback).`));
  const state = q.get('state');
  const fail = (error: string, description: string) => redirect(withParams(redirectUri, { error, error_description: description, state }));
  if (q.get('response_type') !== 'code') return fail('unsupported_response_type', 'response_type must be code');
  const challenge = q.get('code_challenge') ?? '';
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return fail('invalid_request', 'code_challenge is required: BASE64URL(SHA256(code_verifier)), 43 characters');
  if ((q.get('code_challenge_method') ?? 'plain') !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
  const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
  if (scopes.length === 0) return fail('invalid_scope', 'scope is required');
  const unknown = scopes.filter((s) => !KNOWN_SCOPES.has(s));
  if (unknown.length) return fail('invalid_scope', `unknown scope ${unknown.join(', ')}`);
  const request: AuthorizeRequest = { clientId, redirectUri: q.get('redirect_uri')!, scope: scopes.join(' '), state, codeChallenge: challenge };
  const ticket = app.auth.openConsent(request, ctx.now);
  return htmlPage(200, consentPage({ orgName: app.store.org.Name, clientId, scopes, redirectHost: redirectUri.host, ticket }));
}

/** Allow or Deny on the consent page: back to the app with a code, or with error=access_denied. */
async function decide(app: App, ctx: Ctx): Promise<Reply> {
  const type = (ctx.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return htmlPage(400, authorizeErrorPage('The consent form must be posted as a form.'));
  const form = new URLSearchParams(ctx.body.toString('utf8'));
  const request = app.auth.takeConsent(form.get('ticket') ?? '', ctx.now);
  if (!request) return htmlPage(400, authorizeErrorPage('This consent page has expired or was already answered. Start the sign-in again from the app.'));
  const back = new URL(request.redirectUri);
  if (form.get('decision') !== 'allow') return redirect(withParams(back, { error: 'access_denied', error_description: 'The user declined access', state: request.state }));
  const code = app.auth.issueCode(request, ctx.now);
  await app.signInsSaved();
  return redirect(withParams(back, { code, scope: request.scope, state: request.state }));
}

function tokenReply(app: App, result: TokenSet | { error: string; description: string }): Reply {
  if ('error' in result) return app.auth.tokenError(result.error === 'invalid_client' ? 401 : 400, result.error, result.description);
  return jsonReply(200, result, NO_STORE);
}

function formOf(ctx: Ctx): URLSearchParams | undefined {
  const type = (ctx.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/x-www-form-urlencoded' ? new URLSearchParams(ctx.body.toString('utf8')) : undefined;
}

async function token(app: App, ctx: Ctx): Promise<Reply> {
  const form = formOf(ctx);
  if (!form) return app.auth.tokenError(400, 'invalid_request', 'send the token request as application/x-www-form-urlencoded');
  const grant = form.get('grant_type');
  switch (grant) {
    case 'client_credentials': {
      if (!app.auth.checkClient(ctx.req, form)) return app.auth.tokenError(400, 'invalid_client');
      const scope = form.get('scope')?.trim() || DEFAULT_SCOPE;
      return jsonReply(200, app.auth.issue(scope, ctx.now), NO_STORE);
    }
    case 'authorization_code':
    case 'refresh_token': {
      // A PKCE app has no secret: it names itself with client_id. An app that sends a secret must send the right one.
      const client = app.auth.clientOf(ctx.req, form);
      if (!client) return app.auth.tokenError(400, 'invalid_client', 'client_id is missing or unknown, or its secret is wrong');
      const result = grant === 'authorization_code' ? app.auth.redeemCode(withClient(form, client), ctx.now) : app.auth.refresh(form, client, ctx.now);
      // A refresh token is handed out (and the one it replaces consumed) only once that is on disk.
      await app.signInsSaved();
      return tokenReply(app, result);
    }
    default:
      return app.auth.tokenError(400, 'unsupported_grant_type', grant ? `grant_type ${grant} is not supported` : 'grant_type is required');
  }
}

function withClient(form: URLSearchParams, clientId: string): URLSearchParams {
  const f = new URLSearchParams(form);
  f.set('client_id', clientId);
  return f;
}

/** RFC 7009: 200 for a revoked token and for one the server does not know. */
async function revocation(app: App, ctx: Ctx): Promise<Reply> {
  const form = formOf(ctx);
  if (!form) return app.auth.tokenError(400, 'invalid_request', 'send the revocation request as application/x-www-form-urlencoded');
  if (!app.auth.clientOf(ctx.req, form)) return app.auth.tokenError(400, 'invalid_client', 'client_id is missing or unknown, or its secret is wrong');
  const t = form.get('token');
  if (!t) return app.auth.tokenError(400, 'invalid_request', 'token is required');
  app.auth.revoke(t);
  await app.signInsSaved();
  return { ...noContent(), status: 200 };
}

function connections(app: App, ctx: Ctx): Reply {
  return jsonReply(200, [
    {
      id: app.store.org.OrganisationID,
      authEventId: app.store.org.OrganisationID,
      tenantId: app.store.credentials.tenantId,
      tenantType: 'ORGANISATION',
      tenantName: app.store.org.Name,
      createdDateUtc: '2024-01-01T00:00:00.0000000',
      updatedDateUtc: ctx.now.toISOString(),
    },
  ]);
}

export function identityRoutes(app: App): Route[] {
  return [
    route('identity', '/identity/connect/authorize', { GET: (c) => authorize(app, c), POST: (c) => decide(app, c) }),
    route('identity', '/connect/token', { POST: (c) => token(app, c) }),
    route('identity', '/connect/revocation', { POST: (c) => revocation(app, c) }),
    route('identity', '/connections', { GET: (c) => connections(app, c) }, { access: 'token' }),
  ];
}
