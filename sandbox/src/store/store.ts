import { AsyncLocalStorage } from 'node:async_hooks';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ContactRecord, Organisation } from '../domain/organisation';
import type { DocKind, DocRecord } from '../domain/records';
import { SerialWriter } from './atomic';
import { contactRecordProblem, docRecordProblem, signInsProblem, storedResponseProblem } from './shape';

/** A record file the sandbox cannot use is kept for the user to look at, out of the way of the next start. */
function moveAside(path: string, why: string): void {
  const aside = `${path}.rejected`;
  try {
    renameSync(path, aside);
    process.stderr.write(`sandbox: ${path} is not a record (${why}); moved aside to ${aside}\n`);
  } catch (err) {
    process.stderr.write(`sandbox: ${path} is not a record (${why}) and could not be moved aside: ${(err as Error).message}; skipped\n`);
  }
}

/** A response kept for an Idempotency-Key: replayed as it was, status, headers and body. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  /** base64 */
  body: string;
  createdUTC: string;
  /** The request the key was first used for (method, path and query, body hash): another request is refused. */
  request?: { method: string; target: string; fingerprint: string };
  /**
   * What the request wrote, in the same file as its answer: the key record and the documents it produced are one
   * atomic write, re-applied at start-up if a crash came before the documents' own files were written.
   */
  writes?: CapturedWrites;
}

/** The records and outbox files one request wrote, held back to be committed with its Idempotency-Key. */
export interface CapturedWrites {
  documents: DocRecord[];
  contacts: ContactRecord[];
  outbox: { name: string; content: string }[];
}

export interface Credentials {
  token: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Signs the access tokens that POST /connect/token issues, so they stay valid across restarts. */
  signingKey: string;
}

/**
 * Sign-ins as the data folder keeps them (http/auth.ts), so that a restarted sandbox honours them as Xero would:
 * each user's consent (grant), and refresh tokens by their SHA-256 only (the file holds no token).
 */
export interface SavedSignIns {
  grants: { id: string; clientId: string; scope: string; revoked: boolean; lastIssuedAt: number }[];
  refreshTokens: { sha256: string; grantId: string; consumed: boolean; issuedAt: number }[];
}

/**
 * The organisation on disk: one JSON file per invoice, credit note, contact and idempotency key, plus three small
 * files (organisation, credentials, sign-ins). A create writes one small file (and folder fsyncs are shared by concurrent
 * writes), so bursts stay fast; nothing is an index that must be rewritten, so a crash cannot leave one stale:
 * numbering is recomputed from the documents at start-up.
 *
 *   organisation.json  credentials.json  sign-ins.json  invoices/<id>.json  credit-notes/<id>.json  contacts/<id>.json
 *   idempotency/<sha256>.json  outbox/<timestamp>-<number>.eml  sandbox.lock
 */
export class Store {
  org!: Organisation;
  credentials!: Credentials;
  /** The sign-ins kept at the last start, if any. */
  signIns: SavedSignIns | undefined;
  readonly contacts = new Map<string, ContactRecord>();
  readonly documents = new Map<string, DocRecord>();
  readonly idempotency = new Map<string, StoredResponse>();
  private seq = 0;
  private readonly writer = new SerialWriter();
  private readonly capturing = new AsyncLocalStorage<CapturedWrites>();
  private locked = false;

  private constructor(readonly dir: string) {}

  get outboxDir(): string {
    return join(this.dir, 'outbox');
  }

  /**
   * Opens (and locks) a data folder. `fresh` is true when it held no organisation yet: the caller seeds it and
   * then calls saveOrganisation(), which is written last so that an interrupted seeding starts over.
   */
  static open(dir: string, reset: boolean): { store: Store; fresh: boolean } {
    const store = new Store(dir);
    mkdirSync(dir, { recursive: true });
    store.lock();
    if (reset) store.clear();
    for (const sub of ['invoices', 'credit-notes', 'contacts', 'idempotency', 'outbox']) mkdirSync(join(dir, sub), { recursive: true });
    const orgFile = join(dir, 'organisation.json');
    if (!existsSync(orgFile)) {
      // Leftovers of a seeding that did not finish.
      for (const sub of ['invoices', 'credit-notes', 'contacts']) store.emptyFolder(sub);
      return { store, fresh: true };
    }
    store.org = JSON.parse(readFileSync(orgFile, 'utf8')) as Organisation;
    store.load();
    return { store, fresh: false };
  }

