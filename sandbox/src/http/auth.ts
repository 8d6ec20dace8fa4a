import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { usDateTime } from '../domain/dates';
import type { Credentials, SavedSignIns } from '../store/store';
import { CONTENT_TYPES, reply, jsonReply, type Reply } from './reply';

export const DEFAULT_SCOPE = 'accounting.transactions accounting.contacts accounting.settings';
/** Xero's authorization codes are short-lived and single-use; five minutes here (RFC 6749 §4.1.2 recommends at most ten). */
export const CODE_LIFETIME_MS = 5 * 60_000;
/** How long a consent page may stay open before Allow is pressed. */
const CONSENT_LIFETIME_MS = 10 * 60_000;

/** What GET /identity/connect/authorize was asked for, kept between the consent page and Allow / Deny. */
export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string | null;
  codeChallenge: string;
}

interface PendingCode extends AuthorizeRequest {
  expiresAt: number;
  used: boolean;
  grantId: string;
}

/** One user's consent for one app: every refresh token and access token of a sign-in belongs to one grant. */
interface Grant {
  id: string;
  clientId: string;
  scope: string;
  revoked: boolean;
  /** When its code or its last tokens were issued (milliseconds since the epoch). */
  lastIssuedAt: number;
}

interface RefreshRecord {
  grantId: string;
  /** A rotated (consumed) refresh token answers invalid_grant. */
  consumed: boolean;
  /** Milliseconds since the epoch. */
  issuedAt: number;
}

/** Xero's refresh tokens last about 60 days (FACTS §4); older records are dropped when sign-ins are saved. */
export const REFRESH_TOKEN_LIFETIME_MS = 60 * 86_400_000;

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface TokenSet {
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
  scope: string;
  refresh_token?: string;
}

/** S256: BASE64URL(SHA256(ASCII(code_verifier))) (RFC 7636 §4.2). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function problem(status: 401 | 403, title: string, detail: string): Reply {
  const body = { Type: null, Title: title, Status: status, Detail: detail, Instance: randomUUID(), Extensions: {} };
  const headers: Record<string, string> = status === 401 ? { 'WWW-Authenticate': 'Bearer error="invalid_token"' } : {};
  return reply(status, JSON.stringify(body), CONTENT_TYPES.json, headers);
}

/**
 * Xero's identity rules: a bearer token (the sandbox's fixed one, or one issued by POST /connect/token, a signed
 * JWT that expires) and an `xero-tenant-id` header naming the organisation.
 */
export class Auth {
  private readonly consents = new Map<string, AuthorizeRequest & { expiresAt: number }>();
  private readonly codes = new Map<string, PendingCode>();
  private readonly grants = new Map<string, Grant>();
  /** By the SHA-256 of the token. */
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  /** What happened, for tests that must tell a silent refresh from a new sign-in. */
  readonly counts = { codesIssued: 0, codesRedeemed: 0, refreshes: 0, revocations: 0 };

  constructor(
    private readonly credentials: Credentials,
    /** Access-token lifetime; tests shorten it through POST /sandbox/identity. */
    public lifetimeSeconds: number,
    saved?: SavedSignIns,
    /** Told after every change to the sign-ins (see signIns()). */
    private readonly changed: () => void = () => {},
  ) {
    for (const g of saved?.grants ?? []) this.grants.set(g.id, { id: g.id, clientId: g.clientId, scope: g.scope, revoked: g.revoked, lastIssuedAt: g.lastIssuedAt });
    for (const r of saved?.refreshTokens ?? []) this.refreshTokens.set(r.sha256, { grantId: r.grantId, consumed: r.consumed, issuedAt: r.issuedAt });
  }

  /**
   * The sign-ins to keep: refresh tokens older than their lifetime are left out, and so are grants nothing can use
   * any more (no refresh token, no access token or code still within its lifetime; a request with an access token of
   * a grant no longer known is refused, as a revoked one is).
   */
  signIns(now: Date): SavedSignIns {
    const oldest = now.getTime() - REFRESH_TOKEN_LIFETIME_MS;
    const used = new Set<string>();
    for (const [hash, r] of this.refreshTokens) {
      if (r.issuedAt < oldest) this.refreshTokens.delete(hash);
      else used.add(r.grantId);
    }
    const idle = now.getTime() - Math.max(this.lifetimeSeconds * 1000, CODE_LIFETIME_MS);
    for (const [id, g] of this.grants) if (!used.has(id) && g.lastIssuedAt < idle) this.grants.delete(id);
    return {
      grants: [...this.grants.values()],
      refreshTokens: [...this.refreshTokens].map(([sha256, r]) => ({ sha256, ...r })),
    };
  }

