import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  CodeAction,
  CodeLens,
  CompletionItem,
  CompletionList,
  Diagnostic,
  DocumentDiagnosticReport,
  DocumentSymbol,
  FoldingRange,
  Hover,
  InlayHint,
  MarkupContent,
  Position,
  Range,
  TextDocumentContentChangeEvent,
  TextEdit,
} from 'vscode-languageserver-protocol';
import { LineIndex } from '@engine';
import { ROOT } from './fixtures';

export const SERVER = join(ROOT, 'dist', 'server.js');

export interface ClientOptions {
  /** Settings answered to workspace/configuration (section xeroInvoice). */
  settings?: Record<string, unknown>;
  /** Announce pull diagnostics support (default true); without it the server pushes. */
  pull?: boolean;
  /**
   * How messages travel: stdio (default: how the extension starts the server, client/src/language-client.ts),
   * or Node's IPC channel, the other transport vscode-languageclient offers (the benchmark compares them).
   */
  transport?: 'stdio' | 'ipc';
  /** Node.js options for the server process (for example --cpu-prof while profiling). */
  execArgv?: string[];
}

/**
 * A real LSP client for tests: spawns the bundled server (dist/server.js) and speaks JSON-RPC to it over stdio
 * or Node's IPC channel.
 */
export class LspClient {
  readonly connection: MessageConnection;
  private readonly child: ChildProcess;
  private readonly versions = new Map<string, number>();
  private readonly pushed = new Map<string, Diagnostic[]>();
  /** How many times diagnostics were pushed, per document. */
  readonly pushes = new Map<string, number>();
  private readonly pushWaiters: { uri: string; resolve: (d: Diagnostic[]) => void }[] = [];
  settings: Record<string, unknown>;
  stderr = '';
  /** What the server logged (window/logMessage), in order. */
  readonly logs: { type: number; message: string }[] = [];

  private constructor(options: ClientOptions) {
    this.settings = options.settings ?? {};
    const execArgv = options.execArgv ?? [];
    if (options.transport === 'ipc') {
      this.child = fork(SERVER, ['--node-ipc'], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      this.connection = createMessageConnection(new IPCMessageReader(this.child), new IPCMessageWriter(this.child));
    } else {
      this.child = spawn(process.execPath, [...execArgv, SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
      this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    }
    this.child.stderr!.on('data', (b: Buffer) => (this.stderr += b.toString()));
    this.connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map(() => this.settings));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/diagnostic/refresh', () => null);
    this.connection.onRequest('workspace/inlayHint/refresh', () => null);
    this.connection.onRequest('workspace/codeLens/refresh', () => null);
    this.connection.onNotification('window/logMessage', (p: { type: number; message: string }) => this.logs.push(p));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
      this.pushed.set(p.uri, p.diagnostics);
      this.pushes.set(p.uri, (this.pushes.get(p.uri) ?? 0) + 1);
      for (const w of this.pushWaiters.filter((x) => x.uri === p.uri)) w.resolve(p.diagnostics);
      this.pushWaiters.splice(0, this.pushWaiters.length, ...this.pushWaiters.filter((x) => x.uri !== p.uri));
    });
    this.connection.listen();
  }

  static async start(options: ClientOptions = {}): Promise<LspClient> {
    const c = new LspClient(options);
    await c.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: {
          ...(options.pull === false ? {} : { diagnostic: { dynamicRegistration: false } }),
          publishDiagnostics: {},
          inlayHint: {},
          codeLens: {},
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } } },
          completion: { completionItem: { snippetSupport: true, resolveSupport: { properties: ['documentation'] } } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          foldingRange: {},
        },
      },
    });
    await c.connection.sendNotification('initialized', {});
    return c;
  }

  async open(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'xml', version: 1, text } });
  }

  /** Saves the document (didSave). */
  async save(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const r = await this.diagnosticReport(uri);
    return r.kind === 'full' ? r.items : [];
  }

  /** The pulled report itself (its kind and result id too). */
  diagnosticReport(uri: string): Promise<DocumentDiagnosticReport> {
    return this.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
  }

  /** The next pushed diagnostics for a document (servers push when the client has no pull support). */
  nextPush(uri: string): Promise<Diagnostic[]> {
    return new Promise((resolve) => this.pushWaiters.push({ uri, resolve }));
  }

  inlayHints(uri: string, range: Range): Promise<InlayHint[]> {
    return this.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range });
  }

  codeLenses(uri: string): Promise<CodeLens[]> {
    return this.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    return this.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, ...(only ? { only } : {}) } });
  }

  /** Completion items; with `resolve`, each item's documentation is fetched as an editor does when showing it. */
  async completion(uri: string, position: Position, resolve = true): Promise<CompletionItem[] | CompletionList | null> {
    const r = await this.connection.sendRequest<CompletionItem[] | CompletionList | null>('textDocument/completion', { textDocument: { uri }, position });
    if (!resolve || !r) return r;
    const list = Array.isArray(r) ? r : r.items;
    const resolved = await Promise.all(list.map((i) => (i.data === undefined ? Promise.resolve(i) : this.connection.sendRequest<CompletionItem>('completionItem/resolve', i))));
    return Array.isArray(r) ? resolved : { ...r, items: resolved };
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
  }

  symbols(uri: string): Promise<DocumentSymbol[]> {
    return this.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
  }

  folding(uri: string): Promise<FoldingRange[]> {
    return this.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri } });
  }

  format(uri: string, options = { tabSize: 2, insertSpaces: true }): Promise<TextEdit[]> {
    return this.connection.sendRequest('textDocument/formatting', { textDocument: { uri }, options });
  }

  formatRange(uri: string, range: Range, options = { tabSize: 2, insertSpaces: true }): Promise<TextEdit[]> {
    return this.connection.sendRequest('textDocument/rangeFormatting', { textDocument: { uri }, range, options });
  }

  async configure(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  }

  /** Peak resident memory of the server process, in MB (Linux). */
  serverRssMb(): number {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : NaN;
  }

  /** The server's process id. */
  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone.
    }
    // The server exits on `exit` by itself: waited for (briefly), so that what it writes as it exits is written
    // (a --cpu-prof profile); only one that does not is killed.
    if (this.alive) await Promise.race([once(this.child, 'exit'), new Promise((r) => setTimeout(r, 2000))]);
    this.connection.dispose();
    if (this.alive) this.child.kill();
  }
}

/** The labels a completion answer offers (a list, or its items). */
export function completionLabels(r: CompletionItem[] | CompletionList | null): string[] {
  return (Array.isArray(r) ? r : (r?.items ?? [])).map((i) => i.label);
}

/** An inlay hint's label as the user sees it (a string, or the parts of a composite label joined). */
export function hintLabel(h: InlayHint): string {
  return typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('');
}

/** A hover's markdown text ('' when there is no hover). */
export function hoverValue(h: Hover | null): string {
  return (h?.contents as MarkupContent | undefined)?.value ?? '';
}

/** Applies LSP text edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  const offset = (p: Position) => lines.offsetAt(p);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

/** The position of the n-th occurrence (0-based) of a marker in a text. */
export function positionOf(text: string, marker: string, occurrence = 0, delta = 0): Position {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(marker, at + 1);
    if (at < 0) throw new Error(`marker ${marker} #${occurrence} not found`);
  }
  const offset = at + delta;
  const before = text.slice(0, offset);
  const line = before.split(/\r\n|\r|\n/).length - 1;
  const lastBreak = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return { line, character: offset - lastBreak - 1 };
}
