import { plural, type CommandResult } from '../outcomes';
import { showInfo, showWarning } from '../ui';

/** The notification after a send: what was created, what was rejected (shown in Problems), what was not sent. */
export function reportSend(verb: string, r: CommandResult): void {
  const ok = r.outcomes.filter((o) => o.ok);
  const failed = r.outcomes.filter((o) => !o.ok);
  const parts: string[] = [];
  if (ok.length) parts.push(`${verb} ${ok.length === 1 ? `${ok[0].invoiceNumber ?? ok[0].name}${ok[0].status ? ` (${ok[0].status})` : ''}` : plural(ok.length, 'invoice')}.`);
  if (failed.length === 1) parts.push(`${failed[0].name} was rejected: ${failed[0].errors.join('; ')}`);
  else if (failed.length > 1) parts.push(`${failed.length} were rejected (see the Problems panel).`);
  if (r.unanswered) parts.push(`Stopped: the outcome of the last request is unknown (${r.stoppedBy}).${r.notSent ? ` ${plural(r.notSent, 'invoice')} not sent.` : ''}`);
  else if (r.stoppedBy) parts.push(`Stopped: ${r.stoppedBy} ${plural(r.notSent, 'invoice')} not sent.`);
  else if (r.cancelled) parts.push(`Cancelled: ${plural(r.notSent, 'invoice')} not sent.`);
  else if (r.notSent) parts.push(`${plural(r.notSent, 'invoice')} not sent.`);
  if (r.unmatched) parts.push('The answer did not match the invoices sent, so nothing was written into the document (it is shown beside it).');
  if (r.writeBack === 'stale') parts.push('The document changed meanwhile, so nothing was written into it.');
  const text = parts.join(' ') || 'Nothing was sent.';
  if (failed.length || r.notSent || r.stoppedBy || r.unmatched) showWarning(text);
  else showInfo(text);
}
