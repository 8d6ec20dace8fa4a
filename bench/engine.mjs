// npm run bench: the engine against libxml2 on the same documents, in the same run.
//   node bench/engine.mjs [--runs 5] [--sizes 500,5000]
// Prints, per document: the engine's full check in-process (and MB/s), the invoice-check CLI as a whole process,
// `xmllint --noout --schema schemas/xero-2.0.xsd` as a whole process, their ratio, peak RSS, and the cost of
// re-checking after a one-character edit.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
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
const generator = join(root, '..', 'shared', 'bench', 'gen-invoices.mjs');
const schema = join(root, 'schemas', 'xero-2.0.xsd');

mkdirSync(out, { recursive: true });
if (!existsSync(generator)) {
  console.error(`bench: the document generator is missing (${generator}); it ships in shared/bench beside the project.`);
  process.exit(2);
}
if (spawnSync('xmllint', ['--version']).status !== 0) {
  console.error('bench: xmllint is missing; install Debian package libxml2-utils.');
  process.exit(2);
}
await build({ entryPoints: [join(root, 'bench', 'check-file.ts')], bundle: true, platform: 'node', target: 'node20', outfile: join(out, 'check-file.cjs'), logLevel: 'warning' });
if (!existsSync(join(root, 'dist', 'cli.js'))) {
  console.error('bench: dist/cli.js is missing; run npm run build first.');
  process.exit(2);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function wall(cmd, argv) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28 });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.stderr}`);
  }
  return median(times);
}

const rows = [];
for (const n of sizes) {
  const file = join(out, `invoices-${n}.xml`);
  if (!existsSync(file)) {
    const g = spawnSync(process.execPath, [generator, '--n', String(n), '--out', file], { stdio: 'inherit' });
    if (g.status !== 0) process.exit(2);
  }
  const xmllint = wall('xmllint', ['--noout', '--schema', schema, file]);
  const cli = wall(process.execPath, [join(root, 'dist', 'cli.js'), '--format', 'json', file]);
  const run = (mode) => JSON.parse(spawnSync(process.execPath, [join(out, 'check-file.cjs'), file, String(runs), mode], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout);
  const inproc = { ...run('full'), ...run('edit') };
  const mb = inproc.bytes / 1e6;
  rows.push({
    document: `${n} invoices, ${mb.toFixed(1)} MB`,
    'errors found': inproc.errors,
    'engine full check ms': inproc.fullMs.toFixed(1),
    'engine MB/s': (mb / (inproc.fullMs / 1000)).toFixed(1),
    'parse only ms': inproc.parseMs.toFixed(1),
    'invoice-check process ms': cli.toFixed(1),
    'xmllint --schema ms': xmllint.toFixed(1),
    'engine / xmllint': (inproc.fullMs / xmllint).toFixed(2),
    'process / xmllint': (cli / xmllint).toFixed(2),
    'one-shot check peak RSS MB': inproc.peakRssMb.toFixed(0),
    're-check after 1-char edit ms': `${inproc.recheckMs.toFixed(1)} (${inproc.rechecked} invoice re-checked)`,
    'one invoice alone µs': `${inproc.oneInvoiceUs.toFixed(0)} (${inproc.oneInvoiceBytes} chars)`,
  });
}
console.table(rows);
