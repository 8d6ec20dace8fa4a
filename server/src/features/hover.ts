import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import type { DocumentStore, OpenDocument } from '../documents';
import { format2, isDecimal, type InvoiceFigures, type Amount, type XmlElement } from '../engine';
import { toRange } from './convert';
import { invoiceView, type InvoiceView } from './invoice-view';
import { declarationOf, effectiveType, enumValues, modelOf, occursInWords, typeInWords } from './schema-at';

/** How many enumeration values a hover lists. */
const MAX_VALUES = 20;
/** Beyond this many lines a sum is shown as "Σ of N lines" rather than term by term. */
const MAX_TERMS = 8;

const LINE_AMOUNTS = new Set(['LineAmount', 'TaxAmount']);
const TOTALS = new Set(['SubTotal', 'TotalTax', 'Total']);

/**
 * Hover on an element name (start or end tag): its documentation from the XSD, its type in words, the allowed
 * values and how often it may occur; on the amounts of a Xero 2.0/1.0 invoice also the computed value and how it
 * was derived. On an enumerated value: that value's documentation.
 */
export function hover(store: DocumentStore, params: HoverParams): Hover | null {
  const doc = store.get(params.textDocument.uri);
  if (!doc) return null;
  const model = modelOf(doc);
  if (!model) return null;
  const td = doc.textDocument;
  const offset = td.offsetAt(params.position);
  const located = doc.analysis.locate(offset);
  if (!located) return null;
  const { element: el, origin, invoice } = located;
  const startName: [number, number] = [origin + el.start + 1, origin + el.nameEnd];
  const endName: [number, number] = [origin + el.closeStart + 2, origin + el.closeStart + 2 + el.name.length];
  const within = ([s, e]: [number, number]) => offset >= s && offset <= e;
  let range: [number, number];
  if (within(startName)) range = startName;
  else if (!el.selfClosing && !el.unclosed && within(endName) && td.slice(origin + el.closeStart, origin + el.closeStart + 2 + el.name.length) === `</${el.name}`) range = endName;
  else return valueHover(doc, el, origin, invoice, offset);
  const decl = declarationOf(doc, el, invoice);
  const parts: string[] = [`**${el.name}**${el.parent ? ` in ${el.parent.name}` : ''}`];
  if (decl) {
    if (decl.doc) parts.push(decl.doc);
    const type = effectiveType(model, el, decl);
    parts.push(`Type: ${typeInWords(type)}  \nOccurs: ${occursInWords(decl)}`);
    if (type.kind === 'simple') {
      const values = enumValues(type);
      if (values.length > 0) {
        const shown = values.slice(0, MAX_VALUES).map((v) => `- \`${v.value}\`${v.doc ? ` — ${v.doc}` : ''}`);
        if (values.length > MAX_VALUES) shown.push(`- … and ${values.length - MAX_VALUES} more`);
        parts.push(`Allowed values:\n${shown.join('\n')}`);
      }
    }
  } else {
    parts.push(`The schema of this document (${doc.analysis.dialect}) does not declare <${el.name}> here.`);
  }
  if (invoice >= 0 && (LINE_AMOUNTS.has(el.name) || TOTALS.has(el.name))) {
    const computed = computedFigure(doc, el, invoice);
    if (computed) parts.push(computed);
  }
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n') }, range: toRange(td, range[0], range[1]) };
}

/** Hovering over an enumerated value (e.g. `OUTPUT2`): what that value means. */
function valueHover(doc: OpenDocument, el: XmlElement, origin: number, invoice: number, offset: number): Hover | null {
  if (el.children.length > 0 || el.selfClosing || el.textStart < 0) return null;
  const start = origin + el.textStart;
  const value = el.text.trim();
  const end = start + value.length;
  if (offset < start || offset > end || doc.textDocument.slice(start, end) !== value) return null;
  const figure = invoice >= 0 ? valueFigure(doc, el, invoice) : null;
  if (figure) return { contents: { kind: MarkupKind.Markdown, value: `**${el.name}** ${value}\n\n${figure}` }, range: toRange(doc.textDocument, start, end) };
  const decl = declarationOf(doc, el, invoice);
  const model = modelOf(doc);
  if (!decl || !model) return null;
  const type = effectiveType(model, el, decl);
  if (type.kind !== 'simple') return null;
  const match = enumValues(type).find((v) => v.value === value);
  if (!match) return null;
  const text = `\`${match.value}\` (${el.name})${match.doc ? `\n\n${match.doc}` : ''}`;
  return { contents: { kind: MarkupKind.Markdown, value: text }, range: toRange(doc.textDocument, start, end) };
}

const show = (v: Amount | null) => format2(v) ?? 'not known';

