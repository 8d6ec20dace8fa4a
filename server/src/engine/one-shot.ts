import { decodeValues, ReadAgain, type ByteView } from './byte-view';
import { byPosition, capDiagnostics, diagnostic, type EngineDiagnostic } from './diagnostics';
import type { CheckedDocument, CheckResult } from './document';
import { checkInvoice, checkLocatedInvoice, placedSummary, shiftCheck, type InvoiceCheck, type InvoiceCheckContext } from './invoice/check';
import { detectDialect, dialectHas, findInvoices, invoiceKindAt, isResponseRoot, type Dialect, type DocumentKind, type InvoiceElement } from './invoice/dialect';
import { InvoiceStream, type StreamedInvoice } from './invoice-stream';
import type { ResolvedOptions } from './invoice/options';
import { checkDuplicateNumbers } from './invoice/rules/numbers';
import type { ElementDecl } from './schema/model';
import { contentModelFor, schemaFor } from './schema/registry';
import { parseXml, ROOT_CONTENT, type CloseListener, type SkimRequest } from './xml/parse';
import { rangeIndexAt } from './ranges';
import type { TextSpan, XmlDocument, XmlElement } from './xml/tree';
import { encodingMismatch, unknownDocument } from './wrapper-checks';

/** One invoice of a one-shot check, with what the document-wide duplicate-number check needs. */
export interface CheckedInvoice {
  document: CheckedDocument;
  diagnostics: EngineDiagnostic[];
  numberStart: number;
  numberEnd: number;
}

/**
 * An invoice the parser read without a problem, so that its own text, parsed alone inside the same enclosing
 * elements, gives the same element tree: it can be checked elsewhere (on another thread) from that text alone.
 * Plain data: it crosses worker threads.
 */
export interface InvoiceSlice {
  start: number;
  end: number;
  kind: DocumentKind;
  /** The names of the elements around the invoice, outermost first. */
  enclosing: string[];
  dialect: Exclude<Dialect, 'unknown'>;
  inResponse: boolean;
}

/** Where invoices can be checked besides here (other threads). */
export interface Delegate {
  /**
   * Asked as an invoice starts whether it should be checked elsewhere. If so, and it reads without a problem,
   * it is handed over with take() (its content only skimmed, when it is plain markup); otherwise it is checked here.
   */
  wants(): boolean;
  take(slice: InvoiceSlice): void;
}

/** An invoice whose check was delegated, with the parse problems found in its range (none but binary content). */
export interface PendingInvoice {
  pending: InvoiceSlice;
  problems: readonly EngineDiagnostic[];
}

/** What a one-shot check found, before the delegated invoices' checks are in. */
export interface OneShot {
  dialect: Dialect;
  /** Diagnostics outside every invoice. */
  wrapper: EngineDiagnostic[];
  /** The invoices in document order. */
  invoices: (CheckedInvoice | PendingInvoice)[];
  xml: XmlDocument;
  /** Set when the text was a ByteView that cannot give the decoded text's result: check the decoded text instead. */
  readAgain?: true;
}

/** What a one-shot check may be given besides the text and the options. */
export interface StreamingOptions {
  schemasDirectory?: string;
  /** Where invoices can be checked besides here: they are left pending (see settle). */
  delegate?: Delegate;
  /** See MoreOptions.firstForbidden. */
  firstForbidden?: number;
  /**
   * `text` is this view of a UTF-8 document (one character per byte, offsets in bytes), and every offset of the
   * result is a byte offset. Not with a delegate.
   */
  view?: ByteView;
}

/** Checks invoices while the parser reads the document, then lets their subtrees go. */
class StreamingCheck {
  /** Invoices checked as they were read (as the result lists them), or the slice they were delegated as. */
  readonly checked = new Map<XmlElement, CheckedInvoice | InvoiceSlice>();
  /** Invoices the delegate asked for as they started. */
  private readonly wanted = new Set<XmlElement>();
  /** Invoices checked as they were read whose bytes are not all ASCII (with a ByteView). */
  readonly notAscii = new Set<XmlElement>();
  /** Where the last invoice checked as it was read ends (with a ByteView). */
  private lastEnd = 0;
  private readonly stream: InvoiceStream;

