import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InvoiceEngine, type CheckResult } from '@engine';
import { ROOT, fixtureFiles } from '../support/fixtures';

// The mutation fuzz of the hardening review, seeded: real fixtures cut, spliced and stuffed with hostile pieces
// (huge numbers, thousands of attributes or unknown elements, surrogate pairs, entities, stray tags), through the
// engine and, for a sample, the CLI. Every answer: no crash, valid JSON, well-formed amounts, ranges inside the
// text on character boundaries, each document within a generous time guard (not a benchmark).
const sources = ['seeds', 'rules/totals', 'rules/approval', 'rules/workflowmax', 'rules/legacy-1.0', 'bad-input', 'recovery']
  .flatMap((d) => fixtureFiles(d))
  .map((f) => readFileSync(join(ROOT, f), 'utf8'))
  .filter((t) => t.length < 20_000);

const pieces = [
  '<', '>', '</', '/>', '<Invoice>', '</Invoice>', '<LineItem>', '</LineItem>', '<LineItems>', '<Contact>', '</Contact>',
  '<Quantity>1e5</Quantity>', `<UnitAmount>${'9'.repeat(400)}</UnitAmount>`, '<UnitAmount>-0.005</UnitAmount>',
  '<DiscountRate>12.3456</DiscountRate>', '&amp;', '&', '&#x1F600;', '&#0;', '\u{1F600}', '\uD800', '<![CDATA[', ']]>',
  '<!--', '-->', '<?xml version="1.0"?>', '<!DOCTYPE x [<!ENTITY a "b">]>', ' a="1" a="2"', '\r\n', '\t', '"', "'",
  '<Status>AUTHORISED</Status>', '<LineAmountTypes>Inclusive</LineAmountTypes>', '<TaxType>OUTPUT2</TaxType>',
];

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), piece: fc.constantFrom(...pieces), times: fc.constantFrom(1, 1, 1, 3, 50, 2000) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.nat(200) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.nat(2000), times: fc.constantFrom(1, 2, 20) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

type Mutation =
  | { kind: 'insert'; at: number; piece: string; times: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number; times: number }
  | { kind: 'truncate'; at: number };

function mutate(text: string, ms: Mutation[]): string {
  for (const m of ms) {
    const at = m.at % (text.length + 1);
    if (m.kind === 'insert') text = text.slice(0, at) + m.piece.repeat(m.times) + text.slice(at);
    else if (m.kind === 'delete') text = text.slice(0, at) + text.slice(at + m.length);
    else if (m.kind === 'duplicate') text = text.slice(0, at + m.length) + text.slice(at, at + m.length).repeat(m.times) + text.slice(at + m.length);
    else text = text.slice(0, at);
  }
  return text;
}

const AMOUNT = /^-?\d+\.\d{2}$/;

function assertSound(text: string, r: CheckResult): void {
  const json = JSON.parse(JSON.stringify({ dialect: r.dialect, diagnostics: r.diagnostics, documents: r.documents }));
  assert.ok(Array.isArray(json.diagnostics));
  for (const d of r.diagnostics) {
    assert.ok(Number.isInteger(d.start) && Number.isInteger(d.end) && d.start >= 0 && d.start <= d.end && d.end <= text.length, `${d.code} ${d.start}-${d.end} of ${text.length}`);
    for (const at of [d.start, d.end]) {
      const c = text.charCodeAt(at);
      const before = text.charCodeAt(at - 1);
      assert.ok(!(c >= 0xdc00 && c <= 0xdfff && before >= 0xd800 && before <= 0xdbff), `${d.code} splits a character at ${at}`);
    }
  }
  for (const doc of r.documents) {
    for (const v of [doc.subTotal, doc.totalTax, doc.total, ...doc.lines.flatMap((l) => [l.lineAmount, l.taxAmount])]) {
      assert.ok(v === null || AMOUNT.test(v), `amount ${v}`);
      assert.notEqual(v, '-0.00');
    }
  }
}

describe('mutation fuzz (seeded)', () => {
  const engine = new InvoiceEngine({ reportUnknownDocuments: true });
  const documents = fc.tuple(fc.constantFrom(...sources), fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([t, ms]) => mutate(t, ms));

  it('answers 3,000 mutated documents soundly, one shot and opened for editing', () => {
    let checked = 0;
    fc.assert(
      fc.property(documents, (text) => {
        const t = process.hrtime.bigint();
        const once = engine.check(text);
        assertSound(text, once);
        if (checked++ % 10 === 0) assertSound(text, engine.open(text).result());
        const ms = Number(process.hrtime.bigint() - t) / 1e6;
        assert.ok(ms < 1000, `${ms.toFixed(0)} ms for ${text.length} characters`);
      }),
      { numRuns: 3000, seed: 20_261_206 },
    );
  });

  it('the CLI writes valid JSON with well-formed amounts for a sample of them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fuzz-'));
    const sample = fc.sample(documents, { numRuns: 200, seed: 61_206 });
    const files = sample.map((text, i) => {
      const f = join(dir, `m${i}.xml`);
      writeFileSync(f, text);
      return f;
    });
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), '--format', 'json', ...files], { encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.ok(r.status === 0 || r.status === 1 || r.status === 2, r.stderr);
    assert.doesNotMatch(r.stderr, /internal error|at .+\.js:\d+/);
    const out = JSON.parse(r.stdout) as { files: { file: string; documents: { total: string | null }[] }[] };
    assert.deepEqual(out.files.map((f) => f.file), files);
    for (const f of out.files) for (const d of f.documents) assert.ok(d.total === null || AMOUNT.test(d.total), `total ${d.total}`);
  });
});
