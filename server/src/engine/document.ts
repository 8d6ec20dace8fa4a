import { byPosition, capDiagnostics, diagnostic, moved, type EngineDiagnostic } from './diagnostics';
import { checkInvoice, checkLocatedInvoice, placedSummary, shiftCheck, type CheckMemo, type DocumentSummary, type InvoiceCheck, type InvoiceCheckContext } from './invoice/check';
import { detectDialect, dialectHas, findInvoices, invoiceDialect, invoiceKindAt, isResponseRoot, mayHoldInvoices, type Dialect, type DocumentKind, type InvoiceElement } from './invoice/dialect';
import { InvoiceStream } from './invoice-stream';
import type { ResolvedOptions } from './invoice/options';
import { checkDuplicateNumbers, type NumberedDocument } from './invoice/rules/numbers';
import type { ElementDecl } from './schema/model';
import { contentModelFor, schemaFor } from './schema/registry';
import { firstNonSpace, holdsForbiddenCharacter, isStrayMarkup, parseXml, parseXmlInSlices, PLAIN_CHARACTER_DATA, ROOT_CONTENT, type MoreOptions } from './xml/parse';
import { elementAt, type TextSpan, type XmlDocument, type XmlElement, type XmlProblem } from './xml/tree';
import type { TextSource } from './text-source';
import { encodingMismatch, unknownDocument } from './wrapper-checks';
import { lastStartingAtOrBefore, rangeIndexAt } from './ranges';
import { detached } from './strings';
import { TagSearches } from './tag-searches';

/** The strings among an object's own values as detached copies. */
function detachValues(o: Record<string, unknown>): void {
  for (const k in o) {
    const v = o[k];
    if (typeof v === 'string' && v.length >= 13) o[k] = detached(v);
  }
}

/** The check's strings (summary, messages, data) as detached copies: the check is kept across text versions. */
function detachCheck(check: InvoiceCheck): void {
  detachValues(check.summary as unknown as Record<string, unknown>);
  for (const d of check.diagnostics) detachDiagnostic(d);
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
   * The wrapper's tree, with each invoice's element kept without its content (invoices are checked as they are
   * read and let go): an open document's InvoiceDocument.invoice(i) parses an invoice again when asked.
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
  /** The text it replaced, when the editor kept it (a short one: a deleted character, a selection typed over). */
  removed?: string;
}

/** A located element: its offsets in the document are `origin +` the element's own offsets. */
export interface Located {
  element: XmlElement;
  origin: number;
  /** The index of the invoice it belongs to, or -1 outside invoices. */
  invoice: number;
}

/**
 * One invoice of the document, kept compactly: its element's shell in the wrapper's tree (document offsets, no
 * content), its parse problems and its check (both in offsets from the invoice's start). Its content is parsed
 * again from the text when a feature asks for it (InvoiceDocument.invoice), a few at a time.
 */
interface Chunk {
  kind: DocumentKind;
  shell: XmlElement;
  decl: ElementDecl | undefined;
  problems: EngineDiagnostic[];
  check?: InvoiceCheck;
  /** An invoice re-parsed after an edit, until it is checked (offsets from its start). */
  tree?: XmlElement;
  /** The summary as results list it (its start/end follow the shell). */
  document?: CheckedDocument;
  /**
   * What duplicate-number checking looks at, to know when to check again: the number of a checked ACCREC invoice,
   * null for an invoice that check passes over, undefined before the invoice is checked.
   */
  numberKey?: string | null;
  /** Stands for this version of the invoice's text: a new object whenever its text changes. */
  key: object;
  /**
   * Read, in the reading of the whole document that found it, inside another element than the one its shell stands
   * in (an element left open before it, that gave its children to the element around it only as it was closed), or
   * not known to be: a guess in the structure around it may then reach past it. (A run of invoices read again is
   * taken in only when it ends with its elements closed: no element of it gives an invoice away.)
   */
  displaced?: true;
}

/**
 * How one invoice's own text is read again: inside the elements its shell stands in, so that an element left open
 * in it is recovered from as in place; its content as plain markup when it is (see readPlainContent).
 */
function oneInvoice(shell: XmlElement): MoreOptions {
  return { plain: ROOT_CONTENT, enclosing: enclosingNames(shell) };
}

/**
 * At most this many invoices past the first (before the last) one are read again with it after an edit before the
 * first (after the last) invoice: a longer run reads more than a full reading does, which takes the untouched
 * invoices over unread.
 */
const EDGE_INVOICES = 4;

/** How many invoices' parsed trees are kept for the features (typing in one invoice re-parses nothing). */
const PARSED_INVOICES_KEPT = 8;

/** Problems the tolerant parser reports when the structure it recovered is a guess. */
export const STRUCTURAL_PROBLEMS: ReadonlySet<string> = new Set([
  'xml-unclosed-element', 'xml-stray-end-tag', 'xml-mismatched-end-tag', 'xml-multiple-roots',
  'xml-text-outside-root', 'xml-empty-document', 'xml-too-deep', 'xml-unterminated', 'xml-malformed-tag',
]);

/**
 * Problems an invoice read again alone cannot be trusted with: they are reported once per document (whether this
 * one is the first depends on the rest), or concern what lies outside the invoice, or run on past its end. An
 * element left open or an end tag out of place inside the invoice is read alone as in place (its enclosing
 * elements given), unless the parser says the recovery reached beyond it (XmlDocument.readsOtherwiseInPlace).
 */
const DOCUMENT_WIDE: ReadonlySet<string> = new Set([
  'xml-multiple-roots', 'xml-text-outside-root', 'xml-empty-document', 'xml-too-deep', 'xml-unterminated', 'xml-binary-content',
]);

function documentWide(p: { code: string }): boolean {
  return DOCUMENT_WIDE.has(p.code);
}

/**
 * Where a run read again holds stray markup (a '<' that starts no tag, a '<!' or '<!-' that starts no comment),
 * which the parser reported where it stands and passed over: a full reading does the same there, in the element
 * around the invoices, and makes no text or element of it. Typing a new invoice or a comment between two others
 * starts so. By where each starts, where it ends.
 */
function strayMarkup(problems: readonly XmlProblem[]): Map<number, number> {
  const stray = new Map<number, number>();
  for (const p of problems) {
    if (isStrayMarkup(p)) stray.set(p.start, p.end);
  }
  return stray;
}

const NO_STRAY: ReadonlyMap<number, number> = new Map();

/**
 * The text from `from` to `to` is white space, whole comments and stray markup (strayMarkup), no text: what the
 * parser makes nothing of between two elements but the stray markup's problems.
 */
function readsToNothing(slice: string, from: number, to: number, stray = NO_STRAY): boolean {
  for (let i = from; i < to; i++) {
    const c = slice.charCodeAt(i);
    if (c === 60 && slice.startsWith('<!--', i)) {
      const close = slice.indexOf('-->', i + 4);
      if (close < 0 || close + 3 > to) return false;
      i = close + 2;
    } else if (c !== 32 && c !== 10 && c !== 13 && c !== 9) {
      const end = stray.get(i);
      if (end === undefined) return false;
      i = end - 1;
    }
  }
  return true;
}

/**
 * A problem that says the structure the parser recovered is a guess: a structural one but stray markup, which
 * opens and closes nothing.
 */
function guessing(p: { code: string; message: string }): boolean {
  return STRUCTURAL_PROBLEMS.has(p.code) && !isStrayMarkup(p);
}

