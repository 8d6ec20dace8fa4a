// npm run fixtures:update [FILE.xml…]: rewrites the expected results beside fixtures from what the engine reports
// now, keeping each file's "why". Review every changed line before committing: the expected files are the
// specification the engine is held to, not a snapshot to refresh blindly. A file is rewritten only when the
// engine's verdict differs from it as the fixture test reads it, so a run without an engine change writes nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODES, type DiagnosticCode } from '../shared/src/codes';
import { expectedFor, fixtureFiles, ROOT, runFixture, type ExpectedFile } from './support/fixtures';

const DOCUMENT_FIELDS = ['kind', 'number', 'status', 'lineAmountTypes', 'currency', 'lines', 'subTotal', 'totalTax', 'total'] as const;

/** What the fixture test compares: the dialect, code@line with its severity, and each document's listed fields. */
function verdict(e: ExpectedFile): string {
  const diagnostics = e.diagnostics
    .map((d) => `${d.code}@${d.line}:${d.severity ?? CODES[d.code as DiagnosticCode]?.severity}`)
    .sort();
  const documents = e.documents.map((d) => DOCUMENT_FIELDS.map((k) => JSON.stringify(d[k])).join('|'));
  return JSON.stringify([e.dialect, diagnostics, documents]);
}

/** The hand-written layout of the expected files: one line per diagnostic and per invoice line. */
function format(e: ExpectedFile): string {
  const j = JSON.stringify;
  const one = (o: Record<string, unknown>) => `{ ${Object.entries(o).map(([k, v]) => `${j(k)}: ${j(v)}`).join(', ')} }`;
  const out = ['{', `  "why": ${j(e.why)},`];
  if (e.options) out.push(`  "options": ${j(e.options)},`);
  out.push(`  "dialect": ${j(e.dialect)},`);
  out.push(e.diagnostics.length === 0 ? '  "diagnostics": [],' : `  "diagnostics": [\n${e.diagnostics.map((d) => `    ${one(d)}`).join(',\n')}\n  ],`);
  if (e.documents.length === 0) out.push('  "documents": []');
  else {
    const docs = e.documents.map((d) => {
      const lines = d.lines as Record<string, unknown>[];
      const head = ['kind', 'number', 'status', 'lineAmountTypes', 'currency'].map((k) => `${j(k)}: ${j(d[k])}`).join(', ');
      const body = lines.length === 0 ? '"lines": [],' : `"lines": [\n${lines.map((l) => `        ${one(l)}`).join(',\n')}\n      ],`;
      const tail = ['subTotal', 'totalTax', 'total'].map((k) => `${j(k)}: ${j(d[k])}`).join(', ');
      return `    { ${head},\n      ${body}\n      ${tail} }`;
    });
    out.push(`  "documents": [\n${docs.join(',\n')}\n  ]`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}

const args = process.argv.slice(2);
const files = args.length > 0 ? args.map((f) => f.replace(/^\.\//, '')) : fixtureFiles().filter((f) => expectedFor(f));
let changed = 0;
for (const file of files) {
  const previous = expectedFor(file);
  const run = runFixture(file, previous?.options);
  const next: ExpectedFile = {
    why: previous?.why ?? 'TODO: say what this fixture tests',
    ...(previous?.options ? { options: previous.options } : {}),
    dialect: run.result.dialect,
    diagnostics: run.result.diagnostics.map((d) => {
      const line = run.lines.positionAt(d.start).line + 1;
      return d.severity === CODES[d.code].severity ? { code: d.code, line } : { code: d.code, line, severity: d.severity };
    }),
    documents: run.result.documents.map((d) => Object.fromEntries(DOCUMENT_FIELDS.map((k) => [k, d[k]]))),
  };
  if (previous && verdict(previous) === verdict(next)) continue;
  writeFileSync(join(ROOT, file.replace(/\.xml$/, '.expected.json')), format(next));
  changed++;
  console.log(`updated ${file.replace(/\.xml$/, '.expected.json')}`);
}
console.log(`${changed} expected file${changed === 1 ? '' : 's'} written; review them with git diff.`);
