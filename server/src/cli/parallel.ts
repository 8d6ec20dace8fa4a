import { statSync } from 'node:fs';
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { checkStreaming, settle, type CheckedInvoice, type Delegate, type EngineOptions } from '../engine';
import { lowerBackgroundThreads } from '../launch/thread-priority';
import { FileChecker, readFile, type SliceBatch } from './check-file';
import { formatFile, positionsIn, unreadable, type FileOutcome, type Format, type PieceWriter } from './report';

/** A file at least this big has its invoices spread over the threads; smaller ones go whole, many per batch. */
export const SPLIT_BYTES = 2_000_000;
const BATCH_FILES = 32;
/** Consecutive invoices of a big file per message to a worker. */
const BATCH_SLICES = 64;
/**
 * The part of a one-shot check that is reading (parsing) rather than checking invoices. The thread that reads
 * the file reads all of it; a worker reads only the invoices it is given, so it is given more of them.
 */
const READING_SHARE = 0.3;

type Task =
  | { kind: 'files'; id: number; files: string[] }
  | { kind: 'slices'; id: number; encoding: string; batch: SliceBatch };
type Reply = { id: number; outcomes: FileOutcome[] } | { id: number; checks: CheckedInvoice[] } | { id: number; error: string };

export interface WorkerSetup {
  options: EngineOptions;
  format: Format;
}

