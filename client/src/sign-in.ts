import * as vscode from 'vscode';
import { identityUrlsFor, redirectUriFor, SIGN_IN_SCOPES } from './auth/identity-urls';
import { LoopbackCallback } from './auth/loopback';
import { authorizeUrl, exchangeCode, listConnections, readRedirect, revokeToken, type Connection } from './auth/oauth';
import { createPkce, randomState } from './auth/pkce';
import { allowOnSandboxConsentPage } from './auth/sandbox-consent';
import { NotSignedInError, sessionKey, Sessions, type XeroSession } from './auth/session';
import { EndpointError } from './endpoint/errors';
import { HttpClient } from './endpoint/http';
import { checkedEndpointUrl } from './endpoint/url-policy';
import type { RequestLog } from './log';
import { SETTINGS_SECTION, type ClientSettings } from './settings';

export const PROVIDER_ID = 'xero';
const BROWSER_WAIT_MS = 5 * 60_000;

/** What sign-in needs from the rest of the extension. */
export interface SignInDeps {
  context: vscode.ExtensionContext;
  log: RequestLog;
  /** The endpoint settings of the active document (with this window's sandbox override). */
  settings(): ClientSettings;
  /** The running sandbox's app client id, when `origin` is the sandbox this window started. */
  sandboxClientId(origin: string): string | undefined;
}

/** How consent is given: by the user in the browser, or — for the sandbox this window just started — by the extension on its consent page. */
export type ConsentMode = 'browser' | 'sandbox';

/**
 * "Sign in to Xero" as a VS Code authentication provider: it appears in the Accounts menu, and
 * `vscode.authentication.getSession('xero', scopes)` gives other extensions the signed-in user's access token for
 * the configured endpoint. Sessions are kept per endpoint origin in SecretStorage (see auth/session.ts for the
 * refresh that several windows share).
 */
