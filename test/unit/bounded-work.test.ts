import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InvoiceEngine, computeLine, format2, type CheckResult, type EngineDiagnostic } from '@engine';
import { MAX_DIAGNOSTICS_PER_CODE } from '@engine/diagnostics';
import { MAX_SIGNIFICANT_DIGITS } from '@engine/number-limits';

// Hostile sizes (issue: mutation fuzz of 20,000 documents): the work and the answer stay bounded for any input.
const engine = new InvoiceEngine();
const line = (fields: string) => `<LineItem><Description>x</Description>${fields}<AccountCode>200</AccountCode><TaxType>OUTPUT2</TaxType></LineItem>`;
const invoice = (inner: string, lines = line('<Quantity>1</Quantity><UnitAmount>10.00</UnitAmount>')) =>
  `<Invoice><Type>ACCREC</Type><Contact><Name>A</Name></Contact>${inner}<LineItems>${lines}</LineItems></Invoice>`;
const codes = (r: CheckResult) => r.diagnostics.map((d) => d.code);
const count = (r: CheckResult, code: string) => r.diagnostics.filter((d) => d.code === code).length;

/** The per-document guard of these tests: generous (a quadratic path took seconds), not a benchmark. */
function timed<T>(f: () => T, limitMs = 3000): T {
  const t = process.hrtime.bigint();
  const r = f();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  assert.ok(ms < limitMs, `took ${ms.toFixed(0)} ms`);
  return r;
}

describe('bounded work for any input', () => {
  it('checks 40,000 attributes on one element in linear time, duplicates still found', () => {
    const attrs = Array.from({ length: 40_000 }, (_, i) => ` a${i}="${i}"`).join('');
    const text = `<Invoice${attrs} a17="again"><Type>ACCREC</Type></Invoice>`;
    const r = timed(() => engine.check(text));
    assert.equal(count(r, 'xml-duplicate-attribute'), 1);
    assert.equal(count(r, 'schema-unknown-attribute'), MAX_DIAGNOSTICS_PER_CODE);
  });

  it('caps each diagnostic code per document with one summary, in a one-shot check and an open document alike', () => {
    const text = invoice('<Foo/>'.repeat(200_000));
    for (const r of [timed(() => engine.check(text), 15_000), timed(() => engine.open(text).result(), 15_000)]) {
      assert.equal(count(r, 'schema-unknown-element'), MAX_DIAGNOSTICS_PER_CODE);
      const summary = r.diagnostics.filter((d) => d.code === 'diagnostics-capped');
      assert.equal(summary.length, 1);
      assert.equal(summary[0].severity, 'error');
      assert.deepEqual(summary[0].data, { code: 'schema-unknown-element', omitted: 200_000 - MAX_DIAGNOSTICS_PER_CODE });
      assert.match(summary[0].message, /^199000 more schema-unknown-element problems in this document are not listed \(the first 1000 are\)/);
      assert.ok(r.diagnostics.length < 1100);
    }
  });

  it('sums up well-formedness problems past the parser cap in one summary too', () => {
    const r = timed(() => engine.check(invoice(`<Reference>${'a & b '.repeat(10_000)}</Reference>`)));
    assert.equal(count(r, 'xml-unescaped-ampersand'), 50);
    const summary = r.diagnostics.filter((d) => d.code === 'diagnostics-capped');
    assert.equal(summary.length, 1);
    assert.equal(summary[0].severity, 'error');
    assert.match(summary[0].message, /^9950 more xml-unescaped-ampersand problems/);
  });

  it('refuses numbers longer than Xero takes with one diagnostic, and computes nothing from them', () => {
    const long = '9'.repeat(1000);
    const r = timed(() => engine.check(invoice('', line(`<Quantity>1</Quantity><UnitAmount>${long}</UnitAmount>`))));
    assert.deepEqual(codes(r), ['schema-invalid-value']);
    assert.match(r.diagnostics[0].message, /at most 15 significant digits/);
    assert.deepEqual(r.documents[0].lines, [{ lineAmount: null, taxAmount: null }]);
    const sixteen = engine.check(invoice('', line('<Quantity>1</Quantity><UnitAmount>1234567890123.456</UnitAmount>')));
    assert.deepEqual(codes(sixteen), ['schema-invalid-value']);
    const fifteen = engine.check(invoice('', line('<Quantity>1000</Quantity><UnitAmount>123456789012.34</UnitAmount>')));
    assert.deepEqual(codes(fifteen), []);
    assert.equal(fifteen.documents[0].lines[0].lineAmount, '123456789012340.00');
    // Leading zeros and trailing fraction zeros are not significant.
    assert.deepEqual(codes(engine.check(invoice('', line(`<Quantity>000000000000000001.0000</Quantity><UnitAmount>10.00</UnitAmount>`)))), []);
  });

  it('rounds each line once, to the cent, for every number within the limit (exact reference in integers)', () => {
    const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: n }).chain((d) => fc.constantFrom(d, [...d, ...d, ...d].slice(0, n))).map((d) => d.join('').replace(/^0+(?=\d)/, ''));
    // A numeral with up to 15 significant digits and up to `dp` decimal places.
    const numeral = (dp: number) =>
      fc.tuple(fc.integer({ min: 0, max: dp }), digits(MAX_SIGNIFICANT_DIGITS)).map(([places, d]) => {
        const p = Math.min(places, d.length);
        return p === 0 ? d : `${d.slice(0, d.length - p) || '0'}.${d.slice(d.length - p)}`;
      });
    const rate = fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99_999_999_999 })).map(([i, f]) => `${i}.${String(f).padStart(11, '0')}`);
    fc.assert(
      fc.property(numeral(4), numeral(4), fc.boolean(), rate, (q, u, negative, dr) => {
        const unit = negative ? `-${u}` : u;
        const got = computeLine({ quantity: q, unitAmount: unit, discountRate: dr, taxType: 'T' }, 'Exclusive', new Map([['T', '15']]));
        const exact = roundHalfAway(mul(mul(scaled(q), scaled(unit)), sub(scaled('100'), scaled(dr))), 2);
        assert.equal(format2(got.lineAmount), exact, `${q} × ${unit} × (100 − ${dr})/100`);
      }),
      { numRuns: 3000, seed: 14_6 },
    );
  });

  it('never ends a range inside a character (a surrogate pair)', () => {
    const emoji = '\u{1F600}';
    const docs = [
      `<Invoice>${emoji} stray<Type>ACCREC</Type></Invoice>`,
      `<Invoice><Type>ACCREC</Type></Invoice>${'x'.repeat(39)}${emoji}${emoji}`,
      `<Invoices><Invoice><Contact><Name>${emoji}</Name></Contact>${emoji.repeat(30)}</Invoice></Invoices>`,
    ];
    for (const text of docs) {
      const r = engine.check(text);
      assert.ok(r.diagnostics.length > 0);
      for (const d of r.diagnostics) assertOnCharacters(text, d);
    }
  });
});