  private lock(): void {
    const file = join(this.dir, 'sandbox.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        this.locked = true;
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const pid = Number(readFileSync(file, 'utf8').trim());
        if (pid && pid !== process.pid && processAlive(pid)) {
          throw new Error(`the data folder ${this.dir} is in use by another sandbox (process ${pid}); use --data to pick another folder`);
        }
        unlinkSync(file);
      }
    }
    throw new Error(`cannot lock the data folder ${this.dir}`);
  }

  private clear(): void {
    for (const name of ['organisation.json', 'credentials.json', 'sign-ins.json']) rmSync(join(this.dir, name), { force: true });
    for (const sub of ['invoices', 'credit-notes', 'contacts', 'idempotency', 'outbox']) rmSync(join(this.dir, sub), { recursive: true, force: true });
  }

  private emptyFolder(sub: string): void {
    const dir = join(this.dir, sub);
    for (const name of readdirSync(dir)) rmSync(join(dir, name), { force: true });
  }

  /** Reads each record file; one that is JSON of the wrong shape (`problem` says why) is moved aside as `<name>.rejected`. */
  private readFolder<T>(sub: string, problem: (value: unknown) => string | undefined, each: (value: T) => void): void {
    const dir = join(this.dir, sub);
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name.endsWith('.tmp')) {
        rmSync(path, { force: true });
        continue;
      }
      if (!name.endsWith('.json')) continue;
      let value: unknown;
      try {
        value = JSON.parse(readFileSync(path, 'utf8'));
      } catch (err) {
        process.stderr.write(`sandbox: skipping unreadable ${path}: ${(err as Error).message}\n`);
        continue;
      }
      const why = problem(value);
      if (why) {
        moveAside(path, why);
        continue;
      }
      each(value as T);
    }
  }

  private load(): void {
    const docs: DocRecord[] = [];
    this.readFolder<DocRecord>('invoices', (v) => docRecordProblem(v, 'invoice'), (d) => docs.push(d));
    this.readFolder<DocRecord>('credit-notes', (v) => docRecordProblem(v, 'creditNote'), (d) => docs.push(d));
    docs.sort((a, b) => a.seq - b.seq);
    for (const d of docs) {
      this.documents.set(d.id, d);
      this.seq = Math.max(this.seq, d.seq);
    }
    const contacts: ContactRecord[] = [];
    this.readFolder<ContactRecord>('contacts', contactRecordProblem, (c) => contacts.push(c));
    contacts.sort((a, b) => a.seq - b.seq);
    for (const c of contacts) {
      this.contacts.set(c.id, c);
      this.seq = Math.max(this.seq, c.seq);
    }
    this.readFolder<StoredResponse & { hash: string }>('idempotency', storedResponseProblem, (r) => this.idempotency.set(r.hash, r));
    this.replayJournal();
    const credentials = join(this.dir, 'credentials.json');
    if (existsSync(credentials)) this.credentials = JSON.parse(readFileSync(credentials, 'utf8')) as Credentials;
    this.signIns = this.readSignIns();
  }

  private readSignIns(): SavedSignIns | undefined {
    const path = join(this.dir, 'sign-ins.json');
    if (!existsSync(path)) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      moveAside(path, `unreadable: ${(err as Error).message}`);
      return undefined;
    }
    const why = signInsProblem(value);
    if (why) {
      moveAside(path, why);
      return undefined;
    }
    return value as SavedSignIns;
  }

  /**
   * Key records whose documents may not have reached their own files (a kill -9 between the two): each journaled
   * record newer than the file's (a longer history, or a later update) is taken, and its file written again.
   */
  private replayJournal(): void {
    const newer = (a: { updatedDateUTC: string; history?: unknown[] }, b: { updatedDateUTC: string; history?: unknown[] } | undefined) =>
      !b || (a.history?.length ?? 0) > (b.history?.length ?? 0) || ((a.history?.length ?? 0) === (b.history?.length ?? 0) && a.updatedDateUTC > b.updatedDateUTC);
    for (const r of this.idempotency.values()) {
      for (const d of r.writes?.documents ?? []) {
        if (!newer(d, this.documents.get(d.id))) continue;
        this.documents.set(d.id, d);
        this.seq = Math.max(this.seq, d.seq);
        void this.saveDocument(d);
      }
      for (const c of r.writes?.contacts ?? []) {
        if (!newer(c, this.contacts.get(c.id))) continue;
        this.contacts.set(c.id, c);
        this.seq = Math.max(this.seq, c.seq);
        void this.saveContact(c);
      }
      for (const o of r.writes?.outbox ?? []) if (!existsSync(join(this.outboxDir, o.name))) void this.writeOutbox(o.name, o.content);
    }
  }

  /**
   * Runs `work` with its document, contact and outbox writes held back (not written) and returns them: the caller
   * commits them with the request's Idempotency-Key in one atomic write, then calls writeCaptured().
   */
  async capture<T>(work: () => Promise<T>): Promise<{ result: T; writes: CapturedWrites }> {
    const writes: CapturedWrites = { documents: [], contacts: [], outbox: [] };
    let result: T;
    try {
      result = await this.capturing.run(writes, work);
    } catch (err) {
      // No answer to keep, but what the request changed in memory still goes to disk.
      await this.writeCaptured(writes);
      throw err;
    }
    // The latest state of each record, once (a request may save a record more than once).
    writes.documents = [...new Map(writes.documents.map((d) => [d.id, this.documents.get(d.id) ?? d])).values()].map((d) => structuredClone(d));
    writes.contacts = [...new Map(writes.contacts.map((c) => [c.id, this.contacts.get(c.id) ?? c])).values()].map((c) => structuredClone(c));
    return { result, writes };
  }

  /** Writes held-back records to their own files. */
  writeCaptured(w: CapturedWrites): Promise<unknown> {
    return Promise.all([...w.documents.map((d) => this.saveDocument(d)), ...w.contacts.map((c) => this.saveContact(c)), ...w.outbox.map((o) => this.writeOutbox(o.name, o.content))]);
  }

  /** Forgets an expired key (its file too). */
  dropIdempotent(hash: string): void {
    this.idempotency.delete(hash);
    rmSync(join(this.dir, 'idempotency', `${hash}.json`), { force: true });
  }

  hasSavedCredentials(): boolean {
    return existsSync(join(this.dir, 'credentials.json'));
  }

  nextSeq(): number {
    return ++this.seq;
  }

  private folderOf(kind: DocKind): string {
    return kind === 'invoice' ? 'invoices' : 'credit-notes';
  }

  saveDocument(rec: DocRecord): Promise<void> {
    const held = this.capturing.getStore();
    if (held) {
      held.documents.push(rec);
      return Promise.resolve();
    }
    return this.writer.write(join(this.dir, this.folderOf(rec.kind), `${rec.id}.json`), () => JSON.stringify(this.documents.get(rec.id) ?? rec));
  }

  saveContact(c: ContactRecord): Promise<void> {
    const held = this.capturing.getStore();
    if (held) {
      held.contacts.push(c);
      return Promise.resolve();
    }
    return this.writer.write(join(this.dir, 'contacts', `${c.id}.json`), () => JSON.stringify(this.contacts.get(c.id) ?? c));
  }

  saveOrganisation(): Promise<void> {
    return this.writer.write(join(this.dir, 'organisation.json'), () => JSON.stringify(this.org, null, 2));
  }

  saveCredentials(): Promise<void> {
    return this.writer.write(join(this.dir, 'credentials.json'), () => JSON.stringify(this.credentials, null, 2));
  }

  /** Writes the sign-ins as `current` gives them when the write's turn comes. */
  saveSignIns(current: () => SavedSignIns): Promise<void> {
    return this.writer.write(join(this.dir, 'sign-ins.json'), () => JSON.stringify(current()));
  }

  saveIdempotent(hash: string, response: StoredResponse): Promise<void> {
    this.idempotency.set(hash, response);
    return this.writer.write(join(this.dir, 'idempotency', `${hash}.json`), () => JSON.stringify({ hash, ...response }));
  }

  writeOutbox(name: string, content: string): Promise<void> {
    const held = this.capturing.getStore();
    if (held) {
      held.outbox.push({ name, content });
      return Promise.resolve();
    }
    return this.writer.write(join(this.outboxDir, name), () => content);
  }

  outboxFiles(): string[] {
    return readdirSync(this.outboxDir).filter((n) => n.endsWith('.eml')).sort();
  }

  /** Waits for every write started so far, then releases the folder. */
  async close(): Promise<void> {
    await this.writer.flush();
    if (this.locked) {
      rmSync(join(this.dir, 'sandbox.lock'), { force: true });
      this.locked = false;
    }
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
