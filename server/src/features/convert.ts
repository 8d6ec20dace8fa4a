import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { EngineDiagnostic } from '../engine';

export const SOURCE = 'xero-invoice';

export function toRange(doc: TextDocument, start: number, end: number): Range {
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
} as const;

export function toDiagnostic(doc: TextDocument, d: EngineDiagnostic): Diagnostic {
  const out: Diagnostic = { range: toRange(doc, d.start, d.end), severity: SEVERITY[d.severity], code: d.code, source: SOURCE, message: d.message };
  if (d.data) out.data = d.data;
  return out;
}
