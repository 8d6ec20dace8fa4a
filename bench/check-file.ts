// Runs in its own process for the engine benchmark. `full`: one-shot checks of one file (what the CLI does) and
// that process's peak RSS. `edit`: a re-check after a one-character edit inside one invoice, and one invoice
// checked on its own.
import { readFileSync } from 'node:fs';
import { InvoiceEngine, parseXml, findInvoices } from '@engine';

const [file, runsArg, mode = 'full'] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
const text = readFileSync(file, 'utf8');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (f: () => void) => {
  const t = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t) / 1e6;
};

const full: number[] = [];
let errors = -1;
for (let i = 0; mode === 'full' && i < runs; i++) {
  full.push(time(() => {
    const r = new InvoiceEngine().check(text);
    errors = r.diagnostics.filter((d) => d.severity === 'error').length;
  }));
}
if (mode === 'full') {
  process.stdout.write(JSON.stringify({ bytes: Buffer.byteLength(text), errors, fullMs: median(full), peakRssMb: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}
const parse: number[] = [];
for (let i = 0; i < runs; i++) parse.push(time(() => parseXml(text)));

// Re-check after a one-character edit inside one invoice: only that invoice is re-parsed and re-checked.
const document = new InvoiceEngine().open(text);
document.result();
const doc = parseXml(text);
const invoices = findInvoices(doc.root!, 'xero-2.0');
const target = invoices[Math.floor(invoices.length / 2)].element;
const at = text.indexOf('<Description>', target.start) + '<Description>'.length;
const recheck: number[] = [];
let rechecked = 0;
for (let i = 0; i < Math.max(runs, 50); i++) {
  recheck.push(time(() => {
    document.update([{ start: at, end: at, text: String.fromCharCode(65 + (i % 26)) }]);
    rechecked = document.result().checkedInvoices;
  }));
}

// One invoice's text checked on its own.
const one = text.slice(target.start, target.end);
const single: number[] = [];
const engine = new InvoiceEngine();
for (let i = 0; i < 200; i++) single.push(time(() => engine.check(one)));

process.stdout.write(JSON.stringify({
  invoices: invoices.length,
  parseMs: median(parse),
  recheckMs: median(recheck),
  rechecked,
  oneInvoiceBytes: one.length,
  oneInvoiceUs: median(single) * 1000,
}));
