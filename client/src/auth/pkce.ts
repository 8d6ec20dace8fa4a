import { createHash, randomBytes } from 'node:crypto';

/** A PKCE pair (RFC 7636): a 43-character verifier from 32 random bytes, and its S256 challenge. */
export interface Pkce {
  verifier: string;
  challenge: string;
}

export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: s256(verifier) };
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** An unguessable `state` that ties the browser's answer to this sign-in. */
export function randomState(): string {
  return randomBytes(24).toString('base64url');
}
