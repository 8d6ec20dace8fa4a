import { createHash } from 'node:crypto';
import type { Store } from '../store/store';
import type { Reply } from './reply';

export const MAX_KEY_LENGTH = 128;

/** Headers that belong to the moment of the answer, not to the answer: not replayed from the first response. */
const PER_RESPONSE = new Set(['x-minlimit-remaining', 'x-daylimit-remaining', 'x-appminlimit-remaining', 'retry-after', 'x-rate-limit-problem', 'date']);

/**
 * `Idempotency-Key`: the first response to a key (per tenant, method and path) is kept on disk before it is sent,
 * and a repeat gets it again, status, headers and body, without doing anything twice. A repeat that arrives
 * while the first is still being answered waits for it.
 */
export class Idempotency {
  private inFlight = new Map<string, Promise<Reply>>();

  constructor(private readonly store: Store) {}

  hash(tenant: string, method: string, path: string, key: string): string {
    return createHash('sha256').update(`${tenant.toLowerCase()}\n${method}\n${path.toLowerCase()}\n${key}`).digest('hex');
  }

  async run(hash: string, produce: () => Promise<Reply>): Promise<Reply> {
    const kept = this.store.idempotency.get(hash);
    if (kept) return { status: kept.status, headers: { ...kept.headers }, body: Buffer.from(kept.body, 'base64') };
    const running = this.inFlight.get(hash);
    if (running) return clone(await running);
    const p = (async () => {
      const r = await produce();
      // Server faults are not answers: a retry after one must be able to succeed.
      if (r.status < 500) {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(r.headers)) if (!PER_RESPONSE.has(k.toLowerCase())) headers[k] = v;
        await this.store.saveIdempotent(hash, { status: r.status, headers, body: r.body.toString('base64'), createdUTC: new Date().toISOString() });
      }
      return r;
    })();
    this.inFlight.set(hash, p);
    try {
      return clone(await p);
    } finally {
      this.inFlight.delete(hash);
    }
  }
}

function clone(r: Reply): Reply {
  return { status: r.status, headers: { ...r.headers }, body: Buffer.from(r.body) };
}