function assertOnCharacters(text: string, d: EngineDiagnostic): void {
  for (const at of [d.start, d.end]) {
    assert.ok(at >= 0 && at <= text.length, `${d.code} ${at} outside the text`);
    const c = text.charCodeAt(at);
    const before = text.charCodeAt(at - 1);
    assert.ok(!(c >= 0xdc00 && c <= 0xdfff && before >= 0xd800 && before <= 0xdbff), `${d.code} splits a character at ${at}`);
  }
}

type Scaled = { n: bigint; s: number };
function scaled(v: string): Scaled {
  const neg = v.startsWith('-');
  const [i, f = ''] = v.replace(/^[+-]/, '').split('.');
  const n = BigInt(i + f);
  return { n: neg ? -n : n, s: f.length };
}
function align(a: Scaled, s: number): bigint {
  return a.n * 10n ** BigInt(s - a.s);
}
function mul(a: Scaled, b: Scaled): Scaled {
  return { n: a.n * b.n, s: a.s + b.s };
}
function sub(a: Scaled, b: Scaled): Scaled {
  const s = Math.max(a.s, b.s);
  return { n: align(a, s) - align(b, s), s };
}
/** a / 10^shift rounded half away from zero to 2 places, as a string. */
function roundHalfAway(a: Scaled, shift: number): string {
  const s = a.s + shift;
  const neg = a.n < 0n;
  let m = neg ? -a.n : a.n;
  if (s > 2) {
    const div = 10n ** BigInt(s - 2);
    const rem = m % div;
    m = m / div + (2n * rem >= div ? 1n : 0n);
  } else m *= 10n ** BigInt(2 - s);
  const str = m.toString().padStart(3, '0');
  const out = `${str.slice(0, -2)}.${str.slice(-2)}`;
  return neg && m !== 0n ? `-${out}` : out;
}
