import { byPosition, capDiagnostics, diagnostic, type EngineDiagnostic } from './diagnostics';
import { checkLocatedInvoice, type DocumentSummary, type InvoiceCheck, type InvoiceCheckContext } from './invoice/check';
import { detectDialect, findInvoices, invoiceDialect, type Dialect, type InvoiceElement } from './invoice/dialect';
import type { ResolvedOptions } from './invoice/options';
import { checkDuplicateNumbers, type NumberedDocument } from './invoice/rules/numbers';
import type { ElementDecl } from './schema/model';
import { contentModelFor, schemaFor } from './schema/registry';
import { parseXml } from './xml/parse';
import { elementAt, type XmlDocument, type XmlElement } from './xml/tree';
import type { TextSource } from './text-source';
import { encodingMismatch, unknownDocument } from './wrapper-checks';
import { lastStartingAtOrBefore, rangeIndexAt } from './ranges';

/**
 * A copy of a string that shares nothing with the text it was cut from. A substring of a 10 MB text keeps the
 * whole text alive; a check that outlives its text version (it is reused while its invoice is unchanged) must not.
 */
function detached(s: string): string {
  return s.length === 0 ? s : (' ' + s).slice(1);
}

/** The check's strings (summary, messages, data) as detached copies: the check is kept across text versions. */
function detachCheck(check: InvoiceCheck): void {
  const summary = check.summary as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(summary)) if (typeof v === 'string') summary[k] = detached(v);
  for (const d of check.diagnostics) {
    d.message = detached(d.message);
    if (d.data) for (const [k, v] of Object.entries(d.data)) if (typeof v === 'string') d.data[k] = detached(v);
  }
}

/** The index of the first diagnostic (of a list sorted by position) starting at or after `offset`. */
function firstStartingAtOrAfter(list: readonly EngineDiagnostic[], offset: number): number {
  return lastStartingAtOrBefore(list.length, (i) => list[i].start, offset - 1) + 1;
}

export interface CheckedDocument extends DocumentSummary {
  /** The invoice element's range in the text. */
  start: number;
  end: number;
}

export interface CheckResult {
  dialect: Dialect;
  diagnostics: EngineDiagnostic[];
  documents: CheckedDocument[];
  /**
   * The tree of the last full parse (invoices re-parsed on their own since are not in it). After a one-shot
   * InvoiceEngine.check the invoices' elements are kept without their content: use open(text).result() to read
   * the invoices themselves.
   */
  xml: XmlDocument;
  /** How many invoices were checked for this result (the rest were known from before). */
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

/** An edit, in offsets of the text before it (as LSP incremental changes are, applied one after the other). */
export interface TextChange {
  start: number;
  end: number;
  text: string;
}

/** A located element: its offsets in the document are `origin +` the element's own offsets. */
export interface Located {
  element: XmlElement;
  origin: number;
  /** The index of the invoice it belongs to, or -1 outside invoices. */
  invoice: number;
}

/**
 * One invoice of the document. Its element's offsets are in "tree coordinates": the document offset is
 * `origin + offset`, so an edit elsewhere moves the origin, never the elements.
 */
interface Chunk {
  target: InvoiceElement;
  decl: ElementDecl | undefined;
  origin: number;
  /** Parse problems inside this invoice, in tree coordinates. */
  problems: EngineDiagnostic[];
  check?: InvoiceCheck;
  /** The invoice's own text when it was re-parsed on its own (otherwise it is in the last fully parsed text). */
  source?: string;
  /** The summary as results list it (its start/end follow the origin). */
  document?: CheckedDocument;
  /** What duplicate-number checking looks at, to know when to check again. */
  numberKey?: string;
}

/** Problems the tolerant parser reports when the structure it recovered is a guess. */
export const STRUCTURAL_PROBLEMS: ReadonlySet<string> = new Set([
  'xml-unclosed-element', 'xml-stray-end-tag', 'xml-mismatched-end-tag', 'xml-multiple-roots',
  'xml-text-outside-root', 'xml-empty-document', 'xml-too-deep', 'xml-unterminated', 'xml-malformed-tag',
]);

function shiftCheck(check: InvoiceCheck, by: number): InvoiceCheck {
  if (by === 0) return check;
  return {
    summary: check.summary,
    diagnostics: check.diagnostics.map((d) => ({ ...d, start: d.start + by, end: d.end + by })),
    numberStart: check.numberStart + by,
    numberEnd: check.numberEnd + by,
  };
}

/**
 * A document being edited. An edit inside one invoice re-parses and re-checks that invoice alone; anything else
 * (the wrapper, the structure, the dialect) re-parses the whole text and reuses the checks of every invoice whose
 * text did not change.
 */
export class InvoiceDocument {
  /** The current text: a string, or an editor's text source (sliced, never copied whole, on incremental edits). */
  private current: string | TextSource;
  private xml!: XmlDocument;
  private _dialect: Dialect = 'unknown';
  private chunks: Chunk[] = [];
  /** Diagnostics outside invoices (wrapper schema, prolog, encoding), in document offsets. */
  private wrapper: EngineDiagnostic[] = [];
  /** The wrapper's tree no longer matches the text (an invoice was re-parsed on its own). */
  private wrapperStale = false;
  private inResponse = false;
  private checkedSinceResult = 0;
  /** Duplicate-number diagnostics in tree coordinates of their invoice; undefined when they must be recomputed. */
  private duplicates: { index: number; diagnostic: EngineDiagnostic }[] | undefined;
  /**
   * The last result's lists, kept up to date edit by edit: an edit inside one invoice replaces that invoice's
   * entries and shifts the offsets after it, so 5,000 invoices are not walked because one changed. The
   * diagnostics (sorted, duplicate numbers apart) are copies owned here. Undefined after a full parse.
   */
  private assembled: { diagnostics: EngineDiagnostic[]; documents: CheckedDocument[]; pending: Set<number> } | undefined;

