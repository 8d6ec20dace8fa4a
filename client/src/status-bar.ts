import * as vscode from 'vscode';
import { ClientCommands } from './command-ids';
import type { ConnectionManager } from './connection';
import type { CredentialStore } from './credentials';
import { SETTINGS_SECTION } from './settings';
import type { XeroAuthenticationProvider } from './sign-in';

/** `$(cloud) Xero: Demo Company (NZ) ✓` — the organisation (or endpoint) of the active document and how the connection stands. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('xeroInvoice.endpoint', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[] = [];
  sandboxUrl: string | undefined;

  constructor(
    private readonly connections: ConnectionManager,
    private readonly credentials: CredentialStore,
    private readonly auth: XeroAuthenticationProvider,
  ) {
    this.item.name = 'Xero Invoice endpoint';
    this.item.command = ClientCommands.connectionMenu;
    this.subscriptions.push(
      connections.onDidChangeState(() => this.refresh()),
      credentials.onDidChange(() => this.refresh()),
      auth.onDidChangeSession(() => this.refresh()),
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SETTINGS_SECTION)) this.refresh();
      }),
    );
    this.refresh();
  }

  /** Updates in the background; a failure to read secret storage is logged, never left unhandled. */
  refresh(): void {
    this.update().catch((e: unknown) => console.warn(`Xero Invoice status bar: ${String(e)}`));
  }

  async update(): Promise<void> {
    const resource = vscode.window.activeTextEditor?.document.uri;
    const s = this.connections.settingsFor(resource);
    let host = s.endpoint.baseUrl;
    let origin = '';
    try {
      const u = new URL(s.endpoint.baseUrl);
      host = u.host;
      origin = u.origin;
    } catch {
      // shown as typed; commands explain what is wrong with it
    }
    const isSandbox = !!this.sandboxUrl && origin === new URL(this.sandboxUrl).origin;
    const session = origin && s.endpoint.apiFamily !== '1.0' ? await this.auth.sessions.load(origin) : undefined;
    const stored = session ? 'signedIn' : origin ? await this.credentials.describe(origin) : 'none';
    const state = this.connections.state;
    let icon = isSandbox ? '$(server-process)' : '$(cloud)';
    let detail = '';
    let background: vscode.ThemeColor | undefined;
    if (stored === 'none' && s.endpoint.apiFamily !== '1.0') {
      icon = '$(plug)';
      detail = 'not signed in';
    } else if (state === 'authFailed') {
      icon = '$(error)';
      detail = 'credentials refused';
      background = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else if (state === 'unreachable') {
      icon = '$(warning)';
      detail = 'unreachable';
      background = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else if (state === 'ok') {
      detail = 'connected';
    }
    const shown = session?.tenantName ?? host;
    this.item.text = `${icon} Xero${isSandbox ? ' sandbox' : ''}: ${shown}`;
    this.item.backgroundColor = background;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**Endpoint** ${s.endpoint.baseUrl} (API ${s.endpoint.apiFamily})${this.connections.windowOverride ? ' — this window only' : ''}\n\n`);
    if (isSandbox) md.appendMarkdown(`Local sandbox running\n\n`);
    if (session?.tenantName) md.appendMarkdown(`**Organisation** ${session.tenantName}\n\n`);
    const labels = { none: 'none stored', signedIn: 'signed in', accessToken: 'access token', clientCredentials: 'client credentials', legacyKeys: 'legacy 1.0 keys' } as const;
    md.appendMarkdown(`**Credentials** ${labels[stored]}`);
    if (detail) md.appendMarkdown(` · ${detail}`);
    md.appendMarkdown('\n\nClick for connection actions.');
    this.item.tooltip = md;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}
