import * as vscode from 'vscode';
import { identityUrlsFor } from '../auth/identity-urls';
import { listConnections } from '../auth/oauth';
import { ClientCommands } from '../command-ids';
import { describeError, EndpointError } from '../endpoint/errors';
import { HttpClient } from '../endpoint/http';
import { LegacyV1Client, type LegacyKeys } from '../endpoint/legacy-v1';
import { ClientCredentialsTokenSource, tokenUrlFor, type ClientCredentials } from '../endpoint/token';
import { checkedEndpointUrl } from '../endpoint/url-policy';
import type { Services } from '../services';
import { showError, showInfo } from '../ui';
import { refreshOrganisation } from './organisation';

function endpointOf(s: Services): URL {
  return checkedEndpointUrl(s.connections.settingsFor(vscode.window.activeTextEditor?.document.uri).endpoint.baseUrl);
}

async function secret(prompt: string, given: unknown): Promise<string | undefined> {
  if (typeof given === 'string' && given.trim()) return given.trim();
  const v = await vscode.window.showInputBox({ prompt, password: true, ignoreFocusOut: true, validateInput: (x) => (x.trim() ? undefined : 'Required') });
  return v?.trim() || undefined;
}

/** A client for checking credentials before they are kept: logged like every request, the candidate secrets redacted. */
function checkingHttp(s: Services, secrets: string[]): HttpClient {
  const timeoutMs = s.connections.settingsFor(vscode.window.activeTextEditor?.document.uri).endpoint.requestTimeoutMs;
  return new HttpClient({ timeoutMs, maxRetries: 1, secrets: () => secrets, hooks: { log: (e) => s.log.request(e), traceBodies: () => s.log.traceBodies() } });
}

/** Why credentials were not kept: the endpoint refused them, or they could not be checked. */
function notKept(what: string, host: string, e: unknown): EndpointError {
  const refused = e instanceof EndpointError && (e.kind === 'auth' || e.kind === 'validation');
  const cause = describeError(e);
  return new EndpointError(
    refused ? 'auth' : e instanceof EndpointError ? e.kind : 'network',
    refused ? `${host} refused this ${what} (${cause}); it was not saved.` : `The ${what} could not be checked against ${host} (${cause}); it was not saved.`,
    { status: e instanceof EndpointError ? e.status : undefined, causeText: e instanceof EndpointError ? e.causeText : undefined },
  );
}

/**
 * Set access token: checked against the endpoint (GET /connections answers only a valid token), then kept in
 * SecretStorage for that endpoint. A refused token is reported and not kept. Argument: the token (skips the prompt).
 */
export async function setAccessTokenCommand(s: Services, args: unknown[]): Promise<boolean> {
  try {
    const url = endpointOf(s);
    const token = await secret(`Access token for ${url.host} (kept in VS Code's secret storage, never in settings)`, args[0]);
    if (!token) return false;
    try {
      await listConnections(checkingHttp(s, [token]), identityUrlsFor(url), token);
    } catch (e) {
      throw notKept('access token', url.host, e);
    }
    await s.auth.signOut(url.origin);
    await s.credentials.setClientCredentials(url.origin, undefined);
    await s.credentials.setAccessToken(url.origin, token);
    showInfo(`Access token checked and saved for ${url.host}. It expires after about 30 minutes; Sign in to Xero renews itself.`);
    refreshOrganisation(s, true).catch((e: unknown) => s.log.channel.warn(`Organisation lists not loaded: ${String(e)}`));
    return true;
  } catch (e) {
    showError(e);
    return false;
  }
}

/**
 * Client credentials (a Xero custom connection): a token is fetched with the pair first, so a wrong id or secret
 * is reported here and never kept; then the pair goes to SecretStorage and tokens are renewed before they expire.
 * Arguments: clientId, clientSecret.
 */
