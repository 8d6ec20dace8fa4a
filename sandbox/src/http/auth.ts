import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { usDateTime } from '../domain/dates';
import type { Credentials } from '../store/store';
import { CONTENT_TYPES, reply, jsonReply, type Reply } from './reply';

export const DEFAULT_SCOPE = 'accounting.transactions accounting.contacts accounting.settings';

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
  constructor(
    private readonly credentials: Credentials,
    private readonly lifetimeSeconds: number,
  ) {}

  /** An access token as POST /connect/token returns it (client credentials grant). */
  issue(scope: string, now: Date): { access_token: string; expires_in: number; token_type: 'Bearer'; scope: string } {
    const iat = Math.floor(now.getTime() / 1000);
    const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = b64url(
      JSON.stringify({ nbf: iat, exp: iat + this.lifetimeSeconds, iss: 'xero-invoice-sandbox', aud: 'xero-invoice-sandbox/resources', client_id: this.credentials.clientId, iat, jti: randomUUID(), scope: scope.split(' ') }),
    );
    const signature = createHmac('sha256', this.credentials.signingKey).update(`${header}.${payload}`).digest('base64url');
    return { access_token: `${header}.${payload}.${signature}`, expires_in: this.lifetimeSeconds, token_type: 'Bearer', scope };
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
    try {
      exp = Number((JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown }).exp);
    } catch {
      return problem(401, 'Unauthorized', 'AuthenticationUnsuccessful');
    }
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

  tokenError(status: 400 | 401, error: string, description?: string): Reply {
    return jsonReply(status, description ? { error, error_description: description } : { error }, status === 401 ? { 'WWW-Authenticate': 'Basic' } : {});
  }
}
