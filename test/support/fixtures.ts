import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readDocumentBytes } from '../../server/src/cli/read-document';
import { InvoiceEngine, LineIndex, type CheckResult, type EngineOptions } from '@engine';

export const ROOT = join(__dirname, '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

export interface ExpectedFile {
  why?: string;
  dialect: string;
  diagnostics: { code: string; line: number; severity?: string }[];
  documents: Record<string, unknown>[];
  options?: EngineOptions;
}

/** Every XML fixture below a folder of test/fixtures, sorted, as paths relative to the project. */
export function fixtureFiles(folder = ''): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.xml')) out.push(relative(ROOT, p));
    }
  };
  walk(join(FIXTURES, folder));
  return out;
}

export function expectedFor(file: string): ExpectedFile | undefined {
  try {
    return JSON.parse(readFileSync(join(ROOT, file.replace(/\.xml$/, '.expected.json')), 'utf8')) as ExpectedFile;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export interface FixtureRun {
  text: string;
  result: CheckResult;
  lines: LineIndex;
}

/** Checks a fixture as the CLI does (same decoding, unknown documents reported). */
export function runFixture(file: string, options: EngineOptions = {}): FixtureRun {
  const decoded = readDocumentBytes(readFileSync(join(ROOT, file)));
  if ('error' in decoded) throw new Error(`${file}: ${decoded.error}`);
  const engine = new InvoiceEngine({ reportUnknownDocuments: true, ...options, sourceEncoding: decoded.encoding });
  return { text: decoded.text, result: engine.check(decoded.text), lines: new LineIndex(decoded.text) };
}

/** `code@line` (1-based) for each diagnostic, sorted: what expected files list. */
export function diagnosticKeys(run: FixtureRun): string[] {
  return run.result.diagnostics.map((d) => `${d.code}@${run.lines.positionAt(d.start).line + 1}`).sort();
}