  constructor(
    readonly options: ResolvedOptions,
    text: string | TextSource,
    private readonly schemasDirectory?: string,
  ) {
    this.current = text;
    this.fullParse(undefined);
  }

  get text(): string {
    return typeof this.current === 'string' ? this.current : this.current.toString();
  }

  get dialect(): Dialect {
    return this._dialect;
  }

  get invoiceCount(): number {
    return this.chunks.length;
  }

  /**
   * Applies edits; returns how the document was brought up to date. An editor passes its own text source holding
   * the text after the edits: then a single edit inside an invoice slices only that invoice.
   */
  update(changes: readonly TextChange[], after?: TextSource): 'incremental' | 'full' {
    if (after) {
      const change = changes.length === 1 ? changes[0] : undefined;
      this.current = after;
      if (change && this.tryIncremental(change, after)) return 'incremental';
      this.fullParse(this.previousChecks());
      return 'full';
    }
    let text = this.text;
    let incremental = true;
    for (const change of changes) {
      text = text.slice(0, change.start) + change.text + text.slice(change.end);
      if (incremental && this.tryIncremental(change, text)) continue;
      incremental = false;
    }
    this.current = text;
    if (incremental) return 'incremental';
    this.fullParse(this.previousChecks());
    return 'full';
  }

  /** Replaces the whole text. */
  replace(text: string | TextSource): void {
    const previous = this.previousChecks();
    this.current = text;
    this.fullParse(previous);
  }

  result(token?: Cancellation): CheckResult {
    if (this.assembled) return this.updatedResult(token);
    const report = this._dialect !== 'unknown' || this.options.reportUnknownDocuments;
    const diagnostics: EngineDiagnostic[] = report ? this.wrapper.map((d) => ({ ...d })) : [];
    const documents: CheckedDocument[] = [];
    if (this._dialect !== 'unknown') {
      const ctx = this.context();
      for (const chunk of this.chunks) {
        if (!chunk.check) {
          if (token?.isCancellationRequested) throw new CheckCancelled();
          this.checkChunk(chunk, ctx);
        }
        this.chunkDiagnostics(chunk, diagnostics);
        documents.push(this.placed(chunk));
      }
      diagnostics.sort(byPosition);
      this.assembled = { diagnostics, documents, pending: new Set() };
    }
    return this.finish(diagnostics, documents);
  }

