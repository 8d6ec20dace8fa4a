import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { isRegion, type EngineOptions, type Region } from './hosted-engine';
import { FileChecker } from './cli/check-file';
import { ParallelCheck, serveChecks } from './cli/parallel';
import { ReportWriter, type Format } from './cli/report';

/**
 * Cores from which a big file is spread over threads unless --jobs says otherwise. The thread that reads the file
 * reads all of it, so its part is serial; on two cores the threads slow each other down enough that one thread
 * alone was faster (README, benchmarks).
 */
const SPLIT_CORES = 4;

const USAGE = `Usage: invoice-check [--format text|json] [--region NZ|AU|UK|US] [--tax-rate CODE=PERCENT]... [--jobs N] FILE...

Checks Xero invoice XML (Accounting API 2.0 invoices and credit notes, legacy API 1.0, WorkflowMax 3.0):
well-formedness, the schema, approval rules for the status each invoice is headed to, and every line and
total recomputed with Xero's rounding.

  --format text|json      text (default): file:line:column: severity code: message, then one line per invoice
  --region NZ|AU|UK|US    tax rates of the organisation's region (default NZ)
  --tax-rate CODE=PERCENT override or add a tax rate, e.g. --tax-rate TAX001=9 (repeatable)
  --jobs N                threads that check files (or a big file's invoices) at once; output stays in the
                          order of the files (default: the number of cores, here ${availableParallelism()}; a big file's
                          invoices are spread by default only with ${SPLIT_CORES} cores or more)
  -h, --help              this help

Exit status: 0 no errors, 1 errors found, 2 usage or file problems.`;

class UsageError extends Error {}

interface Args {
  format: Format;
  options: EngineOptions;
  jobs: number;
  /** Whether a big file's invoices are spread over the threads. */
  split: boolean;
  files: string[];
}

function parseArgs(argv: string[]): Args | 'help' {
  let format: Format = 'text';
  let region: Region = 'NZ';
  let jobs = availableParallelism();
  let jobsGiven = false;
  const taxRates: Record<string, string> = {};
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (name: string) => {
      const eq = a.indexOf('=');
      if (eq > 0 && a.startsWith('--')) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (a === '-h' || a === '--help') return 'help';
    else if (a === '--format' || a.startsWith('--format=')) {
      const v = value('--format');
      if (v !== 'text' && v !== 'json') throw new UsageError(`--format must be text or json, not '${v}'`);
      format = v;
    } else if (a === '--region' || a.startsWith('--region=')) {
      const v = value('--region').toUpperCase();
      if (!isRegion(v)) throw new UsageError(`--region must be NZ, AU, UK or US, not '${v}'`);
      region = v;
    } else if (a === '--tax-rate' || a.startsWith('--tax-rate=')) {
      const v = value('--tax-rate');
      const m = /^([A-Za-z0-9_]+)=(\d+(\.\d{1,4})?)$/.exec(v);
      if (!m) throw new UsageError(`--tax-rate takes CODE=PERCENT with up to 4 decimals, e.g. TAX001=9, not '${v}'`);
      taxRates[m[1]] = m[2];
    } else if (a === '--jobs' || a.startsWith('--jobs=')) {
      const v = value('--jobs');
      if (!/^[1-9]\d?$/.test(v) || Number(v) > 64) throw new UsageError(`--jobs takes a whole number from 1 to 64, not '${v}'`);
      jobs = Number(v);
      jobsGiven = true;
    } else if (a === '--') {
      files.push(...argv.slice(i + 1));
      break;
    } else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    else files.push(a);
  }
  if (files.length === 0) throw new UsageError('no files given');
  return { format, options: { region, taxRates, reportUnknownDocuments: true }, jobs, split: jobsGiven || jobs >= SPLIT_CORES, files };
}

/** Whether this run checked an invoice: only then does its code cache hold the checking code (launch/code-cache.ts). */
let checkedAnInvoice = false;
export const worthCaching = (): boolean => checkedAnInvoice;

export async function main(argv: string[]): Promise<number> {
  let args: Args | 'help';
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`invoice-check: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  if (args === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  let errors = 0;
  let warnings = 0;
  let invoices = 0;
  let unreadable = 0;
  let checked = 0;
  const status = () => (unreadable > 0 ? 2 : errors > 0 ? 1 : 0);
  // A reader that stops early (`invoice-check … | head`) closes the pipe: stop quietly, as other tools do.
  let closed = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    closed = true;
    process.exit(status());
  });
  // Output goes out in pieces of 16 KB or more: one write per small file would cost more than checking it, and
  // bigger pieces raise a 10 MB file's peak memory (120 against 115 MB at 64 KB) for no gain in time.
  let pending = '';
  const flush = () => {
    if (!closed && pending) process.stdout.write(pending);
    pending = '';
  };
  const write = (chunk: string) => {
    pending += chunk;
    if (pending.length >= 16384) flush();
  };
  const report = new ReportWriter(args.format, write);
  const checker = new FileChecker(args.options, args.format);
  const parallel = new ParallelCheck(checker, args.jobs, { options: args.options, format: args.format }, __filename, () => closed, args.split, () => report.next());
  await parallel.run(args.files, (o) => {
    checked++;
    report.add(o);
    if (o.error) {
      unreadable++;
      process.stderr.write(`invoice-check: ${o.error}\n`);
    }
    errors += o.errors;
    warnings += o.warnings;
    invoices += o.invoices;
  });
  checkedAnInvoice = invoices > 0;
  report.end();
  flush();
  if (args.format === 'text') {
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    process.stderr.write(`${plural(checked, 'file')}, ${plural(invoices, 'invoice')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`);
  }
  return status();
}

if (!isMainThread) serveChecks();
else if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`invoice-check: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
