import type { Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { diagnostic } from '../engine/diagnostics';
import type { CheckResult } from '../engine';
import type { LiveVerdict } from '../documents';
import { toDiagnostic } from './convert';

/**
 * Engine diagnostics plus the endpoint's verdicts on invoices not edited since, less the silenced codes. Pure:
 * what to report and when is the scheduler's business (scheduler.ts).
 */
export function computeDiagnostics(td: TextDocument & { slice(start: number, end: number): string }, result: CheckResult, verdicts: readonly LiveVerdict[], silencedCodes: readonly string[]): Diagnostic[] {
  if (result.dialect === 'unknown') return [];
  const silenced = new Set(silencedCodes);
  const out: Diagnostic[] = [];
  for (const d of result.diagnostics) if (!silenced.has(d.code)) out.push(toDiagnostic(td, d));
  if (silenced.has('response-validation-error')) return out;
  for (const v of verdicts) {
    const tagEnd = v.start + 1 + (/^<([\w:.-]+)/.exec(td.slice(v.start, Math.min(v.end, v.start + 64)))?.[1].length ?? 0);
    for (const m of v.errors) out.push(toDiagnostic(td, diagnostic('response-validation-error', `The endpoint rejected this invoice: ${m}`, v.start, tagEnd, { message: m })));
    for (const m of v.warnings) out.push(toDiagnostic(td, diagnostic('response-validation-error', `The endpoint warned: ${m}`, v.start, tagEnd, { message: m }, 'warning')));
  }
  return out;
}
