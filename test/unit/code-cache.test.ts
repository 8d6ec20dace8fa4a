import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cacheFileName } from '../../server/src/launch/code-cache';
import { ROOT } from '../support/fixtures';

// dist/cli.js is a launcher that compiles the CLI's bundle through V8's code cache (server/src/launch/code-cache.ts);
// NODE_DEBUG=xero-code-cache makes it say what it did with the cache.
const CLI = join(ROOT, 'dist', 'cli.js');
const files = ['seeds/001-every-element.xml', 'seeds/004-modified-since-response.xml', 'rules/totals/forty-lines.xml', 'bad-input/control-character.xml'].map((f) =>
  join('test', 'fixtures', f),
);

function run(cache: string, ...args: string[]) {
  const env = { ...process.env, XERO_INVOICE_CODE_CACHE: cache, NODE_DEBUG: 'xero-code-cache' };
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT, env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const binaries = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.bin'));
let reference: ReturnType<typeof run> | undefined;
/** The report with no cache at all, which every run below must print. */
const withoutCache = () => (reference ??= run('off', '--format', 'json', ...files));

describe('starting from V8\'s code cache', () => {
  it('leaves a cache after a CLI run, starts from it on the next, and reports the same either way', () => {
    const dir = mkdtempSync(join(tmpdir(), 'code-cache-'));
    const plain = withoutCache();
    assert.equal(plain.code, 1);
    assert.doesNotMatch(plain.stderr, /XERO-CODE-CACHE/);
    const first = run(dir, '--format', 'json', ...files);
    assert.deepEqual([first.code, first.stdout], [plain.code, plain.stdout]);
    assert.match(first.stderr, /saved .*cli\.bundle-v8-.*\.bin \(\d+ bytes\)/);
    const [cache] = binaries(dir);
    assert.equal(binaries(dir).length, 1);
    const saved = readFileSync(join(dir, cache));
    const second = run(dir, '--format', 'json', ...files);
    assert.deepEqual([second.code, second.stdout], [plain.code, plain.stdout]);
    assert.match(second.stderr, /accepted/);
    assert.doesNotMatch(second.stderr, /saved/);
    assert.deepEqual(readFileSync(join(dir, cache)), saved);
  });

  it('saves no cache from a run that checked no invoice (--help, a missing file), and one from the next that did', () => {
    const dir = mkdtempSync(join(tmpdir(), 'code-cache-'));
    for (const args of [['--help'], ['test/fixtures/no-such-file.xml'], ['--format', 'yaml', files[0]]]) {
      const r = run(dir, ...args);
      assert.match(r.stderr, /not saved: the run did too little/, args.join(' '));
      assert.deepEqual(binaries(dir), [], args.join(' '));
    }
    assert.match(run(dir, files[0]).stderr, /saved .*\.bin/);
    assert.equal(binaries(dir).length, 1);
  });

  it('compiles as usual when the cache is damaged, and replaces it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'code-cache-'));
    run(dir, files[0]);
    const [cache] = binaries(dir);
    const junk = Buffer.alloc(4096, 0x5a);
    writeFileSync(join(dir, cache), junk);
    const r = run(dir, '--format', 'json', ...files);
    assert.deepEqual([r.code, r.stdout], [withoutCache().code, withoutCache().stdout]);
    assert.match(r.stderr, /rejected by V8/);
    assert.match(r.stderr, /saved/);
    assert.notDeepEqual(readFileSync(join(dir, cache)), junk);
  });

  it('never reads a cache from a folder others may write to, nor writes one there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'code-cache-'));
    run(dir, files[0]);
    chmodSync(dir, 0o777);
    const r = run(dir, '--format', 'json', ...files);
    assert.equal(r.stdout, withoutCache().stdout);
    assert.doesNotMatch(r.stderr, /read |accepted/);
    assert.match(r.stderr, /not saved in .*not this user's alone/);
  });

  it('reports as usual where no cache can be written', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'code-cache-')), 'a-file');
    writeFileSync(file, 'not a folder');
    const r = run(join(file, 'cache'), '--format', 'json', ...files);
    assert.deepEqual([r.code, r.stdout], [withoutCache().code, withoutCache().stdout]);
    assert.match(r.stderr, /not saved in /);
  });

  it('names a cache after the bundle text itself: two texts of one length never share one', () => {
    const a = cacheFileName('/x/cli.bundle.js', 'var a = 1;');
    const b = cacheFileName('/x/cli.bundle.js', 'var b = 1;');
    assert.notEqual(a, b);
    assert.match(a, new RegExp(`^cli\\.bundle-v8-${process.versions.v8.replace(/\./g, '\\.')}-[0-9a-f]{20}\\.bin$`));
    assert.equal(cacheFileName('/elsewhere/cli.bundle.js', 'var a = 1;'), a);
  });

  it('names a cache after the V8 flags the bundle runs under too: V8 reads a cache only under its own flags', () => {
    const plain = cacheFileName('/x/cli.bundle.js', 'var a = 1;');
    const tuned = cacheFileName('/x/cli.bundle.js', 'var a = 1;', '--max-inlined-bytecode-size-cumulative=200');
    assert.notEqual(tuned, plain);
    assert.equal(cacheFileName('/x/cli.bundle.js', 'var a = 1;', '--max-inlined-bytecode-size-cumulative=200'), tuned);
  });
});