/** The worker thread's side: checks what it is sent, answers plain data. */
export function serveChecks(): void {
  const setup = workerData as WorkerSetup;
  const checker = new FileChecker(setup.options, setup.format);
  parentPort!.on('message', (task: Task) => {
    let reply: Reply;
    try {
      reply = task.kind === 'files' ? { id: task.id, outcomes: task.files.map((f) => checker.check(f)) } : { id: task.id, checks: checker.slices(task.encoding, task.batch) };
    } catch (err) {
      reply = { id: task.id, error: err instanceof Error ? err.message : String(err) };
    }
    parentPort!.postMessage(reply);
  });
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Checks files over `jobs` threads (this one included) and hands each outcome to `emit` in input order, as soon
 * as every file before it is done. Small files go out in batches to whichever thread is free; a big file is read
 * here and its invoices spread over the threads as they are read. One thread (or one small file) needs no worker.
 */
export class ParallelCheck {
  private readonly workers: Worker[] = [];
  /** Batches of files sent to each worker and not answered yet. */
  private readonly inFlight = new Map<Worker, number>();
  private readonly waiting = new Map<number, { resolve: (r: Reply) => void; worker: Worker; pooled: boolean }>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(
    private readonly checker: FileChecker,
    private readonly jobs: number,
    private readonly setup: WorkerSetup,
    private readonly script: string,
    /** Stops early (the output pipe closed). */
    private readonly stopped: () => boolean = () => false,
    /** Whether a big file's invoices are spread over the threads (otherwise it is checked on one). */
    private readonly splitBigFiles = true,
    /** Where the report of the file next in order is written as it is made (else it is kept in its outcome). */
    private readonly direct: () => PieceWriter | undefined = () => undefined,
  ) {}

  async run(files: readonly string[], emit: (o: FileOutcome) => void): Promise<void> {
    try {
      const big = (f: string) => this.splitBigFiles && size(f) >= SPLIT_BYTES;
      const spread =
        this.jobs > 1 &&
        (files.length < this.jobs ? files.some(big) : files.length >= 2 * BATCH_FILES || files.reduce((sum, f) => sum + size(f), 0) >= SPLIT_BYTES);
      if (!spread) {
        // Only this thread checks: the runtime's own threads (its compiler, its collector's helpers) go below it.
        // Not with workers, whose code those threads compile: starved, they would leave it slow.
        lowerBackgroundThreads();
        this.sequential(files, emit);
      } else if (files.length < this.jobs) {
        for (const f of files) {
          if (this.stopped()) break;
          emit(big(f) ? await this.split(f) : this.checker.check(f, this.direct()));
        }
      } else await this.batches(files, files.length >= 2 * BATCH_FILES ? BATCH_FILES : 1, emit);
    } finally {
      this.terminating = true;
      await Promise.all(this.workers.map((w) => w.terminate()));
    }
  }

  private sequential(files: readonly string[], emit: (o: FileOutcome) => void): void {
    for (const f of files) {
      if (this.stopped()) return;
      emit(this.checker.check(f, this.direct()));
    }
  }

  private async batches(files: readonly string[], per: number, emit: (o: FileOutcome) => void): Promise<void> {
    const batches: string[][] = [];
    for (let k = 0; k < files.length; k += per) batches.push(files.slice(k, k + per));
    const done = new Array<FileOutcome[] | undefined>(batches.length);
    let next = 0;
    let emitted = 0;
    const flush = () => {
      while (emitted < batches.length && done[emitted]) {
        for (const o of done[emitted]!) emit(o);
        done[emitted] = undefined;
        emitted++;
      }
    };
    this.ensureWorkers();
    const pending = new Set<Promise<void>>();
    const feed = () => {
      // Each worker holds the batch it checks and the next, so it never waits while this thread checks its own.
      const free = () => this.workers.find((w) => this.inFlight.get(w)! < 2);
      for (let w = free(); w && next < batches.length && !this.stopped(); w = free()) {
        const k = next++;
        const p: Promise<void> = this.send(w, { kind: 'files', id: 0, files: batches[k] }, true).then((r) => {
          if ('error' in r) throw new Error(r.error);
          done[k] = (r as { outcomes: FileOutcome[] }).outcomes;
          pending.delete(p);
        });
        p.catch(() => undefined); // raced below; a worker's failure ends the run there
        pending.add(p);
      }
    };
    while (next < batches.length && !this.stopped()) {
      feed();
      if (next >= batches.length) break;
      // This thread takes a batch too, then lets the workers' answers in.
      const k = next++;
      done[k] = batches[k].map((f) => this.checker.check(f));
      flush();
      await nextTurn();
      this.rethrow();
    }
    while (pending.size > 0) {
      await Promise.race(pending);
      this.rethrow();
      flush();
    }
    flush();
  }

  /**
   * One big file: this thread reads (parses) it and, as each invoice is read, either checks it or sends its text
   * to a worker, which parses and checks just that invoice. Workers get the larger part, since this thread also
   * reads the whole file; whatever a worker cannot answer is checked here.
   */
  private async split(file: string): Promise<FileOutcome> {
    this.ensureWorkers();
    const read = readFile(file);
    if ('error' in read) return unreadable(this.checker.format, file, read.error, this.direct());
    const { text, encoding, firstForbidden } = read;
    const workers = this.workers;
    // The workers' part of the invoices, handed out in runs of consecutive invoices: one run is one message, one
    // piece of text.
    const share = workers.length / (1 + workers.length * (1 - READING_SHARE));
    const answers: Promise<Reply>[] = [];
    let batch: SliceBatch | undefined;
    let batchWorker = 0;
    const post = () => {
      if (!batch) return;
      const b = batch;
      batch = undefined;
      const first = b.starts[0];
      const last = b.ends[b.ends.length - 1];
      b.base = first;
      b.text = text.slice(first, last);
      answers.push(this.send(workers[batchWorker], { kind: 'slices', id: 0, encoding, batch: b }, false));
    };
    let credit = 0;
    let runLeft = 0;
    let turn = 0;
    const delegate: Delegate = {
      wants: () => {
        if (runLeft > 0) {
          runLeft--;
          return true;
        }
        post();
        credit += share;
        if (credit < BATCH_SLICES) return false;
        credit -= BATCH_SLICES;
        runLeft = BATCH_SLICES - 1;
        batchWorker = turn++ % workers.length;
        return true;
      },
      take: (slice) => {
        if (batch && (batch.enclosing !== slice.enclosing || batch.dialect !== slice.dialect || batch.inResponse !== slice.inResponse)) post();
        batch ??= { text: '', base: 0, starts: [], ends: [], kinds: [], enclosing: slice.enclosing, dialect: slice.dialect, inResponse: slice.inResponse };
        batch.starts.push(slice.start);
        batch.ends.push(slice.end);
        batch.kinds.push(slice.kind);
      },
    };
    const options = this.checker.optionsFor(encoding);
    const { xml: _tree, ...shot } = checkStreaming(text, options, { delegate, firstForbidden });
    post();
    const checks = new Map<number, CheckedInvoice>();
    for (const reply of await Promise.all(answers)) {
      // A worker stopped (out of memory, killed) or could not read an invoice alone (a fault of the engine's):
      // all of the file is checked again here, without help.
      if (!('checks' in reply)) {
        const { xml: _again, ...alone } = checkStreaming(text, options, { firstForbidden });
        return formatFile(this.checker.format, file, positionsIn(text), settle(alone), this.direct());
      }
      for (const c of reply.checks) checks.set(c.document.start, c);
    }
    return formatFile(this.checker.format, file, positionsIn(text), settle(shot, checks), this.direct());
  }

  private ensureWorkers(): void {
    while (this.workers.length < this.jobs - 1) {
      const w = new Worker(this.script, { workerData: this.setup });
      w.on('message', (r: Reply) => {
        const entry = this.waiting.get(r.id)!;
        this.waiting.delete(r.id);
        if (entry.pooled) this.inFlight.set(w, this.inFlight.get(w)! - 1);
        entry.resolve(r);
      });
      w.on('error', (err) => this.lost(w, err));
      // A worker that ends before it is told to (out of memory, killed) answers nothing more.
      w.on('exit', () => this.lost(w, new Error('a worker thread stopped')));
      this.workers.push(w);
      this.inFlight.set(w, 0);
    }
  }

  private readonly gone = new Set<Worker>();

  /** A worker is gone: what it was sent is answered with an error (and the run ends with it). */
  private lost(w: Worker, err: Error): void {
    if (this.gone.has(w) || this.terminating) return;
    this.gone.add(w);
    this.failure ??= err;
    for (const [id, entry] of this.waiting) {
      if (entry.worker !== w) continue;
      this.waiting.delete(id);
      entry.resolve({ id, error: err.message });
    }
  }

  private terminating = false;

  /** Sends a task to a worker; `pooled`: a batch of files, counted in the worker's batches in flight. */
  private send(worker: Worker, task: Task, pooled: boolean): Promise<Reply> {
    const id = ++this.nextId;
    if (this.gone.has(worker)) return Promise.resolve({ id, error: 'a worker thread stopped' });
    if (pooled) this.inFlight.set(worker, this.inFlight.get(worker)! + 1);
    return new Promise<Reply>((resolve) => {
      this.waiting.set(id, { resolve, worker, pooled });
      worker.postMessage({ ...task, id });
    });
  }

  private rethrow(): void {
    if (this.failure) throw this.failure;
  }
}

function size(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