  /** The kept lists with the invoices edited since brought up to date. */
  private updatedResult(token: Cancellation | undefined): CheckResult {
    const a = this.assembled!;
    if (a.pending.size > 0) {
      const ctx = this.context();
      for (const k of [...a.pending].sort((x, y) => x - y)) {
        const chunk = this.chunks[k];
        if (!chunk.check) {
          if (token?.isCancellationRequested) throw new CheckCancelled();
          this.checkChunk(chunk, ctx);
        }
        const fresh: EngineDiagnostic[] = [];
        this.chunkDiagnostics(chunk, fresh);
        fresh.sort(byPosition);
        const at = firstStartingAtOrAfter(a.diagnostics, chunk.origin + chunk.target.element.start);
        a.diagnostics.splice(at, 0, ...fresh);
        a.documents[k] = this.placed(chunk);
        a.pending.delete(k);
      }
    }
    return this.finish(a.diagnostics, a.documents);
  }

  /** An invoice's parse problems and check diagnostics, as copies in document offsets. */
  private chunkDiagnostics(chunk: Chunk, into: EngineDiagnostic[]): void {
    const o = chunk.origin;
    for (let i = 0; i < chunk.problems.length; i++) {
      const d = chunk.problems[i];
      into.push({ ...d, start: d.start + o, end: d.end + o });
    }
    const own = chunk.check!.diagnostics;
    for (let i = 0; i < own.length; i++) {
      const d = own[i];
      into.push({ ...d, start: d.start + o, end: d.end + o });
    }
  }

  /** The invoice's summary, at its place now. */
  private placed(chunk: Chunk): CheckedDocument {
    const el = chunk.target.element;
    // The same object each time: only its position moves when an edit before it changes the origin.
    const doc = chunk.document!;
    doc.start = chunk.origin + el.start;
    doc.end = chunk.origin + el.end;
    return doc;
  }

  private finish(diagnostics: EngineDiagnostic[], documents: CheckedDocument[]): CheckResult {
    let all = diagnostics;
    if (this._dialect !== 'unknown') {
      const duplicates = this.duplicateNumbers();
      if (duplicates.length > 0) all = [...diagnostics, ...duplicates].sort(byPosition);
    }
    const checkedInvoices = this.checkedSinceResult;
    this.checkedSinceResult = 0;
    return { dialect: this._dialect, diagnostics: capDiagnostics(all), documents, xml: this.xml, checkedInvoices };
  }

  /**
   * The kept lists after invoice `k` (at [start, end) before the edit) was re-parsed and moved what follows it
   * by `delta`: its entries go (they come back when it is checked), the later ones shift.
   */
  private editedInvoice(k: number, start: number, end: number, delta: number): void {
    const a = this.assembled;
    if (!a) return;
    const list = a.diagnostics;
    const from = firstStartingAtOrAfter(list, start);
    const to = firstStartingAtOrAfter(list, end);
    list.splice(from, to - from);
    if (delta !== 0) {
      for (let i = from; i < list.length; i++) {
        list[i].start += delta;
        list[i].end += delta;
      }
      for (let i = k + 1; i < a.documents.length; i++) {
        a.documents[i].start += delta;
        a.documents[i].end += delta;
      }
    }
    a.pending.add(k);
  }

  /**
   * Checks the invoices not checked yet, at least one, until the token asks to stop: an editor's check runs in
   * slices this way, with edits and cancellations handled in between. True when every invoice is checked.
   */
  checkPending(token?: Cancellation): boolean {
    if (this._dialect === 'unknown') return true;
    let ctx: InvoiceCheckContext | undefined;
    for (const chunk of this.chunks) {
      if (chunk.check) continue;
      this.checkChunk(chunk, (ctx ??= this.context()));
      if (token?.isCancellationRequested) return false;
    }
    return true;
  }