  constructor(
    options: ResolvedOptions,
    schemasDirectory: string | undefined,
    private readonly delegate: Delegate | undefined,
    private readonly text: string,
    private readonly view: ByteView | undefined,
  ) {
    this.stream = new InvoiceStream(options, schemasDirectory, (inv, ctx) => this.take(inv, ctx));
  }

  /** The dialect the first invoice suggested. */
  get dialect(): Dialect | undefined {
    return this.stream.dialect;
  }

  get listener(): CloseListener {
    return this.stream.listener;
  }

  get plain(): SkimRequest {
    return this.stream.plain;
  }

  /** Asked by the parser as an element starts: an invoice the delegate wants need not be read here. */
  readonly skim = (el: XmlElement, ancestors: readonly XmlElement[]): boolean => {
    const ctx = this.stream.ctx;
    if (!this.delegate || !ctx) return false;
    const kind = invoiceKindAt(el, ancestors);
    if (!kind || !dialectHas(ctx.dialect, kind)) return false;
    if (!ctx.schema.declAt(this.stream.enclosing(ancestors), el.name) || !this.delegate.wants()) return false;
    this.wanted.add(el);
    return true;
  };

  private take({ element: el, kind, decl, enclosing, clean, skimmed }: StreamedInvoice, ctx: InvoiceCheckContext): void {
    const wanted = this.wanted.delete(el);
    if (skimmed || (wanted && clean)) {
      const slice: InvoiceSlice = { start: el.start, end: el.end, kind, enclosing, dialect: ctx.dialect as InvoiceSlice['dialect'], inResponse: ctx.inResponse };
      this.delegate!.take(slice);
      this.checked.set(el, slice);
    } else {
      if (this.view) {
        // Text before the invoice that is not ASCII sends the check to the decoded text: better now than at the end.
        if (!asciiBetween(this.view, this.text, this.lastEnd, el.start)) throw new ReadAgain();
        this.lastEnd = el.end;
        if (!this.view.isAscii(el.start, el.end)) {
          decodeValues(el, this.text, this.view);
          this.notAscii.add(el);
        }
      }
      this.checked.set(el, checked(checkInvoice({ element: el, kind }, decl, ctx), el.start, el.end));
    }
  }
}

const NO_PROBLEMS: readonly EngineDiagnostic[] = [];

/** An invoice's check as a one-shot result lists it. */
function checked(check: InvoiceCheck, start: number, end: number): CheckedInvoice {
  return {
    document: check.summary.start === start && check.summary.end === end ? check.summary : placedSummary(check.summary, start, end),
    diagnostics: check.diagnostics,
    numberStart: check.numberStart,
    numberEnd: check.numberEnd,
  };
}

/** The invoice with the parse problems found in its range before its own diagnostics. */
function withProblems(inv: CheckedInvoice, problems: readonly EngineDiagnostic[]): CheckedInvoice {
  return problems.length === 0 ? inv : { ...inv, diagnostics: [...problems, ...inv.diagnostics] };
}

/**
 * Checks a delegated invoice from its own text (`text` is the document's text from slice.start to slice.end),
 * with every offset in document coordinates: the same result as checking it where it stands.
 */
export function checkSlice(text: string, slice: InvoiceSlice, options: ResolvedOptions, schemasDirectory?: string): CheckedInvoice {
  const xml = parseXml(text, undefined, contentModelFor(schemasDirectory), { enclosing: slice.enclosing, plain: ROOT_CONTENT });
  const schema = schemaFor(slice.dialect, schemasDirectory);
  const el = xml.root;
  const decl = el ? schema.declAt(slice.enclosing, el.name) : undefined;
  if (!el || !decl || xml.roots.length !== 1 || xml.problems.length > 0) {
    throw new Error(`the invoice at offset ${slice.start} does not read alone as it did in its document`);
  }
  const check = checkInvoice({ element: el, kind: slice.kind }, decl, { dialect: slice.dialect, inResponse: slice.inResponse, options, schema });
  return checked(shiftCheck(check, slice.start), slice.start, slice.end);
}