/** A structural problem on an invoice's own start tag: the reading of the invoice before it put it there. */
function startTagProblem(chunk: Chunk): boolean {
  const tagEnd = chunk.shell.openEnd - chunk.shell.start;
  return chunk.problems.some((p) => STRUCTURAL_PROBLEMS.has(p.code) && p.start < tagEnd);
}

/** The offsets of a tag read in a part, and its attributes', in the document (the part starts at `origin`). */
function placedTag(el: XmlElement, origin: number): Pick<XmlElement, 'start' | 'nameEnd' | 'openEnd' | 'closeStart' | 'end' | 'attributes'> {
  return {
    start: origin + el.start,
    nameEnd: origin + el.nameEnd,
    openEnd: origin + el.openEnd,
    closeStart: origin + el.closeStart,
    end: origin + el.end,
    attributes: el.attributes.map((a) => ({ ...a, start: origin + a.start, end: origin + a.end, valueStart: origin + a.valueStart, valueEnd: origin + a.valueEnd })),
  };
}

/** Where `child` stands among its parent's children (found by its start: they are in document order). */
function childIndex(parent: XmlElement, child: XmlElement): number {
  const kids = parent.children;
  const i = lastStartingAtOrBefore(kids.length, (k) => kids[k].start, child.start);
  return i >= 0 && kids[i] === child ? i : kids.indexOf(child);
}

/** The names of the elements around `el` in its tree, outermost first. */
function enclosingNames(el: XmlElement): string[] {
  const names: string[] = [];
  for (let p = el.parent; p; p = p.parent) names.push(p.name);
  return names.reverse();
}

/**
 * Moves every offset at or after `at` by `delta` in the trees of `roots`, after a change at `at`. `skip` is not
 * visited (the edited invoice's shell, which its own re-parse places); `edited` is the value changed in place,
 * whose start tag stands before the change even when the change is right after it.
 */
function shiftOffsets(roots: readonly XmlElement[], at: number, delta: number, skip?: XmlElement, edited?: XmlElement): void {
  for (const r of roots) shiftFrom(r, at, delta, skip, edited);
}

function shiftFrom(el: XmlElement, at: number, delta: number, skip: XmlElement | undefined, edited: XmlElement | undefined): void {
  if (el === skip || el.end < at) return;
  // A subtree that starts at or after the change moves as a whole: no offset in it needs comparing (an edit in the
  // middle of an invoice of thousands of lines moves half of its elements).
  if (el.start >= at) return shiftWhole(el, delta, skip);
  moveElement(el, at, delta, el !== edited);
  const kids = el.children;
  for (let j = kids.length - 1; j >= 0 && kids[j].end >= at; j--) shiftFrom(kids[j], at, delta, skip, edited);
}

function shiftWhole(el: XmlElement, delta: number, skip: XmlElement | undefined): void {
  if (el === skip) return;
  el.start += delta;
  el.nameEnd += delta;
  el.openEnd += delta;
  el.closeStart += delta;
  el.end += delta;
  if (el.textStart >= 0) el.textStart += delta;
  for (const a of el.attributes) {
    a.start += delta;
    a.end += delta;
    a.valueStart += delta;
    a.valueEnd += delta;
  }
  const kids = el.children;
  for (let j = 0; j < kids.length; j++) shiftWhole(kids[j], delta, skip);
}

/** Moves an element's offsets at or after `at` by `delta` (its end always: the change is inside or before it). */
function moveElement(el: XmlElement, at: number, delta: number, startTag = true): void {
  if (startTag) {
    if (el.start >= at) el.start += delta;
    if (el.nameEnd >= at) el.nameEnd += delta;
    if (el.openEnd >= at) el.openEnd += delta;
    for (const a of el.attributes) {
      if (a.start >= at) a.start += delta;
      if (a.end >= at) a.end += delta;
      if (a.valueStart >= at) a.valueStart += delta;
      if (a.valueEnd >= at) a.valueEnd += delta;
    }
  }
  if (el.closeStart >= at) el.closeStart += delta;
  el.end += delta;
  if (el.textStart >= at) el.textStart += delta;
}

/** The longest stretch of comments between two elements that an edit in it is read in (tryInComments). */
const COMMENTS_SEEN = 64 * 1024;

/** How far around a change of white space the text is read to find the tags it stands between. */
const WHITE_SPACE_SEEN = 256;

function isWhiteSpace(s: string): boolean {
  return firstNonSpace(s, 0, s.length) < 0;
}

/**
 * Moves the offsets after a gap of white space between tags, [start, end) before a change there, by `delta`: an
 * offset at `end` or after moves, but where the gap was empty (text inserted between two tags) the end of the element
 * before it stays.
 */
function shiftAfterGap(roots: readonly XmlElement[], start: number, end: number, delta: number): void {
  const before = (el: XmlElement) => el.end <= start && el.start < start;
  const visit = (el: XmlElement) => {
    if (before(el)) return;
    // Text inserted right after a start tag comes after its '>': the tag keeps its end.
    const openEnd = el.openEnd;
    moveElement(el, end, delta);
    if (start === end && openEnd === start) el.openEnd = openEnd;
    const kids = el.children;
    for (let j = kids.length - 1; j >= 0 && !before(kids[j]); j--) visit(kids[j]);
  };
  for (const r of roots) visit(r);
}

/** A diagnostic after such a change: moved when it lies after the gap, stretched when it spans it. */
function movedAfterGap(d: EngineDiagnostic, start: number, end: number, delta: number): EngineDiagnostic {
  if (d.start >= end && !(d.start === start && start === end && d.end === start)) return moved(d, delta);
  if (d.end > start && d.start < start) return { ...d, end: d.end + delta };
  return d;
}

/** The wrapper's strings as detached copies: the wrapper's tree is kept across text versions. */
function detachTree(el: XmlElement): void {
  el.name = detached(el.name);
  el.text = detached(el.text);
  for (const a of el.attributes) {
    a.name = detached(a.name);
    a.value = detached(a.value);
  }
  for (const c of el.children) detachTree(c);
}

/** A diagnostic's message and data as detached copies. */
function detachDiagnostic(d: EngineDiagnostic): EngineDiagnostic {
  d.message = detached(d.message);
  if (d.data) detachValues(d.data);
  return d;
}

/** What a full parse may take over from the invoices before it: their checks, by where they stand now. */
interface Reusable {
  dialect: Dialect;
  inResponse: boolean;
  /**
   * The invoices no edit touched, by where they start now: where they end now, and where their end tag starts when
   * the parser need not read their content again (-1: it must).
   */
  byStart: Map<number, { chunk: Chunk; end: number; closeStart: number }>;
  /** No character XML does not allow: the text had none, and no edit brought one. */
  noForbidden: boolean;
}


/**
 * A document being edited. An edit inside one invoice re-parses and re-checks that invoice alone; anything else
 * (the wrapper, the structure, the dialect) re-parses the whole text and reuses the checks of every invoice no
 * edit touched. Each invoice is checked as the parser reads it and its content let go: what is kept is the
 * wrapper's tree with the invoices as empty shells, and per invoice its check (see Chunk).
 */
