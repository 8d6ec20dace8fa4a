import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, TransportKind, type CloseHandlerResult, type ErrorHandler, type ErrorHandlerResult, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  AllInvoicesRequest,
  ApplyServerResultsRequest,
  InvoiceAtRequest,
  OrganisationNotification,
  type ApplyServerResultsResult,
  type InvoiceInfo,
  type InvoicesResult,
  type ServerInvoiceResult,
} from '../../shared/src/protocol';
import type { OrganisationSettings } from '../../shared/src/settings';

/** Documents the extension wakes up for: an invoice, credit note, API response or exception in the first 4 KB. */
const INVOICE_MARKERS = /<(Invoices?|CreditNotes?|Response|ApiException)\b/;

export function looksLikeInvoiceXml(doc: vscode.TextDocument): boolean {
  if (doc.languageId !== 'xml' || (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled')) return false;
  const head = doc.getText(new vscode.Range(new vscode.Position(0, 0), doc.positionAt(4096)));
  return INVOICE_MARKERS.test(head);
}

/** Restarts a crashed server a few times, then stops and says so instead of looping. */
class LimitedRestarts implements ErrorHandler {
  private crashes: number[] = [];

  constructor(private readonly name: string) {}

  error(): ErrorHandlerResult {
    return { action: ErrorAction.Continue };
  }

  closed(): CloseHandlerResult {
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < 180_000), now];
    if (this.crashes.length <= 4) return { action: CloseAction.Restart, message: `The ${this.name} stopped unexpectedly and was restarted.` };
    return {
      action: CloseAction.DoNotRestart,
      message: `The ${this.name} crashed ${this.crashes.length} times in 3 minutes and will not be restarted. See "Xero Invoice: Show log"; reload the window to try again.`,
    };
  }
}

/**
 * The language client, started lazily (first invoice document, or first command). Every custom request goes
 * through here; the client never reads XML itself, the server does.
 */
export class InvoiceLanguageClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly channel: vscode.LogOutputChannel,
  ) {}

  get started(): boolean {
    return !!this.client;
  }

  start(): Promise<LanguageClient> {
    this.starting ??= this.create().catch((e) => {
      this.starting = undefined;
      throw e;
    });
    return this.starting;
  }

  private async create(): Promise<LanguageClient> {
    const module = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6012'] } },
    };
    const name = 'Xero invoice language server';
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'xml' },
        { scheme: 'untitled', language: 'xml' },
      ],
      outputChannel: this.channel,
      errorHandler: new LimitedRestarts(name),
    };
    const client = new LanguageClient('xeroInvoice', name, serverOptions, clientOptions);
    await client.start();
    this.client = client;
    this.channel.info('Language server started.');
    return client;
  }

  async invoiceAt(uri: vscode.Uri, position: vscode.Position): Promise<{ version: number; invoice: InvoiceInfo | null }> {
    const c = await this.start();
    return c.sendRequest(InvoiceAtRequest, { textDocument: { uri: uri.toString() }, position: { line: position.line, character: position.character } });
  }

  async allInvoices(uri: vscode.Uri): Promise<InvoicesResult> {
    const c = await this.start();
    return c.sendRequest(AllInvoicesRequest, { textDocument: { uri: uri.toString() } });
  }

  async applyServerResults(uri: vscode.Uri, version: number, results: ServerInvoiceResult[]): Promise<{ result: ApplyServerResultsResult; edits: vscode.TextEdit[] }> {
    const c = await this.start();
    const result = await c.sendRequest(ApplyServerResultsRequest, { textDocument: { uri: uri.toString(), version }, results });
    const edits = await c.protocol2CodeConverter.asTextEdits(result.edits);
    return { result, edits: edits ?? [] };
  }

  async sendOrganisation(lists: Partial<OrganisationSettings>): Promise<void> {
    const c = await this.start();
    await c.sendNotification(OrganisationNotification, lists);
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    this.starting = undefined;
    if (c) await c.stop(5000).catch(() => undefined);
  }

  dispose(): void {
    this.stop().catch(() => undefined);
  }
}
