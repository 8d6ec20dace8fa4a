import * as vscode from 'vscode';
import { ClientCommands as C } from './command-ids';
import { approveAndEmailCommand, approveCommand } from './commands/approve';
import { connectClientCredentialsCommand, connectionMenuCommand, forgetCredentialsCommand, setAccessTokenCommand, setLegacyKeysCommand } from './commands/credentials';
import { pickOrganisationCommand, signInCommand, signOutCommand } from './commands/sign-in';
import { emailCommand, markAsSentCommand } from './commands/email';
import { fetchOneCommand, pullCommand, workflowMaxCommand } from './commands/fetch';
import { EMPTY_LISTS, refreshOrganisationCommand } from './commands/organisation';
import { downloadPdfCommand } from './commands/pdf';
import { startSandboxCommand, stopSandboxCommand } from './commands/sandbox';
import { retryUnansweredCommand } from './commands/retry';
import { sendCommand } from './commands/send';
import { insertSnippetCommand } from './commands/snippet';
import { voidOrDeleteCommand } from './commands/void-delete';
import { setConfirmationDriver, type ConfirmationDriver } from './confirm';
import { ConnectionManager } from './connection';
import { CredentialStore } from './credentials';
import { CheckerStatus } from './checker-status';
import { InvoiceLanguageClient, looksLikeInvoiceXml, type CheckerState } from './language-client';
import { redactingChannel, RequestLog } from './log';
import { SandboxController } from './sandbox-controller';
import { SettingsConsent } from './settings-consent';
import type { Services } from './services';
import { PROVIDER_ID, XeroAuthenticationProvider } from './sign-in';
import { StatusBar } from './status-bar';
import { showGettingStartedOnce } from './getting-started';
import { PdfViewerProvider } from './pdf-viewer/provider';
import { InvoicePreview } from './preview/panel';
import { registerDocumentSnippets } from './snippets/document-snippets';
import { showError } from './ui';

let services: Services | undefined;

/** What activate() returns: lets tests wait for the language client without reaching into internals. */
export interface XeroInvoiceApi {
  languageClientReady(): Promise<void>;
  /** Only in the extension-host tests (ExtensionMode.Test): answers the modal confirmations. */
  driveConfirmations?(driver: ConfirmationDriver | undefined): void;
  /** The language server's health, what the status bar says about it, and what the user was told. */
  checker(): { state: CheckerState; statusText: string | undefined; notices: readonly string[] };
  onDidChangeChecker: vscode.Event<CheckerState>;
}