export class InvoiceDocument {
  /** The current text: a string, or an editor's text source (sliced, never copied whole, on incremental edits). */
  private current: string | TextSource;
  /** The wrapper's tree (the invoices in it as shells without content), its offsets kept current edit by edit. */
  private roots: XmlElement[] = [];
  private skeleton!: XmlDocument;
  private _dialect: Dialect = 'unknown';
  private chunks: Chunk[] = [];
  /** Diagnostics outside invoices (wrapper schema, prolog, encoding), in document offsets. */
  private wrapper: EngineDiagnostic[] = [];
  /** Where the last full reading looked ahead to recover (XmlDocument.lookaheads), moved with later edits. */
  private lookaheads: TextSpan[] = [];
  /** The text holds no character XML does not allow (as of the last full reading, and edits since bring none). */
  private noForbidden = false;
  private _lastReading = { invoices: 0, unread: 0 };
  private inResponse = false;
  private checkedSinceResult = 0;
  /** Duplicate-number diagnostics in offsets from their invoice's start; undefined when they must be recomputed. */
  private duplicates: { index: number; diagnostic: EngineDiagnostic }[] | undefined;
  /** Numbers, each unique, that runs read again took away with the duplicates kept (see replaceRun), by count. */
  private readonly freedNumbers = new Map<string, number>();
  /**
   * The last result's lists, kept up to date edit by edit: an edit inside one invoice replaces that invoice's
   * entries and shifts the offsets after it, so 5,000 invoices are not walked because one changed. The
   * diagnostics (sorted, duplicate numbers apart) are copies owned here. Undefined after a full parse.
   */
  private assembled: { diagnostics: EngineDiagnostic[]; documents: CheckedDocument[]; pending: Set<number> } | undefined;
  /** The look-ahead searches of runs read again, kept across edits (typing a tag's name asks them at each key). */
  private readonly tagSearches = new TagSearches();
  /** The invoices parsed last for the features, by their Chunk.key, least recently used first. */
  private readonly parsed = new Map<object, XmlElement>();
  /** What checking the invoices' trees gave, element by element (see CheckMemo); editedValue drops what it changes. */
  private readonly validated = new WeakMap<XmlElement, { decl: ElementDecl; diagnostics: readonly EngineDiagnostic[] }>();
  private readonly memo: CheckMemo = {
    get: (el, decl) => {
      const v = this.validated.get(el);
      return v && v.decl === decl ? v.diagnostics : undefined;
    },
    set: (el, decl, diagnostics) => this.validated.set(el, { decl, diagnostics }),
    lineModels: new WeakMap(),
    lineFigures: new WeakMap(),
    lineSummaries: new WeakMap(),
  };

  constructor(
    readonly options: ResolvedOptions,
    text: string | TextSource,
    private readonly schemasDirectory?: string,
    read = true,
  ) {
    this.current = text;
    if (read) this.fullParse(undefined);
  }