  /** An access token as POST /connect/token returns it; `grantId` ties it to a sign-in that sign-out can revoke. */
  issue(scope: string, now: Date, grantId?: string): TokenSet {
    const iat = Math.floor(now.getTime() / 1000);
    const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = b64url(
      JSON.stringify({
        nbf: iat,
        exp: iat + this.lifetimeSeconds,
        iss: 'xero-invoice-sandbox',
        aud: 'xero-invoice-sandbox/resources',
        client_id: this.credentials.clientId,
        iat,
        jti: randomUUID(),
        scope: scope.split(' '),
        ...(grantId ? { sid: grantId } : {}),
      }),
    );
    const signature = createHmac('sha256', this.credentials.signingKey).update(`${header}.${payload}`).digest('base64url');
    return { access_token: `${header}.${payload}.${signature}`, expires_in: this.lifetimeSeconds, token_type: 'Bearer', scope };
  }

  /** A ticket for the consent page's form: Allow / Deny must come from the page the sandbox showed. */
  openConsent(request: AuthorizeRequest, now: Date): string {
    for (const [k, v] of this.consents) if (v.expiresAt <= now.getTime()) this.consents.delete(k);
    const ticket = randomBytes(24).toString('base64url');
    this.consents.set(ticket, { ...request, expiresAt: now.getTime() + CONSENT_LIFETIME_MS });
    return ticket;
  }

  /** The request behind a consent ticket, once: a second Allow with the same ticket is refused. */
  takeConsent(ticket: string, now: Date): AuthorizeRequest | undefined {
    const c = this.consents.get(ticket);
    this.consents.delete(ticket);
    if (!c || c.expiresAt <= now.getTime()) return undefined;
    return c;
  }

  /** Allow pressed: a new grant and its single-use code. */
  issueCode(request: AuthorizeRequest, now: Date): string {
    const grant: Grant = { id: randomUUID(), clientId: request.clientId, scope: request.scope, revoked: false, lastIssuedAt: now.getTime() };
    this.grants.set(grant.id, grant);
    this.changed();
    const code = randomBytes(32).toString('base64url');
    this.counts.codesIssued++;
    this.codes.set(code, { ...request, expiresAt: now.getTime() + CODE_LIFETIME_MS, used: false, grantId: grant.id });
    return code;
  }

  private newRefreshToken(grantId: string, now: Date): string {
    const token = randomBytes(32).toString('base64url');
    this.refreshTokens.set(tokenHash(token), { grantId, consumed: false, issuedAt: now.getTime() });
    this.changed();
    return token;
  }

  private tokensFor(grant: Grant, now: Date): TokenSet {
    grant.lastIssuedAt = now.getTime();
    const set = this.issue(grant.scope, now, grant.id);
    if (grant.scope.split(' ').includes('offline_access')) set.refresh_token = this.newRefreshToken(grant.id, now);
    else this.changed();
    return set;
  }

  /** grant_type=authorization_code: the code once, within its lifetime, for the same client and redirect, with the PKCE verifier. */
  redeemCode(form: URLSearchParams, now: Date): TokenSet | { error: string; description: string } {
    const code = form.get('code') ?? '';
    const pending = this.codes.get(code);
    if (!pending) return { error: 'invalid_grant', description: 'The authorization code is unknown.' };
    if (pending.used) {
      // RFC 6749 §4.1.2: a code used twice revokes what it was exchanged for.
      const grant = this.grants.get(pending.grantId);
      if (grant) grant.revoked = true;
      this.changed();
      return { error: 'invalid_grant', description: 'The authorization code has already been used.' };
    }
    pending.used = true;
    if (pending.expiresAt <= now.getTime()) return { error: 'invalid_grant', description: 'The authorization code has expired (codes live 5 minutes).' };
    if ((form.get('client_id') ?? '') !== pending.clientId) return { error: 'invalid_client', description: 'The client_id is not the one the code was issued to.' };
    if ((form.get('redirect_uri') ?? '') !== pending.redirectUri) return { error: 'invalid_grant', description: 'The redirect_uri is not the one the code was issued for.' };
    const verifier = form.get('code_verifier') ?? '';
    if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return { error: 'invalid_grant', description: 'The code_verifier must be 43 to 128 characters of [A-Z a-z 0-9 - . _ ~].' };
    if (!same(s256(verifier), pending.codeChallenge)) return { error: 'invalid_grant', description: 'The code_verifier does not match the code_challenge.' };
    const grant = this.grants.get(pending.grantId)!;
    this.counts.codesRedeemed++;
    return this.tokensFor(grant, now);
  }

