import './hosted-engine';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DocumentDiagnosticReportKind,
  ErrorCodes,
  LSPErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocumentSyncKind,
  type CancellationToken,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { performance } from 'node:perf_hooks';
import { AllInvoicesRequest, ApplyServerResultsRequest, InvoiceAtRequest, OrganisationNotification, PreviewRequest } from '../../shared/src/protocol';
import { DocumentStore } from './documents';
import { CheckCancelled, contentModelFor } from './engine';
import { afterBigDocument, afterFullReading } from './memory';
import { Logger, describe } from './log';
import { DiagnosticsScheduler } from './scheduler';
import { SettingsReader } from './settings';
import { InvalidChange } from './text-model';
import { tuneServerProcess } from './launch/v8-tuning';
import { RECALCULATE_KIND, codeActions } from './features/code-actions';
import { codeLenses } from './features/code-lens';
import { complete, resolveCompletion } from './features/completion';
import { foldingRanges } from './features/folding';
import { formatDocument, formatRange } from './features/formatting';
import { hover } from './features/hover';
import { inlayHints } from './features/inlay-hints';
import { allInvoices, applyServerResults, invoiceAt } from './features/invoice-requests';
import { documentSymbols } from './features/symbols';
import { invoicePreview } from './features/preview';

// Wiring only: every feature lives in features/, each document's state in its OpenDocument, diagnostics timing
// in the scheduler.
const connection = createConnection(ProposedFeatures.all);
const log = new Logger(connection);
const store = new DocumentStore();
const settings = new SettingsReader(connection);
let pull = false;
const scheduler = new DiagnosticsScheduler(connection, log, () => pull);

/**
 * Opening a document waits for its settings; later notifications and requests for that document wait their
 * turn behind it, so they always see the document in the order the client sent its changes.
 */
const queues = new Map<string, Promise<unknown>>();
function inOrder(uri: string, what: string, work: () => void | Promise<void>): Promise<void> {
  const next = (queues.get(uri) ?? Promise.resolve()).then(work).catch((err: unknown) => log.error(`${what} of ${uri} failed`, err));
  queues.set(uri, next);
  return next;
}
async function ready(uri: string): Promise<void> {
  await queues.get(uri);
}

/** Documents being opened (read a slice at a time), by URI: a close marks its opening closed. */
const openings = new Map<string, { closed: boolean }>();
/** Counts workspace/didChangeConfiguration: an opening that saw one meanwhile reads its settings again. */
let configurationChanges = 0;

interface DocumentParams {
  textDocument: { uri: string };
  position?: unknown;
  range?: unknown;
}

/** Refuses positions and ranges that are not the document's (an LSP error, never a corrupted answer). */
function checkPlaces(p: DocumentParams): void {
  const doc = store.get(p.textDocument.uri);
  if (!doc) return;
  const problem =
    ('position' in p ? doc.textDocument.positionProblem(p.position) : undefined) ?? ('range' in p ? doc.textDocument.rangeProblem(p.range) : undefined);
  if (problem) throw new ResponseError(ErrorCodes.InvalidParams, `${p.textDocument.uri}: ${problem}.`);
}

/**
 * The error boundary of every request about a document: waits for the document's turn, checks the params,
 * logs a failure and answers it as an LSP error (a cancelled check as ServerCancelled, so the client asks again).
 */
