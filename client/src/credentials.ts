import type * as vscode from 'vscode';
import type { AccessToken, ClientCredentials } from './endpoint/token';
import type { LegacyKeys } from './endpoint/legacy-v1';

/**
 * Credentials, only in SecretStorage, per endpoint origin: the sandbox's token never replaces a real Xero
 * token, and stopping the sandbox forgets only its own.
 */
export class CredentialStore {
  private readonly changed: vscode.EventEmitter<string>;
  readonly onDidChange: vscode.Event<string>;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    emitter: vscode.EventEmitter<string>,
  ) {
    this.changed = emitter;
    this.onDidChange = emitter.event;
  }

  private key(kind: string, origin: string): string {
    return `xeroInvoice.${kind}:${origin}`;
  }

  private async getJson<T>(kind: string, origin: string): Promise<T | undefined> {
    const raw = await this.secrets.get(this.key(kind, origin));
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return undefined;
    }
  }

  private async put(kind: string, origin: string, value: string | undefined): Promise<void> {
    if (value === undefined) await this.secrets.delete(this.key(kind, origin));
    else await this.secrets.store(this.key(kind, origin), value);
    this.changed.fire(origin);
  }

  accessToken(origin: string): Thenable<string | undefined> {
    return this.secrets.get(this.key('accessToken', origin));
  }

  setAccessToken(origin: string, token: string | undefined): Promise<void> {
    return this.put('accessToken', origin, token);
  }

  clientCredentials(origin: string): Promise<ClientCredentials | undefined> {
    return this.getJson<ClientCredentials>('clientCredentials', origin);
  }

  async setClientCredentials(origin: string, c: ClientCredentials | undefined): Promise<void> {
    await this.put('cachedToken', origin, undefined);
    await this.put('clientCredentials', origin, c ? JSON.stringify(c) : undefined);
  }

  cachedToken(origin: string): Promise<AccessToken | undefined> {
    return this.getJson<AccessToken>('cachedToken', origin);
  }

  async setCachedToken(origin: string, t: AccessToken): Promise<void> {
    await this.secrets.store(this.key('cachedToken', origin), JSON.stringify(t));
  }

  legacyKeys(origin: string): Promise<LegacyKeys | undefined> {
    return this.getJson<LegacyKeys>('legacyKeys', origin);
  }

  setLegacyKeys(origin: string, k: LegacyKeys | undefined): Promise<void> {
    return this.put('legacyKeys', origin, k ? JSON.stringify(k) : undefined);
  }

  async forget(origin: string): Promise<void> {
    for (const kind of ['accessToken', 'clientCredentials', 'cachedToken', 'legacyKeys']) await this.secrets.delete(this.key(kind, origin));
    this.changed.fire(origin);
  }

  /** What is stored for an origin, without revealing any of it. */
  async describe(origin: string): Promise<'clientCredentials' | 'accessToken' | 'legacyKeys' | 'none'> {
    if (await this.clientCredentials(origin)) return 'clientCredentials';
    if (await this.accessToken(origin)) return 'accessToken';
    if (await this.legacyKeys(origin)) return 'legacyKeys';
    return 'none';
  }
}
