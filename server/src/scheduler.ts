import { performance } from 'node:perf_hooks';
import type { Connection } from 'vscode-languageserver';
import { CheckCancelled, type Cancellation, type CheckResult } from './engine';
import type { OpenDocument, Report } from './documents';
import { computeDiagnostics } from './features/diagnostics';
import { SLICE_MS, yieldToEvents } from './slices';
import type { Logger } from './log';

/** A check longer than this is logged (DESIGN: a time budget per validation). */
const BUDGET_MS = 250;

/** Why a document's diagnostics may have to be reported again. */
export type Cause = 'open' | 'change' | 'save' | 'settings' | 'verdicts';

/**
 * The one scheduler of diagnostics, for pull and push alike. A pull is answered as soon as the check of the
 * newest version is done (the client already pulls on each change and cancels superseded pulls); pushes are
 * debounced (`validate.debounceMs`), the only place where waiting saves work. Under the `onSave` trigger both
 * report what the last save (or the opening) showed until the next save.
 */
export class DiagnosticsScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Per document, the generation of the latest push: an older one still running gives up. */
  private readonly generation = new Map<string, number>();

  constructor(
    private readonly connection: Connection,
    private readonly log: Logger,
    private readonly pull: () => boolean,
  ) {}

  /**
   * The diagnostics to report for the document's newest version (or its saved one under onSave). Throws
   * CheckCancelled when the token is cancelled first.
   */
  async report(doc: OpenDocument, token?: Cancellation): Promise<Report> {
    for (;;) {
      const last = doc.lastReport();
      if (last && (last.version === doc.version || doc.reportsSavedVersion)) return last;
      const version = doc.version;
      const started = performance.now();
      const result = await this.checked(doc, token);
      if (doc.closed) throw new CheckCancelled();
      // A newer version arrived while the check yielded: answer that one.
      if (doc.version !== version) continue;
      const report = { version, items: computeDiagnostics(doc.textDocument, result, doc.liveVerdicts(result), doc.settings.silencedCodes) };
      doc.remember(report);
      const took = performance.now() - started;
      if (took > BUDGET_MS) this.log.info(`Checking ${doc.uri} (version ${version}) took ${took.toFixed(0)} ms.`);
      else this.log.debug(() => `Checked ${doc.uri} (version ${version}) in ${took.toFixed(1)} ms: ${report.items.length} diagnostics.`);
      return report;
    }
  }

  /** The engine's result, computed invoice by invoice in time slices. */
  private async checked(doc: OpenDocument, token: Cancellation | undefined): Promise<CheckResult> {
    for (;;) {
      if (token?.isCancellationRequested || doc.closed) throw new CheckCancelled();
      if (doc.hasResult) return doc.result();
      const deadline = performance.now() + SLICE_MS;
      const slice: Cancellation = {
        get isCancellationRequested() {
          return !!token?.isCancellationRequested || performance.now() > deadline;
        },
      };
      if (doc.analysis.checkPending(slice)) return doc.result();
      await yieldToEvents();
    }
  }

  /** Something happened to a document: push its diagnostics (debounced), or ask a pulling client to pull again. */
  schedule(doc: OpenDocument, cause: Cause): void {
    const onSave = doc.settings.validate.trigger === 'onSave';
    if (this.pull()) {
      // The client pulls after opening and each change itself.
      if (cause === 'settings' || cause === 'verdicts' || (cause === 'save' && onSave)) this.refresh();
      return;
    }
    if (cause === 'change' && onSave) return;
    if (cause === 'save' && !onSave) return;
    clearTimeout(this.timers.get(doc.uri));
    const generation = (this.generation.get(doc.uri) ?? 0) + 1;
    this.generation.set(doc.uri, generation);
    const delay = cause === 'change' || cause === 'save' ? doc.settings.validate.debounceMs : 0;
    this.timers.set(
      doc.uri,
      setTimeout(() => {
        this.timers.delete(doc.uri);
        void this.publish(doc, generation);
      }, delay),
    );
  }

  private async publish(doc: OpenDocument, generation: number): Promise<void> {
    const generations = this.generation;
    const superseded: Cancellation = {
      get isCancellationRequested() {
        return doc.closed || generations.get(doc.uri) !== generation;
      },
    };
    try {
      const report = await this.report(doc, superseded);
      if (!superseded.isCancellationRequested) void this.connection.sendDiagnostics({ uri: doc.uri, version: report.version, diagnostics: report.items });
    } catch (err) {
      if (!(err instanceof CheckCancelled)) this.log.error(`Diagnostics for ${doc.uri} failed`, err);
    }
  }

  refresh(): void {
    this.connection.sendRequest('workspace/diagnostic/refresh').catch((err: unknown) => this.log.warn(`The client refused a diagnostics refresh: ${String(err)}`));
  }

  /** The document closed: no more pushes for it; a pushing client is told it has none. */
  forget(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.generation.delete(uri);
    if (!this.pull()) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }
}