function request<P extends DocumentParams, R>(name: string, handler: (p: P, token: CancellationToken) => R | Promise<R>) {
  return async (p: P, token: CancellationToken): Promise<R> => {
    const uri = typeof p?.textDocument?.uri === 'string' ? p.textDocument.uri : undefined;
    if (!uri) throw new ResponseError(ErrorCodes.InvalidParams, `${name}: textDocument.uri is missing.`);
    const started = performance.now();
    try {
      await ready(uri);
      checkPlaces(p);
      const r = await handler(p, token);
      log.debug(() => `${name} ${uri}: ${(performance.now() - started).toFixed(1)} ms`);
      return r;
    } catch (err) {
      if (err instanceof ResponseError) throw err;
      if (err instanceof CheckCancelled) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'The document changed or closed first.', { retriggerRequest: true });
      log.error(`${name} ${uri} failed`, err);
      throw new ResponseError(ErrorCodes.InternalError, `${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}

/** The error boundary of the requests that are about no document. */
function guarded<A extends unknown[], R>(name: string, handler: (...args: A) => R | Promise<R>) {
  return async (...args: A): Promise<R> => {
    try {
      return await handler(...args);
    } catch (err) {
      if (err instanceof ResponseError) throw err;
      log.error(`${name} failed`, err);
      throw new ResponseError(ErrorCodes.InternalError, `${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const caps = params.capabilities;
  pull = !!caps.textDocument?.diagnostic;
  settings.enable(!!caps.workspace?.configuration);
  log.follow(params.trace);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      ...(pull ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } : {}),
      inlayHintProvider: true,
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, RECALCULATE_KIND] },
      completionProvider: { triggerCharacters: ['<', '>', '/'], resolveProvider: true },
      hoverProvider: true,
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      documentFormattingProvider: true,
      documentRangeFormattingProvider: true,
    },
    serverInfo: { name: 'xero-invoice-language-server', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  connection.client.register(DidChangeConfigurationNotification.type, { section: 'xeroInvoice' }).catch((err: unknown) => log.warn(`Registering for configuration changes failed: ${describe(err)}`));
  // The schemas (tens of milliseconds to load) are read now, not when the first document waits for its diagnostics.
  setImmediate(() => {
    try {
      contentModelFor();
    } catch (err) {
      log.error('Loading the schemas failed', err);
    }
  });
});

connection.onDidOpenTextDocument((p) => {
  const item = p.textDocument as Partial<typeof p.textDocument> | undefined;
  const uri = item?.uri;
  const version = item?.version;
  const text = item?.text;
  if (typeof uri !== 'string' || typeof text !== 'string' || typeof version !== 'number' || !Number.isSafeInteger(version)) {
    log.warn(`Ignored a malformed didOpen: ${JSON.stringify({ uri, version, text: typeof text })}`);
    return;
  }
  const opening = { closed: false };
  openings.set(uri, opening);
  return inOrder(uri, 'Opening', async () => {
    const s = await settings.forDocument(uri);
    const configuration = configurationChanges;
    const doc = await store.open(uri, version, text, s, () => opening.closed);
    if (openings.get(uri) === opening) openings.delete(uri);
    if (!doc) return log.debug(() => `Stopped opening ${uri}: it was closed first.`);
    log.debug(() => `Opened ${uri} (version ${version}, ${text.length} characters, ${doc.analysis.invoiceCount} invoices).`);
    // New settings arrived while the document was being read: it was not among the open ones yet.
    if (configuration !== configurationChanges) store.configure(doc, await settings.forDocument(uri));
    scheduler.schedule(doc, 'open');
    afterBigDocument(text.length);
  });
});

connection.onDidChangeTextDocument((p) => {
  const uri = p.textDocument?.uri;
  const version = p.textDocument?.version;
  if (typeof uri !== 'string' || typeof version !== 'number' || !Number.isSafeInteger(version) || !Array.isArray(p.contentChanges)) {
    log.warn(`Ignored a malformed didChange: ${JSON.stringify({ uri, version, changes: Array.isArray(p.contentChanges) ? p.contentChanges.length : typeof p.contentChanges })}`);
    return;
  }
  return inOrder(uri, 'A change', () => {
    const doc = store.get(uri);
    if (!doc) return log.warn(`Ignored a change to ${uri}, which is not open.`);
    if (version <= doc.version) return log.warn(`Ignored a change to ${uri} to version ${version}: it is at version ${doc.version} already.`);
    try {
      if (doc.change(version, p.contentChanges) === 'full') {
        afterFullReading(doc.textDocument.length);
        log.debug(() => {
          const { invoices, unread } = doc.analysis.lastReading;
          return `Read ${uri} again in full (version ${version}, ${invoices} invoices, ${unread} of them unchanged and not read again): the edit could change how more than the invoice it falls in reads.`;
        });
      }
    } catch (err) {
      if (!(err instanceof InvalidChange)) throw err;
      return log.warn(`Ignored a change to ${uri} (version ${version}): ${err.message}. The document stays at version ${doc.version}.`);
    }
    scheduler.schedule(doc, 'change');
  });
});

connection.onDidSaveTextDocument((p) =>
  inOrder(p.textDocument.uri, 'Saving', () => {
    const doc = store.get(p.textDocument.uri);
    if (!doc) return;
    doc.saved();
    scheduler.schedule(doc, 'save');
  }),
);

