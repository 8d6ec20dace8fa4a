import type { InvoiceInfo, ServerInvoiceResult } from '../../shared/src/protocol';
import { describeError, EndpointError } from './endpoint/errors';
import type { DocumentOutcome } from './endpoint/xero-v2';
import { invoiceName } from './targets';

/** An endpoint outcome as the server's write-back input for the invoice at `index`. */
export function toServerResult(index: number, o: DocumentOutcome): ServerInvoiceResult {
  const r: ServerInvoiceResult = { index };
  if (o.id) r.invoiceId = o.id;
  if (o.number) r.invoiceNumber = o.number;
  if (o.status) r.status = o.status;
  if (o.updatedDateUTC) r.updatedDateUTC = o.updatedDateUTC;
  if (o.sentToContact !== undefined) r.sentToContact = o.sentToContact;
  if (o.errors.length) r.errors = o.errors;
  if (o.warnings.length) r.warnings = o.warnings;
  return r;
}

/** What a command reports back to its caller (tests, other commands). */
export interface InvoiceOutcome {
  index: number;
  name: string;
  ok: boolean;
  invoiceId?: string;
  invoiceNumber?: string;
  status?: string;
  errors: string[];
  /** Steps of a multi-step action, e.g. "approved", "emailed". */
  steps?: string[];
}

export interface CommandResult {
  outcomes: InvoiceOutcome[];
  notSent: number;
  cancelled: boolean;
  writeBack?: 'applied' | 'nothing' | 'stale';
  /** Why the run stopped early (auth, endpoint unreachable), when it did. */
  stoppedBy?: string;
  file?: string;
  /** The Idempotency-Key of a write whose outcome is unknown, kept for "Retry the same request". */
  unanswered?: string;
  /** Why an answer could not be matched to the invoices sent (nothing was written back). */
  unmatched?: string;
}

export function namesOf(invoices: InvoiceInfo[]): Map<number, string> {
  return new Map(invoices.map((i) => [i.index, invoiceName(i)]));
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What a command returns when it refused or failed: the sentence the user was shown (tests and callers read it). */
export interface Refusal {
  refused: string;
}

/** The refusal for an error, or undefined when the user cancelled. */
export function refusalOf(e: unknown): Refusal | undefined {
  if (e instanceof EndpointError && e.kind === 'cancelled') return undefined;
  return { refused: describeError(e) };
}
