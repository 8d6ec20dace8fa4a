import * as vscode from 'vscode';
import { ClientCommands } from './command-ids';
import type { ConnectionManager } from './connection';
import type { CredentialStore } from './credentials';
import { readClientSettings, SETTINGS_SECTION } from './settings';

/** `$(cloud) Xero: api.xero.com ✓` — the endpoint of the active document and how the connection stands. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('xeroInvoice.endpoint', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[] = [];
  sandboxUrl: string | undefined;

  constructor(
    private readonly connections: ConnectionManager,
    private readonly credentials: CredentialStore,
  ) {
    this.item.name = 'Xero Invoice endpoint';
    this.item.command = ClientCommands.connectionMenu;
    this.subscriptions.push(
      connections.onDidChangeState(() => void this.update()),
      credentials.onDidChange(() => void this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => void this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(SETTINGS_SECTION) && void this.update()),
    );
    void this.update();
  }

  async update(): Promise<void> {
    const resource = vscode.window.activeTextEditor?.document.uri;
    const s = readClientSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION, resource));
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
    const stored = origin ? await this.credentials.describe(origin) : 'none';
    const state = this.connections.state;
    let icon = isSandbox ? '$(server-process)' : '$(cloud)';
    let detail = '';
    let background: vscode.ThemeColor | undefined;
    if (stored === 'none' && s.endpoint.apiFamily !== '1.0') {
      icon = '$(plug)';
      detail = 'not connected';
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
    this.item.text = `${icon} Xero${isSandbox ? ' sandbox' : ''}: ${host}`;
    this.item.backgroundColor = background;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**Endpoint** ${s.endpoint.baseUrl} (API ${s.endpoint.apiFamily})\n\n`);
    if (isSandbox) md.appendMarkdown(`Local sandbox running\n\n`);
    md.appendMarkdown(`**Credentials** ${{ none: 'none stored', accessToken: 'access token', clientCredentials: 'client credentials', legacyKeys: 'legacy 1.0 keys' }[stored]}`);
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
