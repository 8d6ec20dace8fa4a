import * as vscode from 'vscode';
import type { Sessions } from './auth/session';
import type { CredentialStore } from './credentials';
import { EndpointError } from './endpoint/errors';
import { HttpClient, type RequestLogEntry } from './endpoint/http';
import { LegacyV1Client } from './endpoint/legacy-v1';
import { ClientCredentialsTokenSource, tokenUrlFor } from './endpoint/token';
import { checkedEndpointUrl } from './endpoint/url-policy';
import { WorkflowMaxClient } from './endpoint/workflowmax';
import { XeroV2Client } from './endpoint/xero-v2';
import type { RequestLog } from './log';
import type { SettingsConsent } from './settings-consent';
import { readClientSettings, SETTINGS_SECTION, type ClientSettings } from './settings';

export type ConnectionState = 'unknown' | 'ok' | 'authFailed' | 'unreachable';

export interface OpenOptions {
  /** Shown while a retry waits (429 countdown, backoff). */
  onWait?: (info: { remainingSeconds: number; reason: string }) => void;
}

/** The endpoint for one command run: settings of the resource, checked URL, credentials, and the API clients. */
export interface Endpoint {
  settings: ClientSettings;
  baseUrl: URL;
  http: HttpClient;
  v2(): XeroV2Client;
  workflowMax(): WorkflowMaxClient;
  legacy(): Promise<LegacyV1Client>;
}

export class NoCredentialsError extends EndpointError {
  constructor(host: string) {
    super('refused', `Not signed in to ${host} yet. Sign in to Xero (Accounts menu), start the local sandbox, or use an access token or client credentials.`);
  }
}

/** Endpoint settings for this window only: the sandbox started in a window with no folder or an untrusted one. */
export interface EndpointOverride {
  baseUrl: string;
  tenantId: string;
  apiFamily: '2.0';
}

export class ConnectionManager {
  private readonly tokenSources = new Map<string, ClientCredentialsTokenSource>();
  private readonly stateChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeState = this.stateChanged.event;
  state: ConnectionState = 'unknown';
  private override: EndpointOverride | undefined;
  /** Signed-in sessions (Sign in to Xero); set once the authentication provider exists. */
  sessions: Sessions | undefined;

  constructor(
    private readonly credentials: CredentialStore,
    private readonly log: RequestLog,
    private readonly consent?: SettingsConsent,
  ) {
    credentials.onDidChange((origin) => {
      this.tokenSources.delete(origin);
      this.setState('unknown');
    });
  }

  /** Points this window (and only it) at an endpoint, or back to the settings with undefined. */
  setOverride(o: EndpointOverride | undefined): void {
    this.override = o;
    this.setState('unknown');
    this.stateChanged.fire();
  }

  get windowOverride(): EndpointOverride | undefined {
    return this.override;
  }

  settingsFor(resource: vscode.Uri | undefined): ClientSettings {
    const s = readClientSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION, resource));
    return this.override ? { ...s, endpoint: { ...s.endpoint, ...this.override } } : s;
  }

  private setState(s: ConnectionState): void {
    if (s === this.state) return;
    this.state = s;
    this.stateChanged.fire();
  }

  private observe(e: RequestLogEntry): void {
    this.log.request(e);
    if (e.status === null) this.setState('unreachable');
    else if (e.status === 401 || e.status === 403) this.setState('authFailed');
    else if (e.status < 400 || e.status === 404 || e.status === 400) this.setState('ok');
  }

  /** The endpoint a command talks to. Refuses insecure URLs and missing credentials before any request. */
  async open(resource: vscode.Uri | undefined, opts: OpenOptions = {}): Promise<Endpoint> {
    const settings = this.settingsFor(resource);
    const baseUrl = checkedEndpointUrl(settings.endpoint.baseUrl);
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, resource);
    await this.consent?.confirmEndpoint(baseUrl, settings.endpoint.tenantId, { baseUrl: config.inspect('endpoint.baseUrl'), tenantId: config.inspect('endpoint.tenantId') });
    const origin = baseUrl.origin;
    const secrets: string[] = [];
    const hooks = { log: (e: RequestLogEntry) => this.observe(e), traceBodies: () => this.log.traceBodies(), waiting: opts.onWait };
    const base = { timeoutMs: settings.endpoint.requestTimeoutMs, maxResponseBytes: settings.endpoint.maxResponseMB * 1024 * 1024, hooks, secrets: () => secrets };

    let authHeaders: ((refresh: boolean) => Promise<Record<string, string>>) | undefined;
    let canRefresh = false;
    let tenantId = settings.endpoint.tenantId;
    const session = settings.endpoint.apiFamily !== '1.0' ? await this.sessions?.load(origin) : undefined;
    if (session && this.sessions) {
      // Signed in: the organisation picked at sign-in, and a token renewed before it expires (or after a 401).
      const sessions = this.sessions;
      if (session.tenantId) tenantId = session.tenantId;
      canRefresh = true;
      let last: string | undefined;
      authHeaders = async (refresh) => {
        const token = await sessions.accessToken(origin, refresh ? last : undefined);
        last = token;
        if (!secrets.includes(token)) secrets.push(token);
        return { Authorization: `Bearer ${token}` };
      };
    } else if (settings.endpoint.apiFamily !== '1.0') {
      const cc = await this.credentials.clientCredentials(origin);
      if (cc) {
        secrets.push(cc.clientSecret);
        let source = this.tokenSources.get(origin);
        if (!source) {
          const initial = await this.credentials.cachedToken(origin);
          source = new ClientCredentialsTokenSource(new HttpClient(base), tokenUrlFor(baseUrl), cc, {
            initial,
            onToken: (t) => {
              this.credentials.setCachedToken(origin, t).catch((e: unknown) => this.log.channel.warn(`The renewed access token could not be kept: ${String(e)}`));
            },
          });
          this.tokenSources.set(origin, source);
        }
        const s = source;
        canRefresh = true;
        authHeaders = async (refresh) => {
          const token = await s.accessToken(refresh);
          if (!secrets.includes(token)) secrets.push(token);
          return { Authorization: `Bearer ${token}` };
        };
      } else {
        const token = await this.credentials.accessToken(origin);
        if (!token) throw new NoCredentialsError(baseUrl.host);
        secrets.push(token);
        authHeaders = () => Promise.resolve({ Authorization: `Bearer ${token}` });
      }
    }
    const http = new HttpClient({ ...base, authHeaders, canRefreshAuth: () => canRefresh });
    return {
      settings,
      baseUrl,
      http,
      v2: () => new XeroV2Client(http, baseUrl, tenantId),
      workflowMax: () => new WorkflowMaxClient(http, baseUrl, tenantId),
      legacy: async () => {
        const keys = await this.credentials.legacyKeys(origin);
        if (!keys) throw new EndpointError('refused', `No legacy API 1.0 keys for ${baseUrl.host} yet. Use "Set legacy API 1.0 keys".`);
        secrets.push(keys.apiKey, keys.xeroKey);
        return new LegacyV1Client(http, baseUrl, keys);
      },
    };
  }
}
