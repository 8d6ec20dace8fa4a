import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CODES, isDiagnosticCode } from '../../shared/src/codes';
import { diagnosticKeys, expectedFor, fixtureFiles, runFixture } from '../support/fixtures';

// Every fixture with an expected file beside it: the engine must report exactly the listed diagnostics (code and
// line), in the listed dialect, with the listed figures for every invoice.
const files = fixtureFiles().filter((f) => expectedFor(f));

describe('fixtures match their expected results', () => {
  it('has fixtures to check', () => assert.ok(files.length >= 100, `only ${files.length} fixtures with expected results`));
  for (const file of files) {
    it(file, () => {
      const expected = expectedFor(file)!;
      const run = runFixture(file, expected.options);
      assert.equal(run.result.dialect, expected.dialect, 'dialect');
      for (const d of expected.diagnostics) assert.ok(isDiagnosticCode(d.code), `expected file names an unknown code ${d.code}`);
      const want = expected.diagnostics.map((d) => `${d.code}@${d.line}`).sort();
      assert.deepEqual(diagnosticKeys(run), want, 'diagnostics (code@line)');
      for (const d of expected.diagnostics) {
        const severity = d.severity ?? CODES[d.code as keyof typeof CODES].severity;
        const actual = run.result.diagnostics.find((a) => a.code === d.code && run.lines.positionAt(a.start).line + 1 === d.line);
        assert.equal(actual?.severity, severity, `severity of ${d.code}@${d.line}`);
      }
      assert.equal(run.result.documents.length, expected.documents.length, 'number of documents');
      expected.documents.forEach((want, i) => {
        const got = run.result.documents[i] as unknown as Record<string, unknown>;
        for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k], v, `document ${i + 1} ${k}`);
      });
    });
  }
});
