import * as vscode from 'vscode';
import { ClientCommands } from '../command-ids';
import { EndpointError } from '../endpoint/errors';
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

/** Set access token: kept in SecretStorage for the configured endpoint only. Argument: the token (skips the prompt). */
export async function setAccessTokenCommand(s: Services, args: unknown[]): Promise<boolean> {
  try {
    const url = endpointOf(s);
    const token = await secret(`Access token for ${url.host} (kept in VS Code's secret storage, never in settings)`, args[0]);
    if (!token) return false;
    await s.credentials.setClientCredentials(url.origin, undefined);
    await s.credentials.setAccessToken(url.origin, token);
    showInfo(`Access token saved for ${url.host}.`);
    void refreshOrganisation(s, true);
    return true;
  } catch (e) {
    showError(e);
    return false;
  }
}

/**
 * Client credentials (a Xero custom connection): the id and secret go to SecretStorage; tokens come from the
 * identity endpoint and are fetched again before they expire. Arguments: clientId, clientSecret.
 */
export async function connectClientCredentialsCommand(s: Services, args: unknown[]): Promise<boolean> {
  try {
    const url = endpointOf(s);
    const clientId = typeof args[0] === 'string' ? args[0] : await vscode.window.showInputBox({ prompt: `Client id for ${url.host}`, ignoreFocusOut: true, validateInput: (x) => (x.trim() ? undefined : 'Required') });
    if (!clientId?.trim()) return false;
    const clientSecret = await secret('Client secret (kept in secret storage)', args[1]);
    if (!clientSecret) return false;
    await s.credentials.setAccessToken(url.origin, undefined);
    await s.credentials.setClientCredentials(url.origin, { clientId: clientId.trim(), clientSecret });
    // Fetch a token now, so a wrong id or secret is reported here and not at the first send.
    const endpoint = await s.connections.open(vscode.window.activeTextEditor?.document.uri);
    try {
      await refreshOrganisation(s, false);
    } catch (e) {
      if (e instanceof EndpointError && e.kind === 'auth') {
        await s.credentials.setClientCredentials(url.origin, undefined);
        throw e;
      }
      throw e;
    }
    showInfo(`Connected to ${endpoint.baseUrl.host} with client credentials; the access token is renewed automatically.`);
    return true;
  } catch (e) {
    showError(e, 'Connect failed');
    return false;
  }
}

/** Legacy API 1.0 keys (apiKey = provider, xeroKey = customer), in SecretStorage. Arguments: apiKey, xeroKey. */
export async function setLegacyKeysCommand(s: Services, args: unknown[]): Promise<boolean> {
  try {
    const url = endpointOf(s);
    const apiKey = await secret(`apiKey (provider key) for ${url.host}`, args[0]);
    if (!apiKey) return false;
    const xeroKey = await secret(`xeroKey (customer key) for ${url.host}`, args[1]);
    if (!xeroKey) return false;
    await s.credentials.setLegacyKeys(url.origin, { apiKey, xeroKey });
    showInfo(`Legacy API 1.0 keys saved for ${url.host}.`);
    return true;
  } catch (e) {
    showError(e);
    return false;
  }
}

export async function forgetCredentialsCommand(s: Services): Promise<void> {
  try {
    const url = endpointOf(s);
    await s.credentials.forget(url.origin);
    showInfo(`Credentials for ${url.host} forgotten.`);
  } catch (e) {
    showError(e);
  }
}

/** The status bar's menu: what can be done about the connection right now. */
export async function connectionMenuCommand(s: Services): Promise<void> {
  const running = !!s.sandbox.info;
  const items: (vscode.QuickPickItem & { command: string })[] = [
    running ? { label: '$(debug-stop) Stop local sandbox', command: ClientCommands.stopSandbox } : { label: '$(server-process) Start local sandbox', description: 'try every command without an account', command: ClientCommands.startSandbox },
    { label: '$(key) Set access token', command: ClientCommands.setAccessToken },
    { label: '$(plug) Connect with client credentials', command: ClientCommands.connectClientCredentials },
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
