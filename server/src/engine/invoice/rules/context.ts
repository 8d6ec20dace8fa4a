import { diagnostic, type EngineDiagnostic } from '../../diagnostics';
import type { XmlElement } from '../../xml/tree';
import type { DiagnosticCode, Severity } from '../../../../../shared/src/codes';
import type { ResolvedOptions } from '../options';

export interface RuleContext {
  options: ResolvedOptions;
  out: EngineDiagnostic[];
}

/** The start tag's name: where a diagnostic about a missing child goes. */
export function tagRange(el: XmlElement): [number, number] {
  return [el.start, el.nameEnd];
}

/** The element's value, or its tag when it is empty: where a diagnostic about a value goes. */
export function valueRange(el: XmlElement): [number, number] {
  return el.closeStart > el.openEnd ? [el.openEnd, el.closeStart] : [el.start, el.nameEnd];
}

export function report(
  ctx: RuleContext,
  code: DiagnosticCode,
  message: string,
  range: [number, number],
  data?: Record<string, unknown>,
  severity?: Severity,
): void {
  ctx.out.push(diagnostic(code, message, range[0], range[1], data, severity));
}