export async function connectClientCredentialsCommand(s: Services, args: unknown[]): Promise<boolean> {
  try {
    const url = endpointOf(s);
    const clientId = typeof args[0] === 'string' ? args[0] : await vscode.window.showInputBox({ prompt: `Client id for ${url.host}`, ignoreFocusOut: true, validateInput: (x) => (x.trim() ? undefined : 'Required') });
    if (!clientId?.trim()) return false;
    const clientSecret = await secret('Client secret (kept in secret storage)', args[1]);
    if (!clientSecret) return false;
    const pair: ClientCredentials = { clientId: clientId.trim(), clientSecret };
    try {
      await new ClientCredentialsTokenSource(checkingHttp(s, [clientSecret]), tokenUrlFor(url), pair).accessToken();
    } catch (e) {
      throw notKept('client id and secret', url.host, e);
    }
    await s.auth.signOut(url.origin);
    await s.credentials.setAccessToken(url.origin, undefined);
    await s.credentials.setClientCredentials(url.origin, pair);
    await refreshOrganisation(s, true).catch((e: unknown) => s.log.channel.warn(`Organisation lists not loaded: ${String(e)}`));
    showInfo(`Connected to ${url.host} with client credentials; the access token is renewed automatically.`);
    return true;
  } catch (e) {
    showError(e, 'Connect failed');
    return false;
  }
}

/** Legacy API 1.0 keys (apiKey = provider, xeroKey = customer): checked with a read, then kept in SecretStorage. Arguments: apiKey, xeroKey. */
export async function setLegacyKeysCommand(s: Services, args: unknown[]): Promise<boolean> {
  try {
    const url = endpointOf(s);
    const apiKey = await secret(`apiKey (provider key) for ${url.host}`, args[0]);
    if (!apiKey) return false;
    const xeroKey = await secret(`xeroKey (customer key) for ${url.host}`, args[1]);
    if (!xeroKey) return false;
    const keys: LegacyKeys = { apiKey, xeroKey };
    try {
      await new LegacyV1Client(checkingHttp(s, [apiKey, xeroKey]), url, keys).listXml(new Date());
    } catch (e) {
      throw notKept('apiKey and xeroKey', url.host, e);
    }
    await s.credentials.setLegacyKeys(url.origin, keys);
    showInfo(`Legacy API 1.0 keys checked and saved for ${url.host}.`);
    return true;
  } catch (e) {
    showError(e);
    return false;
  }
}

/** Forget stored credentials: signs out (revoking the refresh token) and forgets every credential for the endpoint. */
export async function forgetCredentialsCommand(s: Services): Promise<void> {
  try {
    const url = endpointOf(s);
    await s.auth.signOut(url.origin);
    await s.credentials.forget(url.origin);
    showInfo(`Credentials for ${url.host} forgotten.`);
  } catch (e) {
    showError(e);
  }
}

/** The status bar's menu: what can be done about the connection right now. */
export async function connectionMenuCommand(s: Services): Promise<void> {
  const running = !!s.sandbox.info;
  let signedIn = false;
  try {
    signedIn = !!(await s.auth.sessions.load(endpointOf(s).origin));
  } catch {
    signedIn = false;
  }
  const items: (vscode.QuickPickItem & { command: string })[] = [
    signedIn
      ? { label: '$(organization) Pick organisation', command: ClientCommands.pickOrganisation }
      : { label: '$(account) Sign in to Xero', description: 'in the browser, with your Xero app', command: ClientCommands.signIn },
    ...(signedIn ? [{ label: '$(sign-out) Sign out of Xero', command: ClientCommands.signOut }] : []),
    running ? { label: '$(debug-stop) Stop local sandbox', command: ClientCommands.stopSandbox } : { label: '$(server-process) Start local sandbox', description: 'try every command without an account', command: ClientCommands.startSandbox },
    { label: '$(plug) Connect with client credentials', command: ClientCommands.connectClientCredentials },
    { label: '$(key) Set access token', command: ClientCommands.setAccessToken },
    { label: '$(key) Set legacy API 1.0 keys', command: ClientCommands.setLegacyKeys },
    { label: '$(sync) Refresh organisation lists', command: ClientCommands.refreshOrganisation },
    { label: '$(trash) Forget stored credentials', command: ClientCommands.forgetCredentials },
    { label: '$(settings-gear) Endpoint settings', command: 'workbench.action.openSettings' },
    { label: '$(output) Show log', command: ClientCommands.showLog },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'Xero Invoice: connection' });
  if (!pick) return;
  if (pick.command === 'workbench.action.openSettings') await vscode.commands.executeCommand(pick.command, 'xeroInvoice.endpoint');
  else await vscode.commands.executeCommand(pick.command);
}
