import { readFileSync, statSync } from 'node:fs';
import { InvoiceEngine, LineIndex, isRegion, type CheckResult, type EngineOptions, type Region } from './engine';
import { readDocumentBytes } from './cli/read-document';

const USAGE = `Usage: invoice-check [--format text|json] [--region NZ|AU|UK|US] [--tax-rate CODE=PERCENT]... FILE...

Checks Xero invoice XML (Accounting API 2.0 invoices and credit notes, legacy API 1.0, WorkflowMax 3.0):
well-formedness, the schema, approval rules for the status each invoice is headed to, and every line and
total recomputed with Xero's rounding.

  --format text|json      text (default): file:line:column: severity code: message, then one line per invoice
  --region NZ|AU|UK|US    tax rates of the organisation's region (default NZ)
  --tax-rate CODE=PERCENT override or add a tax rate, e.g. --tax-rate TAX001=9 (repeatable)
  -h, --help              this help

Exit status: 0 no errors, 1 errors found, 2 usage or file problems.`;

class UsageError extends Error {}

interface Args {
  format: 'text' | 'json';
  options: EngineOptions;
  files: string[];
}

function parseArgs(argv: string[]): Args | 'help' {
  let format: 'text' | 'json' = 'text';
  let region: Region = 'NZ';
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
    } else if (a === '--') {
      files.push(...argv.slice(i + 1));
      break;
    } else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    else files.push(a);
  }
  if (files.length === 0) throw new UsageError('no files given');
  return { format, options: { region, taxRates, reportUnknownDocuments: true }, files };
}

interface FileReport {
  file: string;
  error?: string;
  text?: string;
  result?: CheckResult;
}

function checkFile(file: string, options: EngineOptions): FileReport {
  let bytes: Buffer;
  try {
    if (statSync(file).isDirectory()) return { file, error: `${file} is a directory; pass the XML files in it (for example ${file.replace(/\/$/, '')}/*.xml)` };
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { file, error: code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot be read (${code ?? String(err)})` };
  }
  const decoded = readDocumentBytes(bytes);
  if ('error' in decoded) return { file, error: `${file}: ${decoded.error}` };
  const engine = new InvoiceEngine({ ...options, sourceEncoding: decoded.encoding });
  return { file, text: decoded.text, result: engine.check(decoded.text) };
}

function oneBased(index: LineIndex, offset: number): string {
  const p = index.positionAt(offset);
  return `${p.line + 1}:${p.character + 1}`;
}

function textReport(reports: FileReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    if (!r.result || r.text === undefined) continue;
    const index = r.result.diagnostics.length > 0 ? new LineIndex(r.text) : undefined;
    for (const d of r.result.diagnostics) {
      lines.push(`${r.file}:${oneBased(index!, d.start)}: ${d.severity} ${d.code}: ${d.message}`);
    }
    const xero = r.result.dialect !== 'workflowmax-3.0';
    for (const doc of r.result.documents) {
      const name = doc.number ?? '(no number)';
      if (doc.purpose === 'statusChange') {
        lines.push(`${r.file}: ${name}: status change${doc.status ? ` to ${doc.status}` : ''}`);
        continue;
      }
      const kind = doc.kind === 'creditNote' ? 'credit note' : doc.type;
      const what = [kind, doc.status, xero ? doc.lineAmountTypes : null, doc.currency].filter(Boolean).join(', ');
      const fig = (v: string | null) => v ?? '?';
      lines.push(`${r.file}: ${name} (${what}): subtotal ${fig(doc.subTotal)} · tax ${fig(doc.totalTax)} · total ${fig(doc.total)}`);
    }
  }
  return lines.join('\n');
}

function jsonReport(reports: FileReport[]): string {
  return JSON.stringify(
    {
      files: reports.map((r) => {
        if (!r.result || r.text === undefined) return { file: r.file, dialect: 'unknown', error: r.error, diagnostics: [], documents: [] };
        // Positions only for the diagnostics there are: no line index for a clean 10 MB file.
        const index = r.result.diagnostics.length > 0 ? new LineIndex(r.text) : undefined;
        return {
          file: r.file,
          dialect: r.result.dialect,
          diagnostics: r.result.diagnostics.map((d) => ({
            code: d.code,
            severity: d.severity,
            message: d.message,
            range: { start: index!.positionAt(d.start), end: index!.positionAt(d.end) },
          })),
          documents: r.result.documents.map((d) => ({
            kind: d.kind,
            number: d.number,
            status: d.status,
            type: d.type,
            lineAmountTypes: d.lineAmountTypes,
            currency: d.currency,
            lines: d.lines,
            subTotal: d.subTotal,
            totalTax: d.totalTax,
            total: d.total,
          })),
        };
      }),
    },
    null,
    2,
  );
}

export function main(argv: string[]): number {
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
  const reports = args.files.map((f) => checkFile(f, args.options));
  const out = args.format === 'json' ? jsonReport(reports) : textReport(reports);
  if (out) process.stdout.write(out + '\n');
  let errors = 0;
  let warnings = 0;
  let invoices = 0;
  for (const r of reports) {
    if (r.error) process.stderr.write(`invoice-check: ${r.error}\n`);
    for (const d of r.result?.diagnostics ?? []) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
    }
    invoices += r.result?.documents.length ?? 0;
  }
  if (args.format === 'text') {
    process.stderr.write(`${reports.length} file${reports.length === 1 ? '' : 's'}, ${invoices} invoice${invoices === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
  }
  if (reports.some((r) => r.error)) return 2;
  return errors > 0 ? 1 : 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`invoice-check: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  }
}
