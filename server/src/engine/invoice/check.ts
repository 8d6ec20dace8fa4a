import { moved, type EngineDiagnostic } from '../diagnostics';
import type { ElementDecl } from '../schema/model';
import type { SchemaValidator, SubtreeMemo } from '../schema/validate';
import type { XmlElement } from '../xml/tree';
import type { Dialect, InvoiceElement } from './dialect';
import { invoiceModel, type InvoiceModel, type LineModel, type Purpose } from './model';
import type { ResolvedOptions } from './options';
import { checkApproval } from './rules/approval';
import type { RuleContext } from './rules/context';
import { checkLines } from './rules/lines';
import { checkDates } from './rules/dates';
import { checkOrganisationLists } from './rules/organisation';
import { checkResponseErrors } from './rules/response';
import { checkStatusChange } from './rules/status-change';
import { checkAmountDue, checkTotals } from './rules/totals';
import { checkWorkflowMaxInvoice } from './rules/workflowmax';
import { computeLine, computeTotals, format2, parseAmount, type InvoiceFigures, type LineAmountTypes, type LineFigures } from './totals';

/** One invoice as the CLI's JSON and the editor's lenses show it: computed figures as 2-decimal strings. */
export interface DocumentSummary {
  kind: 'invoice' | 'creditNote';
  number: string | null;
  status: string | null;
  type: string | null;
  lineAmountTypes: LineAmountTypes;
  currency: string | null;
  lines: { lineAmount: string | null; taxAmount: string | null }[];
  subTotal: string | null;
  totalTax: string | null;
  total: string | null;
  purpose: Purpose;
  invoiceId: string | null;
  contact: string | null;
}

/** A summary with the range of its invoice element. */
export type PlacedSummary = DocumentSummary & { start: number; end: number };

export interface InvoiceCheck {
  /** Placed where the invoice element stands in the text it was checked in. */
  summary: PlacedSummary;
  diagnostics: EngineDiagnostic[];
  /** The InvoiceNumber's value range, for document-wide duplicate checks. */
  numberStart: number;
  numberEnd: number;
}

export interface InvoiceCheckContext {
  dialect: Dialect;
  /** The document is an API response (or error echo): its invoices describe state, not requests. */
  inResponse: boolean;
  options: ResolvedOptions;
  schema: SchemaValidator;
  memo?: CheckMemo;
}

/**
 * What an open document keeps between checks of an invoice, element by element, so that an edit in one line of a
 * big invoice does not redo the work of the others: what validating the elements of long lists gave (SubtreeMemo),
 * each line item's model, each model's figures, each line's summary. The document drops the entries of the
 * elements an edit changes; a fresh parse makes new elements, with no entries.
 */
export interface CheckMemo extends SubtreeMemo {
  readonly lineModels: WeakMap<XmlElement, LineModel>;
  readonly lineFigures: WeakMap<LineModel, { lineAmountTypes: LineAmountTypes; rates: ReadonlyMap<string, string>; figures: LineFigures }>;
  readonly lineSummaries: WeakMap<LineFigures, LineSummary>;
}

type LineSummary = DocumentSummary['lines'][number];

/** The summary at a place in the text: a new object, its fields written out (a spread is slower, per invoice). */
export function placedSummary(s: DocumentSummary, start: number, end: number): PlacedSummary {
  return {
    kind: s.kind,
    number: s.number,
    status: s.status,
    type: s.type,
    lineAmountTypes: s.lineAmountTypes,
    currency: s.currency,
    lines: s.lines,
    subTotal: s.subTotal,
    totalTax: s.totalTax,
    total: s.total,
    purpose: s.purpose,
    invoiceId: s.invoiceId,
    contact: s.contact,
    start,
    end,
  };
}

/** The check with every offset moved by `by` (its diagnostics copied, the summary shared). */
export function shiftCheck(check: InvoiceCheck, by: number): InvoiceCheck {
  if (by === 0) return check;
  return {
    summary: check.summary,
    diagnostics: check.diagnostics.map((d) => moved(d, by)),
    numberStart: check.numberStart + by,
    numberEnd: check.numberEnd + by,
  };
}

/**
 * Figures for a Xero 2.0 or 1.0 invoice model, null for status changes (they carry no amounts). `memo`: each line's
 * figures kept by its model (see CheckMemo).
 */
export function invoiceFigures(inv: InvoiceModel, options: ResolvedOptions, memo?: CheckMemo['lineFigures']): InvoiceFigures | null {
  if (inv.purpose === 'statusChange') return null;
  const { lineAmountTypes } = inv;
  const rates = options.rates;
  // Pushed to, not mapped: see invoiceModel.
  const lines: LineFigures[] = [];
  for (let i = 0; i < inv.lines.length; i++) {
    const l = inv.lines[i];
    const known = memo?.get(l);
    if (known && known.lineAmountTypes === lineAmountTypes && known.rates === rates) {
      lines.push(known.figures);
      continue;
    }
    const figures = computeLine(l.input, lineAmountTypes, rates);
    memo?.set(l, { lineAmountTypes, rates, figures });
    lines.push(figures);
  }
  return computeTotals(lines, lineAmountTypes);
}