/**
 * A one-shot check of a text (the CLI, the sandbox): each invoice is checked as soon as the parser has read it
 * and its subtree let go, so a 10 MB document is never held as a whole tree. Invoices a delegate takes are
 * left pending: complete them with settle().
 */
export function checkStreaming(text: string, options: ResolvedOptions, more: StreamingOptions = {}): OneShot {
  if (more.view && more.delegate) throw new Error('a ByteView is read without a delegate');
  try {
    return run(text, options, more, true);
  } catch (err) {
    if (!(err instanceof ReadAgain)) throw err;
    return { dialect: 'unknown', wrapper: [], invoices: [], xml: { text, root: null, roots: [], problems: [], declaredEncoding: null, hasDoctype: false }, readAgain: true };
  }
}

function run(text: string, options: ResolvedOptions, more: StreamingOptions, streaming: boolean): OneShot {
  const { schemasDirectory, delegate, firstForbidden, view } = more;
  const stream = streaming ? new StreamingCheck(options, schemasDirectory, delegate, text, view) : undefined;
  const xml = parseXml(text, stream?.listener, contentModelFor(schemasDirectory), { skim: delegate ? stream?.skim : undefined, plain: stream?.plain, firstForbidden });
  const dialect = detectDialect(xml.root);
  // The first invoice suggested another dialect than the whole document does (an odd mix): read it again,
  // keeping every subtree (and checking every invoice here: what was delegated is not used).
  if (stream && stream.dialect !== undefined && stream.dialect !== dialect) {
    if (view) throw new ReadAgain();
    return run(text, options, { schemasDirectory, firstForbidden }, false);
  }
  const wrapper: EngineDiagnostic[] = [];
  const known = dialect !== 'unknown';
  const targets: InvoiceElement[] = known ? xml.roots.flatMap((r) => findInvoices(r, dialect)) : [];
  if (view && !viewStandsFor(view, text, targets, xml.problems, stream)) throw new ReadAgain();
  if (!known && !options.reportUnknownDocuments) return { dialect, wrapper, invoices: [], xml };
  // The parse problems in each invoice's range, by its index (few invoices have any).
  const problems = new Map<number, EngineDiagnostic[]>();
  for (const p of xml.problems) {
    const i = rangeIndexAt(targets.length, (k) => targets[k].element.start, (k) => targets[k].element.end, p.start);
    const d = diagnostic(p.code, p.message, p.start, p.end, undefined, p.severity);
    if (i < 0) wrapper.push(d);
    else {
      const list = problems.get(i);
      if (list) list.push(d);
      else problems.set(i, [d]);
    }
  }
  const encoding = encodingMismatch(xml, options.sourceEncoding);
  if (encoding) wrapper.push(encoding);
  if (!known) {
    if (xml.root) wrapper.push(unknownDocument(xml.root));
    return { dialect, wrapper, invoices: [], xml };
  }
  const ctx: InvoiceCheckContext = {
    dialect,
    inResponse: isResponseRoot(xml.root),
    options,
    schema: schemaFor(dialect, schemasDirectory),
  };
  const isInvoice = new Set(targets.map((t) => t.element));
  const deferred: { element: XmlElement; decl: ElementDecl }[] = [];
  const wrapperSchema: EngineDiagnostic[] = [];
  for (let k = 0; k < xml.roots.length; k++) {
    const d = ctx.schema.validateDocument(xml.roots[k], wrapperSchema, (el) => isInvoice.has(el));
    for (let j = 0; j < d.length; j++) deferred.push(d[j]);
  }
  for (let k = 0; k < wrapperSchema.length; k++) wrapper.push(wrapperSchema[k]);
  // Where the wrapper's schema places each invoice: needed only for one not checked as it was read.
  let decls: Map<XmlElement, ElementDecl> | undefined;
  const declOf = (el: XmlElement) => (decls ??= new Map(deferred.map((d) => [d.element, d.decl]))).get(el);
  const invoices = targets.map((target, i): CheckedInvoice | PendingInvoice => {
    const el = target.element;
    const found = problems.get(i) ?? NO_PROBLEMS;
    const streamed = stream?.checked.get(el);
    if (streamed) {
      return 'enclosing' in streamed ? { pending: streamed, problems: found } : withProblems(streamed, found);
    }
    if (view && !view.isAscii(el.start, el.end)) decodeValues(el, text, view);
    return withProblems(checked(checkLocatedInvoice(target, declOf(el), ctx), el.start, el.end), found);
  });
  return { dialect, wrapper, invoices, xml };
}