connection.onDidCloseTextDocument((p) => {
  // A document still being read stops being read at its next slice.
  const opening = openings.get(p.textDocument.uri);
  if (opening) opening.closed = true;
  return inOrder(p.textDocument.uri, 'Closing', () => {
    const uri = p.textDocument.uri;
    store.close(uri);
    settings.forget(uri);
    scheduler.forget(uri);
    queues.delete(uri);
  });
});

connection.onDidChangeConfiguration(async () => {
  configurationChanges++;
  try {
    settings.forget();
    for (const doc of store.all()) {
      if (store.configure(doc, await settings.forDocument(doc.uri))) scheduler.schedule(doc, 'settings');
    }
    connection.languages.inlayHint.refresh().catch((err: unknown) => log.warn(`Inlay hint refresh failed: ${describe(err)}`));
    connection.sendRequest('workspace/codeLens/refresh').catch((err: unknown) => log.warn(`Code lens refresh failed: ${describe(err)}`));
  } catch (err) {
    log.error('Applying new settings failed', err);
  }
});

/** How long a pull for a document not yet open waits for its didOpen. */
const OPEN_WAIT_MS = 5000;

connection.languages.diagnostics.on(
  request('Diagnostics', async (p, token) => {
    const doc = store.get(p.textDocument.uri) ?? (await store.whenOpen(p.textDocument.uri, OPEN_WAIT_MS));
    // Every answer carries a result id: the client tells the server's answers from the empty reports it makes up
    // when a request goes unanswered (client/src/pull-diagnostics.ts).
    if (!doc) return { kind: DocumentDiagnosticReportKind.Full, resultId: 'not-open', items: [] };
    const report = await scheduler.report(doc, token);
    return { kind: DocumentDiagnosticReportKind.Full, resultId: `v${report.version}`, items: report.items };
  }),
);
connection.languages.inlayHint.on(request('Inlay hints', (p) => inlayHints(store, p)));
connection.onCodeLens(request('Code lenses', (p) => codeLenses(store, p)));
connection.onCodeAction(request('Code actions', (p) => codeActions(store, p)));
connection.onCompletion(request('Completion', (p) => complete(store, p)));
connection.onCompletionResolve(guarded('Completion resolve', (item) => resolveCompletion(store, item)));
connection.onHover(request('Hover', (p) => hover(store, p)));
connection.onDocumentSymbol(request('Symbols', (p) => documentSymbols(store, p.textDocument.uri)));
connection.onFoldingRanges(request('Folding', (p) => foldingRanges(store, p.textDocument.uri)));
connection.onDocumentFormatting(request('Formatting', (p) => formatDocument(store, p)));
connection.onDocumentRangeFormatting(request('Range formatting', (p) => formatRange(store, p)));

connection.onRequest(
  InvoiceAtRequest,
  request('Invoice at', (p) => invoiceAt(store, p.textDocument.uri, (doc) => doc.textDocument.offsetAt(p.position))),
);
connection.onRequest(AllInvoicesRequest, request('All invoices', (p) => allInvoices(store, p.textDocument.uri)));
connection.onRequest(
  ApplyServerResultsRequest,
  request('Applying the endpoint results', (p) => {
    const r = applyServerResults(store, p);
    // With edits to write back, the client's edit brings fresh diagnostics; refreshing now would show the
    // endpoint's verdicts at the positions of the text before that edit.
    const doc = store.get(p.textDocument.uri);
    if (doc && r.edits.length === 0) scheduler.schedule(doc, 'verdicts');
    return r;
  }),
);
connection.onRequest(PreviewRequest, request('Preview', (p) => invoicePreview(store, p.textDocument.uri, store.get(p.textDocument.uri)?.textDocument.offsetAt(p.position) ?? 0)));
connection.onNotification(OrganisationNotification, (lists) => {
  if (!lists || typeof lists !== 'object') return log.warn('Ignored malformed organisation lists.');
  store.endpointLists = { ...store.endpointLists, ...lists };
});

tuneServerProcess();
process.on('uncaughtException', (err) => log.error('Uncaught exception in the language server', err));
process.on('unhandledRejection', (err) => log.error('Unhandled rejection in the language server', err));

connection.listen();
