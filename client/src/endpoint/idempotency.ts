import { createHash } from 'node:crypto';

/**
 * The Idempotency-Key of a write: sha256 of the action, the request line and the exact body. A retry — by the
 * HTTP layer after a timeout, or by the user re-running the command after an error — sends the same key, so the
 * endpoint applies it once (Xero keeps keys ≤128 characters; this is 64).
 */
export function idempotencyKey(action: string, method: string, path: string, body: string | Buffer = ''): string {
  const h = createHash('sha256');
  h.update(`${action}\n${method} ${path}\n`);
  h.update(body);
  return h.digest('hex');
}
