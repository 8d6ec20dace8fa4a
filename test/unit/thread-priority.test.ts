import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../support/fixtures';

// The CLI lowers the runtime's background threads below the thread that does the work
// (server/src/launch/thread-priority.ts). Checked in child processes: the call changes the priorities of the process
// it runs in.
const linux = process.platform === 'linux';
const MODULE = join(ROOT, 'server', 'src', 'launch', 'thread-priority.ts');

/** Runs `body` (an ES module's text, with lowerBackgroundThreads imported) in a fresh Node process. */
function child(body: string): { status: number | null; stdout: string; stderr: string } {
  const source = `import { createRequire } from 'node:module';\nconst { lowerBackgroundThreads, BACKGROUND_NICENESS } = createRequire(import.meta.url)(${JSON.stringify(MODULE)});\n${body}`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('background thread priority', { skip: linux ? false : 'threads are named under /proc/self/task on Linux only' }, () => {
  it('lowers every thread the process started before the call, not the main thread nor a worker started after it', () => {
    const r = child(`
      import { readdirSync } from 'node:fs';
      import { getPriority } from 'node:os';
      import { Worker } from 'node:worker_threads';
      const before = readdirSync('/proc/self/task').map(Number);
      const main = getPriority(process.pid);
      const lowered = lowerBackgroundThreads();
      const after = Object.fromEntries(before.map((t) => [t, getPriority(t)]));
      const w = new Worker('setInterval(() => {}, 1000)', { eval: true });
      await new Promise((resolve) => w.once('online', resolve));
      const started = readdirSync('/proc/self/task').map(Number).filter((t) => !before.includes(t));
      const later = started.map((t) => getPriority(t));
      await w.terminate();
      console.log(JSON.stringify({ pid: process.pid, main, before, lowered, after, later, niceness: BACKGROUND_NICENESS }));
    `);
    assert.equal(r.status, 0, r.stderr);
    const o = JSON.parse(r.stdout) as { pid: number; main: number; before: number[]; lowered: number; after: Record<string, number>; later: number[]; niceness: number };
    assert.equal(o.niceness, 19);
    // Node starts V8's worker threads (4 by default) with the process.
    assert.ok(o.before.length >= 3, `threads at start: ${o.before.length}`);
    assert.equal(o.lowered, o.before.length - 1);
    // The main thread keeps its priority (the one the tests run at), and so do the threads it starts later.
    for (const t of o.before) assert.equal(o.after[t], t === o.pid ? o.main : 19, `thread ${t}`);
    assert.ok(o.main < 19, 'the tests run at a priority that can be lowered');
    assert.ok(o.later.length >= 1, 'the worker started threads of its own');
    for (const p of o.later) assert.equal(p, o.main);
  });

  it('does nothing on a worker thread, whose process the main thread runs', () => {
    const r = child(`
      import { Worker } from 'node:worker_threads';
      // Worker code given as text reads as the process's main code does: an ES module here.
      const w = new Worker(\`
        const { parentPort } = await import('node:worker_threads');
        const { createRequire } = await import('node:module');
        parentPort.postMessage(createRequire(import.meta.url)(\${JSON.stringify(${JSON.stringify(MODULE)})}).lowerBackgroundThreads());
      \`, { eval: true });
      const n = await new Promise((resolve) => w.once('message', resolve));
      await w.terminate();
      console.log(n);
    `);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '0');
  });

  it('is what the CLI does when it checks on one thread, and not when workers check (their code compiles there)', () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), '--format', 'json', ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, NODE_DEBUG: 'xero-thread-priority' },
      });
    const LOWERED = /XERO-THREAD-PRIORITY \d+: lowered [1-9]\d* background threads to niceness 19/;
    const seed = join('test', 'fixtures', 'seeds', '001-every-element.xml');
    const one = cli(seed);
    assert.match(one.stderr, LOWERED);
    assert.ok(JSON.parse(one.stdout).files[0].documents.length > 0);
    assert.match(cli('--jobs', '1', seed, seed, seed).stderr, LOWERED);
    // 64 files on two threads go to workers in batches.
    const many = cli('--jobs', '2', ...Array.from({ length: 64 }, () => seed));
    assert.equal(JSON.parse(many.stdout).files.length, 64);
    assert.doesNotMatch(many.stderr, /XERO-THREAD-PRIORITY/);
  });

  it('is what the language server does as it starts (it has no workers; launch/v8-tuning.ts)', () => {
    // Its input closed at once, the server starts and ends.
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'server.js'), '--stdio'], {
      cwd: ROOT,
      encoding: 'utf8',
      input: '',
      timeout: 30_000,
      env: { ...process.env, NODE_DEBUG: 'xero-thread-priority' },
    });
    assert.match(r.stderr, /XERO-THREAD-PRIORITY \d+: lowered [1-9]\d* background threads to niceness 19/);
  });
});
