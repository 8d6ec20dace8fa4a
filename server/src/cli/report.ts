import type { CheckedDocument, Dialect, EngineDiagnostic, Position } from '../engine';
import { LineIndex } from '../engine';

/** What the CLI prints for one file, and what its summary line and exit status count. */
export interface FileOutcome {
  /**
   * The file's lines (text) or its member of the `files` array (JSON, indented as it sits there), in pieces
   * written one after the other: a 10 MB file's report is never one string.
   */
  out: string[];
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

/** `value` as JSON.stringify(report, null, 2) writes it inside a file's diagnostics or documents (4 levels deep). */
function nested(value: object): string {
  // Four arrays around it indent it in the same pass: `[\n  [\n    [\n      [\n        ` + value + `\n      ]\n    ]\n  ]\n]`.
  return JSON.stringify([[[[value]]]], null, 2).slice(28, -20);
}

/**
 * A member of the top-level `files` array, in pieces, exactly as JSON.stringify(report, null, 2) of the whole
 * report would indent it: the fields of `head` (strings), then its diagnostics and documents (made one by one
 * as they are written: a 10 MB file's report is never all in memory at once).
 */
function fileMember<D, C>(put: PieceWriter, head: Record<string, string>, diagnostics: readonly D[], diagnostic: (d: D) => string, documents: readonly C[], document: (c: C) => string): void {
  put('    {');
  for (const [k, v] of Object.entries(head)) put(`\n      ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  list(put, 'diagnostics', diagnostics, diagnostic);
  put(',');
  list(put, 'documents', documents, document);
  put('\n    }');
}

/** A list of items, each written by `json` as it stands 4 levels deep. */
function list<T>(put: PieceWriter, name: string, items: readonly T[], json: (item: T) => string): void {
  if (items.length === 0) {
    put(`\n      "${name}": []`);
    return;
  }
  put(`\n      "${name}": [`);
  for (let i = 0; i < items.length; i++) put(`${i === 0 ? '' : ','}\n        ${json(items[i])}`);
  put('\n      ]');
}

/** What JSON.stringify escapes in a string: quotes, backslashes, controls and lone surrogates (any surrogate here). */
// eslint-disable-next-line no-control-regex -- the controls are what it looks for
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * A string as JSON.stringify writes it: quoted as it is when nothing in it needs escaping (names, codes, figures).
 * One regular expression runs as native code from its first use, where a loop over the characters runs in the
 * interpreter for most of a run's values (a check is over before such a loop is optimised).
 */
function jsonString(v: string): string {
  return ESCAPED.test(v) ? JSON.stringify(v) : `"${v}"`;
}

const value = (v: string | null) => (v === null ? 'null' : jsonString(v));

/**
 * A document's figures as nested() writes them, written out field by field: every invoice of every file passes
 * here, and this takes half the time of JSON.stringify with indentation (a CLI test holds the output to
 * JSON.stringify's form).
 */
function documentJson(d: CheckedDocument): string {
  const at = ',\n          ';
  let lines = '[]';
  if (d.lines.length > 0) {
    lines = '[';
    for (let i = 0; i < d.lines.length; i++) {
      const l = d.lines[i];
      lines += `${i === 0 ? '' : ','}\n            {\n              "lineAmount": ${value(l.lineAmount)},\n              "taxAmount": ${value(l.taxAmount)}\n            }`;
    }
    lines += '\n          ]';
  }
  return `{\n          "kind": ${value(d.kind)}${at}"number": ${value(d.number)}${at}"status": ${value(d.status)}${at}"type": ${value(d.type)}` +
    `${at}"lineAmountTypes": ${value(d.lineAmountTypes)}${at}"currency": ${value(d.currency)}${at}"lines": ${lines}` +
    `${at}"subTotal": ${value(d.subTotal)}${at}"totalTax": ${value(d.totalTax)}${at}"total": ${value(d.total)}\n        }`;
}

/** Line and character of a file's offsets: made only for a file that has diagnostics. */
export type Positions = () => { positionAt(offset: number): Position };

/** Positions in a decoded text. */
export const positionsIn = (text: string): Positions => () => new LineIndex(text);

function oneBased(index: { positionAt(offset: number): Position }, offset: number): string {
  const p = index.positionAt(offset);
  return `${p.line + 1}:${p.character + 1}`;
}

/** Where a file's report goes piece by piece: straight to the output when the file is next in order. */
export type PieceWriter = (piece: string) => void;

/** Where a file's pieces go: to `write`, or kept in `out` (then written with the outcome). */
function sink(write: PieceWriter | undefined): { out: string[]; put: PieceWriter } {
  const out: string[] = [];
  return { out, put: write ?? ((piece) => void out.push(piece)) };
}

/** One file's report: written with `write` as it is made, or else kept in the outcome's pieces. */
export function formatFile(format: Format, file: string, positions: Positions, r: FileResult, write?: PieceWriter): FileOutcome {
  const { out, put } = sink(write);
  // Positions only for the diagnostics there are: no line index for a clean 10 MB file.
  const index = r.diagnostics.length > 0 ? positions() : undefined;
  const tally = { ...counts(r.diagnostics), invoices: r.documents.length };
  if (format === 'json') {
    fileMember(
      put,
      { file, dialect: r.dialect },
      r.diagnostics,
      (d) =>
        nested({
          code: d.code,
          severity: d.severity,
          message: d.message,
          range: { start: index!.positionAt(d.start), end: index!.positionAt(d.end) },
        }),
      r.documents,
      documentJson,
    );
    return { ...tally, out };
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
  if (lines.length > 0) put(lines.join('\n') + '\n');
  return { ...tally, out };
}

/** A file that could not be read or decoded. */
export function unreadable(format: Format, file: string, error: string, write?: PieceWriter): FileOutcome {
  const { out, put } = sink(write);
  if (format === 'json') fileMember(put, { file, dialect: 'unknown', error }, [], nested, [], nested);
  return {
    out,
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

  /** A file's outcome whose pieces were kept (a file written with next() has none left to write). */
  add(o: FileOutcome): void {
    if (o.out.length === 0) return;
    this.separate();
    for (const piece of o.out) this.write(piece);
  }

  /** Writes the pieces of the file that is next in order as they are made. */
  next(): PieceWriter {
    let started = false;
    return (piece) => {
      if (!started) {
        started = true;
        this.separate();
      }
      this.write(piece);
    };
  }

  private separate(): void {
    if (this.format !== 'json') return;
    this.write(this.first ? '{\n  "files": [\n' : ',\n');
    this.first = false;
  }

  end(): void {
    if (this.format === 'json') this.write(this.first ? '{\n  "files": []\n}\n' : '\n  ]\n}\n');
  }
}
