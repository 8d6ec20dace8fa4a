import { byPosition, capDiagnostics, diagnostic, type EngineDiagnostic } from './diagnostics';
import type { CheckedDocument, CheckResult } from './document';
import { checkInvoice, checkLocatedInvoice, type InvoiceCheck, type InvoiceCheckContext } from './invoice/check';
import { detectDialect, dialectFrom, findInvoices, invoiceKindAt, type Dialect, type InvoiceElement } from './invoice/dialect';
import type { ResolvedOptions } from './invoice/options';
import { checkDuplicateNumbers } from './invoice/rules/numbers';
import type { ElementDecl } from './schema/model';
import { contentModelFor, schemaFor } from './schema/registry';
import { parseXml } from './xml/parse';
import type { XmlDocument, XmlElement } from './xml/tree';
import { encodingMismatch, unknownDocument } from './wrapper-checks';

/**
 * Which invoices a one-shot check answers for: those whose start tag lies in the `index`-th of `of` equal parts
 * of the text. Every part reads the whole text (reading is the cheap part) and checks only its own invoices, so
 * the parts of a big document can be checked on several threads and merged in order (mergeShares).
 */
export interface ShareOfWork {
  index: number;
  of: number;
}

/** One invoice of a one-shot check, with what the document-wide duplicate-number check needs. */
export interface CheckedInvoice {
  document: CheckedDocument;
  diagnostics: EngineDiagnostic[];
  numberStart: number;
  numberEnd: number;
}

/** What one share of a one-shot check found: plain data (it crosses worker threads). */
export interface ShareResult {
  dialect: Dialect;
  /** Diagnostics outside every invoice (the first share only). */
  wrapper: EngineDiagnostic[];
  /** This share's invoices, in document order. */
  invoices: CheckedInvoice[];
}

const ALL: ShareOfWork = { index: 0, of: 1 };

/** Checks invoices while the parser reads the document, then lets their subtrees go. */
class StreamingCheck {
  dialect: Dialect | undefined;
  /** Invoices checked as they were read (null: not this share's, let go unchecked). */
  readonly checked = new Map<XmlElement, InvoiceCheck | null>();
  private ctx: InvoiceCheckContext | undefined;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly schemasDirectory: string | undefined,
    private readonly owns: (offset: number) => boolean,
  ) {}

  readonly listener = (el: XmlElement, ancestors: readonly XmlElement[]): void => {
    const kind = invoiceKindAt(el, ancestors);
    if (!kind) return;
    const root = ancestors[0] ?? el;
    this.dialect ??= dialectFrom(root, el);
    if (this.dialect === 'unknown' || (kind === 'creditNote' && this.dialect !== 'xero-2.0')) return;
    this.ctx ??= {
      dialect: this.dialect,
      inResponse: root.name === 'Response' || root.name === 'ApiException',
      options: this.options,
      schema: schemaFor(this.dialect, this.schemasDirectory),
    };
    let decl = this.ctx.schema.model.roots.get(root.name);
    for (let i = 1; i <= ancestors.length && decl; i++) {
      const a = i < ancestors.length ? ancestors[i] : el;
      const t = decl.type.get();
      decl = t.kind === 'complex' ? t.elements.get(a.name) : undefined;
    }
    if (!decl) return;
    this.checked.set(el, this.owns(el.start) ? checkInvoice({ element: el, kind }, decl, this.ctx) : null);
    el.children = [];
    el.text = '';
  };
}

/**
 * A one-shot check of a text (the CLI, the sandbox): each invoice is checked as soon as the parser has read it
 * and its subtree let go, so a 10 MB document is never held as a whole tree. `share` limits the invoices
 * checked to one part of the text.
 */
export function checkShare(
  text: string,
  options: ResolvedOptions,
  schemasDirectory?: string,
  share: ShareOfWork = ALL,
): ShareResult & { xml: XmlDocument } {
  return run(text, options, schemasDirectory, share, true);
}

function run(text: string, options: ResolvedOptions, schemasDirectory: string | undefined, share: ShareOfWork, streaming: boolean): ShareResult & { xml: XmlDocument } {
  const lo = share.index === 0 ? 0 : Math.floor((share.index * text.length) / share.of);
  const hi = share.index === share.of - 1 ? Infinity : Math.floor(((share.index + 1) * text.length) / share.of);
  const owns = (offset: number) => offset >= lo && offset < hi;
  const stream = streaming ? new StreamingCheck(options, schemasDirectory, owns) : undefined;
  const xml = parseXml(text, stream?.listener, contentModelFor(schemasDirectory));
  const dialect = detectDialect(xml.root);
  // The first invoice suggested another dialect than the whole document does (an odd mix): read it again,
  // keeping every subtree.
  if (stream && stream.dialect !== undefined && stream.dialect !== dialect) return run(text, options, schemasDirectory, share, false);
  const first = share.index === 0;
  const wrapper: EngineDiagnostic[] = [];
  const known = dialect !== 'unknown';
  if (!known && !options.reportUnknownDocuments) return { dialect, wrapper, invoices: [], xml };
  const targets: InvoiceElement[] = known ? xml.roots.flatMap((r) => findInvoices(r, dialect)) : [];
  const problems: EngineDiagnostic[][] = targets.map(() => []);
  for (const p of xml.problems) {
    const i = indexAt(targets, p.start);
    if (i >= 0) {
      if (owns(targets[i].element.start)) problems[i].push(diagnostic(p.code, p.message, p.start, p.end, undefined, p.severity));
    } else if (first) wrapper.push(diagnostic(p.code, p.message, p.start, p.end, undefined, p.severity));
  }
  const encoding = first ? encodingMismatch(xml, options.sourceEncoding) : undefined;
  if (encoding) wrapper.push(encoding);
  if (!known) {
    if (xml.root && first) wrapper.push(unknownDocument(xml.root));
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
  if (first) for (const d of wrapperSchema) wrapper.push(d);
  const owned: CheckedInvoice[] = [];
  targets.forEach((target, i) => {
    const el = target.element;
    if (!owns(el.start)) return;
    const check = stream?.checked.get(el) ?? checkLocatedInvoice(target, decls.get(el), ctx);
    owned.push({
      document: { ...check.summary, start: el.start, end: el.end },
      diagnostics: problems[i].length === 0 ? check.diagnostics : [...problems[i], ...check.diagnostics],
      numberStart: check.numberStart,
      numberEnd: check.numberEnd,
    });
  });
  return { dialect, wrapper, invoices: owned, xml };
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

/** The shares of one text, in share order, as one result: duplicates across the whole document, capped families. */
export function mergeShares(shares: readonly ShareResult[]): Omit<CheckResult, 'xml'> {
  const invoices = shares.flatMap((s) => s.invoices);
  const diagnostics: EngineDiagnostic[] = [];
  // Loops, not push(...list): a list can hold 200,000 diagnostics before the cap.
  for (const s of shares) for (const d of s.wrapper) diagnostics.push(d);
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
    dialect: shares[0]?.dialect ?? 'unknown',
    diagnostics: capDiagnostics(diagnostics.sort(byPosition)),
    documents: invoices.map((inv) => inv.document),
    checkedInvoices: invoices.length,
  };
}

/** A one-shot check of the whole text on this thread. */
export function checkOnce(text: string, options: ResolvedOptions, schemasDirectory?: string): CheckResult {
  const { xml, ...share } = checkShare(text, options, schemasDirectory);
  return { ...mergeShares([share]), xml };
}
