import { statSync } from 'node:fs';
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { checkShare, mergeShares, type EngineOptions, type ShareOfWork, type ShareResult } from '../engine';
import { FileChecker, readFile } from './check-file';
import { formatFile, unreadable, type FileOutcome, type Format } from './report';

/** A file at least this big is split over the threads by its invoices; smaller ones go whole, many per batch. */
export const SPLIT_BYTES = 2_000_000;
const BATCH_FILES = 32;

type Task = { kind: 'files'; id: number; files: string[] } | { kind: 'share'; id: number; file: string; share: ShareOfWork };
type Reply = { id: number; outcomes: FileOutcome[] } | { id: number; share: ShareResult | { error: string } };

export interface WorkerSetup {
  options: EngineOptions;
  format: Format;
}

/** The worker thread's side: checks what it is sent, answers plain data. */
export function serveChecks(): void {
  const setup = workerData as WorkerSetup;
  const checker = new FileChecker(setup.options, setup.format);
  parentPort!.on('message', (task: Task) => {
    const reply: Reply =
      task.kind === 'files' ? { id: task.id, outcomes: task.files.map((f) => checker.check(f)) } : { id: task.id, share: checker.share(task.file, task.share) };
    parentPort!.postMessage(reply);
  });
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Checks files over `jobs` threads (this one included) and hands each outcome to `emit` in input order, as soon
 * as every file before it is done. Small files go out in batches to whichever thread is free; a big file is
 * split into one share per thread and merged here. One thread (or one small file) needs no worker at all.
 */
export class ParallelCheck {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting = new Map<number, (r: Reply) => void>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(
    private readonly checker: FileChecker,
    private readonly jobs: number,
    private readonly setup: WorkerSetup,
    private readonly script: string,
    /** Stops early (the output pipe closed). */
    private readonly stopped: () => boolean = () => false,
  ) {}

  async run(files: readonly string[], emit: (o: FileOutcome) => void): Promise<void> {
    try {
      if (this.jobs <= 1) this.sequential(files, emit);
      else if (files.length < this.jobs) {
        for (const f of files) {
          if (this.stopped()) break;
          emit(size(f) >= SPLIT_BYTES ? await this.split(f) : this.checker.check(f));
        }
      } else if (files.length >= 2 * BATCH_FILES) await this.batches(files, BATCH_FILES, emit);
      else if (files.reduce((sum, f) => sum + size(f), 0) >= SPLIT_BYTES) await this.batches(files, 1, emit);
      else this.sequential(files, emit);
    } finally {
      await Promise.all(this.workers.map((w) => w.terminate()));
    }
  }

  private sequential(files: readonly string[], emit: (o: FileOutcome) => void): void {
    for (const f of files) {
      if (this.stopped()) return;
      emit(this.checker.check(f));
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
      while (this.idle.length > 0 && next < batches.length && !this.stopped()) {
        const k = next++;
        const p: Promise<void> = this.send({ kind: 'files', id: 0, files: batches[k] }).then((r) => {
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

  private async split(file: string): Promise<FileOutcome> {
    const read = readFile(file);
    if ('error' in read) return unreadable(this.checker.format, file, read.error);
    this.ensureWorkers();
    const of = this.jobs;
    const others = this.workers.slice(0, of - 1).map((_, k) => this.send({ kind: 'share', id: 0, file, share: { index: k + 1, of } }));
    const { xml: _tree, ...own } = checkShare(read.text, this.checker.optionsFor(read.encoding), undefined, { index: 0, of });
    const shares: ShareResult[] = [own];
    for (const r of await Promise.all(others)) {
      const s = (r as { share: ShareResult | { error: string } }).share;
      if ('error' in s) return unreadable(this.checker.format, file, s.error);
      shares.push(s);
    }
    return formatFile(this.checker.format, file, read.text, mergeShares(shares));
  }

  private ensureWorkers(): void {
    while (this.workers.length < this.jobs - 1) {
      const w = new Worker(this.script, { workerData: this.setup });
      w.on('message', (r: Reply) => {
        const resolve = this.waiting.get(r.id)!;
        this.waiting.delete(r.id);
        this.idle.push(w);
        resolve(r);
      });
      w.on('error', (err) => {
        this.failure = err;
        for (const resolve of this.waiting.values()) resolve({ id: -1, outcomes: [] });
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  private send(task: Task): Promise<Reply> {
    const w = this.idle.pop()!;
    const id = ++this.nextId;
    return new Promise<Reply>((resolve) => {
      this.waiting.set(id, resolve);
      w.postMessage({ ...task, id });
    }).then((r) => {
      this.rethrow();
      return r;
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
