/** Why a request to the endpoint failed, in words a bookkeeper understands, with the technical cause beside it. */
export type EndpointErrorKind =
  | 'auth' // 401/403: token missing, expired or refused
  | 'notFound' // 404
  | 'validation' // 400: the endpoint rejected the document
  | 'rateLimit' // 429 we did not (or could no longer) wait for
  | 'server' // 5xx after the retries
  | 'network' // connection refused/reset/dropped after the retries
  | 'timeout' // no answer within requestTimeoutMs after the retries
  | 'malformed' // an answer we could not read after the retries
  | 'tooLarge' // an answer beyond the size cap (endpoint.maxResponseMB): not read further, not retried
  | 'refused' // refused locally before any request (insecure URL, missing credentials, preconditions)
  | 'cancelled';

export class EndpointError extends Error {
  readonly kind: EndpointErrorKind;
  readonly status: number | undefined;
  /** Validation messages from the endpoint, one per problem. */
  readonly details: string[];
  /** The technical cause (error code, HTTP status line): for the log and the "cause" part of a message. */
  readonly causeText: string | undefined;

  constructor(kind: EndpointErrorKind, message: string, opts: { status?: number; details?: string[]; causeText?: string } = {}) {
    super(message);
    this.name = 'EndpointError';
    this.kind = kind;
    this.status = opts.status;
    this.details = opts.details ?? [];
    this.causeText = opts.causeText;
  }
}

export function isEndpointError(e: unknown): e is EndpointError {
  return e instanceof EndpointError;
}

/** Any thrown value as one readable sentence (EndpointError messages are already written for people). */
export function describeError(e: unknown): string {
  if (e instanceof EndpointError) {
    const details = e.details.length ? `: ${e.details.join('; ')}` : '';
    return `${e.message}${details}`;
  }
  return e instanceof Error ? e.message : String(e);
}
