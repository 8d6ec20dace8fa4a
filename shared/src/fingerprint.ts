import { createHash } from 'node:crypto';

/**
 * A short fingerprint of one invoice's text (from its start tag to its end tag): a code lens carries it, and the
 * command refuses when the invoice it finds no longer has it, so a lens never acts on another invoice than the
 * one it was shown on.
 */
export function invoiceFingerprint(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
