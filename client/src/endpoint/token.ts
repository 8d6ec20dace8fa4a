import { EndpointError } from './errors';
import type { HttpClient } from './http';
import { joinUrl } from './url-policy';

export const XERO_IDENTITY_TOKEN_URL = 'https://identity.xero.com/connect/token';

/** Xero's identity server for api.xero.com (and other *.xero.com hosts); `<origin>/connect/token` for any other endpoint (the sandbox). */
export function tokenUrlFor(baseUrl: URL): URL {
  if (/(^|\.)xero\.com$/i.test(baseUrl.hostname)) return new URL(XERO_IDENTITY_TOKEN_URL);
  return joinUrl(new URL(baseUrl.origin), 'connect/token');
}

export interface AccessToken {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * Access tokens from the client-credentials grant (Xero custom connections): fetched on first use, kept, and
 * fetched again `refreshMarginMs` before they expire (Xero's last ~30 minutes).
 */
export class ClientCredentialsTokenSource {
  private current: AccessToken | undefined;
  private pending: Promise<AccessToken> | undefined;

  constructor(
    private readonly http: HttpClient,
    private readonly tokenUrl: URL,
    private readonly credentials: ClientCredentials,
    private readonly opts: { refreshMarginMs?: number; now?: () => number; initial?: AccessToken; onToken?: (t: AccessToken) => void } = {},
  ) {
    this.current = opts.initial;
    http.addSecret(credentials.clientSecret);
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  private fresh(t: AccessToken | undefined): t is AccessToken {
    return !!t && t.expiresAt - (this.opts.refreshMarginMs ?? 60_000) > this.now();
  }

  async accessToken(forceRefresh = false): Promise<string> {
    if (!forceRefresh && this.fresh(this.current)) return this.current.accessToken;
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    this.current = await this.pending;
    return this.current.accessToken;
  }

  private async fetchToken(): Promise<AccessToken> {
    const basic = Buffer.from(`${this.credentials.clientId}:${this.credentials.clientSecret}`, 'utf8').toString('base64');
    const started = this.now();
    let res;
    try {
      res = await this.http.request({
        method: 'POST',
        url: this.tokenUrl,
        auth: false,
        headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: 'grant_type=client_credentials',
        expect: 'json',
      });
    } catch (e) {
      if (e instanceof EndpointError && (e.kind === 'validation' || e.kind === 'auth')) {
        throw new EndpointError('auth', `The identity server refused the client id and secret${e.causeText ? ` (${e.causeText})` : ''}. Check them and connect again.`, {
          status: e.status,
          causeText: e.causeText,
        });
      }
      throw e;
    }
    const j = res.json<{ access_token?: string; expires_in?: number }>();
    if (!j.access_token) throw new EndpointError('malformed', 'The identity server answered without an access token.');
    this.http.addSecret(j.access_token);
    const token = { accessToken: j.access_token, expiresAt: started + (j.expires_in ?? 1800) * 1000 };
    this.opts.onToken?.(token);
    return token;
  }
}