export class XeroAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  private readonly organisationChanged = new vscode.EventEmitter<string>();
  /** Fires with the origin whose session was added, renewed, re-pointed or removed (in any window). */
  readonly onDidChangeSession = this.organisationChanged.event;
  readonly sessions: Sessions;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: SignInDeps) {
    this.sessions = new Sessions({
      bag: deps.context.secrets,
      lockDir: deps.context.globalStorageUri.fsPath,
      http: () => this.http(),
      urlsFor: (origin) => identityUrlsFor(new URL(origin)),
      onChange: (origin) => this.organisationChanged.fire(origin),
    });
    // Another window signed in, renewed or signed out: the Accounts menu and the status bar follow.
    this.disposables.push(
      deps.context.secrets.onDidChange((e) => {
        const prefix = sessionKey('');
        if (!e.key.startsWith(prefix)) return;
        const origin = e.key.slice(prefix.length);
        this.organisationChanged.fire(origin);
        this.changed.fire({ added: [], removed: [], changed: [] });
      }),
      this.changed,
      this.organisationChanged,
    );
  }

  http(): HttpClient {
    return new HttpClient({ timeoutMs: 30_000, hooks: { log: (e) => this.deps.log.request(e), traceBodies: () => this.deps.log.traceBodies() } });
  }

  origin(): string {
    return checkedEndpointUrl(this.deps.settings().endpoint.baseUrl).origin;
  }

  private toVsSession(s: XeroSession, accessToken: string): vscode.AuthenticationSession {
    const host = new URL(s.origin).host;
    return { id: s.id, accessToken, scopes: s.scopes, account: { id: `${s.origin}|${s.tenantId ?? ''}`, label: s.tenantName ? `${s.tenantName} (${host})` : host } };
  }

  async getSessions(scopes?: readonly string[]): Promise<vscode.AuthenticationSession[]> {
    let origin: string;
    try {
      origin = this.origin();
    } catch {
      return [];
    }
    const s = await this.sessions.load(origin);
    if (!s || (scopes && !scopes.every((x) => s.scopes.includes(x)))) return [];
    try {
      return [this.toVsSession(s, await this.sessions.accessToken(origin))];
    } catch (e) {
      this.deps.log.channel.warn(`The sign-in to ${new URL(origin).host} could not be renewed: ${(e as Error).message}`);
      return [];
    }
  }

  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const s = await this.signIn(this.origin(), 'browser', scopes);
    return this.toVsSession(s, s.accessToken);
  }

  async removeSession(sessionId: string): Promise<void> {
    const origin = this.origin();
    const s = await this.sessions.load(origin);
    if (!s || s.id !== sessionId) return;
    await this.signOut(origin);
  }

  /** The client id for an origin: the sandbox's own app, or the user's Xero app from settings (asked for once). */
  private async clientIdFor(origin: string): Promise<string> {
    const sandbox = this.deps.sandboxClientId(origin);
    if (sandbox) return sandbox;
    const configured = this.deps.settings().signIn.clientId;
    if (configured) return configured;
    const port = this.deps.settings().signIn.redirectPort;
    const entered = await vscode.window.showInputBox({
      title: 'Sign in to Xero',
      prompt: `The client ID of your Xero app (developer.xero.com → My Apps; type "Auth code with PKCE", redirect URI ${redirectUriFor(port)})`,
      ignoreFocusOut: true,
      validateInput: (v) => (/^[A-Za-z0-9]{16,64}$/.test(v.trim()) ? undefined : 'A Xero client ID is 32 letters and digits.'),
    });
    if (!entered?.trim()) throw new EndpointError('cancelled', 'Sign-in cancelled.');
    await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('signIn.clientId', entered.trim(), vscode.ConfigurationTarget.Global);
    return entered.trim();
  }

  /**
   * Authorization code with PKCE: the authorize URL with a fresh verifier's challenge and state; consent in the
   * browser (the redirect comes back to the loopback port) or on the sandbox's page; the code exchanged; then the
   * organisation picked from GET /connections.
   */
  async signIn(origin: string, mode: ConsentMode, extraScopes: readonly string[] = []): Promise<XeroSession> {
    const baseUrl = new URL(origin);
    const urls = identityUrlsFor(baseUrl);
    const clientId = await this.clientIdFor(origin);
    const scopes = [...new Set([...SIGN_IN_SCOPES, ...extraScopes])];
    const pkce = createPkce();
    const state = randomState();
    const http = this.http();
    let redirectUri: string;
    let back: URL;
    if (mode === 'sandbox') {
      redirectUri = redirectUriFor(this.deps.settings().signIn.redirectPort);
      back = await allowOnSandboxConsentPage(http, authorizeUrl(urls, { clientId, redirectUri, scopes, state, codeChallenge: pkce.challenge }));
    } else {
      const port = this.deps.settings().signIn.redirectPort;
      redirectUri = redirectUriFor(port);
      const url = authorizeUrl(urls, { clientId, redirectUri, scopes, state, codeChallenge: pkce.challenge });
      back = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Signing in to ${baseUrl.host === 'api.xero.com' ? 'Xero' : baseUrl.host}: allow access in your browser…`, cancellable: true },
        async (_progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          const callback = await LoopbackCallback.listen(port, abort.signal, url);
          this.deps.log.channel.info(`Sign-in: waiting for the browser on ${redirectUri}.`);
          const opened = await vscode.env.openExternal(vscode.Uri.parse(callback.startUrl));
          if (!opened) {
            callback.close();
            throw new EndpointError('cancelled', 'Sign-in cancelled: the browser was not opened.');
          }
          return callback.wait(BROWSER_WAIT_MS);
        },
      );
    }
    const code = readRedirect(back, state);
    const tokens = await exchangeCode(http, urls, { clientId, code, redirectUri, verifier: pkce.verifier });
    let session = Sessions.fromTokens(origin, clientId, scopes, tokens);
    const organisations = await listConnections(http, urls, tokens.accessToken);
    const picked = await this.choose(organisations, mode === 'browser');
    if (picked) session = { ...session, tenantId: picked.tenantId, tenantName: picked.tenantName };
    await this.sessions.save(session);
    this.deps.log.channel.info(`Signed in to ${baseUrl.host}${picked ? ` for ${picked.tenantName}` : ''}.`);
    this.changed.fire({ added: [this.toVsSession(session, session.accessToken)], removed: [], changed: [] });
    return session;
  }

  /** The organisation to act on: asked by name whenever the user signed in in the browser; the only one otherwise. */
  private async choose(organisations: Connection[], ask: boolean): Promise<Connection | undefined> {
    if (organisations.length === 0) throw new EndpointError('auth', 'The sign-in worked, but it gave access to no organisation. Sign in again and tick an organisation on the consent page.');
    if (!ask && organisations.length === 1) return organisations[0];
    const pick = await vscode.window.showQuickPick(
      organisations.map((o) => ({ label: o.tenantName, description: o.tenantType === 'ORGANISATION' ? '' : o.tenantType, detail: o.tenantId, organisation: o })),
      { title: 'Xero organisation to work with', placeHolder: 'Pick the organisation invoices are sent to', ignoreFocusOut: true },
    );
    return pick?.organisation;
  }

  /** Pick organisation: the list from GET /connections for the signed-in user. */
  async pickOrganisation(origin: string): Promise<XeroSession | undefined> {
    const s = await this.sessions.load(origin);
    if (!s) throw new NotSignedInError(origin);
    const token = await this.sessions.accessToken(origin);
    const picked = await this.choose(await listConnections(this.http(), identityUrlsFor(new URL(origin)), token), true);
    if (!picked) return undefined;
    const latest = (await this.sessions.load(origin)) ?? s;
    const next = { ...latest, tenantId: picked.tenantId, tenantName: picked.tenantName };
    await this.sessions.save(next);
    this.changed.fire({ added: [], removed: [], changed: [this.toVsSession(next, next.accessToken)] });
    return next;
  }

  /** Sign out: the refresh token is revoked at the identity server (best effort) and the session forgotten. */
  async signOut(origin: string): Promise<boolean> {
    const s = await this.sessions.load(origin);
    if (!s) return false;
    if (s.refreshToken) {
      await revokeToken(this.http(), identityUrlsFor(new URL(origin)), s.clientId, s.refreshToken).catch((e: unknown) =>
        this.deps.log.channel.warn(`The sign-in was forgotten here, but revoking it at ${new URL(origin).host} failed: ${(e as Error).message}`),
      );
    }
    await this.sessions.remove(origin);
    this.changed.fire({ added: [], removed: [this.toVsSession(s, '')], changed: [] });
    return true;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

