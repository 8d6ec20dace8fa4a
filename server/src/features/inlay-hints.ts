import { InlayHintKind, type InlayHint, type InlayHintParams } from 'vscode-languageserver';
import { format2, isDecimal, type Amount, type XmlElement } from '../engine';
import type { DocumentStore } from '../documents';
import { invoiceView } from './invoice-view';

function differs(stated: XmlElement | undefined, computed: Amount | null): boolean {
  if (!computed) return false;
  if (!stated) return true;
  const v = stated.text.trim();
  return !isDecimal(v) || !computed.eq(v);
}

/**
 * Computed figures beside the stated ones, for the requested range only: after each line its LineAmount and
 * TaxAmount where they are absent or differ, after SubTotal/TotalTax/Total the computed value, and where an
 * invoice states no totals one hint with all three at its end.
 */
export function inlayHints(store: DocumentStore, params: InlayHintParams): InlayHint[] {
  const doc = store.get(params.textDocument.uri);
  if (!doc || doc.textDocument.length > doc.settings.maxDocumentSize) return [];
  const td = doc.textDocument;
  const from = td.offsetAt(params.range.start);
  const to = td.offsetAt(params.range.end);
  const result = doc.result();
  const hints: InlayHint[] = [];
  // Padded on both sides where text follows (a hint before `</Invoice>` must not touch it).
  const at = (offset: number, label: string, tooltip?: string, beforeText = false) =>
    hints.push({ position: td.positionAt(offset), label, kind: InlayHintKind.Parameter, paddingLeft: true, ...(beforeText ? { paddingRight: true } : {}), ...(tooltip ? { tooltip } : {}) });
  result.documents.forEach((d, i) => {
    if (d.end < from || d.start > to || d.purpose === 'statusChange') return;
    const view = invoiceView(doc, i);
    if (!view || !view.figures) return;
    const { model, figures, origin } = view;
    const cur = model.currency ? ` ${model.currency}` : '';
    model.lines.forEach((line, n) => {
      const f = figures.lines[n];
      const end = origin + line.element.end;
      if (end < from || end > to) return;
      const parts: string[] = [];
      if (differs(line.fields.get('LineAmount'), f.lineAmount)) parts.push(`= ${format2(f.lineAmount)}`);
      if (differs(line.fields.get('TaxAmount'), f.taxAmount)) parts.push(`tax ${format2(f.taxAmount)}`);
      if (parts.length > 0) at(end, `${parts.join(' · ')}${cur}`, [f.lineDerivation, f.taxDerivation].filter(Boolean).join('\n'));
    });
    const totals: [string, Amount | null][] = [
      ['SubTotal', figures.subTotal],
      ['TotalTax', figures.totalTax],
      ['Total', figures.total],
    ];
    const stated = totals.filter(([name]) => model.fields.has(name));
    for (const [name, value] of stated) {
      const el = model.fields.get(name)!;
      const end = origin + el.end;
      if (end >= from && end <= to && value) at(end, `= ${format2(value)}${cur}`, `Computed ${name}`);
    }
    if (stated.length === 0) {
      const close = origin + model.element.closeStart;
      const show = (v: Amount | null) => format2(v) ?? '?';
      if (close >= from && close <= to) {
        at(close, `Subtotal ${show(figures.subTotal)} · Tax ${show(figures.totalTax)} · Total ${show(figures.total)}${cur}`, undefined, true);
      }
    }
  });
  return hints;
}
