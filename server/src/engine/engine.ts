import { byPosition, diagnostic, type EngineDiagnostic } from './diagnostics';
import { checkInvoice, type DocumentSummary, type InvoiceCheck } from './invoice/check';
import { detectDialect, findInvoices, type Dialect } from './invoice/dialect';
import { resolveOptions, type EngineOptions, type ResolvedOptions } from './invoice/options';
import { checkDuplicateNumbers } from './invoice/rules/numbers';
import { schemaFor } from './schema/registry';
import { parseXml } from './xml/parse';
import type { XmlDocument, XmlElement } from './xml/tree';
import type { ElementDecl } from './schema/model';

export interface CheckedDocument extends DocumentSummary {
  /** The invoice element's range in the text. */
  start: number;
  end: number;
}

export interface CheckResult {
  dialect: Dialect;
  diagnostics: EngineDiagnostic[];
  documents: CheckedDocument[];
  xml: XmlDocument;
  /** How many invoices were re-checked (the rest came from the cache). */
  checkedInvoices: number;
}

export interface Cancellation {
  readonly isCancellationRequested: boolean;
}

export class CheckCancelled extends Error {
  constructor() {
    super('check cancelled');
  }
}

interface CachedCheck {
  /** Offsets relative to the invoice element's start. */
  check: InvoiceCheck;
}

function shift(check: InvoiceCheck, by: number): InvoiceCheck {
  if (by === 0) return check;
  return {
    summary: check.summary,
    diagnostics: check.diagnostics.map((d) => ({ ...d, start: d.start + by, end: d.end + by })),
    numberStart: check.numberStart + by,
    numberEnd: check.numberEnd + by,
  };
}

function normalizeEncoding(e: string): string {
  return e.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * The invoice engine: text in, plain diagnostics and computed figures out. It knows nothing of editors, LSP or
 * HTTP. One instance keeps a cache of per-invoice results keyed by the invoice's text, so re-checking a
 * document where one invoice changed re-checks only that invoice.
 */
export class InvoiceEngine {
  readonly options: ResolvedOptions;
  private cache = new Map<string, CachedCheck>();

  /**
   * @param cache keep per-invoice results between checks (an editor re-checking as the user types); a one-shot
   *   check (the CLI) skips the bookkeeping.
   */
  constructor(options: EngineOptions = {}, private readonly cacheResults = false, private readonly schemasDirectory?: string) {
    this.options = resolveOptions(options);
  }

  check(text: string, token?: Cancellation): CheckResult {
    const xml = parseXml(text);
    const dialect = detectDialect(xml.root);
    const diagnostics: EngineDiagnostic[] = [];
    const documents: CheckedDocument[] = [];
    const known = dialect !== 'unknown';
    if (known || this.options.reportUnknownDocuments) {
      for (const p of xml.problems) diagnostics.push(diagnostic(p.code, p.message, p.start, p.end));
      this.checkEncoding(xml, diagnostics);
    }
    if (!known) {
      if (this.options.reportUnknownDocuments && xml.root) {
        diagnostics.push(
          diagnostic(
            'unknown-document',
            `<${xml.root.name}> is not a Xero invoice document (Invoice, Invoices, CreditNote, CreditNotes, Response, ApiException): nothing was checked.`,
            xml.root.start,
            xml.root.nameEnd,
          ),
        );
      }
      return { dialect, diagnostics: diagnostics.sort(byPosition), documents, xml, checkedInvoices: 0 };
    }
    const root = xml.root!;
    const schema = schemaFor(dialect, this.schemasDirectory);
    // A second root is itself an error, but the invoices in it are still checked and totalled.
    const invoices = xml.roots.flatMap((r) => findInvoices(r, dialect));
    const invoiceSet = new Set(invoices.map((i) => i.element));
    const declOf = new Map<XmlElement, ElementDecl>();
    for (const r of xml.roots) {
      for (const d of schema.validateDocument(r, diagnostics, (el) => invoiceSet.has(el))) declOf.set(d.element, d.decl);
    }
    const inResponse = root.name === 'Response' || root.name === 'ApiException';
    const ctx = { dialect, inResponse, options: this.options, schema };
    const nextCache = new Map<string, CachedCheck>();
    const numbered = [];
    let checkedInvoices = 0;
    for (const target of invoices) {
      if (token?.isCancellationRequested) throw new CheckCancelled();
      const el = target.element;
      const decl = declOf.get(el);
      const key = this.cacheResults ? `${dialect}|${inResponse ? 1 : 0}|${target.kind}|${text.slice(el.start, el.end)}` : '';
      let cached = this.cacheResults ? (this.cache.get(key) ?? nextCache.get(key)) : undefined;
      let check: InvoiceCheck;
      if (cached) {
        check = shift(cached.check, el.start);
      } else {
        if (!decl) continue;
        check = checkInvoice(target, decl, ctx);
        checkedInvoices++;
        if (this.cacheResults) cached = { check: shift(check, -el.start) };
      }
      if (cached) nextCache.set(key, cached);
      diagnostics.push(...check.diagnostics);
      documents.push({ ...check.summary, start: el.start, end: el.end });
      numbered.push({
        kind: check.summary.kind,
        type: check.summary.type,
        number: check.summary.number,
        numberStart: check.numberStart,
        numberEnd: check.numberEnd,
        checked: check.summary.purpose !== 'statusChange',
      });
    }
    this.cache = nextCache;
    diagnostics.push(...checkDuplicateNumbers(numbered));
    return { dialect, diagnostics: diagnostics.sort(byPosition), documents, xml, checkedInvoices };
  }

  private checkEncoding(xml: XmlDocument, out: EngineDiagnostic[]): void {
    const declared = xml.declaredEncoding;
    const read = this.options.sourceEncoding;
    if (!declared || !read || normalizeEncoding(declared) === normalizeEncoding(read)) return;
    const at = xml.text.indexOf(declared);
    out.push(
      diagnostic(
        'xml-encoding',
        `The XML declaration says encoding="${declared}" but the file is ${read}; declare encoding="${read}" (the API reads the bytes it receives).`,
        Math.max(0, at),
        Math.max(0, at) + declared.length,
      ),
    );
  }
}

/** Checks one text with a fresh engine (no cache carried between calls). */
export function checkText(text: string, options: EngineOptions = {}): CheckResult {
  return new InvoiceEngine(options).check(text);
}
