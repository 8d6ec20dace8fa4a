import { CODES, type DiagnosticCode, type Severity } from '../../../shared/src/codes';

/** A diagnostic as the engine reports it: offsets into the text, no LSP types. */
export interface EngineDiagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  /** What a quick fix needs (computed values, expected enumeration values, …). */
  data?: Record<string, unknown>;
}

export function diagnostic(
  code: DiagnosticCode,
  message: string,
  start: number,
  end: number,
  data?: Record<string, unknown>,
  severity: Severity = CODES[code].severity,
): EngineDiagnostic {
  return data === undefined ? { code, severity, message, start, end } : { code, severity, message, start, end, data };
}

export function byPosition(a: EngineDiagnostic, b: EngineDiagnostic): number {
  return a.start - b.start || a.end - b.end || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}
