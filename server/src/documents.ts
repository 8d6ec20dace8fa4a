import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { InvoiceEngine, type CheckResult, type InvoiceDocument, type Cancellation } from './engine';
import { PieceText } from './text-model';
import type { EngineOptions } from './engine';
import type { OrganisationSettings, ServerSettings } from '../../shared/src/settings';

/** The endpoint's verdict on one invoice, kept until that invoice's text changes. */
export interface ServerVerdict {
  /** The invoice's text when the endpoint answered. */
  text: string;
  index: number;
  errors: string[];
  warnings: string[];
}

export interface OpenDocument {
  uri: string;
  /** The text (a piece table the engine slices) and its positions. */
  textDocument: PieceText;
  analysis: InvoiceDocument;
  settings: ServerSettings;
  verdicts: ServerVerdict[];
  /** When the text last changed (for debouncing). */
  changedAt: number;
  /** The version diagnostics reflect under the onSave trigger. */
  savedVersion: number;
  cached?: { version: number; result: CheckResult };
}

export function engineOptions(settings: ServerSettings): EngineOptions {
  const org = settings.organisation;
  const list = <T>(xs: T[]) => (xs.length > 0 ? xs : undefined);
  return {
    region: settings.region,
    taxRates: settings.taxRates,
    organisation: {
      accounts: list(org.accounts),
      taxTypes: list(org.taxTypes),
      trackingCategories: list(org.trackingCategories),
      currencies: list(org.currencies),
    },
  };
}

/**
 * The open documents: their text (with LSP's incremental updates) and the engine's analysis, kept in step. An
 * edit inside one invoice re-checks only that invoice.
 */
export class DocumentStore {
  private readonly docs = new Map<string, OpenDocument>();
  private readonly engines = new Map<string, InvoiceEngine>();
  /** Lists fetched from the endpoint by the client: completion offers them besides the settings' lists. */
  endpointLists: Partial<OrganisationSettings> = {};

  get(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }

  all(): OpenDocument[] {
    return [...this.docs.values()];
  }

  private engine(settings: ServerSettings): InvoiceEngine {
    const options = engineOptions(settings);
    const key = JSON.stringify(options);
    let e = this.engines.get(key);
    if (!e) {
      e = new InvoiceEngine(options);
      this.engines.set(key, e);
    }
    return e;
  }

  open(uri: string, version: number, text: string, settings: ServerSettings): OpenDocument {
    const textDocument = new PieceText(uri, 'xml', version, text);
    const doc: OpenDocument = {
      uri,
      textDocument,
      analysis: this.engine(settings).open(textDocument),
      settings,
      verdicts: [],
      changedAt: Date.now(),
      savedVersion: version,
    };
    this.docs.set(uri, doc);
    return doc;
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): OpenDocument | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    const edits = doc.textDocument.update(changes, version);
    doc.analysis.update(edits, doc.textDocument);
    doc.changedAt = Date.now();
    doc.cached = undefined;
    return doc;
  }

  close(uri: string): void {
    this.docs.delete(uri);
  }

  /** New settings for a document: a new engine configuration, so the analysis starts over. */
  configure(doc: OpenDocument, settings: ServerSettings): void {
    if (JSON.stringify(settings) === JSON.stringify(doc.settings)) return;
    doc.settings = settings;
    doc.analysis = this.engine(settings).open(doc.textDocument);
    doc.cached = undefined;
  }

  /** The engine's result for the document's current version (computed once per version). */
  result(doc: OpenDocument, token?: Cancellation): CheckResult {
    const version = doc.textDocument.version;
    if (doc.cached?.version === version) return doc.cached.result;
    const result = doc.analysis.result(token);
    doc.cached = { version, result };
    return result;
  }
}
