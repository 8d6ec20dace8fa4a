import type { WireWrite } from './endpoint/idempotency';
import type { DocumentKind } from './endpoint/xero-v2';

// Writes whose outcome is unknown, kept in the extension's storage so that "Retry the same request" survives a
// reload. No vscode import: tested in plain node with a Map-backed memento.

/**
 * How long an unanswered write may be retried with its key. Shorter than the endpoint keeps keys (the sandbox:
 * 24 h by default), so a retry never reaches an endpoint that has forgotten the key and would act twice.
 */
export const PENDING_LIFETIME_MS = 12 * 60 * 60 * 1000;

export interface PendingItem {
  /** The invoice's index in its document when the request was made. */
  index: number;
  name: string;
  invoiceId?: string | null;
  invoiceNumber?: string | null;
}

export interface PendingWrite {
  write: WireWrite;
  /** What the user did, in words: "Send INV-0051 (invoices.xml)". */
  label: string;
  documentUri: string;
  documentVersion: number;
  kind: DocumentKind;
  /** batch: an answer per document; update: one document's answer; email: no content. */
  shape: 'batch' | 'update' | 'email';
  items: PendingItem[];
  /** A single create of a numbered invoice: looked up by number before anything is resent. */
  lookupNumber?: string;
  createdAt: number;
  expiresAt: number;
}

/** The part of vscode.Memento this needs. */
export interface MementoLike {
  get<T>(key: string, defaultValue: T): T;
  update(key: string, value: unknown): Thenable<void>;
}

const STORAGE_KEY = 'xeroInvoice.pendingWrites';

export class PendingWrites {
  constructor(
    private readonly memento: MementoLike,
    private readonly now: () => number = Date.now,
    readonly lifetimeMs = PENDING_LIFETIME_MS,
  ) {}

  private all(): PendingWrite[] {
    const v = this.memento.get<unknown>(STORAGE_KEY, []);
    return Array.isArray(v) ? (v as PendingWrite[]).filter((p) => p && typeof p.write?.idempotencyKey === 'string') : [];
  }

  /** The writes still open, oldest first; expired ones are dropped from storage. */
  async list(): Promise<PendingWrite[]> {
    const all = this.all();
    const live = all.filter((p) => p.expiresAt > this.now());
    if (live.length !== all.length) await this.memento.update(STORAGE_KEY, live);
    return live;
  }

  get(key: string): PendingWrite | undefined {
    return this.all().find((p) => p.write.idempotencyKey === key && p.expiresAt > this.now());
  }

  async add(p: Omit<PendingWrite, 'createdAt' | 'expiresAt'>): Promise<PendingWrite> {
    const now = this.now();
    const rec: PendingWrite = { ...p, createdAt: now, expiresAt: now + this.lifetimeMs };
    const rest = (await this.list()).filter((x) => x.write.idempotencyKey !== p.write.idempotencyKey);
    await this.memento.update(STORAGE_KEY, [...rest, rec]);
    return rec;
  }

  /** Once the endpoint has answered (whatever it answered), the write is settled. */
  async remove(key: string): Promise<void> {
    await this.memento.update(
      STORAGE_KEY,
      this.all().filter((p) => p.write.idempotencyKey !== key),
    );
  }
}
