import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/**
 * Directory fsyncs, coalesced: while one runs, every caller that arrives waits for the next one, which covers
 * every rename finished before it starts. A burst of writes in one folder costs two fsyncs, not one per file.
 */
class DirectorySync {
  private running = new Map<string, Promise<void>>();
  private queued = new Map<string, Promise<void>>();

  sync(dir: string): Promise<void> {
    const current = this.running.get(dir);
    if (!current) return this.start(dir);
    let next = this.queued.get(dir);
    if (!next) {
      next = current.then(
        () => this.start(dir),
        () => this.start(dir),
      );
      this.queued.set(dir, next);
    }
    return next;
  }

  private start(dir: string): Promise<void> {
    this.queued.delete(dir);
    const p = fsyncDirectory(dir).finally(() => {
      if (this.running.get(dir) === p) this.running.delete(dir);
    });
    this.running.set(dir, p);
    return p;
  }
}

async function fsyncDirectory(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } catch (err) {
    // Some file systems cannot fsync a directory; the rename is then as durable as they make it.
    if ((err as NodeJS.ErrnoException).code !== 'EINVAL' && (err as NodeJS.ErrnoException).code !== 'EISDIR') throw err;
  } finally {
    await fh.close();
  }
}

const directories = new DirectorySync();

/**
 * Writes a file so that after a crash it holds either the old or the new content, and once this resolves the new
 * content survives a power cut: write a temporary file, fsync it, rename it over the target, fsync the folder.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${++counter}.tmp`);
  const fh = await open(tmp, 'w', 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fh.close();
  await rename(tmp, path);
  await directories.sync(dir);
}

/**
 * Writes per path one after the other, each with the content current when its turn comes, so the file always
 * ends with the latest state however the writes of concurrent requests interleave.
 */
export class SerialWriter {
  private chains = new Map<string, Promise<void>>();
  private pending = new Set<Promise<void>>();

  write(path: string, content: () => string | Uint8Array): Promise<void> {
    const before = this.chains.get(path) ?? Promise.resolve();
    const p = before.catch(() => undefined).then(() => writeFileAtomic(path, content()));
    const settled = p.catch(() => undefined);
    this.chains.set(path, settled);
    this.pending.add(settled);
    void settled.then(() => {
      this.pending.delete(settled);
      if (this.chains.get(path) === settled) this.chains.delete(path);
    });
    return p;
  }

  /** Resolves when every write started so far has finished. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
