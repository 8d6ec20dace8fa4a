import { byPosition, capDiagnostics, diagnostic, type EngineDiagnostic } from './diagnostics';
import type { CheckedDocument, CheckResult } from './document';
import { checkInvoice, checkLocatedInvoice, type InvoiceCheck, type InvoiceCheckContext } from './invoice/check';
import { detectDialect, dialectFrom, findInvoices, invoiceKindAt, type Dialect, type DocumentKind, type InvoiceElement } from './invoice/dialect';
import type { ResolvedOptions } from './invoice/options';
import { checkDuplicateNumbers } from './invoice/rules/numbers';
import type { ElementDecl, SchemaModel } from './schema/model';
import { contentModelFor, schemaFor } from './schema/registry';
import { parseXml } from './xml/parse';
import type { XmlDocument, XmlElement } from './xml/tree';
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
  problems: EngineDiagnostic[];
}

/** What a one-shot check found, before the delegated invoices' checks are in. */
export interface OneShot {
  dialect: Dialect;
  /** Diagnostics outside every invoice. */
  wrapper: EngineDiagnostic[];
  /** The invoices in document order. */
  invoices: (CheckedInvoice | PendingInvoice)[];
  xml: XmlDocument;
}

/** Checks invoices while the parser reads the document, then lets their subtrees go. */
class StreamingCheck {
  dialect: Dialect | undefined;
  /** Invoices checked as they were read, or the slice they were delegated as. */
  readonly checked = new Map<XmlElement, InvoiceCheck | InvoiceSlice>();
  private ctx: InvoiceCheckContext | undefined;
  private lastEnclosing: string[] = [];

  /** The names of the ancestors, as one shared array while they stay the same (they do, invoice after invoice). */
  private enclosing(ancestors: readonly XmlElement[]): string[] {
    const last = this.lastEnclosing;
    if (last.length !== ancestors.length || ancestors.some((a, i) => a.name !== last[i])) this.lastEnclosing = ancestors.map((a) => a.name);
    return this.lastEnclosing;
  }

  /** Problems reported when the last invoice was complete: more at the next one means it was not read cleanly. */
  private problemsBefore = 0;
  /** Invoices the delegate asked for as they started. */
  private readonly wanted = new Set<XmlElement>();

  constructor(
    private readonly options: ResolvedOptions,
    private readonly schemasDirectory: string | undefined,
    private readonly delegate: Delegate | undefined,
  ) {}

  /** Asked by the parser as an element starts: an invoice the delegate wants need not be read here. */
  readonly skim = (el: XmlElement, ancestors: readonly XmlElement[]): boolean => {
    if (!this.delegate || !this.ctx) return false;
    const kind = invoiceKindAt(el, ancestors);
    if (!kind || (kind === 'creditNote' && this.ctx.dialect !== 'xero-2.0')) return false;
    if (!declAt(this.ctx.schema.model, this.enclosing(ancestors), el.name) || !this.delegate.wants()) return false;
    this.wanted.add(el);
    return true;
  };

  readonly listener = (el: XmlElement, ancestors: readonly XmlElement[], problemsSoFar: number, skimmed = false): void => {
    const kind = invoiceKindAt(el, ancestors);
    if (!kind) return;
    const clean = problemsSoFar === this.problemsBefore && !el.unclosed;
    this.problemsBefore = problemsSoFar;
    const wanted = this.wanted.delete(el);
    const root = ancestors[0] ?? el;
    this.dialect ??= dialectFrom(root, el);
    if (this.dialect === 'unknown' || (kind === 'creditNote' && this.dialect !== 'xero-2.0')) return;
    this.ctx ??= {
      dialect: this.dialect,
      inResponse: root.name === 'Response' || root.name === 'ApiException',
      options: this.options,
      schema: schemaFor(this.dialect, this.schemasDirectory),
    };
    const enclosing = this.enclosing(ancestors);
    const decl = declAt(this.ctx.schema.model, enclosing, el.name);
    if (!decl) return;
    if (skimmed || (wanted && clean)) {
      const slice: InvoiceSlice = { start: el.start, end: el.end, kind, enclosing, dialect: this.dialect, inResponse: this.ctx.inResponse };
      this.delegate!.take(slice);
      this.checked.set(el, slice);
    } else this.checked.set(el, checkInvoice({ element: el, kind }, decl, this.ctx));
    // The first invoice keeps its content: the document's dialect is told from it once the whole text is read.
    if (this.checked.size > 1) {
      el.children = [];
      el.text = '';
    }
  };
}

/** The declaration of an element inside the elements named (outermost first), as the schema places it. */
function declAt(model: SchemaModel, enclosing: readonly string[], name: string): ElementDecl | undefined {
  let decl = model.roots.get(enclosing.length > 0 ? enclosing[0] : name);
  for (let i = 1; i <= enclosing.length && decl; i++) {
    const t = decl.type.get();
    decl = t.kind === 'complex' ? t.elements.get(i < enclosing.length ? enclosing[i] : name) : undefined;
  }
  return decl;
}

function shifted(check: InvoiceCheck, by: number, start: number, end: number): CheckedInvoice {
  if (by !== 0) {
    for (const d of check.diagnostics) {
      d.start += by;
      d.end += by;
    }
  }
  return {
    document: { ...check.summary, start, end },
    diagnostics: check.diagnostics,
    numberStart: check.numberStart + by,
    numberEnd: check.numberEnd + by,
  };
}

