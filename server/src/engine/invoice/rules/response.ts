import type { XmlElement } from '../../xml/tree';
import type { InvoiceModel } from '../model';
import { report, valueRange, type RuleContext } from './context';

function messages(el: XmlElement, container: string, item: string, found: XmlElement[]): void {
  for (const c of el.children) {
    if (c.name === container) {
      for (const v of c.children) {
        if (v.name !== item) continue;
        const m = v.children.find((x) => x.name === 'Message');
        if (m && m.text.trim()) found.push(m);
      }
    } else if (c.children.length > 0) {
      messages(c, container, item, found);
    }
  }
}

/** The API's own verdict in a response (status="ERROR", an ApiException echo): each message as a diagnostic. */
export function checkResponseErrors(inv: InvoiceModel, ctx: RuleContext): void {
  const errors: XmlElement[] = [];
  messages(inv.element, 'ValidationErrors', 'ValidationError', errors);
  for (const m of errors) {
    report(ctx, 'response-validation-error', `The API rejected this ${inv.kind === 'creditNote' ? 'credit note' : 'invoice'}: ${m.text.trim()}`, valueRange(m), { message: m.text.trim() });
  }
  const warnings: XmlElement[] = [];
  messages(inv.element, 'Warnings', 'Warning', warnings);
  for (const m of warnings) {
    report(ctx, 'response-validation-error', `The API warned: ${m.text.trim()}`, valueRange(m), { message: m.text.trim() }, 'warning');
  }
}
