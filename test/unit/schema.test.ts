import assert from 'node:assert/strict';
import { basename, dirname } from 'node:path';
import { describe, it } from 'node:test';
import { schemaFor, type ComplexType } from '@engine';
import fc from 'fast-check';
import type { SimpleType } from '@engine/schema/model';
import { checkValue, normalizeValue } from '@engine/schema/values';
import { fixtureFiles, runFixture } from '../support/fixtures';

const DIALECTS = ['xero-2.0', 'xero-1.0', 'workflowmax-3.0'] as const;
const schemaCodes = (run: ReturnType<typeof runFixture>) =>
  run.result.diagnostics.filter((d) => d.code.startsWith('schema-') || (d.code.startsWith('xml-') && d.code !== 'xml-encoding'));

describe('schemas load into the schema model', () => {
  for (const dialect of DIALECTS) {
    it(`${dialect}: every element declaration carries documentation for hover`, () => {
      const model = schemaFor(dialect).model;
      assert.ok(model.roots.size > 0);
      const missing: string[] = [];
      const seen = new Set<ComplexType>();
      const visit = (t: ComplexType, path: string) => {
        if (seen.has(t)) return;
        seen.add(t);
        for (const e of t.elements.values()) {
          if (!e.doc) missing.push(`${path}/${e.name}`);
          const et = e.type.get();
          if (et.kind === 'complex') visit(et, `${path}/${e.name}`);
        }
      };
      for (const r of model.roots.values()) {
        if (!r.doc) missing.push(r.name);
        const t = r.type.get();
        if (t.kind === 'complex') visit(t, r.name);
      }
      assert.deepEqual(missing, []);
    });
  }
});

describe('schema fixtures: valid ones pass, invalid ones fail for one reason', () => {
  const files = fixtureFiles('schema');
  it('has schema fixtures for every dialect', () => {
    for (const d of DIALECTS) assert.ok(files.filter((f) => f.includes(`/${d}/`)).length >= 8, d);
  });
  for (const file of files) {
    it(file, () => {
      const run = runFixture(file);
      assert.equal(run.result.dialect, basename(dirname(file)));
      const problems = schemaCodes(run).map((d) => `${d.code}: ${d.message}`);
      if (basename(file).startsWith('valid-')) assert.deepEqual(problems, []);
      else assert.equal(problems.length, 1, `expected one schema problem, got ${JSON.stringify(problems)}`);
    });
  }
});

describe('unknown elements: the name meant', () => {
  it('suggests a name of the element they stand in, each time it is misspelt, and only there', () => {
    const run = runFixture('test/fixtures/bad-input/misspelt-elements.xml');
    const unknown = run.result.diagnostics.filter((d) => d.code === 'schema-unknown-element');
    assert.deepEqual(
      unknown.map((d) => [run.lines.positionAt(d.start).line + 1, d.data?.suggestion ?? null]),
      [[5, null], [8, 'Status'], [12, 'Description'], [16, null], [19, 'Description']],
    );
    assert.match(unknown[2].message, /^<Desc> is not allowed in <LineItem>; did you mean <Description>\?$/);
    assert.match(unknown[0].message, /^<Desc> is not allowed in <Contact>\.$/);
  });
});

describe('schema values: white space is collapsed as XSD does', () => {
  it('collapses every string of up to six of space, tab, line break, carriage return and a letter', () => {
    const collapsing = { kind: 'simple', builtin: 'decimal' } as const;
    const alphabet = [' ', '\t', '\n', '\r', 'a'];
    let strings = [''];
    let seen = 0;
    for (let len = 1; len <= 6; len++) {
      strings = strings.flatMap((s) => alphabet.map((c) => s + c));
      for (const s of strings) {
        assert.equal(normalizeValue(collapsing, s), s.replace(/[\t\n\r ]+/g, ' ').trim(), JSON.stringify(s));
        seen++;
      }
    }
    assert.equal(seen, 5 + 25 + 125 + 625 + 3125 + 15625);
  });
});

describe('schema values: amounts take a one-scan path', () => {
  it('gives every value of a plain decimal type the verdict of the full check', () => {
    const types: SimpleType[] = [undefined, 0, 2, 4].map((fractionDigits) => ({ kind: 'simple', builtin: 'decimal', fractionDigits }));
    // The same types with the one-scan path switched off: the full check's verdict.
    const full = types.map((t) => ({ ...t, plainDecimal: false }));
    const same = (v: string) => {
      types.forEach((t, k) => assert.deepEqual(checkValue(t, v), checkValue(full[k], v), `${JSON.stringify(v)} (${t.fractionDigits} fraction digits)`));
      return true;
    };
    const alphabet = ['0', '5', '.', '-', '+', ' '];
    let strings = [''];
    let seen = 0;
    for (let len = 1; len <= 6; len++) {
      strings = strings.flatMap((s) => alphabet.map((c) => s + c));
      for (const v of strings) {
        same(v);
        seen++;
      }
    }
    assert.equal(seen, 6 + 36 + 216 + 1296 + 7776 + 46656);
    // Around the 15-digit limit: numbers of 10 to 20 characters, with and without a point, zeros at either end.
    const digits = (min: number, max: number) =>
      fc.integer({ min, max }).chain((k) => fc.string({ unit: fc.constantFrom('0', '1', '9'), minLength: k, maxLength: k }));
    const number = fc
      .tuple(fc.constantFrom('', '-', '+'), fc.constantFrom('', '0', '1', '9'), digits(8, 17), fc.option(digits(0, 5)))
      .map(([sign, first, rest, fraction]) => `${sign}${first}${rest}${fraction === null ? '' : `.${fraction}`}`);
    fc.assert(fc.property(number, (v) => same(v)), { numRuns: 5000 });
    assert.equal(types.every((t) => t.plainDecimal === true), true, 'the one-scan path was taken');
  });
});