function summaryLine(l: LineFigures, memo: CheckMemo['lineSummaries'] | undefined): LineSummary {
  let s = memo?.get(l);
  if (!s) {
    s = { lineAmount: format2(l.lineAmount), taxAmount: format2(l.taxAmount) };
    memo?.set(l, s);
  }
  return s;
}

function statedFigure(inv: InvoiceModel, name: string): string | null {
  const v = parseAmount(inv.fields.get(name)?.text);
  return v ? format2(v) : null;
}

function emptySummary(kind: 'invoice' | 'creditNote', el: XmlElement): PlacedSummary {
  return {
    kind, number: null, status: null, type: null, lineAmountTypes: 'Exclusive', currency: null, lines: [],
    subTotal: null, totalTax: null, total: null, purpose: 'create', invoiceId: null, contact: null, start: el.start, end: el.end,
  };
}

/**
 * Checks an invoice found in a document, with the declaration the schema gives it where it stands (or, where the
 * schema knows no such place, the root declaration of its kind; with neither: nothing to check).
 */
export function checkLocatedInvoice(target: InvoiceElement, decl: ElementDecl | undefined, ctx: InvoiceCheckContext): InvoiceCheck {
  const d = decl ?? ctx.schema.model.roots.get(target.kind === 'creditNote' ? 'CreditNote' : 'Invoice');
  if (d) return checkInvoice(target, d, ctx);
  return { summary: emptySummary(target.kind, target.element), diagnostics: [], numberStart: target.element.start, numberEnd: target.element.start };
}

/** Checks one invoice or credit note: its schema, the rules for its purpose and its totals. */
export function checkInvoice(target: InvoiceElement, decl: ElementDecl, ctx: InvoiceCheckContext): InvoiceCheck {
  const out: EngineDiagnostic[] = [];
  ctx.schema.validateElement(target.element, decl, out, ctx.memo);
  const rules: RuleContext = { options: ctx.options, out };
  if (ctx.dialect === 'workflowmax-3.0') {
    const f = checkWorkflowMaxInvoice(target.element, rules);
    return {
      summary: {
        kind: 'invoice',
        number: f.number,
        status: f.status,
        type: target.element.children.find((c) => c.name === 'Type')?.text.trim() || null,
        lineAmountTypes: 'Exclusive',
        currency: null,
        lines: f.lines,
        subTotal: f.subTotal,
        totalTax: f.totalTax,
        total: f.total,
        purpose: 'state',
        invoiceId: target.element.children.find((c) => c.name === 'UUID')?.text.trim() || null,
        contact: target.element.children.find((c) => c.name === 'Client')?.children.find((c) => c.name === 'Name')?.text.trim() || null,
        start: target.element.start,
        end: target.element.end,
      },
      diagnostics: out,
      numberStart: target.element.start,
      numberEnd: target.element.start,
    };
  }
  const inv = invoiceModel(ctx.dialect, target.kind, target.element, ctx.inResponse, ctx.memo?.lineModels);
  const figures = invoiceFigures(inv, ctx.options, ctx.memo?.lineFigures);
  // A list summary from the API has no lines to recompute: its stated figures are what there is.
  const summaryOnly = inv.purpose === 'state' && !inv.lineItems;
  if (inv.purpose === 'statusChange') checkStatusChange(inv, rules);
  else {
    if (inv.purpose === 'create' && ctx.dialect === 'xero-2.0') {
      checkApproval(inv, rules);
      checkOrganisationLists(inv, rules);
      checkDates(inv, rules);
    }
    checkLines(inv, rules);
    if (figures && !summaryOnly) checkTotals(inv, figures, rules);
    if (inv.purpose === 'state') {
      checkResponseErrors(inv, rules);
      if (ctx.dialect === 'xero-2.0') checkAmountDue(inv, summaryOnly ? null : figures, rules);
    }
  }
  const numberEl = inv.numberElement;
  const lines: LineSummary[] = [];
  if (figures) for (let i = 0; i < figures.lines.length; i++) lines.push(summaryLine(figures.lines[i], ctx.memo?.lineSummaries));
  return {
    summary: {
      kind: inv.kind,
      number: inv.number,
      status: inv.status,
      type: inv.type,
      lineAmountTypes: inv.lineAmountTypes,
      currency: inv.currency,
      lines,
      subTotal: summaryOnly ? statedFigure(inv, 'SubTotal') : format2(figures?.subTotal ?? null),
      totalTax: summaryOnly ? statedFigure(inv, 'TotalTax') : format2(figures?.totalTax ?? null),
      total: summaryOnly ? statedFigure(inv, 'Total') : format2(figures?.total ?? null),
      purpose: inv.purpose,
      invoiceId: inv.invoiceId,
      contact: inv.contactName,
      start: target.element.start,
      end: target.element.end,
    },
    diagnostics: out,
    numberStart: numberEl ? numberEl.openEnd : target.element.start,
    numberEnd: numberEl ? Math.max(numberEl.closeStart, numberEl.openEnd) : target.element.start,
  };
}
