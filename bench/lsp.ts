// The language server through the protocol, on the 1 MB and 10 MB bench documents: open → first diagnostics,
// a one-character edit inside one invoice → fresh diagnostics (p50/p95 over 60 edits), completion and hover
// p95, inlay hints for a 100-line range, and the server's peak RSS; beside the engine's full check of the
// same document, so the incremental gain shows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvoiceEngine } from '@engine';
import { LspClient, positionOf } from '../test/support/lsp-client';

const root = join(__dirname, '..');
const sizes = (process.argv[2] ?? '500,5000').split(',').map(Number);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

async function measure(n: number) {
  const file = join(root, 'bench', 'out', `invoices-${n}.xml`);
  const text = readFileSync(file, 'utf8');
  const engine = new InvoiceEngine();
  const full: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    engine.check(text);
    full.push(ms(t));
  }
  const client = await LspClient.start({ settings: { validate: { debounceMs: 0 } } });
  const uri = `file:///bench/invoices-${n}.xml`;
  let t = process.hrtime.bigint();
  await client.open(uri, text);
  const first = await client.diagnostics(uri);
  const openMs = ms(t);
  const middle = Math.floor(n / 2);
  let current = text;
  const edit: number[] = [];
  const folding: number[] = [];
  for (let i = 0; i < 60; i++) {
    const at = positionOf(current, '<Description>', middle, '<Description>'.length);
    t = process.hrtime.bigint();
    await client.change(uri, [{ range: { start: at, end: at }, text: 'x' }]);
    await client.diagnostics(uri);
    edit.push(ms(t));
    t = process.hrtime.bigint();
    await client.folding(uri);
    folding.push(ms(t));
    current = current.replace(new RegExp(`^((?:[\\s\\S]*?<Description>){${middle + 1}})`), '$1x');
  }
  const completion: number[] = [];
  const hover: number[] = [];
  for (let i = 0; i < 50; i++) {
    const k = Math.floor((n * i) / 50);
    const q = positionOf(current, '<Quantity>', k, 3);
    t = process.hrtime.bigint();
    await client.completion(uri, positionOf(current, '<TaxType>', k, '<TaxType>'.length), false);
    completion.push(ms(t));
    t = process.hrtime.bigint();
    await client.hover(uri, q);
    hover.push(ms(t));
  }
  const start = positionOf(current, '<Invoice>', middle);
  t = process.hrtime.bigint();
  const hints = await client.inlayHints(uri, { start, end: { line: start.line + 100, character: 0 } });
  const hintsMs = ms(t);
  const rss = client.serverRssMb();
  await client.stop();
  return {
    document: `${n} invoices, ${(text.length / 1e6).toFixed(1)} MB`,
    'engine full check ms': Math.min(...full).toFixed(1),
    'open → diagnostics ms': openMs.toFixed(1),
    'edit → diagnostics p50 ms': pct(edit, 50).toFixed(2),
    'edit → diagnostics p95 ms': pct(edit, 95).toFixed(2),
    'completion p95 ms': pct(completion, 95).toFixed(2),
    'hover p95 ms': pct(hover, 95).toFixed(2),
    'inlay hints (100 lines) ms': `${hintsMs.toFixed(2)} (${hints.length} hints)`,
    'folding after an edit p95 ms': pct(folding, 95).toFixed(2),
    'server peak RSS MB': rss.toFixed(0),
    diagnostics: first.length,
  };
}

(async () => {
  const rows = [];
  for (const n of sizes) rows.push(await measure(n));
  console.log('Language server, measured round trip through the protocol (an upper bound of the time in the server):');
  console.table(rows);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