export function activate(context: vscode.ExtensionContext): XeroInvoiceApi {
  const channel = redactingChannel(vscode.window.createOutputChannel('Xero Invoice', { log: true }));
  const log = new RequestLog(channel);
  const credentials = new CredentialStore(context.secrets, new vscode.EventEmitter<string>());
  const consent = new SettingsConsent(context.workspaceState, async (question, detail, yes) => (await vscode.window.showWarningMessage(question, { modal: true, detail }, yes)) === yes);
  const connections = new ConnectionManager(credentials, log, consent);
  const lc = new InvoiceLanguageClient(context, channel);
  const sandbox = new SandboxController(context, connections, channel);
  const auth = new XeroAuthenticationProvider({
    context,
    log,
    settings: () => connections.settingsFor(vscode.window.activeTextEditor?.document.uri),
    sandboxClientId: (origin) => sandbox.clientIdFor(origin),
  });
  connections.sessions = auth.sessions;
  sandbox.auth = auth;
  const statusBar = new StatusBar(connections, credentials, auth);
  const s: Services = { context, lc, connections, credentials, log, sandbox, statusBar, consent, auth };
  services = s;
  const checkerStatus = new CheckerStatus(lc);
  context.subscriptions.push(channel, lc, sandbox, auth, statusBar, checkerStatus, PdfViewerProvider.register(context, channel), registerDocumentSnippets(context));
  context.subscriptions.push(vscode.authentication.registerAuthenticationProvider(PROVIDER_ID, 'Xero', auth, { supportsMultipleAccounts: false }));
  context.subscriptions.push(
    sandbox.onDidChange((info) => {
      statusBar.sandboxUrl = info?.url;
      statusBar.refresh();
    }),
  );

  const register = (id: string, run: (...args: unknown[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, run));
  register(C.send, (...a) => sendCommand(s, a));
  register(C.approve, (...a) => approveCommand(s, a));
  register(C.approveAndEmail, (...a) => approveAndEmailCommand(s, a));
  register(C.email, (...a) => emailCommand(s, a));
  register(C.markAsSent, (...a) => markAsSentCommand(s, a));
  register(C.void, (...a) => voidOrDeleteCommand(s, a, 'void'));
  register(C.deleteDraft, (...a) => voidOrDeleteCommand(s, a, 'delete'));
  register(C.downloadPdf, (...a) => downloadPdfCommand(s, a));
  register(C.insertSnippet, (...a) => insertSnippetCommand(a));
  register(C.fetchInvoice, (...a) => fetchOneCommand(s, a, 'invoice'));
  register(C.fetchCreditNote, (...a) => fetchOneCommand(s, a, 'creditNote'));
  register(C.pullModifiedSince, (...a) => pullCommand(s, a));
  register(C.wfmCurrent, (...a) => workflowMaxCommand(s, a, 'current'));
  register(C.wfmDraft, (...a) => workflowMaxCommand(s, a, 'draft'));
  register(C.wfmList, (...a) => workflowMaxCommand(s, a, 'list'));
  register(C.wfmGet, (...a) => workflowMaxCommand(s, a, 'get'));
  register(C.wfmJob, (...a) => workflowMaxCommand(s, a, 'job'));
  register(C.wfmPayments, (...a) => workflowMaxCommand(s, a, 'payments'));
  register(C.startSandbox, () => startSandboxCommand(s));
  register(C.stopSandbox, () => stopSandboxCommand(s));
  register(C.setAccessToken, (...a) => setAccessTokenCommand(s, a));
  register(C.connectClientCredentials, (...a) => connectClientCredentialsCommand(s, a));
  register(C.setLegacyKeys, (...a) => setLegacyKeysCommand(s, a));
  register(C.forgetCredentials, () => forgetCredentialsCommand(s));
  register(C.refreshOrganisation, () => refreshOrganisationCommand(s));
  register(C.showLog, () => channel.show(true));
  register(C.restartServer, () => lc.restart().catch((e) => showError(e, 'Restarting the language server failed')));
  register(C.connectionMenu, () => connectionMenuCommand(s));
  const preview = new InvoicePreview(lc, channel);
  context.subscriptions.push(preview);
  register(C.openPreview, () => preview.open());
  register(C.signIn, () => signInCommand(s));
  register(C.signOut, () => signOutCommand(s));
  register(C.pickOrganisation, () => pickOrganisationCommand(s));
  register(C.retryUnanswered, (...a) => retryUnansweredCommand(s, a));

  // The language server starts only once an invoice document is open (or a command needs it).
  const wake = (doc: vscode.TextDocument) => {
    if (!lc.started && looksLikeInvoiceXml(doc)) lc.start().catch((e) => channel.error(`The language server could not be started: ${String(e)}`));
  };
  vscode.workspace.textDocuments.forEach(wake);
  if (vscode.workspace.getConfiguration('xeroInvoice').get('sandbox.startOnActivation') === true && !sandbox.info) {
    // The command reports its own failures; this only keeps a rejection from going unhandled.
    vscode.commands.executeCommand(C.startSandbox).then(undefined, (e: unknown) => channel.error(`Starting the local sandbox failed: ${String(e)}`));
    showGettingStartedOnce(context).catch((e) => channel.debug(`The walkthrough could not be opened: ${String(e)}`));
  }
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(wake));
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (lc.started && (e.affectsConfiguration('xeroInvoice.endpoint.baseUrl') || e.affectsConfiguration('xeroInvoice.endpoint.tenantId'))) {
        lc.sendOrganisation(EMPTY_LISTS).catch(() => undefined);
      }
    }),
  );

  return {
    languageClientReady: async () => void (await lc.start()),
    ...(context.extensionMode === vscode.ExtensionMode.Test ? { driveConfirmations: setConfirmationDriver } : {}),
    checker: () => ({ state: lc.state, statusText: checkerStatus.text, notices: lc.notices }),
    onDidChangeChecker: lc.onDidChangeState,
  };
}

export async function deactivate(): Promise<void> {
  const s = services;
  services = undefined;
  if (!s) return;
  await Promise.allSettled([s.sandbox.stop(), s.lc.stop()]);
}
