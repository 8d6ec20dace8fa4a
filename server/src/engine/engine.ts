import { CheckCancelled, InvoiceDocument, type Cancellation, type CheckResult } from './document';
import { checkOnce } from './one-shot';
import { resolveOptions, type EngineOptions, type ResolvedOptions } from './invoice/options';
import type { TextSource } from './text-source';

/**
 * The invoice engine: text in, plain diagnostics and computed figures out. It knows nothing of editors, LSP or
 * HTTP. `check` is a one-shot check (the CLI, the sandbox); `open` keeps a document for an editor, where an edit
 * inside one invoice re-checks that invoice alone.
 */
export class InvoiceEngine {
  readonly options: ResolvedOptions;

  constructor(options: EngineOptions = {}, private readonly schemasDirectory?: string) {
    this.options = resolveOptions(options);
  }

  /** Checks a text once: each invoice is checked as it is parsed and its content let go (see CheckResult.xml). */
  check(text: string, token?: Cancellation): CheckResult {
    if (token?.isCancellationRequested) throw new CheckCancelled();
    return checkOnce(text, this.options, this.schemasDirectory);
  }

  open(text: string | TextSource): InvoiceDocument {
    return new InvoiceDocument(this.options, text, this.schemasDirectory);
  }

  /** open() a slice at a time (see InvoiceDocument.openInSlices). */
  openInSlices(text: string | TextSource, pause: () => boolean): Generator<void, InvoiceDocument, void> {
    return InvoiceDocument.openInSlices(this.options, text, this.schemasDirectory, pause);
  }
}

/** Checks one text with default options (or the given ones). */
export function checkText(text: string, options: EngineOptions = {}): CheckResult {
  return new InvoiceEngine(options).check(text);
}