/** What a line's inputs give: hovering a Quantity, UnitAmount or discount shows the line's figures and their derivation. */
const LINE_INPUTS = new Set(['Quantity', 'UnitAmount', 'DiscountRate', 'DiscountAmount']);

/** Hover on an amount's value (not only its tag): the computed figure and how it was derived. */
function valueFigure(doc: OpenDocument, el: XmlElement, invoice: number): string | null {
  if (LINE_AMOUNTS.has(el.name) || TOTALS.has(el.name)) return computedFigure(doc, el, invoice);
  if (!LINE_INPUTS.has(el.name)) return null;
  const view = invoiceView(doc, invoice);
  const n = view?.figures ? lineIndex(view, el.parent) : -1;
  if (!view?.figures || n < 0) return null;
  const f = view.figures.lines[n];
  const cur = view.model.currency ? ` ${view.model.currency}` : '';
  return [`Line ${n + 1}: LineAmount ${show(f.lineAmount)}${cur} — ${f.lineDerivation || 'not known'}`, `tax ${show(f.taxAmount)} — ${f.taxDerivation}`].join('  \n');
}

/** `177.00 − 79.00 = 98.00`, or `Σ of 12 lines = …` when there are many. */
function sumOf(values: (Amount | null)[], total: Amount | null): string {
  if (values.length === 0) return `no lines: ${show(total)}`;
  if (values.length > MAX_TERMS) return `Σ of ${values.length} lines = ${show(total)}`;
  const terms = values.map((v, k) => {
    const s = show(v);
    if (k === 0) return s;
    return s.startsWith('-') ? `− ${s.slice(1)}` : `+ ${s}`;
  });
  return `${terms.join(' ')} = ${show(total)}`;
}

function stated(el: XmlElement, computed: Amount | null): string | undefined {
  const v = el.text.trim();
  if (!computed || !isDecimal(v) || computed.eq(v)) return undefined;
  return `Stated ${v} differs from the computed ${show(computed)}.`;
}

/** The computed value of an amount of a Xero 2.0/1.0 invoice and how it was derived. */
function computedFigure(doc: OpenDocument, el: XmlElement, invoice: number): string | null {
  const view = invoiceView(doc, invoice);
  if (!view) return null;
  if (!view.figures) return view.model.purpose === 'statusChange' ? 'A status change carries no amounts: nothing is computed.' : null;
  const cur = view.model.currency ? ` ${view.model.currency}` : '';
  if (LINE_AMOUNTS.has(el.name)) {
    const n = lineIndex(view, el.parent);
    if (n < 0) return null;
    const f = view.figures.lines[n];
    const value = el.name === 'LineAmount' ? f.lineAmount : f.taxAmount;
    const how = el.name === 'LineAmount' ? f.lineDerivation : f.taxDerivation;
    const other = el.name === 'LineAmount' ? `tax ${show(f.taxAmount)} — ${f.taxDerivation}` : `LineAmount ${show(f.lineAmount)} — ${f.lineDerivation}`;
    return [`Computed: ${show(value)}${cur} — ${how || 'not known'}`, other, stated(el, value)].filter(Boolean).join('  \n');
  }
  if (el.parent !== view.model.element && el.parent?.start !== view.model.element.start) return null;
  return totalsText(view.figures, view.model.lineAmountTypes, el, cur);
}

function lineIndex(view: InvoiceView, line: XmlElement | null): number {
  if (!line) return -1;
  return view.model.lines.findIndex((l) => l.element === line || l.element.start === line.start);
}

function totalsText(figures: InvoiceFigures, types: string, el: XmlElement, cur: string): string {
  const amounts = figures.lines.map((l) => l.lineAmount);
  const lineAmounts = sumOf(amounts, types === 'Inclusive' ? figures.total : figures.subTotal);
  const taxes = sumOf(figures.lines.map((l) => l.taxAmount), figures.totalTax);
  let value: Amount | null;
  let how: string;
  if (el.name === 'TotalTax') {
    value = figures.totalTax;
    how = `the sum of the line taxes: ${taxes}`;
  } else if (types === 'Inclusive') {
    if (el.name === 'Total') {
      value = figures.total;
      how = `the sum of the line amounts (Inclusive: they include tax): ${lineAmounts}`;
    } else {
      value = figures.subTotal;
      how = `Total ${show(figures.total)} − TotalTax ${show(figures.totalTax)} = ${show(figures.subTotal)} (Inclusive)`;
    }
  } else if (el.name === 'SubTotal') {
    value = figures.subTotal;
    how = `the sum of the line amounts (${types}): ${lineAmounts}`;
  } else {
    value = figures.total;
    how = `SubTotal ${show(figures.subTotal)} + TotalTax ${show(figures.totalTax)} = ${show(figures.total)} (${types})`;
  }
  return [`Computed: ${show(value)}${cur} — ${how}`, stated(el, value)].filter(Boolean).join('  \n');
}