  private checkChunk(chunk: Chunk, ctx: InvoiceCheckContext = this.context()): void {
    chunk.check = checkLocatedInvoice(chunk.target, chunk.decl, ctx);
    this.checkedSinceResult++;
    detachCheck(chunk.check);
    const s = chunk.check.summary;
    chunk.document = { ...s, start: 0, end: 0 };
    const key = `${s.kind}|${s.type}|${s.purpose === 'statusChange'}|${s.number?.toLowerCase() ?? ''}`;
    if (key !== chunk.numberKey) this.duplicates = undefined;
    chunk.numberKey = key;
  }

  /** Duplicate ACCREC numbers, recomputed only when an invoice's number (or kind, type, purpose) changed. */
  private duplicateNumbers(): EngineDiagnostic[] {
    if (!this.duplicates) {
      const numbered: NumberedDocument[] = this.chunks.map((c) => ({
        kind: c.check!.summary.kind,
        type: c.check!.summary.type,
        number: c.check!.summary.number,
        numberStart: c.check!.numberStart,
        numberEnd: c.check!.numberEnd,
        checked: c.check!.summary.purpose !== 'statusChange',
      }));
      this.duplicates = checkDuplicateNumbers(numbered);
    }
    // The number's place comes from the invoice's current check: an edit elsewhere in it moves the number.
    return this.duplicates.map(({ index, diagnostic: d }) => {
      const c = this.chunks[index];
      return { ...d, start: c.origin + c.check!.numberStart, end: c.origin + c.check!.numberEnd };
    });
  }

  /** The innermost element at a document offset, with the origin that turns its offsets into document offsets. */
  locate(offset: number): Located | null {
    const i = this.invoiceIndexAt(offset);
    if (i >= 0) {
      const c = this.chunks[i];
      const el = elementAt(c.target.element, offset - c.origin);
      if (el) return { element: el, origin: c.origin, invoice: i };
    }
    if (this.wrapperStale) this.fullParse(this.previousChecks());
    const el = elementAt(this.xml.root, offset);
    return el ? { element: el, origin: 0, invoice: this.invoiceIndexAt(offset) } : null;
  }

  /** The invoice element whose range holds the offset, or -1. */
  invoiceIndexAt(offset: number): number {
    const chunks = this.chunks;
    return rangeIndexAt(chunks.length, (i) => chunks[i].origin + chunks[i].target.element.start, (i) => chunks[i].origin + chunks[i].target.element.end, offset);
  }

  /** The last invoice starting at or before the offset (whether or not it holds it), or -1. */
  invoiceStartingAtOrBefore(offset: number): number {
    const chunks = this.chunks;
    return lastStartingAtOrBefore(chunks.length, (i) => chunks[i].origin + chunks[i].target.element.start, offset);
  }

  /** The tree of the last full parse (invoices re-parsed on their own since are not in it), without checking. */
  get parsedTree(): XmlDocument {
    return this.xml;
  }

  /** Invoice `i`: its element (tree coordinates), kind and origin. */
  invoice(i: number): { target: InvoiceElement; origin: number } {
    const c = this.chunks[i];
    return { target: c.target, origin: c.origin };
  }

  /** False after an incremental edit: the wrapper's elements (not the invoices) have stale offsets until root(). */
  get wrapperCurrent(): boolean {
    return !this.wrapperStale;
  }

  /** The root element (re-parsing first when an incremental edit left its offsets behind). */
  root(): XmlElement | null {
    if (this.wrapperStale) this.fullParse(this.previousChecks());
    return this.xml.root;
  }

  get inResponseDocument(): boolean {
    return this.inResponse;
  }

  private context(): InvoiceCheckContext {
    return {
      dialect: this._dialect,
      inResponse: this.inResponse,
      options: this.options,
      schema: schemaFor(this._dialect as Exclude<Dialect, 'unknown'>, this.schemasDirectory),
    };
  }

  /** Checks of the current invoices by their text, to reuse after a full re-parse. */
  private previousChecks(): Map<string, InvoiceCheck> | undefined {
    if (this.chunks.length === 0) return undefined;
    const parsed = this.xml.text;
    const m = new Map<string, InvoiceCheck>();
    for (const c of this.chunks) {
      if (!c.check) continue;
      const el = c.target.element;
      m.set(`${c.target.kind}|${c.source ?? parsed.slice(el.start, el.end)}`, shiftCheck(c.check, -el.start));
    }
    return m;
  }

