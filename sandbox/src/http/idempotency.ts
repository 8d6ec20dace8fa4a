import { createHash } from 'node:crypto';
import type { Store, StoredResponse } from '../store/store';
import { jsonReply, type Reply } from './reply';

export const MAX_KEY_LENGTH = 128;
/** How long a key is kept (24 h, as payment APIs keep theirs; see sandbox/README.md). */
export const DEFAULT_KEY_LIFETIME_SECONDS = 24 * 60 * 60;
/** The header on a replayed answer. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/** Headers that belong to the moment of the answer, not to the answer: not replayed from the first response. */
const PER_RESPONSE = new Set(['x-minlimit-remaining', 'x-daylimit-remaining', 'x-appminlimit-remaining', 'retry-after', 'x-rate-limit-problem', 'date']);

export interface KeyedRequest {
  tenant: string;
  key: string;
  method: string;
  /** Path and query, as sent. */
  target: string;
  body: Buffer;
}

function fingerprintOf(r: KeyedRequest): string {
  return createHash('sha256').update(`${r.method}\n${r.target}\n`).update(r.body).digest('hex');
}

/** 422, as the IETF Idempotency-Key draft answers a key reused for another request: never a replay of the first. */
function reused(first: { method: string; target: string }, r: KeyedRequest): Reply {
  const same = first.method === r.method && first.target === r.target;
  return jsonReply(422, {
    Title: 'Idempotency-Key reused',
    Status: 422,
    Detail: `This Idempotency-Key was first used for ${first.method} ${first.target}${same ? ' with another body' : ''}; a key belongs to one request. Send a new request with a new key.`,
  });
}

/**
 * `Idempotency-Key`, as payment APIs keep theirs: per tenant, a key belongs to the first request made with it
 * (method, path, query and body). A repeat of that request within the key's lifetime gets the first answer
 * again — status, headers and body, plus `Idempotent-Replayed: true` — without doing anything twice; the same key
 * with another request is refused (422). An answer is kept when the request changed something, or succeeded:
 * a 4xx that changed nothing is not kept (a retry after fixing the cause must be carried out), nor is a 5xx.
 * The kept answer and what the request wrote are one atomic file, so a kill -9 cannot separate them.
 */
export class Idempotency {
  private inFlight = new Map<string, { fingerprint: string; target: string; method: string; reply: Promise<Reply> }>();

  constructor(
    private readonly store: Store,
    private readonly lifetimeMs = DEFAULT_KEY_LIFETIME_SECONDS * 1000,
  ) {}

  private hash(tenant: string, key: string): string {
    return createHash('sha256').update(`${tenant.toLowerCase()}\n${key}`).digest('hex');
  }

  private kept(hash: string, now: Date): StoredResponse | undefined {
    const k = this.store.idempotency.get(hash);
    if (!k) return undefined;
    if (Date.parse(k.createdUTC) + this.lifetimeMs <= now.getTime()) {
      this.store.dropIdempotent(hash);
      return undefined;
    }
    return k;
  }

  async run(r: KeyedRequest, now: Date, produce: () => Promise<Reply>): Promise<Reply> {
    const hash = this.hash(r.tenant, r.key);
    const fingerprint = fingerprintOf(r);
    const kept = this.kept(hash, now);
    if (kept) {
      const first = kept.request;
      if (first && first.fingerprint !== fingerprint) return reused(first, r);
      return { status: kept.status, headers: { ...kept.headers, [REPLAYED_HEADER]: 'true' }, body: Buffer.from(kept.body, 'base64') };
    }
    const running = this.inFlight.get(hash);
    if (running) {
      if (running.fingerprint !== fingerprint) return reused(running, r);
      const first = await running.reply;
      return { ...clone(first), headers: { ...first.headers, [REPLAYED_HEADER]: 'true' } };
    }
    const reply = (async () => {
      const { result, writes } = await this.store.capture(produce);
      const changed = writes.documents.length + writes.contacts.length + writes.outbox.length > 0;
      if (result.status < 500 && (result.status < 400 || changed)) {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(result.headers)) if (!PER_RESPONSE.has(k.toLowerCase())) headers[k] = v;
        // The commit point: the answer and what produced it, in one file.
        await this.store.saveIdempotent(hash, {
          status: result.status,
          headers,
          body: result.body.toString('base64'),
          createdUTC: now.toISOString(),
          request: { method: r.method, target: r.target, fingerprint },
          writes,
        });
        crashPointForTests();
      }
      await this.store.writeCaptured(writes);
      return result;
    })();
    this.inFlight.set(hash, { fingerprint, target: r.target, method: r.method, reply });
    try {
      return clone(await reply);
    } finally {
      this.inFlight.delete(hash);
    }
  }
}

/**
 * `SANDBOX_TEST_KILL_AFTER_KEY_COMMIT=1`: the process kills itself right after a key record is committed and
 * before the documents' own files are written — the crash the atomic commit exists for (resilience test).
 */
function crashPointForTests(): void {
  if (process.env.SANDBOX_TEST_KILL_AFTER_KEY_COMMIT === '1') process.kill(process.pid, 'SIGKILL');
}

function clone(r: Reply): Reply {
  return { status: r.status, headers: { ...r.headers }, body: Buffer.from(r.body) };
}
