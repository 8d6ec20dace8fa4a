import type { CheckedDocument, Dialect, EngineDiagnostic } from '../engine';
import { LineIndex } from '../engine';

/** What the CLI prints for one file, and what its summary line and exit status count. */
export interface FileOutcome {
  /** The file's lines (text) or its member of the `files` array (JSON, indented as it sits there). */
  out: string;
  errors: number;
  warnings: number;
  invoices: number;
  /** Why the file could not be checked. */
  error?: string;
}

export type Format = 'text' | 'json';

/** One file's result as the CLI formats it: the pieces every path (one thread, shares, workers) has. */
export interface FileResult {
  dialect: Dialect;
  diagnostics: EngineDiagnostic[];
  documents: CheckedDocument[];
}

function counts(diagnostics: readonly EngineDiagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else if (d.severity === 'warning') warnings++;
  }
  return { errors, warnings };
}

/** Indents a member of the top-level `files` array as JSON.stringify(…, null, 2) of the whole report does. */
function member(value: unknown): string {
  // Two levels of array around it give it that indentation in one pass: `[\n  [\n` + member + `\n  ]\n]`.
  return JSON.stringify([[value]], null, 2).slice(6, -6);
}

function oneBased(index: LineIndex, offset: number): string {
  const p = index.positionAt(offset);
  return `${p.line + 1}:${p.character + 1}`;
}

export function formatFile(format: Format, file: string, text: string, r: FileResult): FileOutcome {
  // Positions only for the diagnostics there are: no line index for a clean 10 MB file.
  const index = r.diagnostics.length > 0 ? new LineIndex(text) : undefined;
  const tally = { ...counts(r.diagnostics), invoices: r.documents.length };
  if (format === 'json') {
    return {
      ...tally,
      out: member({
        file,
        dialect: r.dialect,
        diagnostics: r.diagnostics.map((d) => ({
          code: d.code,
          severity: d.severity,
          message: d.message,
          range: { start: index!.positionAt(d.start), end: index!.positionAt(d.end) },
        })),
        documents: r.documents.map((d) => ({
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
      }),
    };
  }
  const lines: string[] = [];
  for (const d of r.diagnostics) lines.push(`${file}:${oneBased(index!, d.start)}: ${d.severity} ${d.code}: ${d.message}`);
  const xero = r.dialect !== 'workflowmax-3.0';
  for (const doc of r.documents) {
    const name = doc.number ?? '(no number)';
    if (doc.purpose === 'statusChange') {
      lines.push(`${file}: ${name}: status change${doc.status ? ` to ${doc.status}` : ''}`);
      continue;
    }
    const kind = doc.kind === 'creditNote' ? 'credit note' : doc.type;
    const what = [kind, doc.status, xero ? doc.lineAmountTypes : null, doc.currency].filter(Boolean).join(', ');
    const fig = (v: string | null) => v ?? '?';
    lines.push(`${file}: ${name} (${what}): subtotal ${fig(doc.subTotal)} · tax ${fig(doc.totalTax)} · total ${fig(doc.total)}`);
  }
  return { ...tally, out: lines.join('\n') };
}

/** A file that could not be read or decoded. */
export function unreadable(format: Format, file: string, error: string): FileOutcome {
  return {
    out: format === 'json' ? member({ file, dialect: 'unknown', error, diagnostics: [], documents: [] }) : '',
    errors: 0,
    warnings: 0,
    invoices: 0,
    error,
  };
}

/** Writes outcomes in order as the whole report: JSON `{ "files": [ … ] }`, or text lines. */
export class ReportWriter {
  private first = true;

  constructor(
    private readonly format: Format,
    private readonly write: (chunk: string) => void,
  ) {}

  add(o: FileOutcome): void {
    if (this.format === 'json') {
      this.write((this.first ? '{\n  "files": [\n' : ',\n') + o.out);
      this.first = false;
    } else if (o.out) this.write(o.out + '\n');
  }

  end(): void {
    if (this.format === 'json') this.write(this.first ? '{\n  "files": []\n}\n' : '\n  ]\n}\n');
  }
}