  /** grant_type=refresh_token: rotated; the consumed token, a revoked grant or another client's token is invalid_grant. */
  refresh(form: URLSearchParams, clientId: string, now: Date): TokenSet | { error: string; description: string } {
    const token = form.get('refresh_token') ?? '';
    const record = this.refreshTokens.get(tokenHash(token));
    const grant = record ? this.grants.get(record.grantId) : undefined;
    if (!record || !grant) return { error: 'invalid_grant', description: 'The refresh token is unknown.' };
    if (grant.revoked) return { error: 'invalid_grant', description: 'The refresh token has been revoked.' };
    if (record.consumed) return { error: 'invalid_grant', description: 'The refresh token has already been used; use the one issued with it.' };
    if (grant.clientId !== clientId) return { error: 'invalid_grant', description: 'The refresh token was issued to another client.' };
    if (record.issuedAt + REFRESH_TOKEN_LIFETIME_MS <= now.getTime()) return { error: 'invalid_grant', description: 'The refresh token has expired (refresh tokens live 60 days).' };
    record.consumed = true;
    this.counts.refreshes++;
    return this.tokensFor(grant, now);
  }

  /** POST /connect/revocation: the refresh token's grant ends; its access tokens stop working too. Unknown tokens are not an error (RFC 7009 §2.2). */
  revoke(token: string): void {
    const record = this.refreshTokens.get(tokenHash(token));
    if (!record) return;
    const grant = this.grants.get(record.grantId);
    if (grant && !grant.revoked) this.counts.revocations++;
    if (grant) grant.revoked = true;
    this.changed();
  }

  /** Known client ids: the sandbox's app (one id, with a secret for client credentials, without one for PKCE). */
  knownClient(clientId: string): boolean {
    return same(clientId, this.credentials.clientId);
  }

  /** Null when the request carries a valid token, else the 401 to answer with. */
  checkToken(req: IncomingMessage, now: Date): Reply | null {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m) return problem(401, 'Unauthorized', 'AuthenticationUnsuccessful');
    const token = m[1];
    if (same(token, this.credentials.token)) return null;
    const parts = token.split('.');
    if (parts.length !== 3) return problem(401, 'Unauthorized', 'AuthenticationUnsuccessful');
    const expected = createHmac('sha256', this.credentials.signingKey).update(`${parts[0]}.${parts[1]}`).digest('base64url');
    if (!same(parts[2], expected)) return problem(401, 'Unauthorized', 'AuthenticationUnsuccessful');
    let exp: number;
    let sid: unknown;
    try {
      const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown; sid?: unknown };
      exp = Number(claims.exp);
      sid = claims.sid;
    } catch {
      return problem(401, 'Unauthorized', 'AuthenticationUnsuccessful');
    }
    if (typeof sid === 'string' && this.grants.get(sid)?.revoked !== false) return problem(401, 'Unauthorized', 'AuthenticationUnsuccessful');
    if (!Number.isFinite(exp) || exp * 1000 <= now.getTime()) {
      return problem(401, 'Unauthorized', `TokenExpired: token expired at ${usDateTime(new Date((Number.isFinite(exp) ? exp : 0) * 1000))}`);
    }
    return null;
  }

  /** Null when `xero-tenant-id` names this organisation, else the 403 to answer with. */
  checkTenant(req: IncomingMessage): Reply | null {
    const tenant = String(req.headers['xero-tenant-id'] ?? '').trim();
    if (tenant && tenant.toLowerCase() === this.credentials.tenantId.toLowerCase()) return null;
    return problem(403, 'Forbidden', 'AuthenticationUnsuccessful');
  }

  /** Client authentication for the token endpoint: HTTP Basic, or client_id/client_secret form fields. */
  checkClient(req: IncomingMessage, form: URLSearchParams): boolean {
    let id = form.get('client_id') ?? '';
    let secret = form.get('client_secret') ?? '';
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i >= 0) {
        id = decodeURIComponent(decoded.slice(0, i));
        secret = decodeURIComponent(decoded.slice(i + 1));
      }
    }
    return same(id, this.credentials.clientId) && same(secret, this.credentials.clientSecret);
  }

  /**
   * The client of a token or revocation request: HTTP Basic or client_id/client_secret when a secret is sent (it
   * must be right), else a known client_id alone (a PKCE app, which has no secret). Undefined when refused.
   */
  clientOf(req: IncomingMessage, form: URLSearchParams): string | undefined {
    const basic = /^Basic\s+(\S+)$/i.test(req.headers.authorization ?? '');
    if (basic || form.has('client_secret')) return this.checkClient(req, form) ? this.credentials.clientId : undefined;
    const id = form.get('client_id') ?? '';
    return this.knownClient(id) ? this.credentials.clientId : undefined;
  }

  tokenError(status: 400 | 401, error: string, description?: string): Reply {
    return jsonReply(status, description ? { error, error_description: description } : { error }, status === 401 ? { 'WWW-Authenticate': 'Basic' } : {});
  }
}