/**
 * Checks a delegated invoice from its own text (`text` is the document's text from slice.start to slice.end),
 * with every offset in document coordinates: the same result as checking it where it stands.
 */
export function checkSlice(text: string, slice: InvoiceSlice, options: ResolvedOptions, schemasDirectory?: string): CheckedInvoice {
  const xml = parseXml(text, undefined, contentModelFor(schemasDirectory), { enclosing: slice.enclosing });
  const schema = schemaFor(slice.dialect, schemasDirectory);
  const el = xml.root;
  const decl = el ? declAt(schema.model, slice.enclosing, el.name) : undefined;
  if (!el || !decl || xml.roots.length !== 1 || xml.problems.length > 0) {
    throw new Error(`the invoice at offset ${slice.start} does not read alone as it did in its document`);
  }
  const check = checkInvoice({ element: el, kind: slice.kind }, decl, { dialect: slice.dialect, inResponse: slice.inResponse, options, schema });
  return shifted(check, slice.start, slice.start, slice.end);
}

/**
 * A one-shot check of a text (the CLI, the sandbox): each invoice is checked as soon as the parser has read it
 * and its subtree let go, so a 10 MB document is never held as a whole tree. Invoices `delegate` takes are
 * left pending: complete them with settle().
 */
export function checkStreaming(text: string, options: ResolvedOptions, schemasDirectory?: string, delegate?: Delegate): OneShot {
  return run(text, options, schemasDirectory, delegate, true);
}

function run(text: string, options: ResolvedOptions, schemasDirectory: string | undefined, delegate: Delegate | undefined, streaming: boolean): OneShot {
  const stream = streaming ? new StreamingCheck(options, schemasDirectory, delegate) : undefined;
  const xml = parseXml(text, stream?.listener, contentModelFor(schemasDirectory), { skim: delegate ? stream?.skim : undefined });
  const dialect = detectDialect(xml.root);
  // The first invoice suggested another dialect than the whole document does (an odd mix): read it again,
  // keeping every subtree (and checking every invoice here: what was delegated is not used).
  if (stream && stream.dialect !== undefined && stream.dialect !== dialect) return run(text, options, schemasDirectory, undefined, false);
  const wrapper: EngineDiagnostic[] = [];
  const known = dialect !== 'unknown';
  if (!known && !options.reportUnknownDocuments) return { dialect, wrapper, invoices: [], xml };
  const targets: InvoiceElement[] = known ? xml.roots.flatMap((r) => findInvoices(r, dialect)) : [];
  const problems: EngineDiagnostic[][] = targets.map(() => []);
  for (const p of xml.problems) {
    const i = indexAt(targets, p.start);
    (i >= 0 ? problems[i] : wrapper).push(diagnostic(p.code, p.message, p.start, p.end, undefined, p.severity));
  }
  const encoding = encodingMismatch(xml, options.sourceEncoding);
  if (encoding) wrapper.push(encoding);
  if (!known) {
    if (xml.root) wrapper.push(unknownDocument(xml.root));
    return { dialect, wrapper, invoices: [], xml };
  }
  const ctx: InvoiceCheckContext = {
    dialect,
    inResponse: xml.root?.name === 'Response' || xml.root?.name === 'ApiException',
    options,
    schema: schemaFor(dialect, schemasDirectory),
  };
  const isInvoice = new Set(targets.map((t) => t.element));
  const decls = new Map<XmlElement, ElementDecl>();
  const wrapperSchema: EngineDiagnostic[] = [];
  for (const r of xml.roots) {
    for (const d of ctx.schema.validateDocument(r, wrapperSchema, (el) => isInvoice.has(el))) decls.set(d.element, d.decl);
  }
  for (const d of wrapperSchema) wrapper.push(d);
  const invoices = targets.map((target, i): CheckedInvoice | PendingInvoice => {
    const el = target.element;
    const check = stream?.checked.get(el) ?? checkLocatedInvoice(target, decls.get(el), ctx);
    if ('enclosing' in check) return { pending: check, problems: problems[i] };
    return {
      document: { ...check.summary, start: el.start, end: el.end },
      diagnostics: problems[i].length === 0 ? check.diagnostics : [...problems[i], ...check.diagnostics],
      numberStart: check.numberStart,
      numberEnd: check.numberEnd,
    };
  });
  return { dialect, wrapper, invoices, xml };
}

/** The invoice whose range holds the offset, or -1. */
function indexAt(targets: readonly InvoiceElement[], offset: number): number {
  let lo = 0;
  let hi = targets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const el = targets[mid].element;
    if (offset < el.start) hi = mid - 1;
    else if (offset > el.end) lo = mid + 1;
    else return mid;
  }
  return -1;
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
    return inv.problems.length === 0 ? check : { ...check, diagnostics: [...inv.problems, ...check.diagnostics] };
  });
  const diagnostics: EngineDiagnostic[] = [];
  // Loops, not push(...list): a list can hold 200,000 diagnostics before the cap.
  for (const d of shot.wrapper) diagnostics.push(d);
  for (const inv of invoices) for (const d of inv.diagnostics) diagnostics.push(d);
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
  const { xml, ...shot } = checkStreaming(text, options, schemasDirectory);
  return { ...settle(shot), xml };
}
