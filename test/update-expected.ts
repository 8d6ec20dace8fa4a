// npm run fixtures:update [FILE.xml…]: rewrites the expected results beside fixtures from what the engine reports
// now, keeping each file's "why". Review every changed line before committing: the expected files are the
// specification the engine is held to, not a snapshot to refresh blindly.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectedFor, fixtureFiles, ROOT, runFixture } from './support/fixtures';

const args = process.argv.slice(2);
const files = args.length > 0 ? args.map((f) => f.replace(/^\.\//, '')) : fixtureFiles().filter((f) => expectedFor(f));
let changed = 0;
for (const file of files) {
  const previous = expectedFor(file);
  const run = runFixture(file, previous?.options);
  const next = {
    why: previous?.why ?? 'TODO: say what this fixture tests',
    ...(previous?.options ? { options: previous.options } : {}),
    dialect: run.result.dialect,
    diagnostics: run.result.diagnostics.map((d) => ({ code: d.code, line: run.lines.positionAt(d.start).line + 1, severity: d.severity })),
    documents: run.result.documents.map((d) => ({
      kind: d.kind, number: d.number, status: d.status, lineAmountTypes: d.lineAmountTypes, currency: d.currency,
      lines: d.lines, subTotal: d.subTotal, totalTax: d.totalTax, total: d.total,
    })),
  };
  const text = JSON.stringify(next, null, 2) + '\n';
  const target = join(ROOT, file.replace(/\.xml$/, '.expected.json'));
  if (!previous || JSON.stringify(previous) !== JSON.stringify(next)) {
    writeFileSync(target, text);
    changed++;
    console.log(`updated ${file.replace(/\.xml$/, '.expected.json')}`);
  }
}
console.log(`${changed} expected file${changed === 1 ? '' : 's'} written; review them with git diff.`);
