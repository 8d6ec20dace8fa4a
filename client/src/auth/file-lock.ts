import { open, readFile, rm, stat } from 'node:fs/promises';

/**
 * A lock shared by every VS Code window on the machine (each window has its own extension host process): a file
 * created with O_EXCL in the extension's global storage. A holder that died leaves a file older than `staleMs`,
 * which the next one takes over.
 */
export async function withFileLock<T>(path: string, work: () => Promise<T>, opts: { staleMs?: number; timeoutMs?: number; pollMs?: number } = {}): Promise<T> {
  const staleMs = opts.staleMs ?? 60_000;
  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
  const pollMs = opts.pollMs ?? 50;
  const token = `${process.pid}:${Date.now()}:${Math.random()}`;
  for (;;) {
    try {
      const h = await open(path, 'wx');
      await h.writeFile(token);
      await h.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const age = await stat(path).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > staleMs) {
        await rm(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Another VS Code window has held the sign-in lock for too long (${path}).`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
  try {
    return await work();
  } finally {
    // Only our own lock is removed: a stale take-over by another window must not be undone by us.
    const held = await readFile(path, 'utf8').catch(() => '');
    if (held === token) await rm(path, { force: true });
  }
}