  /**
   * Opens `text` a slice at a time, for a host that answers other requests meanwhile: each step reads and checks on
   * until `pause` says so; the last one returns the document, the same as the constructor makes of the same text.
   */
  static *openInSlices(options: ResolvedOptions, text: string | TextSource, schemasDirectory: string | undefined, pause: () => boolean): Generator<void, InvoiceDocument, void> {
    const doc = new InvoiceDocument(options, text, schemasDirectory, false);
    yield* doc.reading(undefined, pause);
    return doc;
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

  /** The last full reading of the text: how many invoices it found, and how many it took over from before unread. */
  get lastReading(): { invoices: number; unread: number } {
    return this._lastReading;
  }

  /**
   * Applies edits; returns how the document was brought up to date. An editor passes its own text source holding
   * the text after the edits: then a single edit inside an invoice slices only that invoice.
   */
  update(changes: readonly TextChange[], after?: TextSource): 'incremental' | 'full' {
    if (after) {
      for (const c of changes) this.tagSearches.moved(c);
      const change = changes.length === 1 ? changes[0] : undefined;
      this.current = after;
      if (change && (this.tryIncremental(change, after) || this.tryWhiteSpace(change, change.removed, after) || this.tryInComments(change, change.removed, after) || this.tryInvoiceRun(change, after))) return 'incremental';
      this.fullParse(this.reusable(changes));
      return 'full';
    }
    let text = this.text;
    for (let n = 0; n < changes.length; n++) {
      const change = changes[n];
      this.tagSearches.moved(change);
      const removed = text.slice(change.start, change.end);
      text = text.slice(0, change.start) + change.text + text.slice(change.end);
      if (this.tryIncremental(change, text) || this.tryWhiteSpace(change, removed, text) || this.tryInComments(change, removed, text) || this.tryInvoiceRun(change, text)) continue;
      const reuse = this.reusable(changes.slice(n));
      for (const c of changes.slice(n + 1)) {
        this.tagSearches.moved(c);
        text = text.slice(0, c.start) + c.text + text.slice(c.end);
      }
      this.current = text;
      this.fullParse(reuse);
      return 'full';
    }
    this.current = text;
    return 'incremental';
  }

  /** Replaces the whole text. */
  replace(text: string | TextSource): void {
    this.tagSearches.clear();
    this.current = text;
    this.fullParse(undefined);
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
        // What the wrapper's check says of the invoice's own tag (not allowed where it stands) went with its range.
        for (const d of this.wrapper) if (d.start >= chunk.shell.start && d.start < chunk.shell.end) fresh.push({ ...d });
        fresh.sort(byPosition);
        const at = firstStartingAtOrAfter(a.diagnostics, chunk.shell.start);
        a.diagnostics.splice(at, 0, ...fresh);
        a.documents[k] = this.placed(chunk);
        a.pending.delete(k);
      }
    }
    return this.finish(a.diagnostics, a.documents);
  }

  /** An invoice's parse problems and check diagnostics, as copies in document offsets. */
  private chunkDiagnostics(chunk: Chunk, into: EngineDiagnostic[]): void {
    const o = chunk.shell.start;
    for (let i = 0; i < chunk.problems.length; i++) {
      const d = chunk.problems[i];
      into.push(moved(d, o));
    }
    const own = chunk.check!.diagnostics;
    for (let i = 0; i < own.length; i++) {
      const d = own[i];
      into.push(moved(d, o));
    }
  }

  /** The invoice's summary, at its place now. */
  private placed(chunk: Chunk): CheckedDocument {
    // The same object each time: only its position moves when an edit before it moves the invoice.
    const doc = chunk.document!;
    doc.start = chunk.shell.start;
    doc.end = chunk.shell.end;
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
    return { dialect: this._dialect, diagnostics: capDiagnostics(all), documents, xml: this.skeleton, checkedInvoices };
  }

  /**
   * The kept lists after invoices `k` to `last` (at [start, end) before the edit) were re-parsed and moved what
   * follows them by `delta`: their entries go (they come back when they are checked), the later ones shift.
   */
  private editedInvoice(k: number, start: number, end: number, delta: number, last = k): void {
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
      for (let i = last + 1; i < a.documents.length; i++) {
        a.documents[i].start += delta;
        a.documents[i].end += delta;
      }
    }
    for (let i = k; i <= last; i++) a.pending.add(i);
  }

  /**
   * Checks the invoices not checked yet (those re-parsed after edits), at least one, until the token asks to
   * stop. True when every invoice is checked.
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

  /** Checks an invoice re-parsed after an edit (its tree stays among the recently parsed ones for the features). */
  private checkChunk(chunk: Chunk, ctx: InvoiceCheckContext = this.context()): void {
    const tree = chunk.tree ?? this.parsedTree(chunk);
    this.settle(chunk, checkLocatedInvoice({ element: tree, kind: chunk.kind }, chunk.decl, ctx));
    chunk.tree = undefined;
  }

  /** Keeps an invoice's check (offsets from its start, strings detached from the text). */
  private settle(chunk: Chunk, check: InvoiceCheck): void {
    chunk.check = check;
    this.checkedSinceResult++;
    detachCheck(check);
    const s = check.summary;
    chunk.document = placedSummary(s, 0, 0);
    // As checkDuplicateNumbers takes them; the number as written, which its message quotes.
    const key = s.kind === 'invoice' && s.type === 'ACCREC' && s.purpose !== 'statusChange' && s.number ? s.number : null;
    const was = chunk.numberKey;
    chunk.numberKey = key;
    if (key === was) return;
    // An invoice of a run read again (never checked before): without a number, or with one the run took away.
    if (was === undefined && this.duplicates && (key === null || this.takeFreed(key))) return;
    this.dropDuplicates();
  }

  private takeFreed(key: string): boolean {
    const n = this.freedNumbers.get(key);
    if (n === undefined) return false;
    if (n === 1) this.freedNumbers.delete(key);
    else this.freedNumbers.set(key, n - 1);
    return true;
  }

  private dropDuplicates(): void {
    this.duplicates = undefined;
    this.freedNumbers.clear();
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
      this.freedNumbers.clear();
    }
    // The number's place comes from the invoice's current check: an edit elsewhere in it moves the number.
    return this.duplicates.map(({ index, diagnostic: d }) => {
      const c = this.chunks[index];
      return { ...d, start: c.shell.start + c.check!.numberStart, end: c.shell.start + c.check!.numberEnd };
    });
  }

  /** The innermost element at a document offset, with the origin that turns its offsets into document offsets. */
  locate(offset: number): Located | null {
    const i = this.invoiceIndexAt(offset);
    // Just after an invoice's end tag is the wrapper's content: its tree holds the invoice's place there.
    if (i >= 0 && offset < this.chunks[i].shell.end) {
      const { target, origin } = this.invoice(i);
      const el = elementAt(target.element, offset - origin);
      if (el) return { element: el, origin, invoice: i };
    }
    const el = elementAt(this.skeleton.root, offset);
    return el ? { element: el, origin: 0, invoice: i } : null;
  }

  /** The invoice element whose range holds the offset, or -1. */
  invoiceIndexAt(offset: number): number {
    const chunks = this.chunks;
    return rangeIndexAt(chunks.length, (i) => chunks[i].shell.start, (i) => chunks[i].shell.end, offset);
  }

  /** The last invoice starting at or before the offset (whether or not it holds it), or -1. */
  invoiceStartingAtOrBefore(offset: number): number {
    const chunks = this.chunks;
    return lastStartingAtOrBefore(chunks.length, (i) => chunks[i].shell.start, offset);
  }

  /**
   * Invoice `i` parsed from the current text: its element (offsets from `origin`, its start; its parent is the
   * wrapper's element it stands in, in document offsets) and kind. The last few parsed are kept, so requests
   * about the invoice being edited parse nothing.
   */
  invoice(i: number): { target: InvoiceElement; origin: number } {
    const c = this.chunks[i];
    return { target: { element: c.tree ?? this.parsedTree(c), kind: c.kind }, origin: c.shell.start };
  }

  /** Invoice `i`'s element as it stands in the wrapper: document offsets, without its content. */
  invoiceShell(i: number): XmlElement {
    return this.chunks[i].shell;
  }

  /** An object that stands for invoice `i`'s current text: it changes when the text does (a key for caches). */
  invoiceKey(i: number): object {
    return this.chunks[i].key;
  }

  /** The schema's declaration of invoice `i` where it stands in the wrapper. */
  invoiceDecl(i: number): ElementDecl | undefined {
    return this.chunks[i].decl;
  }

  /** The root element, current: the wrapper's elements, with the invoices as shells without their content. */
  root(): XmlElement | null {
    return this.skeleton.root;
  }

  /** No parse problem anywhere says the structure the parser recovered is a guess (see STRUCTURAL_PROBLEMS). */
  get structurallySound(): boolean {
    const structural = (d: EngineDiagnostic) => STRUCTURAL_PROBLEMS.has(d.code);
    return !this.wrapper.some(structural) && !this.chunks.some((c) => c.problems.some(structural));
  }

  get inResponseDocument(): boolean {
    return this.inResponse;
  }

  private parsedTree(chunk: Chunk): XmlElement {
    const kept = this.parsed.get(chunk.key);
    if (kept) {
      this.parsed.delete(chunk.key);
      this.parsed.set(chunk.key, kept);
      return kept;
    }
    const shell = chunk.shell;
    // Its own copy: a slice of the editor's text would keep that whole version alive with the invoice's tree.
    const slice = detached(this.current.slice(shell.start, shell.end));
    const root = parseXml(slice, undefined, contentModelFor(this.schemasDirectory), oneInvoice(shell)).roots[0] ?? { ...shell, start: 0, nameEnd: shell.nameEnd - shell.start, openEnd: shell.openEnd - shell.start, closeStart: shell.closeStart - shell.start, end: shell.end - shell.start, attributes: [] };
    root.parent = shell.parent;
    this.keepParsed(chunk.key, root);
    return root;
  }

  private keepParsed(key: object, tree: XmlElement): void {
    this.parsed.set(key, tree);
    if (this.parsed.size > PARSED_INVOICES_KEPT) this.parsed.delete(this.parsed.keys().next().value!);
  }

  private context(): InvoiceCheckContext {
    return {
      dialect: this._dialect,
      inResponse: this.inResponse,
      options: this.options,
      schema: schemaFor(this._dialect as Exclude<Dialect, 'unknown'>, this.schemasDirectory),
      memo: this.memo,
    };
  }

  /** The checked invoices that none of `changes` (applied in order) touches, by where they stand after them. */
  private reusable(changes: readonly TextChange[]): Reusable | undefined {
    if (this.chunks.length === 0) return undefined;
    const byStart: Reusable['byStart'] = new Map();
    const spans = [...this.lookaheads].sort((x, y) => x.start - y.start);
    let look = 0;
    for (const c of this.chunks) {
      // Read inside another element than its own, its check is that context's, not its text's alone.
      if (!c.check || c.displaced) continue;
      const shell = c.shell;
      // Where its reading looked ahead (whether an end tag was missing), it depends on the text up to there.
      while (look < spans.length && spans[look].start < shell.start) look++;
      let reach = shell.end;
      for (let j = look; j < spans.length && spans[j].start < shell.end; j++) if (spans[j].end > reach) reach = spans[j].end;
      let s = shell.start;
      let e = shell.end;
      let untouched = true;
      for (const ch of changes) {
        if (ch.end <= s) {
          const d = ch.text.length - (ch.end - ch.start);
          s += d;
          e += d;
          reach += d;
        } else if (ch.start < reach) {
          untouched = false;
          break;
        }
      }
      if (!untouched) continue;
      // Read without a problem, its content reads the same again (the parser checks that its end tag is there).
      byStart.set(s, { chunk: c, end: e, closeStart: c.problems.length === 0 ? e - (shell.end - shell.closeStart) : -1 });
    }
    const noForbidden = this.noForbidden && !changes.some((ch) => holdsForbiddenCharacter(ch.text));
    return { dialect: this._dialect, inResponse: this.inResponse, byStart, noForbidden };
  }

  /**
   * Parses the whole text, checking each invoice as soon as the parser has read it (or taking its check from
   * before when no edit touched it) and letting its content go, so the document is never held as a whole tree.
   */
  private fullParse(previous: Reusable | undefined): void {
    const steps = this.reading(previous, undefined);
    while (!steps.next().done);
  }

  /** fullParse, stopping whenever `pause` says so (never without one). */
  private *reading(previous: Reusable | undefined, pause: (() => boolean) | undefined): Generator<void, void, void> {
    const text = this.text;
    this.parsed.clear();
    this.assembled = undefined;
    this.dropDuplicates();
    const streamed = new Map<XmlElement, { decl: ElementDecl; check?: InvoiceCheck; from?: Chunk }>();
    const model = contentModelFor(this.schemasDirectory);
    let unread = 0;
    /** Whether an invoice of the reading before may stand for one read now (its check, summary and key). */
    const takesOver = (from: Chunk, kind: DocumentKind, decl: ElementDecl, ctx: InvoiceCheckContext) =>
      from.kind === kind && from.decl === decl && previous!.dialect === ctx.dialect && previous!.inResponse === ctx.inResponse;
    const stream = new InvoiceStream(this.options, this.schemasDirectory, ({ element: el, kind, decl, skimmed }, ctx) => {
      const at = previous?.byStart.get(el.start);
      const from = at && at.end === el.end ? at.chunk : undefined;
      if (from && takesOver(from, kind, decl, ctx)) {
        streamed.set(el, { decl, from });
        if (skimmed) unread++;
      } else {
        streamed.set(el, { decl, check: shiftCheck(checkInvoice({ element: el, kind }, decl, ctx), -el.start) });
      }
    });
    // Only what an edit brought in can be a character XML does not allow, when the text had none.
    // The element each element the stream was asked about started in (for invoices: see Chunk.displaced).
    const startedIn = new Map<XmlElement, XmlElement | null>();
    const more: MoreOptions = {
      plain: (el, ancestors) => {
        startedIn.set(el, ancestors[ancestors.length - 1] ?? null);
        return stream.plain(el, ancestors);
      },
      firstForbidden: previous?.noForbidden ? -1 : undefined,
    };
    const unchanged = previous?.byStart;
    if (unchanged && unchanged.size > 0) {
      // An invoice no edit touched, read before without a problem (else its closeStart is -1), is not read again where
      // the stream takes it over (above, by the same test). The stream has no context before it has heard the first
      // invoice, which is always read: the document's dialect is told from its content.
      more.known = (el, ancestors) => {
        startedIn.set(el, ancestors[ancestors.length - 1] ?? null);
        const ctx = stream.ctx;
        const k = unchanged.get(el.start);
        if (!ctx || !k) return -1;
        const kind = invoiceKindAt(el, ancestors);
        const decl = ctx.schema.declAt(stream.enclosing(ancestors), el.name);
        return kind && decl && takesOver(k.chunk, kind, decl, ctx) ? k.closeStart : -1;
      };
    }
    let xml = yield* parseXmlInSlices(text, stream.listener, model, more, pause);
    let dialect = detectDialect(xml.root);
    if (stream.dialect !== undefined && stream.dialect !== dialect) {
      // The first invoice suggested another dialect than the whole document does (an odd mix): read it again,
      // keeping every subtree, and check each invoice with the document's dialect.
      streamed.clear();
      unread = 0;
      xml = parseXml(text, undefined, model);
      dialect = detectDialect(xml.root);
    } else stream.releaseFirst();
    this._dialect = dialect;
    this.chunks = [];
    this.wrapper = [];
    this.lookaheads = xml.lookaheads ?? [];
    this.noForbidden = !xml.problems.some((p) => p.code === 'xml-binary-content');
    this.roots = [];
    this.inResponse = isResponseRoot(xml.root);
    const known = dialect !== 'unknown';
    this.skeleton = { text: '', root: null, roots: [], problems: [], declaredEncoding: xml.declaredEncoding, hasDoctype: xml.hasDoctype };
    if (!known && !this.options.reportUnknownDocuments) return;
    const invoices = known ? xml.roots.flatMap((r) => findInvoices(r, dialect)) : [];
    this.chunks = invoices.map((target) => {
      const chunk: Chunk = { kind: target.kind, shell: target.element, decl: undefined, problems: [], key: {} };
      if (startedIn.get(target.element) !== target.element.parent) chunk.displaced = true;
      return chunk;
    });
    for (const p of xml.problems) {
      const i = this.invoiceIndexAt(p.start);
      if (i >= 0) {
        const o = this.chunks[i].shell.start;
        this.chunks[i].problems.push(detachDiagnostic(diagnostic(p.code, p.message, p.start - o, p.end - o, undefined, p.severity)));
      } else this.wrapper.push(detachDiagnostic(diagnostic(p.code, p.message, p.start, p.end, undefined, p.severity)));
    }
    this.checkEncoding(xml);
    if (!known) {
      if (xml.root) this.wrapper.push(detachDiagnostic(unknownDocument(xml.root)));
      return;
    }
    const schema = schemaFor(dialect as Exclude<Dialect, 'unknown'>, this.schemasDirectory);
    const byElement = new Map<XmlElement, Chunk>(this.chunks.map((c) => [c.shell, c]));
    for (const r of xml.roots) {
      for (const d of schema.validateDocument(r, this.wrapper, (el) => byElement.has(el))) byElement.get(d.element)!.decl = d.decl;
    }
    for (const d of this.wrapper) detachDiagnostic(d);
    const checkCtx = this.context();
    for (const c of this.chunks) {
      const s = streamed.get(c.shell);
      if (s?.from) {
        // Taken over whole: its check, summary and key stand for the same text.
        const f = s.from;
        c.decl = s.decl;
        c.check = f.check;
        c.document = f.document;
        c.numberKey = f.numberKey;
        c.key = f.key;
        continue;
      }
      if (s) c.decl = s.decl;
      const el = c.shell;
      this.settle(c, s?.check ?? shiftCheck(checkLocatedInvoice({ element: el, kind: c.kind }, c.decl, checkCtx), -el.start));
      el.children = [];
      el.text = '';
      if (pause?.()) yield;
    }
    for (const r of xml.roots) detachTree(r);
    this._lastReading = { invoices: this.chunks.length, unread };
    this.roots = xml.roots;
    this.skeleton = { ...this.skeleton, root: xml.root, roots: xml.roots };
  }

  private tryIncremental(change: TextChange, next: string | TextSource): boolean {
    if (this._dialect === 'unknown') return false;
    const k = this.invoiceIndexAt(change.start);
    if (k < 0) return false;
    const chunk = this.chunks[k];
    const shell = chunk.shell;
    if (shell.unclosed || shell.selfClosing || change.start < shell.openEnd || change.end > shell.closeStart) return false;
    if (chunk.problems.some(documentWide) || startTagProblem(chunk)) return false;
    const delta = change.text.length - (change.end - change.start);
    const root = this.editedValue(chunk, change, next, delta);
    if (!root) return this.readRun(k, k, change, next);
    this.replaceInvoices(k, [{ root, problems: [] }], change, delta);
    return true;
  }

  /** The wrapper's diagnostics and the lookahead spans after an edit inside invoices, moved by `delta`. */
  private movedAfter(change: TextChange, delta: number): void {
    if (delta === 0) return;
    this.wrapper = this.wrapper.map((d) => (d.start >= change.end ? moved(d, delta) : d));
    for (const span of this.lookaheads) {
      if (span.start >= change.end) span.start += delta;
      if (span.end >= change.end) span.end += delta;
    }
  }

  /**
   * A change of white space between the tags of the elements around the invoices (a line break typed between two
   * invoices, a space deleted there): the same elements read from the new text, so only the offsets after it move.
   * That holds when white space replaces white space (`removed`, which the editor may not have kept) in a run that
   * lies between a tag's '>' and the next tag's '<', in an element around the invoices that holds elements and no
   * text of its own, none of whose children it touches, with no guess in the structure around the invoices.
   */
  private tryWhiteSpace(change: TextChange, removed: string | undefined, next: string | TextSource): boolean {
    if (this._dialect === 'unknown' || removed === undefined || !isWhiteSpace(removed) || !isWhiteSpace(change.text)) return false;
    if (this.wrapperGuessed()) return false;
    const after = change.start + change.text.length;
    const before = next.slice(Math.max(0, change.start - WHITE_SPACE_SEEN), change.start).trimEnd();
    const following = next.slice(after, after + WHITE_SPACE_SEEN).trimStart();
    if (!before.endsWith('>') || !following.startsWith('<')) return false;
    const parent = this.elementHoldingGap(change.start, change.end);
    // White space alone is the text of an element without children: there it counts.
    if (!parent || parent.textStart >= 0 || parent.children.length === 0) return false;
    this.movedGap(change);
    return true;
  }

  /**
   * A change among the comments between the elements around the invoices (text typed in a comment between two
   * invoices, a comment pasted or deleted there): when the stretch between the two elements it stands between holds
   * only white space and whole comments before and after it, the parser makes nothing of either, so only the
   * offsets after it move. Not where a recovery looked ahead (it searches the text, comments included).
   */
  private tryInComments(change: TextChange, removed: string | undefined, next: string | TextSource): boolean {
    if (this._dialect === 'unknown' || removed === undefined || holdsForbiddenCharacter(change.text)) return false;
    if (this.wrapperGuessed() || this.lookaheads.some((span) => span.start <= change.end && change.start < span.end)) return false;
    const parent = this.elementHoldingGap(change.start, change.end);
    if (!parent || parent.textStart >= 0 || parent.children.length === 0) return false;
    const kids = parent.children;
    const before = lastStartingAtOrBefore(kids.length, (k) => kids[k].start, change.start - 1);
    const gapStart = before >= 0 ? kids[before].end : parent.openEnd;
    const gapEnd = before + 1 < kids.length ? kids[before + 1].start : parent.closeStart;
    if (gapEnd - gapStart > COMMENTS_SEEN) return false;
    const delta = change.text.length - (change.end - change.start);
    const now = next.slice(gapStart, gapEnd + delta);
    const at = change.start - gapStart;
    const was = now.slice(0, at) + removed + now.slice(at + change.text.length);
    if (!readsToNothing(now, 0, now.length) || !readsToNothing(was, 0, was.length)) return false;
    this.movedGap(change);
    return true;
  }

  /** Moves what follows a change that the tree around the invoices makes nothing of (white space, comments). */
  private movedGap(change: TextChange): void {
    const delta = change.text.length - (change.end - change.start);
    if (delta === 0) return;
    shiftAfterGap(this.roots, change.start, change.end, delta);
    this.wrapper = this.wrapper.map((d) => movedAfterGap(d, change.start, change.end, delta));
    for (const span of this.lookaheads) {
      if (span.start >= change.end) span.start += delta;
      if (span.end > change.start) span.end += delta;
    }
    const a = this.assembled;
    if (a) {
      a.diagnostics = a.diagnostics.map((d) => movedAfterGap(d, change.start, change.end, delta));
      for (const doc of a.documents) {
        if (doc.start >= change.end) {
          doc.start += delta;
          doc.end += delta;
        }
      }
    }
  }

  /**
   * A change that a run of neighbouring invoices absorbs: an invoice's end tag deleted or typed back, markup typed
   * right after an invoice left open. The invoices from the one before the change to the one after it (and those
   * whose reading leans on a neighbour: left open, or closed at the next one's start tag) are read again together,
   * inside the elements around them; when that gives invoices with only white space or other elements between
   * them (a start tag being typed between two invoices, a new invoice) and nothing the reading in place could do
   * otherwise, they take the place of the old ones. Before the first invoice the run starts right after the start
   * tag of the element around the invoices; after the last one it ends at that element's end tag (tryTail).
   */
  private tryInvoiceRun(change: TextChange, next: string | TextSource): boolean {
    const chunks = this.chunks;
    if (this._dialect === 'unknown' || chunks.length === 0) return false;
    let first = this.invoiceStartingAtOrBefore(change.start);
    // An edit before the first invoice, at its start, or in it when its start tag bears a problem of what stands
    // before it, is read from the start of the element around the invoices.
    const head = first < 0 || (first === 0 && (change.start === chunks[0].shell.start || startTagProblem(chunks[0])));
    const around = chunks[0].shell.parent;
    if (head && (!around || around.selfClosing || change.start < around.openEnd)) return false;
    const from = head ? around!.openEnd : undefined;
    first = Math.max(first, 0);
    // An edit at an invoice's start (deleting it whole, text typed before it) is read from the invoice before.
    if (first > 0 && change.start === chunks[first].shell.start) first--;
    let last = Math.max(first, this.invoiceStartingAtOrBefore(change.end));
    const leansOnNext = (k: number) => chunks[k].shell.unclosed || (k + 1 < chunks.length && startTagProblem(chunks[k + 1]));
    while (from === undefined && first > 0 && leansOnNext(first - 1)) first--;
    while (last + 1 < chunks.length && (leansOnNext(last) || change.end > chunks[last].shell.end)) last++;
    for (const extra of [0, 1]) {
      if (last + extra >= chunks.length || (from !== undefined && last + extra > EDGE_INVOICES)) break;
      if (this.wrapperGuessed({ first, last: last + extra, start: from })) continue;
      if (this.readRun(first, last + extra, change, next, { from })) return true;
    }
    return from === undefined && this.tryTail(first, change, next);
  }

  /**
   * An edit after the last invoice of the element around them (an invoice typed or pasted at the end of a batch):
   * the invoices from `first` on, and what follows them up to that element's end tag, are read again as a run that
   * this end tag closes.
   */
  private tryTail(first: number, change: TextChange, next: string | TextSource): boolean {
    const chunks = this.chunks;
    const parent = chunks[first].shell.parent;
    if (!parent || parent.unclosed || parent.selfClosing) return false;
    let last = first;
    while (last + 1 < chunks.length && chunks[last + 1].shell.parent === parent) last++;
    // Only for an edit in or after the last invoice.
    if (change.start < chunks[last].shell.start || change.end > parent.closeStart || last - first > EDGE_INVOICES) return false;
    if (this.wrapperGuessed({ first, last, end: parent.closeStart })) return false;
    return this.readRun(first, last, change, next, { until: parent.closeStart });
  }

  /**
   * Reads invoices first..last again from the new text, inside the elements around them, and puts them in place
   * when that reading is the one in place would give (one invoice: tryIncremental; a run: tryInvoiceRun). With
   * `until`, the run goes on past the last invoice to there, the end tag of the element around them (tryTail); with
   * `from`, it starts there, right after the start tag of the element around them, before the first invoice.
   * False, changing nothing, otherwise.
   */
  private readRun(first: number, last: number, change: TextChange, next: string | TextSource, edges: { from?: number; until?: number } = {}): boolean {
    const chunks = this.chunks;
    const { from, until } = edges;
    const start = from ?? chunks[first].shell.start;
    const end = until ?? chunks[last].shell.end;
    // The run ends with its last invoice's end tag as it was, or right before the end tag of the element around it:
    // the parser reads nothing past the run (a recovery's look-ahead that finds nothing in it goes on in the
    // document's text after it, as it would in place).
    if (until === undefined && (change.end > chunks[last].shell.closeStart || chunks[last].shell.unclosed)) return false;
    const parent = chunks[first].shell.parent;
    // Text between the invoices of a run would be the text of the element around them.
    if ((last > first || until !== undefined || from !== undefined) && (!parent || parent.textStart >= 0)) return false;
    // A structural problem on the first one's start tag is the reading's of what stands before the run.
    if (from === undefined && startTagProblem(chunks[first])) return false;
    // Read inside an element left open before it, the first one depends on what stands before the run; read so, the
    // one after it depended on what the run left open.
    if (chunks[first].displaced || chunks[last + 1]?.displaced) return false;
    for (let k = first; k <= last; k++) {
      const c = chunks[k];
      if (c.shell.parent !== parent || c.shell.selfClosing || c.problems.some(documentWide)) return false;
      // A problem that starts at its end and reaches past it is one of what follows it (an element right after it
      // left open), not the run's to read again.
      const length = c.shell.end - c.shell.start;
      if (c.problems.some((p) => p.start >= length && p.end > length)) return false;
    }
    // A look-ahead from the run's first start tag is one of an element open before it, closed there.
    if (this.lookaheads.some((span) => span.start <= start && change.start < span.end)) return false;
    const delta = change.text.length - (change.end - change.start);
    const slice = detached(next.slice(start, end + delta));
    if (holdsForbiddenCharacter(slice)) return false;
    const sub = parseXml(slice, undefined, contentModelFor(this.schemasDirectory), {
      ...oneInvoice(chunks[first].shell),
      after: this.tagSearches.after(next, start, end + delta),
      ...(until !== undefined ? { closedBy: parent!.name } : {}),
    });
    const roots = sub.roots;
    if (sub.readsOtherwiseInPlace || sub.problems.some(documentWide) || roots.length === 0) return false;
    if (this.wrapperGuessed({ first, last, start, end }) && sub.problems.some(guessing)) return false;
    const lastRoot = roots[roots.length - 1];
    const stray = strayMarkup(sub.problems);
    if (from === undefined ? roots[0].start !== 0 : !readsToNothing(slice, 0, roots[0].start, stray)) return false;
    if (until === undefined ? lastRoot.end !== slice.length || lastRoot.unclosed : !readsToNothing(slice, lastRoot.end, slice.length, stray)) return false;
    const ancestors: XmlElement[] = [];
    for (let p = parent; p; p = p.parent) ancestors.unshift(p);
    const kinds = roots.map((r) => {
      const kind = invoiceKindAt(r, ancestors);
      return kind && dialectHas(this._dialect, kind) ? kind : undefined;
    });
    // The run starts with an invoice but at the start of the element around them, and ends with one but at its end
    // (a run does not go to both); what stands between them holds none.
    if ((from === undefined && !kinds[0]) || (until === undefined && !kinds[kinds.length - 1])) return false;
    for (let i = 0; i < roots.length; i++) {
      const r = roots[i];
      if (kinds[i] ? r.selfClosing || (r.name === 'Invoice' && invoiceDialect(r) !== this._dialect) : mayHoldInvoices(r, ancestors)) return false;
      if (i > 0 && !readsToNothing(slice, roots[i - 1].end, r.start, stray)) return false;
    }
    const problems: EngineDiagnostic[][] = roots.map(() => []);
    // The stray markup between the run's elements: problems of the element around them.
    const between: EngineDiagnostic[] = [];
    for (const p of sub.problems) {
      const i = rangeIndexAt(roots.length, (k) => roots[k].start, (k) => roots[k].end, p.start);
      if (i < 0 && stray.has(p.start)) {
        between.push(diagnostic(p.code, p.message, start + p.start, start + p.end, undefined, p.severity));
        continue;
      }
      if (i < 0) return false;
      const o = kinds[i] ? roots[i].start : -start;
      problems[i].push(diagnostic(p.code, p.message, p.start - o, p.end - o, undefined, p.severity));
    }
    const lookaheads = sub.lookaheads ?? [];
    const same = roots.length === last - first + 1 && roots.every((r, i) => kinds[i] && r.name === chunks[first + i].shell.name);
    // The elements around the invoices are left as they are when the run holds nothing of theirs.
    if (from === undefined && until === undefined && same && between.length === 0 && this.onlyInvoicesBetween(first, last) && !this.wrapper.some((d) => d.start > start && d.start < end)) {
      this.replaceInvoices(first, roots.map((root, i) => ({ root, problems: problems[i] })), change, delta, lookaheads);
    } else {
      if (!parent) return false;
      this.replaceRun(first, last, roots.map((root, i) => ({ root, kind: kinds[i], problems: problems[i] })), between, change, delta, lookaheads, edges);
    }
    return true;
  }

  /** Whether invoices first..last stand next to each other among their parent's children. */
  private onlyInvoicesBetween(first: number, last: number): boolean {
    const parent = this.chunks[first].shell.parent;
    if (!parent) return first === last;
    return childIndex(parent, this.chunks[last].shell) - childIndex(parent, this.chunks[first].shell) === last - first;
  }

  /**
   * Puts what a run's reading gave (in offsets from the run's start) in the place of invoices first..last and of
   * what stands between them (from `from` and up to `until`, for a run from the start or to the end of the element
   * around them: see readRun): its
   * invoices as shells with their trees, its other elements (and their parse problems, in document offsets) into the
   * tree around the invoices, which is checked against the schema again; the result is assembled anew.
   */
  private replaceRun(
    first: number,
    last: number,
    read: { root: XmlElement; kind: DocumentKind | undefined; problems: EngineDiagnostic[] }[],
    between: readonly EngineDiagnostic[],
    change: TextChange,
    delta: number,
    lookaheads: readonly TextSpan[],
    edges: { from?: number; until?: number },
  ): void {
    const chunks = this.chunks;
    const start = edges.from ?? chunks[first].shell.start;
    const end = edges.until ?? chunks[last].shell.end;
    const parent = chunks[first].shell.parent!;
    // The parent's children the run replaces, by index.
    const firstChild = edges.from === undefined ? childIndex(parent, chunks[first].shell) : 0;
    const lastChild = edges.until === undefined ? childIndex(parent, chunks[last].shell) : parent.children.length - 1;
    shiftOffsets(this.roots, end, delta, chunks[last].shell);
    this.wrapper = this.wrapper.filter((d) => d.start < start || d.start >= end);
    this.lookaheads = this.lookaheads.filter((span) => span.start < start || span.start >= end);
    this.movedAfter(change, delta);
    for (const d of between) this.wrapper.push(detachDiagnostic(d));
    const children: XmlElement[] = [];
    const fresh: Chunk[] = [];
    for (const { root, kind, problems } of read) {
      if (kind) {
        const shell: XmlElement = {
          ...root,
          ...placedTag(root, start),
          textStart: root.textStart < 0 ? -1 : start + root.textStart,
          children: [],
          text: '',
          parent,
        };
        detachTree(shell);
        // The invoice's tree in offsets from its start, as the features and its check take it.
        if (root.start !== 0) shiftOffsets([root], 0, -root.start);
        root.parent = parent;
        fresh.push({ kind, shell, decl: undefined, problems, tree: root, key: {} });
        children.push(shell);
      } else {
        shiftOffsets([root], 0, start);
        root.parent = parent;
        detachTree(root);
        for (const p of problems) this.wrapper.push(detachDiagnostic(p));
        children.push(root);
      }
    }
    parent.children.splice(firstChild, lastChild - firstChild + 1, ...children);
    for (let k = first; k <= last; k++) this.parsed.delete(chunks[k].key);
    // A run after every duplicate leaves them as they are: each number it held was unique, and stays so when one of
    // the run's invoices holds it again, or none does (settle).
    const removed = chunks.slice(first, last + 1);
    if (this.duplicates?.every((d) => d.index < first) && removed.every((c) => c.numberKey !== undefined)) {
      for (const c of removed) if (c.numberKey) this.freedNumbers.set(c.numberKey, (this.freedNumbers.get(c.numberKey) ?? 0) + 1);
    } else this.dropDuplicates();
    chunks.splice(first, last - first + 1, ...fresh);
    for (const c of fresh) this.keepParsed(c.key, c.tree!);
    for (const span of lookaheads) this.lookaheads.push({ start: start + span.start, end: start + span.end });
    this.validateWrapper(fresh);
    this.assembled = undefined;
  }

  /**
   * Checks the elements around the invoices against the schema again (their diagnostics replace the schema's
   * before) and gives the invoices read again the declaration they stand as. An element's declaration follows from
   * its name and its parent's: the other invoices keep theirs.
   */
  private validateWrapper(fresh: readonly Chunk[]): void {
    const parseProblems = this.wrapper.filter((d) => !d.code.startsWith('schema-'));
    const schema = schemaFor(this._dialect as Exclude<Dialect, 'unknown'>, this.schemasDirectory);
    const invoices = new Set(this.chunks.map((c) => c.shell));
    const decls = new Map<XmlElement, ElementDecl>();
    const found: EngineDiagnostic[] = [];
    for (const r of this.roots) for (const d of schema.validateDocument(r, found, (el) => invoices.has(el))) decls.set(d.element, d.decl);
    for (const d of found) detachDiagnostic(d);
    this.wrapper = [...parseProblems, ...found];
    for (const c of fresh) c.decl = decls.get(c.shell);
  }

  /**
   * Puts invoices read again after an edit (trees in offsets from the run's start, their parse problems in offsets
   * from their own) in the place of invoices `first` onwards, as many: their shells take the new places, what
   * follows moves by `delta`, and, when they were parsed again, where that parse looked ahead replaces what was kept
   * for them.
   */
  private replaceInvoices(first: number, read: { root: XmlElement; problems: EngineDiagnostic[] }[], change: TextChange, delta: number, lookaheads?: readonly TextSpan[]): void {
    const chunks = this.chunks;
    const last = first + read.length - 1;
    const start = chunks[first].shell.start;
    const end = chunks[last].shell.end;
    this.editedInvoice(first, start, end, delta, last);
    if (delta !== 0) shiftOffsets(this.roots, end, delta, chunks[last].shell);
    for (let i = 0; i < read.length; i++) {
      const old = chunks[first + i];
      const { root, problems } = read[i];
      const shell = old.shell;
      Object.assign(shell, placedTag(root, start), { unclosed: root.unclosed });
      // The invoice's tree in offsets from its start, as the features and its check take it.
      if (root.start !== 0) shiftOffsets([root], 0, -root.start);
      root.parent = shell.parent;
      const key = {};
      chunks[first + i] = { kind: old.kind, shell, decl: old.decl, problems, tree: root, numberKey: old.numberKey, key };
      this.parsed.delete(old.key);
      this.keepParsed(key, root);
    }
    if (lookaheads) this.lookaheads = this.lookaheads.filter((span) => span.start < start || span.start >= end);
    this.movedAfter(change, delta);
    for (const span of lookaheads ?? []) this.lookaheads.push({ start: start + span.start, end: start + span.end });
  }

  /** The element around the invoices whose content holds [start, end) between its children (not in a tag), or null. */
  private elementHoldingGap(start: number, end: number): XmlElement | null {
    let holder: XmlElement | null = null;
    let level: readonly XmlElement[] = this.roots;
    for (;;) {
      const i = lastStartingAtOrBefore(level.length, (k) => level[k].start, Math.max(start, end - 1));
      const c = i >= 0 ? level[i] : undefined;
      if (!c || c.end <= start || (c.start >= start && c.start >= end)) return holder;
      if (this.isShell(c) || start < c.openEnd || end > c.closeStart) return null;
      holder = c;
      level = c.children;
    }
  }

  private isShell(el: XmlElement): boolean {
    const i = this.invoiceIndexAt(el.start);
    return i >= 0 && this.chunks[i].shell === el;
  }

  /**
   * The invoice's tree after a change inside the value of an element without children (typing in a Description, a
   * Quantity), taken from the tree at hand rather than parsed again: the element's text is set and every offset
   * after the change moved. That is the tree a parse of the invoice's new text gives when the invoice read without
   * a problem and the value's new content is plain text (no markup, no reference, no character XML does not
   * allow). Null for any other change, or when the invoice's tree is not at hand: it is then parsed again.
   */
  private editedValue(chunk: Chunk, change: TextChange, next: string | TextSource, delta: number): XmlElement | null {
    if (chunk.problems.length > 0) return null;
    const root = chunk.tree ?? this.parsed.get(chunk.key);
    if (!root) return null;
    const origin = chunk.shell.start;
    const from = change.start - origin;
    const to = change.end - origin;
    const value = elementAt(root, from);
    if (!value || value === root || value.children.length > 0 || value.selfClosing || value.unclosed) return null;
    if (from < value.openEnd || to > value.closeStart) return null;
    const content = next.slice(origin + value.openEnd, origin + value.closeStart + delta);
    if (!PLAIN_CHARACTER_DATA.test(content)) return null;
    if (delta !== 0) shiftOffsets([root], to, delta, undefined, value);
    for (let e = value; ; e = e.parent!) {
      this.validated.delete(e);
      this.memo.lineModels.delete(e);
      if (e === root) break;
    }
    value.text = detached(content);
    const nonSpace = firstNonSpace(content, 0, content.length);
    value.textStart = nonSpace < 0 ? -1 : value.openEnd + nonSpace;
    return root;
  }

  /**
   * Whether the structure around the invoices is a guess (outside the run of invoices `first` to `last`, up to
   * `end` when given, when one is read again): then the elements an invoice was read inside (and so how its own
   * missing end tags were recovered from) need not be those its shell now stands in.
   */
  private wrapperGuessed(run?: { first: number; last: number; start?: number; end?: number }): boolean {
    let start = -1;
    let end = -1;
    // Inside a run read again (after its first invoice's start tag, where the recovery of an element before the run
    // may report), a guess is made again by that reading, when nothing it guessed stayed open past the run or came
    // into it from before: then every invoice of the run and the one after it were read where they stand.
    if (run && !this.chunks.slice(run.first, run.last + 2).some((c) => c.displaced)) {
      start = run.start ?? this.chunks[run.first].shell.start;
      end = run.end ?? this.chunks[run.last].shell.end;
    }
    return this.wrapper.some((d) => guessing(d) && !(d.start > start && d.start < end));
  }

  private checkEncoding(xml: XmlDocument): void {
    const d = encodingMismatch(xml, this.options.sourceEncoding);
    if (d) this.wrapper.push(detachDiagnostic(d));
  }
}
