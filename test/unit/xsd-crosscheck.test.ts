import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SCHEMA_FILES, findSchemasDirectory } from '@engine';
import { fixtureFiles, runFixture } from '../support/fixtures';

// libxml2 is the reference XSD processor: for every fixture of a known dialect, it and the engine must agree on
// whether the document is schema-valid. Documents with a DOCTYPE are left out: the engine rejects DOCTYPE by
// policy, where libxml2 processes it.
const xmllint = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });

function libxml2Valid(text: string, xsd: string): { valid: boolean; output: string } {
  // The engine reads the bytes it is given; xmllint trusts the declaration. Give it UTF-8 that says UTF-8.
  const input = text.replace(/^(<\?xml[^>]*encoding\s*=\s*["'])[^"']*(["'])/, '$1UTF-8$2');
  const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsd, '-'], { input, encoding: 'utf8' });
  return { valid: r.status === 0, output: r.stderr };
}

describe('libxml2 and the engine agree on schema validity', () => {
  it('xmllint is installed (Debian package libxml2-utils)', () => assert.equal(xmllint.status, 0, String(xmllint.error ?? xmllint.stderr)));
  const dir = findSchemasDirectory();
  let compared = 0;
  for (const file of fixtureFiles()) {
    it(file, (t) => {
      const run = runFixture(file);
      if (run.result.dialect === 'unknown' || run.result.xml.hasDoctype) {
        t.skip(run.result.xml.hasDoctype ? 'not compared: a DOCTYPE, which the engine rejects by policy' : 'not compared: not an invoice dialect');
        return;
      }
      compared++;
      const engineProblems = run.result.diagnostics.filter(
        (d) => d.severity === 'error' && (d.code.startsWith('schema-') || (d.code.startsWith('xml-') && d.code !== 'xml-encoding')),
      );
      const lib = libxml2Valid(run.text, join(dir, SCHEMA_FILES[run.result.dialect]));
      assert.equal(
        engineProblems.length === 0,
        lib.valid,
        `engine: ${JSON.stringify(engineProblems.map((d) => d.message))}\nlibxml2: ${lib.output}`,
      );
    });
  }
  it('compared a meaningful number of fixtures', () => assert.ok(compared >= 80, `only ${compared}`));
});
