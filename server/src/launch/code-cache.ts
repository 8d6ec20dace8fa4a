import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { debuglog } from 'node:util';
import { Script } from 'node:vm';
import { isMainThread } from 'node:worker_threads';
import { setV8Flags } from './v8-tuning';

/** `NODE_DEBUG=xero-code-cache` writes what the loader did with the cache to stderr. */
const log = debuglog('xero-code-cache');

/**
 * Where caches are kept unless XERO_INVOICE_CODE_CACHE names a folder (or is `off`): beside the bundle (whoever can
 * write there can change the bundle itself), else in a folder of this user's own under tmp. A cache is code: one
 * in a folder someone else could write to is never read.
 */
function cacheFolders(bundle: string): string[] {
  const setting = process.env.XERO_INVOICE_CODE_CACHE;
  if (setting === 'off') return [];
  if (setting) return [setting];
  const uid = process.getuid?.();
  return [join(dirname(bundle), '.code-cache'), join(tmpdir(), `xero-invoice-code-cache-${uid ?? 'user'}`)];
}

/** The folder exists, is this user's, and nobody else may write to it (Windows has no such modes: always true). */
function ownFolder(folder: string): boolean {
  if (!process.getuid) return true;
  try {
    const s = statSync(folder);
    return s.isDirectory() && s.uid === process.getuid() && (s.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/**
 * The cache's file name for this bundle text on this runtime, under these V8 flags. V8 checks its own version and
 * flags when it reads a cache, but it tells sources apart by their length only: a rebuilt bundle of the same length
 * would run stale bytecode. The file is therefore named after a digest of the text itself, and of the flags (a
 * cache made under others would only be rejected).
 */
export function cacheFileName(bundle: string, source: string, v8Flags = ''): string {
  const digest = createHash('sha256').update(source).update(`\0${process.arch}\0${v8Flags}`).digest('hex').slice(0, 20);
  return `${basename(bundle, '.js')}-v8-${process.versions.v8}-${digest}.bin`;
}

/**
 * Runs `bundle` as the body of the calling module: with its module, require, __filename and __dirname, so that
 * `require.main === module` holds in it when the caller is the main module, and a worker started from __filename
 * comes through here too. It is compiled from V8's code cache when one made by this runtime for exactly this text
 * is at hand: the functions a previous run compiled then start as bytecode instead of being compiled again on
 * their first call (what Node 22's module.enableCompileCache does). Without a usable cache it compiles as usual
 * and, on the main thread, leaves one at exit. A cache that cannot be read or written only costs that saving.
 *
 * `v8Flags` are set before the bundle is compiled (by the main thread: V8's flags are the process's, and a worker
 * started later runs under them too): V8 reads a cache only under the flags it was made with, so the bundle's cache
 * is made and read under these. They are set after this module's own imports, so that Node's built-in modules
 * loaded so far kept their own caches (made under V8's default flags).
 */
export function runBundle(bundle: string, mod: NodeModule, req: NodeJS.Require, filename: string, v8Flags = ''): void {
  // A runtime that refuses them runs with its defaults: the cache is still made and read alike.
  if (v8Flags && isMainThread) setV8Flags(v8Flags);
  const source = readFileSync(bundle, 'utf8');
  const folders = cacheFolders(bundle);
  const name = cacheFileName(bundle, source, v8Flags);
  let cachedData: Buffer | undefined;
  for (const folder of folders) {
    if (!ownFolder(folder)) continue;
    try {
      cachedData = readFileSync(join(folder, name));
      log('read %s', join(folder, name));
      break;
    } catch {
      // Not there: the next folder, or none.
    }
  }
  const script = new Script(Module.wrap(source), { filename: bundle, cachedData });
  const accepted = cachedData !== undefined && !script.cachedDataRejected;
  if (cachedData) log(accepted ? 'accepted' : 'rejected by V8');
  // At exit the cache holds every function the run compiled; a bundle may say the run was too small to be worth
  // it (a usage error, --help), so that the run that saves the cache is one that did the bundle's work.
  if (!accepted && isMainThread && folders.length > 0) {
    process.once('exit', () => {
      const worth = (mod.exports as { worthCaching?: () => boolean }).worthCaching;
      if (worth && !worth()) log('not saved: the run did too little to be worth it');
      else save(script, folders, name);
    });
  }
  const body = script.runInThisContext() as (...args: unknown[]) => void;
  body.call(mod.exports, mod.exports, req, mod, filename, dirname(filename));
}

/** Writes the cache into the first folder that takes it (whole or not at all), and drops this bundle's older ones. */
function save(script: Script, folders: string[], name: string): void {
  let data: Buffer;
  try {
    data = script.createCachedData();
  } catch (e) {
    log('not made: %s', (e as Error).message);
    return;
  }
  for (const folder of folders) {
    const temporary = join(folder, `${name}.${process.pid}.tmp`);
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      if (!ownFolder(folder)) throw new Error('the folder is not this user\'s alone');
      writeFileSync(temporary, data, { mode: 0o600 });
      renameSync(temporary, join(folder, name));
      log('saved %s (%d bytes)', join(folder, name), data.length);
      dropOlder(folder, name);
      return;
    } catch (e) {
      log('not saved in %s: %s', folder, (e as Error).message);
      try {
        unlinkSync(temporary);
      } catch {
        // Never written.
      }
    }
  }
}

/** Caches of earlier builds of the same bundle for the same runtime (other runtimes keep theirs). */
function dropOlder(folder: string, keep: string): void {
  const prefix = keep.slice(0, keep.lastIndexOf('-') + 1);
  for (const f of readdirSync(folder)) {
    if (f !== keep && f.startsWith(prefix) && f.endsWith('.bin')) {
      try {
        unlinkSync(join(folder, f));
      } catch {
        // Another process got there first.
      }
    }
  }
}
