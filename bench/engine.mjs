// npm run bench: the engine and the invoice-check CLI against libxml2 on the same documents, in the same run.
//   node bench/engine.mjs [--runs 5] [--sizes 500,5000] [--files 20000]
// Prints, per bulk document (../shared/bench/gen-invoices.mjs: 500 invoices ≈ 1 MB, 5,000 ≈ 10 MB): the engine's
// full check in-process, the CLI as a whole process (default --jobs, and --jobs N given: the file's invoices
// spread over N threads), `xmllint --noout --schema
// schemas/xero-2.0.xsd` as a whole process, their ratios, the CLI's peak RSS, and a re-check after a one-character
// edit; then a folder of one-invoice files checked in one run by each tool; then each target beside its figure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'bench', 'out');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const runs = Number(opt('runs', '5'));
const sizes = opt('sizes', '500,5000').split(',').map(Number);
const folderFiles = Number(opt('files', '20000'));
const generator = join(root, '..', 'shared', 'bench', 'gen-invoices.mjs');
const schema = join(root, 'schemas', 'xero-2.0.xsd');
const cli = join(root, 'dist', 'cli.js');

mkdirSync(out, { recursive: true });
if (!existsSync(generator)) {
  console.error(`bench: the document generator is missing (${generator}); it ships in shared/bench beside the project.`);
  process.exit(2);
}
if (spawnSync('xmllint', ['--version']).status !== 0) {
  console.error('bench: xmllint is missing; install Debian package libxml2-utils.');
  process.exit(2);
}
if (!existsSync(cli)) {
  console.error('bench: dist/cli.js is missing; run npm run build first.');
  process.exit(2);
}
await build({ entryPoints: [join(root, 'bench', 'check-file.ts')], bundle: true, platform: 'node', target: 'node20', outfile: join(out, 'check-file.cjs'), logLevel: 'warning' });
// GNU time reports a process's peak RSS (threads included); without it the RSS column says so.
const gnuTime = spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One whole-process run of `cmd argv` in `cwd`: its wall time and (with GNU time) its peak RSS in KB. */
function runOnce(cmd, argv, cwd = root) {
  const [c, a] = gnuTime ? ['/usr/bin/time', ['-f', '%M', cmd, ...argv]] : [cmd, argv];
  const t = process.hrtime.bigint();
  const r = spawnSync(c, a, { cwd, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${argv.slice(0, 4).join(' ')} … failed (${r.status}): ${r.stderr.slice(-500)}`);
  return { ms, rssKb: gnuTime ? Number(r.stderr.trim().split('\n').at(-1)) : NaN };
}

/**
 * Each command's whole-process wall time (median of `rounds`, and each round's) and largest peak RSS, the commands
 * run in turn in every round: each meets the machine as it is at that moment (a shared VM's speed drifts over a
 * minute), so the ratio of two commands is taken round by round (see `inTurnRatio`).
 */
function measureInTurn(rounds, commands) {
  const times = commands.map(() => []);
  const rss = commands.map(() => 0);
  for (let i = 0; i < rounds; i++) {
    commands.forEach(([cmd, argv, cwd], k) => {
      const r = runOnce(cmd, argv, cwd);
      times[k].push(r.ms);
      rss[k] = Math.max(rss[k], r.rssKb);
    });
  }
  return commands.map((_, k) => ({ ms: median(times[k]), times: times[k], rssMb: gnuTime ? rss[k] / 1024 : NaN }));
}

const cores = availableParallelism();
const fmtMs = (ms) => `${ms.toFixed(0)} ms`;
/** The median over the rounds of a's time over b's in the same round. */
const ratio = (a, b) => median(a.times.map((t, i) => t / b.times[i]));
const rows = [];
const figures = {};
for (const n of sizes) {
  const file = join(out, `invoices-${n}.xml`);
  if (!existsSync(file)) {
    const g = spawnSync(process.execPath, [generator, '--n', String(n), '--out', file], { stdio: 'inherit' });
    if (g.status !== 0) process.exit(2);
  }
  const [xmllint, whole, spread, bare] = measureInTurn(runs, [
    ['xmllint', ['--noout', '--schema', schema, file]],
    [process.execPath, [cli, '--format', 'json', file]],
    [process.execPath, [cli, '--jobs', String(cores), '--format', 'json', file]],
    [process.execPath, ['-e', '']],
  ]);
  const run = (mode) => JSON.parse(spawnSync(process.execPath, [join(out, 'check-file.cjs'), file, String(runs), mode], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout);
  const inproc = { ...run('full'), ...run('edit') };
  const mb = inproc.bytes / 1e6;
  figures[n] = { xmllint, whole, spread, mb };
  rows.push({
    document: `${n} invoices, ${mb.toFixed(1)} MB`,
    'errors found': inproc.errors,
    'engine full check (in-process)': `${fmtMs(inproc.fullMs)} (${(mb / (inproc.fullMs / 1000)).toFixed(1)} MB/s)`,
    'parse only': fmtMs(inproc.parseMs),
    'invoice-check (default)': fmtMs(whole.ms),
    [`invoice-check --jobs ${cores} (invoices spread)`]: fmtMs(spread.ms),
    'xmllint --schema': fmtMs(xmllint.ms),
    'CLI / xmllint': `${ratio(whole, xmllint).toFixed(2)}× (--jobs ${cores}: ${ratio(spread, xmllint).toFixed(2)}×)`,
    "node's own start (node -e '')": `${fmtMs(bare.ms)} (${ratio(bare, xmllint).toFixed(2)}× xmllint)`,
    'CLI peak RSS': `${whole.rssMb.toFixed(0)} MB (--jobs ${cores}: ${spread.rssMb.toFixed(0)} MB)`,
    'xmllint peak RSS': `${xmllint.rssMb.toFixed(0)} MB`,
    're-check after a 1-char edit': `${inproc.recheckMs.toFixed(1)} ms (${inproc.rechecked} invoice)`,
  });
}
console.log('Bulk documents (whole processes, the tools in turn: median of %d runs; a ratio is the median of the rounds\' ratios):', runs);
console.table(rows);
// Part of every node process's time is the runtime's own start, before the CLI's first line runs: shown beside the
// CLI so that a ratio can be read with it (on some machines the environment makes it far longer than usual).
if (process.env.NODE_EXTRA_CA_CERTS) {
  console.log("Note: NODE_EXTRA_CA_CERTS is set here; node reads that certificate bundle as it starts (every node process, the CLI's too), which lengthens node's own start.");
}

// A folder of one-invoice files: the generator's invoices, each in its own <Invoices> document.
let folder;
if (folderFiles > 0) {
  const dir = join(out, `folder-${folderFiles}`);
  if (!existsSync(join(dir, 'done'))) {
    mkdirSync(dir, { recursive: true });
    const src = join(out, `invoices-${folderFiles}.xml`);
    if (!existsSync(src)) {
      const g = spawnSync(process.execPath, [generator, '--n', String(folderFiles), '--seed', '7', '--out', src], { stdio: 'inherit' });
      if (g.status !== 0) process.exit(2);
    }
    const text = readFileSync(src, 'utf8');
    const head = text.slice(0, text.indexOf('<Invoices>') + '<Invoices>'.length);
    let i = 0;
    for (let at = text.indexOf('<Invoice>'); at >= 0; i++) {
      const end = text.indexOf('</Invoice>', at) + '</Invoice>'.length;
      writeFileSync(join(dir, `i${String(i).padStart(5, '0')}.xml`), `${head}\n  ${text.slice(at, end)}\n</Invoices>\n`);
      at = text.indexOf('<Invoice>', end);
    }
    writeFileSync(join(dir, 'done'), String(i));
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.xml')).sort();
  const folderRuns = Math.max(1, Math.min(runs, 3));
  const [xmllint, whole, single] = measureInTurn(folderRuns, [
    ['xmllint', ['--noout', '--schema', schema, ...files], dir],
    [process.execPath, [cli, '--format', 'json', ...files], dir],
    [process.execPath, [cli, '--jobs', '1', '--format', 'json', ...files], dir],
  ]);
  folder = { files: files.length, xmllint, whole, single };
  console.log(`A folder of ${files.length} one-invoice files, the tools in turn, median of ${folderRuns} runs of each:`);
  console.table([{
    [`invoice-check, --jobs ${availableParallelism()} (default)`]: fmtMs(whole.ms),
    'invoice-check --jobs 1': fmtMs(single.ms),
    'xmllint --schema': fmtMs(xmllint.ms),
    'CLI / xmllint': `${ratio(whole, xmllint).toFixed(2)}× (--jobs 1: ${ratio(single, xmllint).toFixed(2)}×)`,
    'per file (CLI)': `${((whole.ms * 1000) / files.length).toFixed(0)} µs`,
  }]);
}


// Issue 11's CLI targets, each beside what this run measured.
const big = figures[Math.max(...sizes)];
const targets = [];
if (big) {
  const r = ratio(big.whole, big.xmllint);
  targets.push({ target: `CLI whole process, ${big.mb.toFixed(1)} MB ≤ 1.5× xmllint (aim 1.0×)`, measured: `${r.toFixed(2)}×`, met: r <= 1.5 ? 'yes' : 'no' });
  targets.push({ target: `CLI peak RSS on ${big.mb.toFixed(1)} MB ≤ 120 MB`, measured: `${big.whole.rssMb.toFixed(0)} MB`, met: big.whole.rssMb <= 120 ? 'yes' : gnuTime ? 'no' : '(no GNU time)' });
}
if (folder) {
  const r = ratio(folder.whole, folder.xmllint);
  targets.push({ target: `${folder.files} small files ≤ 2× xmllint`, measured: `${r.toFixed(2)}×`, met: r <= 2 ? 'yes' : 'no' });
}
console.log('Targets (issue 11, CLI part):');
console.table(targets);
