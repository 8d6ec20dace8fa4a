import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  AllInvoicesRequest,
  ApplyServerResultsRequest,
  InvoiceAtRequest,
  OrganisationNotification,
  PreviewRequest,
  type ApplyServerResultsResult,
  type InvoiceInfo,
  type InvoicesResult,
  type PreviewResult,
  type ServerInvoiceResult,
} from '../../shared/src/protocol';
import type { OrganisationSettings } from '../../shared/src/settings';
import { ClientCommands } from './command-ids';
import { pulledDiagnostics } from './pull-diagnostics';
import { ServerMemory } from './server-memory';

/** Documents the extension wakes up for: an invoice, credit note, API response or exception in the first 4 KB. */
const INVOICE_MARKERS = /<(Invoices?|CreditNotes?|Response|ApiException)\b/;
/** The `source` of the server's diagnostics (server/src/features/convert.ts). */
const SERVER_SOURCE = 'xero-invoice';
const NAME = 'Xero invoice language server';

export function looksLikeInvoiceXml(doc: vscode.TextDocument): boolean {
  if (doc.languageId !== 'xml' || (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled')) return false;
  const head = doc.getText(new vscode.Range(new vscode.Position(0, 0), doc.positionAt(4096)));
  return INVOICE_MARKERS.test(head);
}

/** idle: not started yet; restarting: crashed, vscode-languageclient is starting it again; down: it gave up. */
export type CheckerState = 'idle' | 'running' | 'restarting' | 'down';

/**
 * vscode-languageclient's own restart policy (restart up to 4 times in 3 minutes, then stop), with its messages
 * replaced by ours (`handled`): the user is told once per crash, in words, with the way out.
 */
class ReportingErrorHandler implements ErrorHandler {
  private inner: ErrorHandler | undefined;
  client: LanguageClient | undefined;

  constructor(private readonly onClosed: (action: CloseAction) => void) {}

  private policy(): ErrorHandler {
    return (this.inner ??= this.client!.createDefaultErrorHandler());
  }

  /** A restart the user asked for starts the count afresh. */
  reset(): void {
    this.inner = undefined;
  }

  error(): ErrorHandlerResult {
    // Write errors mean the server died (every write after its death fails, with or without a count),
    // and the default policy would then *stop* the client after 3 of them: a stop, which nothing restarts. The
    // close that follows decides instead, by the crash count.
    return { action: ErrorAction.Continue, handled: true };
  }

  async closed(): Promise<CloseHandlerResult> {
    const result = await this.policy().closed();
    this.onClosed(result.action);
    return { action: result.action, handled: true };
  }
}

/**
 * The language client, started lazily (first invoice document, or first command). Every custom request goes
 * through here; the client never reads XML itself, the server does. After a crash the server gets back what
 * only the client knows (organisation lists, the endpoint's verdicts); if it stays down, its problems stay on
 * screen marked as stale until "Restart language server".
 */
export class InvoiceLanguageClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private handler: ReportingErrorHandler | undefined;
  private readonly memory = new ServerMemory();
  private readonly stale = vscode.languages.createDiagnosticCollection('xeroInvoice.stale');
  private readonly stateChanged = new vscode.EventEmitter<CheckerState>();
  readonly onDidChangeState = this.stateChanged.event;
  private current: CheckerState = 'idle';
  /** The server's last diagnostics per document, kept through restarts (which clear them for a moment). */
  private readonly lastKnown = new Map<string, [vscode.Uri, vscode.Diagnostic[]]>();
  /** The organisation lists go out before the first document after each (re)start. */
  private listsSent: Promise<void> | undefined;
  private stopping = false;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** What the user was told about the server's health, in order (also in the log). */
  readonly notices: string[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly channel: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      this.stale,
      this.stateChanged,
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.memory.forget(d.uri.toString());
        this.lastKnown.delete(d.uri.toString());
        this.stale.delete(d.uri);
      }),
    );
  }

  /**
   * The server's latest problems for a document, as it answered them (never the editor's diagnostics, which
   * vscode-languageclient also clears by itself while a crashed server goes away).
   */
  private answered(uri: vscode.Uri, items: vscode.Diagnostic[]): void {
    if (items.length) this.lastKnown.set(uri.toString(), [uri, items]);
    else this.lastKnown.delete(uri.toString());
  }

  get started(): boolean {
    return !!this.client;
  }

  get state(): CheckerState {
    return this.current;
  }

  private setState(s: CheckerState): void {
    if (s === this.current) return;
    this.current = s;
    this.stateChanged.fire(s);
  }

  start(): Promise<LanguageClient> {
    this.starting ??= this.create().catch((e) => {
      this.starting = undefined;
      throw e;
    });
    return this.starting;
  }

  /** The client, for a request: a clear refusal while the server is down (instead of "Client is not running"). */
  private async running(): Promise<LanguageClient> {
    const c = await this.start();
    if (this.current === 'down') {
      throw new Error('The invoice checker (language server) is not running (see "Xero Invoice: Show log"). Run "Xero Invoice: Restart language server".');
    }
    return c;
  }

  private async create(): Promise<LanguageClient> {
    const module = this.context.asAbsolutePath('dist/server.js');
    // Over stdio rather than Node's IPC channel: a 10 MB document reaches the server and is checked sooner, and
    // the server peaks ~40 MB lower (npm run bench, "The same server over each transport").
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.stdio },
      debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6012'] } },
    };
    const handler = new ReportingErrorHandler((action) => this.closed(action));
    this.handler = handler;
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'xml' },
        { scheme: 'untitled', language: 'xml' },
      ],
      outputChannel: this.channel,
      errorHandler: handler,
      middleware: {
        provideDiagnostics: pulledDiagnostics((uri, items) => this.answered(uri, items)),
        handleDiagnostics: (uri, items, next) => {
          this.answered(uri, items);
          next(uri, items);
        },
        didOpen: async (document, next) => {
          await (this.listsSent ??= this.resendLists(handler.client!));
          await next(document);
          if (this.memory.hasVerdicts(document.uri.toString())) {
            this.restoreVerdicts(handler.client!, document.uri).catch((e) => this.channel.warn(`The endpoint's verdicts on ${document.uri.fsPath} could not be restored: ${String(e)}`));
          }
        },
      },
    };
    const client = new LanguageClient('xeroInvoice', NAME, serverOptions, clientOptions);
    handler.client = client;
    this.subscriptions.push(
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) this.onRunning();
        // Stopped while running without a crash (the client shut it down), or a (re)start that failed.
        else if (e.newState === State.Stopped && !this.stopping && (this.current === 'running' || e.oldState === State.Starting)) this.down('stopped');
      }),
    );
    await client.start();
    this.client = client;
    this.channel.info('Language server started.');
    return client;
  }

  private onRunning(): void {
    const was = this.current;
    this.setState('running');
    this.stale.clear();
    if (was === 'restarting') this.tell('info', 'The invoice checker (language server) stopped unexpectedly and was restarted. Your documents are being checked again.');
  }

  /** Called by the restart policy as the connection closes. */
  private closed(action: CloseAction): void {
    this.listsSent = undefined;
    if (action === CloseAction.Restart) {
      this.channel.warn('The language server stopped unexpectedly; restarting it.');
      this.setState('restarting');
    } else this.down('crashed');
  }

  /** The server will not come back by itself: keep its problems visible, marked stale, and say how to restart it. */
  private down(why: 'crashed' | 'stopped'): void {
    this.setState('down');
    for (const [uri, list] of this.lastKnown.values()) {
      this.stale.set(
        uri,
        list.map((d) => {
          const s = new vscode.Diagnostic(d.range, `${d.message} (stale: the invoice checker is not running)`, d.severity);
          s.code = d.code;
          s.source = `${SERVER_SOURCE} (stale)`;
          return s;
        }),
      );
    }
    const what = why === 'crashed' ? 'crashed 5 times in 3 minutes and was not restarted again' : 'stopped';
    this.tell('error', `The invoice checker (language server) ${what}. Its last problems stay marked as stale until it runs again.`, 'Restart language server');
  }

  private tell(level: 'info' | 'error', text: string, ...extra: string[]): void {
    this.notices.push(text);
    if (level === 'error') this.channel.error(text);
    else this.channel.warn(text);
    const show = level === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    show(text, ...extra, 'Show log').then((pick) => {
      if (pick === 'Show log') this.channel.show(true);
      else if (pick === 'Restart language server') vscode.commands.executeCommand(ClientCommands.restartServer).then(undefined, () => undefined);
    }, () => undefined);
  }

  /** "Restart language server": brings a stopped (or stuck) server back without reloading the window. */
  async restart(): Promise<void> {
    const c = this.client;
    if (!c) {
      await this.start();
      return;
    }
    this.handler?.reset();
    this.listsSent = undefined;
    this.stopping = true;
    try {
      if (c.isRunning()) await c.restart();
      else await c.start();
    } finally {
      this.stopping = false;
    }
    this.channel.info('Language server restarted on request.');
  }

  private async resendLists(client: LanguageClient): Promise<void> {
    const lists = this.memory.organisationLists();
    // Never fails: every document's didOpen waits on this.
    if (lists) await client.sendNotification(OrganisationNotification, lists).catch((e) => this.channel.warn(`The organisation lists could not be given back to the language server: ${String(e)}`));
  }

  /** The endpoint's verdicts on a reopened document, for the invoices not edited since. */
  private async restoreVerdicts(client: LanguageClient, uri: vscode.Uri): Promise<void> {
    const all = await client.sendRequest(AllInvoicesRequest, { textDocument: { uri: uri.toString() } });
    const kept = this.memory.stillValid(uri.toString(), all.invoices);
    if (kept.length === 0) return;
    await client.sendRequest(ApplyServerResultsRequest, {
      textDocument: { uri: uri.toString(), version: all.version },
      results: kept.map((v) => ({ index: v.index, errors: v.errors, warnings: v.warnings })),
    });
  }

  async invoiceAt(uri: vscode.Uri, position: vscode.Position): Promise<{ version: number; invoice: InvoiceInfo | null }> {
    const c = await this.running();
    return c.sendRequest(InvoiceAtRequest, { textDocument: { uri: uri.toString() }, position: { line: position.line, character: position.character } });
  }

  /** The invoice at a position as its customer will see it (the preview). */
  async preview(uri: vscode.Uri, position: vscode.Position): Promise<PreviewResult | null> {
    const c = await this.start();
    return c.sendRequest(PreviewRequest, { textDocument: { uri: uri.toString() }, position: { line: position.line, character: position.character } });
  }

  async allInvoices(uri: vscode.Uri): Promise<InvoicesResult> {
    const c = await this.running();
    return c.sendRequest(AllInvoicesRequest, { textDocument: { uri: uri.toString() } });
  }

  async applyServerResults(uri: vscode.Uri, version: number, results: ServerInvoiceResult[]): Promise<{ result: ApplyServerResultsResult; edits: vscode.TextEdit[] }> {
    const c = await this.running();
    const textDocument = { uri: uri.toString() };
    // The invoices as judged, so that a restarted server gets the verdicts back only on invoices not edited since.
    const judged = results.some((r) => r.errors?.length || r.warnings?.length) ? await c.sendRequest(AllInvoicesRequest, { textDocument }) : undefined;
    const result = await c.sendRequest(ApplyServerResultsRequest, { textDocument: { ...textDocument, version }, results });
    if (result.applicable) this.memory.applied(uri.toString(), results, judged?.version === version ? judged.invoices : undefined);
    const edits = await c.protocol2CodeConverter.asTextEdits(result.edits);
    return { result, edits: edits ?? [] };
  }

  async sendOrganisation(lists: Partial<OrganisationSettings>): Promise<void> {
    this.memory.organisation(lists);
    const c = await this.running();
    await c.sendNotification(OrganisationNotification, lists);
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    this.starting = undefined;
    this.stopping = true;
    if (c) await c.stop(5000).catch(() => undefined);
  }

  dispose(): void {
    this.stop().catch(() => undefined);
    for (const d of this.subscriptions) d.dispose();
  }
}
