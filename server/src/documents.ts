import { createHash } from 'node:crypto';
import type { CompletionItem, Diagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { InvoiceEngine, type CheckResult, type InvoiceDocument, type Cancellation } from './engine';
import { inSlices } from './slices';
import { PieceText } from './text-model';
import type { EngineOptions } from './engine';
import type { OrganisationSettings, ServerSettings } from '../../shared/src/settings';

/**
 * Up to this many changes in one didChange (several cursors) are applied one at a time; more (a replace-all) are
 * applied together, which reads the document again in full once rather than many invoices one by one.
 */
const STEPWISE_CHANGES = 16;

/** The endpoint's verdict on one invoice, kept until that invoice's text changes. */
interface ServerVerdict {
  index: number;
  /**
   * The invoice's text when the endpoint answered, as its length and a digest: a slice of the text would keep
   * that whole version of the document alive.
   */
  length: number;
  digest: string;
  errors: string[];
  warnings: string[];
}

/** A verdict that still holds, where it stands now. */
export interface LiveVerdict {
  start: number;
  end: number;
  errors: string[];
  warnings: string[];
}

/** What was last reported for a document, and for which version. */
export interface Report {
  version: number;
  items: Diagnostic[];
}

function digest(text: string): string {
  return createHash('sha1').update(text).digest('base64');
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
 * One open document and everything the server keeps for it: its text (a piece table), the engine's analysis and
 * its result per version, the endpoint's verdicts, what was last reported, the saved version, the documentation
 * of the completion items last offered. All of it goes in close().
 */
export class OpenDocument {
  readonly textDocument: PieceText;
  private _analysis: InvoiceDocument;
  private _settings: ServerSettings;
  private _savedVersion: number;
  private verdicts: ServerVerdict[] = [];
  private cached: { version: number; result: CheckResult } | undefined;
  private report: Report | undefined;
  private completionDocs: CompletionItem['documentation'][] = [];
  private _closed = false;

  readonly uri: string;

  constructor(textDocument: PieceText, settings: ServerSettings, analysis: InvoiceDocument) {
    this.uri = textDocument.uri;
    this.textDocument = textDocument;
    this._settings = settings;
    this._analysis = analysis;
    this._savedVersion = textDocument.version;
  }

  get version(): number {
    return this.textDocument.version;
  }

  get analysis(): InvoiceDocument {
    return this._analysis;
  }

  get settings(): ServerSettings {
    return this._settings;
  }

  get closed(): boolean {
    return this._closed;
  }

  /**
   * Applies the client's incremental changes (positions already checked) and brings the analysis up to date: from
   * the edited invoice alone, or by reading the whole text again.
   */
  change(version: number, changes: TextDocumentContentChangeEvent[]): 'incremental' | 'full' {
    this.cached = undefined;
    if (changes.length <= 1 || changes.length > STEPWISE_CHANGES) return this._analysis.update(this.textDocument.update(changes, version), this.textDocument);
    // A few changes at once (typing with several cursors): each is one small edit for the engine, which it reads
    // from the invoice it falls in. Once one reads the whole text, the rest go together.
    this.textDocument.check(changes);
    for (let i = 0; i < changes.length; i++) {
      const how = this._analysis.update(this.textDocument.update([changes[i]], version), this.textDocument);
      if (how === 'full') {
        const rest = changes.slice(i + 1);
        if (rest.length > 0) this._analysis.update(this.textDocument.update(rest, version), this.textDocument);
        return 'full';
      }
    }
    return 'incremental';
  }

  /** New settings: a new engine configuration, so the analysis starts over. False when nothing changed. */
  configure(settings: ServerSettings, engine: InvoiceEngine): boolean {
    if (JSON.stringify(settings) === JSON.stringify(this._settings)) return false;
    this._settings = settings;
    this._analysis = engine.open(this.textDocument);
    this.cached = undefined;
    this.report = undefined;
    return true;
  }

  saved(): void {
    this._savedVersion = this.version;
  }

  /** Under the onSave trigger, what is reported stays as it was at the last save (or the opening). */
  get reportsSavedVersion(): boolean {
    return this._settings.validate.trigger === 'onSave' && this._savedVersion !== this.version && this.report !== undefined;
  }

  /** The engine's result for the current version (each invoice checked once per content). */
  result(token?: Cancellation): CheckResult {
    const version = this.version;
    if (this.cached?.version === version) return this.cached.result;
    const result = this._analysis.result(token);
    this.cached = { version, result };
    return result;
  }

  /** Has the current version's result been computed already? */
  get hasResult(): boolean {
    return this.cached?.version === this.version;
  }

  lastReport(): Report | undefined {
    return this.report;
  }

  remember(report: Report): void {
    this.report = report;
  }

  /** Records the endpoint's answer on invoice `index` (no errors or warnings: the invoice is clean again). */
  setVerdict(index: number, errors: string[], warnings: string[]): void {
    this.verdicts = this.verdicts.filter((v) => v.index !== index);
    this.report = undefined;
    const d = this.result().documents[index];
    if (!d || errors.length + warnings.length === 0) return;
    const text = this.textDocument.slice(d.start, d.end);
    this.verdicts.push({ index, length: text.length, digest: digest(text), errors, warnings });
  }

  /** The verdicts whose invoice is unchanged since the endpoint answered; the others are dropped for good. */
  liveVerdicts(result: CheckResult): LiveVerdict[] {
    if (this.verdicts.length === 0) return [];
    const live: LiveVerdict[] = [];
    const same = (v: ServerVerdict, i: number) => {
      const d = result.documents[i];
      return !!d && d.end - d.start === v.length && digest(this.textDocument.slice(d.start, d.end)) === v.digest;
    };
    this.verdicts = this.verdicts.filter((v) => {
      // An invoice added or removed before it moves its index: look for it by its text then.
      let i = v.index;
      if (!same(v, i)) i = result.documents.findIndex((d, k) => d.end - d.start === v.length && same(v, k));
      if (i < 0) return false;
      v.index = i;
      const d = result.documents[i];
      live.push({ start: d.start, end: d.end, errors: v.errors, warnings: v.warnings });
      return true;
    });
    return live;
  }

  /** Documentation of the completion items last offered (sent on completionItem/resolve only). */
  offerCompletionDocs(docs: CompletionItem['documentation'][]): void {
    this.completionDocs = docs;
  }

  completionDoc(i: number): CompletionItem['documentation'] {
    return this.completionDocs[i];
  }

  close(): void {
    this._closed = true;
    this.verdicts = [];
    this.cached = undefined;
    this.report = undefined;
    this.completionDocs = [];
  }
}

/** The open documents, and what all of them share: engines per configuration, the endpoint's lists. */
export class DocumentStore {
  private readonly docs = new Map<string, OpenDocument>();
  private readonly engines = new Map<string, InvoiceEngine>();
  private readonly waiting = new Map<string, ((doc: OpenDocument | undefined) => void)[]>();
  /** Lists fetched from the endpoint by the client: completion offers them besides the settings' lists. */
  endpointLists: Partial<OrganisationSettings> = {};

  get(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }

  /**
   * The document once it is open. A client may pull a document's diagnostics before its didOpen reaches the
   * server (or while the opening waits for settings): answering "no problems" then would stand until the next
   * edit. Resolves undefined when it is not opened within `timeoutMs`.
   */
  whenOpen(uri: string, timeoutMs: number): Promise<OpenDocument | undefined> {
    const doc = this.docs.get(uri);
    if (doc) return Promise.resolve(doc);
    return new Promise((resolve) => {
      const list = this.waiting.get(uri) ?? [];
      const done = (d: OpenDocument | undefined) => {
        clearTimeout(timer);
        resolve(d);
      };
      const timer = setTimeout(() => {
        const rest = (this.waiting.get(uri) ?? []).filter((w) => w !== done);
        if (rest.length) this.waiting.set(uri, rest);
        else this.waiting.delete(uri);
        resolve(undefined);
      }, timeoutMs);
      list.push(done);
      this.waiting.set(uri, list);
    });
  }

  all(): OpenDocument[] {
    return [...this.docs.values()];
  }

  engine(settings: ServerSettings): InvoiceEngine {
    const options = engineOptions(settings);
    const key = JSON.stringify(options);
    let e = this.engines.get(key);
    if (!e) {
      e = new InvoiceEngine(options);
      this.engines.set(key, e);
    }
    return e;
  }

  /**
   * Opens a document, read and checked a slice at a time (a big one takes a while): requests about other documents
   * are answered meanwhile. Undefined when `cancelled` says so first (the document was closed).
   */
  async open(uri: string, version: number, text: string, settings: ServerSettings, cancelled: () => boolean): Promise<OpenDocument | undefined> {
    const engine = this.engine(settings);
    const textDocument = new PieceText(uri, 'xml', version, text);
    const analysis = await inSlices((pause) => engine.openInSlices(textDocument, pause), cancelled);
    if (!analysis) return undefined;
    this.docs.get(uri)?.close();
    const doc = new OpenDocument(textDocument, settings, analysis);
    this.docs.set(uri, doc);
    const waiting = this.waiting.get(uri);
    this.waiting.delete(uri);
    for (const w of waiting ?? []) w(doc);
    return doc;
  }

  configure(doc: OpenDocument, settings: ServerSettings): boolean {
    return doc.configure(settings, this.engine(settings));
  }

  close(uri: string): void {
    this.docs.get(uri)?.close();
    this.docs.delete(uri);
  }
}