/**
 * Whether a check of a ByteView gives the decoded text's result: outside the invoices the text is ASCII (the
 * wrapper's values are not decoded), and no problem the parser reported in an invoice that is not spans bytes of a
 * character (its message could quote them, its range end inside one). Inside such an invoice those bytes stand in
 * values only (decodeValues made sure), so the problems elsewhere in it read as in the decoded text.
 */
function viewStandsFor(view: ByteView, text: string, invoices: readonly InvoiceElement[], problems: readonly TextSpan[], stream?: StreamingCheck): boolean {
  let from = 0;
  const notAscii: InvoiceElement[] = [];
  for (let k = 0; k < invoices.length; k++) {
    const el = invoices[k].element;
    // The text before an invoice checked as it was read was looked at then (from the one checked before it).
    const streamed = stream?.checked.has(el) === true;
    if (!streamed && !asciiBetween(view, text, from, el.start)) return false;
    if (streamed ? stream.notAscii.has(el) : !view.isAscii(el.start, el.end)) notAscii.push(invoices[k]);
    from = el.end;
  }
  if (!asciiBetween(view, text, from, text.length)) return false;
  for (const p of problems) {
    const inside = rangeIndexAt(notAscii.length, (k) => notAscii[k].element.start, (k) => notAscii[k].element.end, p.start) >= 0;
    if (inside && !view.isAscii(p.start, Math.max(p.start, p.end))) return false;
  }
  return true;
}

/** Whether text[from, to) is ASCII: a short stretch (between two invoices) is looked at here, a long one natively. */
function asciiBetween(view: ByteView, text: string, from: number, to: number): boolean {
  if (to - from > 256) return view.isAscii(from, to);
  for (let i = from; i < to; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}

/**
 * A one-shot check as one result, with the checks of its delegated invoices (by their start offset): duplicates
 * across the whole document, capped families.
 */
export function settle(shot: Omit<OneShot, 'xml'>, delegated: ReadonlyMap<number, CheckedInvoice> = new Map()): Omit<CheckResult, 'xml'> {
  const invoices = shot.invoices.map((inv) => {
    if (!('pending' in inv)) return inv;
    const check = delegated.get(inv.pending.start);
    if (!check) throw new Error(`no check arrived for the invoice at offset ${inv.pending.start}`);
    return withProblems(check, inv.problems);
  });
  const diagnostics: EngineDiagnostic[] = [];
  // Loops, not push(...list): a list can hold 200,000 diagnostics before the cap. Indexed: an iterator per
  // invoice costs more than its (usually empty) list while the code still runs in the interpreter.
  for (let k = 0; k < shot.wrapper.length; k++) diagnostics.push(shot.wrapper[k]);
  for (let k = 0; k < invoices.length; k++) {
    const list = invoices[k].diagnostics;
    for (let j = 0; j < list.length; j++) diagnostics.push(list[j]);
  }
  const duplicates = checkDuplicateNumbers(
    invoices.map((inv) => ({
      kind: inv.document.kind,
      type: inv.document.type,
      number: inv.document.number,
      numberStart: inv.numberStart,
      numberEnd: inv.numberEnd,
      checked: inv.document.purpose !== 'statusChange',
    })),
  );
  for (const d of duplicates) diagnostics.push(d.diagnostic);
  return {
    dialect: shot.dialect,
    diagnostics: capDiagnostics(diagnostics.sort(byPosition)),
    documents: invoices.map((inv) => inv.document),
    checkedInvoices: invoices.length,
  };
}

/** A one-shot check of the whole text on this thread. */
export function checkOnce(text: string, options: ResolvedOptions, schemasDirectory?: string): CheckResult {
  const { xml, ...shot } = checkStreaming(text, options, { schemasDirectory });
  return { ...settle(shot), xml };
}
