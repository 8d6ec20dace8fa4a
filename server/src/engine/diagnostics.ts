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

/** A copy of the diagnostic, its range moved by `by`. */
export function moved(d: EngineDiagnostic, by: number): EngineDiagnostic {
  return { ...d, start: d.start + by, end: d.end + by };
}

export function byPosition(a: EngineDiagnostic, b: EngineDiagnostic): number {
  return a.start - b.start || a.end - b.end || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

/** At most this many diagnostics of one code per document; the rest are counted in one summary diagnostic. */
export const MAX_DIAGNOSTICS_PER_CODE = 1000;

/** The diagnostic standing for `omitted` more of a code, at the first one left out. */
export function cappedSummary(code: DiagnosticCode, omitted: number, shown: number, start: number, end: number): EngineDiagnostic {
  return diagnostic(
    'diagnostics-capped',
    `${omitted} more ${code} problem${omitted === 1 ? '' : 's'} in this document ${omitted === 1 ? 'is' : 'are'} not listed (the first ${shown} are): fix those first.`,
    start,
    end,
    { code, omitted },
    CODES[code].severity,
  );
}

/**
 * Diagnostics sorted by position, each code kept at most `max` times (the first ones), the rest summed up in a
 * summary diagnostic of the code's severity where the first left-out one was: a document with 200,000 unknown
 * elements answers with a page of problems, not 76 MB of them.
 */
export function capDiagnostics(sorted: EngineDiagnostic[], max = MAX_DIAGNOSTICS_PER_CODE): EngineDiagnostic[] {
  if (sorted.length <= max) return sorted;
  const counts = new Map<DiagnosticCode, number>();
  const firstOmitted = new Map<DiagnosticCode, EngineDiagnostic>();
  const kept: EngineDiagnostic[] = [];
  for (const d of sorted) {
    const n = (counts.get(d.code) ?? 0) + 1;
    counts.set(d.code, n);
    if (n <= max) kept.push(d);
    else if (n === max + 1) firstOmitted.set(d.code, d);
  }
  if (firstOmitted.size === 0) return sorted;
  for (const [code, d] of firstOmitted) kept.push(cappedSummary(code, counts.get(code)! - max, max, d.start, d.end));
  return kept.sort(byPosition);
}
