import './hosted-engine';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { AllInvoicesRequest, ApplyServerResultsRequest, InvoiceAtRequest, OrganisationNotification } from '../../shared/src/protocol';
import { DocumentStore } from './documents';
import { SettingsReader } from './settings';
import { RECALCULATE_KIND, codeActions } from './features/code-actions';
import { codeLenses } from './features/code-lens';
import { complete, resolveCompletion } from './features/completion';
import { computeDiagnostics, forgetDiagnostics, pullDiagnostics } from './features/diagnostics';
import { foldingRanges } from './features/folding';
import { formatDocument } from './features/formatting';
import { hover } from './features/hover';
import { inlayHints } from './features/inlay-hints';
import { allInvoices, applyServerResults, invoiceAt } from './features/invoice-requests';
import { documentSymbols } from './features/symbols';

// Wiring only: every feature lives in features/ and asks the engine through the document store.
const connection = createConnection(ProposedFeatures.all);
const store = new DocumentStore();
const settings = new SettingsReader(connection);
let pull = false;
const pushTimers = new Map<string, NodeJS.Timeout>();

/**
 * Opening a document waits for its settings; later notifications and requests for that document wait their
 * turn behind it, so they always see the document in the order the client sent its changes.
 */
const queues = new Map<string, Promise<unknown>>();
function inOrder<T>(uri: string, work: () => T | Promise<T>): Promise<T> {
  const next = (queues.get(uri) ?? Promise.resolve()).then(work);
  queues.set(uri, next.catch(() => undefined));
  return next;
}
async function ready(uri: string): Promise<void> {
  await queues.get(uri);
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const caps = params.capabilities;
  pull = !!caps.textDocument?.diagnostic;
  settings.enable(!!caps.workspace?.configuration);
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
    },
    serverInfo: { name: 'xero-invoice-language-server', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  connection.client.register(DidChangeConfigurationNotification.type, { section: 'xeroInvoice' }).catch(() => undefined);
});

/** Push diagnostics for clients without pull support, debounced per document. */
function schedulePush(uri: string): void {
  if (pull) return;
  clearTimeout(pushTimers.get(uri));
  const doc = store.get(uri);
  if (!doc) return;
  pushTimers.set(
    uri,
    setTimeout(() => {
      const current = store.get(uri);
      if (current) connection.sendDiagnostics({ uri, version: current.textDocument.version, diagnostics: computeDiagnostics(store, current) });
    }, doc.settings.validate.debounceMs),
  );
}

connection.onDidOpenTextDocument((p) =>
  inOrder(p.textDocument.uri, async () => {
    const s = await settings.forDocument(p.textDocument.uri);
    store.open(p.textDocument.uri, p.textDocument.version, p.textDocument.text, s);
    schedulePush(p.textDocument.uri);
  }),
);

connection.onDidChangeTextDocument((p) =>
  inOrder(p.textDocument.uri, () => {
    store.change(p.textDocument.uri, p.textDocument.version, p.contentChanges);
    schedulePush(p.textDocument.uri);
  }),
);

connection.onDidSaveTextDocument((p) =>
  inOrder(p.textDocument.uri, () => {
    const doc = store.get(p.textDocument.uri);
    if (!doc) return;
    doc.savedVersion = doc.textDocument.version;
    if (doc.settings.validate.trigger === 'onSave') {
      if (pull) void connection.languages.diagnostics.refresh();
      else schedulePush(p.textDocument.uri);
    }
  }),
);

connection.onDidCloseTextDocument((p) =>
  inOrder(p.textDocument.uri, () => {
    store.close(p.textDocument.uri);
    forgetDiagnostics(p.textDocument.uri);
    settings.forget(p.textDocument.uri);
    queues.delete(p.textDocument.uri);
    if (!pull) connection.sendDiagnostics({ uri: p.textDocument.uri, diagnostics: [] });
  }),
);

connection.onDidChangeConfiguration(async () => {
  settings.forget();
  for (const doc of store.all()) store.configure(doc, await settings.forDocument(doc.uri));
  if (pull) void connection.languages.diagnostics.refresh();
  else for (const doc of store.all()) schedulePush(doc.uri);
  void connection.languages.inlayHint.refresh();
  connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
});

connection.languages.diagnostics.on(async (p, token) => {
  await ready(p.textDocument.uri);
  return pullDiagnostics(store, p.textDocument.uri, token);
});
connection.languages.inlayHint.on(async (p) => (await ready(p.textDocument.uri), inlayHints(store, p)));
connection.onCodeLens(async (p) => (await ready(p.textDocument.uri), codeLenses(store, p)));
connection.onCodeAction(async (p) => (await ready(p.textDocument.uri), codeActions(store, p)));
connection.onCompletion(async (p) => (await ready(p.textDocument.uri), complete(store, p)));
connection.onCompletionResolve((item) => resolveCompletion(item));
connection.onHover(async (p) => (await ready(p.textDocument.uri), hover(store, p)));
connection.onDocumentSymbol(async (p) => (await ready(p.textDocument.uri), documentSymbols(store, p.textDocument.uri)));
connection.onFoldingRanges(async (p) => (await ready(p.textDocument.uri), foldingRanges(store, p.textDocument.uri)));
connection.onDocumentFormatting(async (p) => (await ready(p.textDocument.uri), formatDocument(store, p)));

connection.onRequest(InvoiceAtRequest, async (p) => {
  await ready(p.textDocument.uri);
  return invoiceAt(store, p.textDocument.uri, (doc) => doc.textDocument.offsetAt(p.position));
});
connection.onRequest(AllInvoicesRequest, async (p) => (await ready(p.textDocument.uri), allInvoices(store, p.textDocument.uri)));
connection.onRequest(ApplyServerResultsRequest, async (p) => {
  await ready(p.textDocument.uri);
  const r = applyServerResults(store, p);
  // With edits to write back, the client's edit brings fresh diagnostics; refreshing now would show the
  // endpoint's verdicts at the positions of the text before that edit.
  if (r.edits.length === 0) {
    if (pull) void connection.languages.diagnostics.refresh();
    else schedulePush(p.textDocument.uri);
  }
  return r;
});
connection.onNotification(OrganisationNotification, (lists) => {
  store.endpointLists = { ...store.endpointLists, ...lists };
});

connection.listen();