  private fullParse(previous: Map<string, InvoiceCheck> | undefined): void {
    const text = this.text;
    const xml = parseXml(text, undefined, contentModelFor(this.schemasDirectory));
    this.xml = xml;
    this.wrapperStale = false;
    this.assembled = undefined;
    const dialect = detectDialect(xml.root);
    this._dialect = dialect;
    this.chunks = [];
    this.wrapper = [];
    this.inResponse = xml.root?.name === 'Response' || xml.root?.name === 'ApiException';
    const known = dialect !== 'unknown';
    if (!known && !this.options.reportUnknownDocuments) return;
    const invoices = known ? xml.roots.flatMap((r) => findInvoices(r, dialect)) : [];
    this.chunks = invoices.map((target) => ({ target, decl: undefined, origin: 0, problems: [] }));
    this.duplicates = undefined;
    for (const p of xml.problems) {
      const d = diagnostic(p.code, p.message, p.start, p.end, undefined, p.severity);
      const i = this.invoiceIndexAt(p.start);
      if (i >= 0) this.chunks[i].problems.push(d);
      else this.wrapper.push(d);
    }
    this.checkEncoding(xml);
    if (!known) {
      if (xml.root) this.wrapper.push(unknownDocument(xml.root));
      return;
    }
    const schema = schemaFor(dialect, this.schemasDirectory);
    const byElement = new Map<XmlElement, Chunk>(this.chunks.map((c) => [c.target.element, c]));
    for (const r of xml.roots) {
      for (const d of schema.validateDocument(r, this.wrapper, (el) => byElement.has(el))) byElement.get(d.element)!.decl = d.decl;
    }
    if (previous) {
      for (const c of this.chunks) {
        const el = c.target.element;
        const hit = previous.get(`${c.target.kind}|${text.slice(el.start, el.end)}`);
        if (hit) {
          c.check = shiftCheck(hit, el.start);
          c.document = { ...hit.summary, start: 0, end: 0 };
        }
      }
    }
  }

  private tryIncremental(change: TextChange, next: string | TextSource): boolean {
    if (this._dialect === 'unknown') return false;
    const k = this.invoiceIndexAt(change.start);
    if (k < 0) return false;
    const chunk = this.chunks[k];
    const el = chunk.target.element;
    const o = chunk.origin;
    if (el.unclosed || el.selfClosing || change.start < o + el.openEnd || change.end > o + el.closeStart) return false;
    if (chunk.problems.some((p) => STRUCTURAL_PROBLEMS.has(p.code))) return false;
    const delta = change.text.length - (change.end - change.start);
    const start = o + el.start;
    // Its own copy: a slice of the editor's text would keep that whole version alive with the invoice's tree.
    const slice = detached(next.slice(start, o + el.end + delta));
    const sub = parseXml(slice, undefined, contentModelFor(this.schemasDirectory));
    const root = sub.root;
    if (!root || sub.roots.length !== 1 || root.name !== el.name || root.unclosed || root.end !== slice.length) return false;
    if (sub.problems.some((p) => STRUCTURAL_PROBLEMS.has(p.code))) return false;
    if (root.name === 'Invoice' && invoiceDialect(root) !== this._dialect) return false;
    this.editedInvoice(k, start, o + el.end, delta);
    this.chunks[k] = {
      target: { element: root, kind: chunk.target.kind },
      decl: chunk.decl,
      origin: start,
      problems: sub.problems.map((p) => diagnostic(p.code, p.message, p.start, p.end, undefined, p.severity)),
      source: slice,
      numberKey: chunk.numberKey,
    };
    for (let i = k + 1; i < this.chunks.length; i++) this.chunks[i].origin += delta;
    this.wrapper = this.wrapper.map((d) => (d.start >= change.end ? { ...d, start: d.start + delta, end: d.end + delta } : d));
    this.wrapperStale = true;
    return true;
  }

  private checkEncoding(xml: XmlDocument): void {
    const d = encodingMismatch(xml, this.options.sourceEncoding);
    if (d) this.wrapper.push(d);
  }
}
