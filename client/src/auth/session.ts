import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { EndpointError } from '../endpoint/errors';
import type { HttpClient } from '../endpoint/http';
import { withFileLock } from './file-lock';
import type { IdentityUrls } from './identity-urls';
import { OAuthError, refreshTokens, type TokenAnswer } from './oauth';

/** A signed-in user for one endpoint origin, as kept in secret storage (never in settings or logs). */
export interface XeroSession {
  id: string;
  /** The API endpoint's origin (`https://api.xero.com`, `http://127.0.0.1:PORT`). */
  origin: string;
  clientId: string;
  scopes: string[];
  accessToken: string;
  refreshToken: string | undefined;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** The organisation picked after sign-in. */
  tenantId?: string;
  tenantName?: string;
}

/** VS Code's SecretStorage, or anything with its three calls (tests use a file). */
export interface SecretBag {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

export class NotSignedInError extends EndpointError {
  constructor(origin: string, why?: string) {
    super('auth', why ?? `Not signed in to ${new URL(origin).host}. Use "Sign in to Xero" (Accounts menu).`);
    this.name = 'NotSignedInError';
  }
}

export function sessionKey(origin: string): string {
  return `xeroInvoice.session:${origin}`;
}

export interface SessionDeps {
  bag: SecretBag;
  /** A folder every window shares (the extension's global storage), for the refresh lock. */
  lockDir: string;
  http: () => HttpClient;
  urlsFor: (origin: string) => IdentityUrls;
  /** Renew this long before expiry, so a request never leaves with a token about to lapse. */
  refreshMarginMs?: number;
  now?: () => number;
  /** Told when this window stored or removed a session. */
  onChange?: (origin: string) => void;
}

/**
 * Sessions and their refresh. The rotated refresh token is the hard part: a refresh consumes the old one, so two
 * windows refreshing at once must not both send it (the second would get invalid_grant and lose the sign-in). A
 * refresh therefore happens under a lock every window shares, and re-reads the stored session inside it: a window
 * that finds a token another window just renewed uses that one. If the identity server still says invalid_grant,
 * the store is read once more before the sign-in is declared over.
 */
export class Sessions {
  private readonly pending = new Map<string, Promise<XeroSession>>();

  constructor(private readonly deps: SessionDeps) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  private fresh(s: XeroSession): boolean {
    return s.expiresAt - (this.deps.refreshMarginMs ?? 120_000) > this.now();
  }

  async load(origin: string): Promise<XeroSession | undefined> {
    const raw = await this.deps.bag.get(sessionKey(origin));
    if (!raw) return undefined;
    try {
      const s = JSON.parse(raw) as XeroSession;
      return typeof s.accessToken === 'string' && s.origin === origin ? s : undefined;
    } catch {
      return undefined;
    }
  }

  async save(s: XeroSession): Promise<void> {
    await this.deps.bag.store(sessionKey(s.origin), JSON.stringify(s));
    this.deps.onChange?.(s.origin);
  }

  async remove(origin: string): Promise<void> {
    await this.deps.bag.delete(sessionKey(origin));
    this.deps.onChange?.(origin);
  }

  /** A session from a finished sign-in. */
  static fromTokens(origin: string, clientId: string, scopes: readonly string[], t: TokenAnswer): XeroSession {
    const id = createHash('sha256').update(`${origin}\n${clientId}\n${t.refreshToken ?? t.accessToken}`).digest('hex').slice(0, 32);
    return { id, origin, clientId, scopes: t.scope ? t.scope.split(' ') : [...scopes], accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: t.expiresAt };
  }

  /**
   * An access token to send now: the stored one while fresh, else a renewed one. `rejected` is a token the endpoint
   * just refused (401): it is renewed even if it looks fresh, unless another window already replaced it.
   */
  async accessToken(origin: string, rejected?: string): Promise<string> {
    const s = await this.load(origin);
    if (!s) throw new NotSignedInError(origin);
    if (this.fresh(s) && s.accessToken !== rejected) return s.accessToken;
    let p = this.pending.get(origin);
    if (!p) {
      p = this.refreshLocked(origin, rejected).finally(() => this.pending.delete(origin));
      this.pending.set(origin, p);
    }
    return (await p).accessToken;
  }

  private lockPath(origin: string): string {
    return join(this.deps.lockDir, `refresh-${createHash('sha256').update(origin).digest('hex').slice(0, 16)}.lock`);
  }

  private async refreshLocked(origin: string, rejected: string | undefined): Promise<XeroSession> {
    return withFileLock(this.lockPath(origin), async () => {
      const s = await this.load(origin);
      if (!s) throw new NotSignedInError(origin);
      // Another window (or an earlier call) renewed it while this one waited for the lock.
      if (this.fresh(s) && s.accessToken !== rejected) return s;
      if (!s.refreshToken) {
        await this.remove(origin);
        throw new NotSignedInError(origin, `The sign-in to ${new URL(origin).host} has expired and cannot be renewed (no refresh token). Sign in to Xero again.`);
      }
      let t: TokenAnswer;
      try {
        t = await refreshTokens(this.deps.http(), this.deps.urlsFor(origin), s.clientId, s.refreshToken);
      } catch (e) {
        if (e instanceof OAuthError && e.code === 'invalid_grant') {
          const again = await this.load(origin);
          if (again && again.refreshToken !== s.refreshToken) return again;
          await this.remove(origin);
          throw new NotSignedInError(origin, `${e.message}`);
        }
        throw e;
      }
      const next: XeroSession = { ...s, accessToken: t.accessToken, refreshToken: t.refreshToken ?? s.refreshToken, expiresAt: t.expiresAt };
      await this.save(next);
      return next;
    });
  }
}
