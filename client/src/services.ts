import type * as vscode from 'vscode';
import type { ConnectionManager } from './connection';
import type { CredentialStore } from './credentials';
import type { InvoiceLanguageClient } from './language-client';
import type { RequestLog } from './log';
import type { SandboxController } from './sandbox-controller';
import type { XeroAuthenticationProvider } from './sign-in';
import type { SettingsConsent } from './settings-consent';
import type { StatusBar } from './status-bar';

/** What every command family needs, created once in activate(). */
export interface Services {
  context: vscode.ExtensionContext;
  lc: InvoiceLanguageClient;
  connections: ConnectionManager;
  credentials: CredentialStore;
  log: RequestLog;
  sandbox: SandboxController;
  statusBar: StatusBar;
  /** Sign in to Xero: the authentication provider and its sessions. */
  auth: XeroAuthenticationProvider;
  consent: SettingsConsent;
}
