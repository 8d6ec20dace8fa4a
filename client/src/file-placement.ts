import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** Whether `target` is one of `folders` or below one (after resolving `..`; case-insensitive on Windows). */
export function isInsideAny(target: string, folders: readonly string[]): boolean {
  const norm = (p: string) => (process.platform === 'win32' ? path.resolve(p).toLowerCase() : path.resolve(p));
  const t = norm(target);
  return folders.some((f) => {
    const rel = path.relative(norm(f), t);
    return rel === '' || (!!rel && !rel.startsWith('..') && !path.isAbsolute(rel));
  });
}

/** `name.pdf`, else `name (2).pdf`, `name (3).pdf`… — the first that does not exist. */
export function uniquePath(target: string, exists: (p: string) => boolean = existsSync): string {
  if (!exists(target)) return target;
  const ext = path.extname(target);
  const stem = target.slice(0, target.length - ext.length);
  for (let n = 2; ; n++) {
    const candidate = `${stem} (${n})${ext}`;
    if (!exists(candidate)) return candidate;
  }
}

export type ExistingFileChoice = 'replace' | 'keepBoth' | undefined;

/**
 * Where a downloaded file goes: `target` when it is free; when a file of that name exists, only where the user
 * said (replace it, or keep both under a new name); undefined when they did not answer — never overwritten
 * behind their back.
 */
export async function placeFile(target: string, ask: (existing: string) => Promise<ExistingFileChoice>, exists: (p: string) => boolean = existsSync): Promise<string | undefined> {
  if (!exists(target)) return target;
  const choice = await ask(target);
  if (choice === 'replace') return target;
  if (choice === 'keepBoth') return uniquePath(target, exists);
  return undefined;
}
