import { randomUUID } from 'node:crypto';
import { EndpointError } from './errors';

/**
 * The Idempotency-Key of one logical write (a batch, a status change, an email): a random UUID made when the user
 * acts. It is reused only to retry that same write — by the HTTP layer's automatic retries and by an explicit
 * "Retry the same request" after an unknown outcome — never for a new action, even one with the same content:
 * a key derived from the content would replay an old answer to A → B → A or to a second email.
 */
export function newIdempotencyKey(): string {
  return randomUUID();
}

/** A write exactly as it went on the wire, so that it can be sent again byte for byte with the same key. */
export interface WireWrite {
  method: 'PUT' | 'POST';
  url: string;
  contentType: string;
  body: string;
  idempotencyKey: string;
}

/**
 * A write whose fate is unknown: the request may or may not have been carried out (timeout, dropped connection,
 * unreadable answer or 5xx after the automatic retries, or cancelled while on the wire). Only the same request
 * with the same key can settle it without risking a duplicate.
 */
export class UnknownOutcomeError extends EndpointError {
  constructor(
    readonly write: WireWrite,
    cause: EndpointError,
  ) {
    super(cause.kind, cause.message, { ...(cause.status !== undefined ? { status: cause.status } : {}), details: cause.details, ...(cause.causeText ? { causeText: cause.causeText } : {}) });
    this.name = 'UnknownOutcomeError';
  }
}

/** Whether a failed write may have been carried out by the endpoint anyway. */
export function outcomeUnknown(e: EndpointError, attempted: boolean): boolean {
  if (e.kind === 'network' || e.kind === 'timeout' || e.kind === 'malformed' || e.kind === 'server') return true;
  // Cancelled after at least one attempt went out: that attempt may have landed.
  return e.kind === 'cancelled' && attempted;
}
