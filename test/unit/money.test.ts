import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Amount, Money, computeLine, computeTotals, format2, parseAmount, type LineAmountTypes, type LineInput } from '@engine';
import { MAX_SIGNIFICANT_DIGITS, isDecimal, significantDigits } from '@engine/number-limits';

// The figures are computed in scaled integers (Amount); money is defined by decimal.js. These properties hold the
// two to the same result for every value: below, the line, tax and total formulas of FACTS.md §3 written directly
// on decimal.js are the reference.
const HALF_UP = Money.ROUND_HALF_UP;

function refParse(raw: string | undefined): Money | null | undefined {
  if (raw === undefined) return undefined;
  const v = raw.trim();
  return !isDecimal(v) || (v.length > MAX_SIGNIFICANT_DIGITS && significantDigits(v) > MAX_SIGNIFICANT_DIGITS) ? null : new Money(v);
}
const usable = (d: Money | null | undefined) => (d === null ? undefined : d);
const round2 = (d: Money) => d.toDecimalPlaces(2, HALF_UP);

interface RefLine {
  lineAmount: Money | null;
  taxAmount: Money | null;
  computedLineAmount: Money | null;
  computedTaxAmount: Money | null;
  statedLineAmount?: Money;
  statedTaxAmount?: Money;
  rate: Money | null;
}

function refLine(input: LineInput, lat: LineAmountTypes, rates: ReadonlyMap<string, string>): RefLine {
  const [q, u, dr, da, statedLine, statedTax] = [input.quantity, input.unitAmount, input.discountRate, input.discountAmount, input.lineAmount, input.taxAmount].map((v) => usable(refParse(v)));
  let computedLineAmount: Money | null = null;
  let lineAmount: Money | null = null;
  if (u !== undefined && (q !== undefined || (input.quantity === undefined && statedLine === undefined))) {
    const gross = (q ?? new Money(1)).times(u);
    const exact = dr !== undefined ? gross.times(new Money(100).minus(dr)).div(100) : da !== undefined ? gross.minus(da) : gross;
    computedLineAmount = lineAmount = round2(exact);
  } else if (statedLine !== undefined) lineAmount = statedLine;
  else if (!input.hasItemCode && input.unitAmount === undefined && input.lineAmount === undefined) lineAmount = new Money(0);
  let rate: Money | null = null;
  let computedTaxAmount: Money | null = null;
  if (lat === 'NoTax') computedTaxAmount = new Money(0);
  else {
    const code = input.taxType?.trim();
    const percent = code ? rates.get(code) : undefined;
    if (percent !== undefined) rate = refParse(percent) ?? null;
    if (lineAmount !== null && lineAmount.isZero()) computedTaxAmount = new Money(0);
    else if (rate !== null && lineAmount !== null) {
      computedTaxAmount = round2(lineAmount.times(rate).div(lat === 'Exclusive' ? new Money(100) : new Money(100).plus(rate)));
    }
  }
  return { lineAmount, computedLineAmount, taxAmount: statedTax ?? computedTaxAmount, computedTaxAmount, statedLineAmount: statedLine, statedTaxAmount: statedTax, rate };
}

function refTotals(lines: RefLine[], lat: LineAmountTypes) {
  const sum = (values: (Money | null)[]) => values.reduce<Money | null>((t, v) => (t === null || v === null ? null : t.plus(v)), new Money(0));
  const sumLines = sum(lines.map((l) => l.lineAmount));
  const totalTax = sum(lines.map((l) => l.taxAmount));
  const both = sumLines !== null && totalTax !== null;
  return lat === 'Inclusive'
    ? { subTotal: both ? sumLines.minus(totalTax) : null, totalTax, total: sumLines }
    : { subTotal: sumLines, totalTax, total: both ? sumLines.plus(totalTax) : null };
}

/** The same value, written the same by every writer the product uses. */
function same(got: Amount | null | undefined, want: Money | null | undefined, what: string): void {
  if (want === null || want === undefined) {
    assert.equal(got, want, what);
    return;
  }
  assert.ok(got, `${what}: missing, expected ${want.toString()}`);
  assert.equal(got.toFixed(2), want.toFixed(2, HALF_UP), `${what}: toFixed(2)`);
  assert.equal(format2(got), want.toFixed(2, HALF_UP), `${what}: format2`);
  assert.equal(got.toFixed(0), want.toFixed(0, HALF_UP), `${what}: toFixed(0)`);
  assert.equal(got.toString(), want.toString(), `${what}: value`);
  assert.ok(got.eq(Amount.of(want)), `${what}: eq`);
}

// ---- Generated numbers, as people and programs write them ----
const bigDigits = (max: bigint) => fc.bigInt({ min: 0n, max });
/** units × 10^-scale, written with a sign, leading zeros and trailing fraction zeros as they come. */
const written = (units: fc.Arbitrary<bigint>, maxScale: number) =>
  fc
    .record({ units, scale: fc.integer({ min: 0, max: maxScale }), sign: fc.constantFrom('', '', '', '-', '+'), lead: fc.constantFrom('', '', '0', '000'), trail: fc.constantFrom('', '', '0', '00') })
    .map(({ units, scale, sign, lead, trail }) => {
      const d = units.toString().padStart(scale + 1, '0');
      const int = d.slice(0, d.length - scale);
      const frac = d.slice(d.length - scale) + (scale > 0 ? trail : '');
      return `${sign}${lead}${int}${frac ? `.${frac}` : ''}`;
    });
/** …5 at the 3rd place and beyond: a line of this amount (or its tax) sits on a rounding midpoint. */
const midpoint = fc
  .record({ int: fc.integer({ min: 0, max: 99_999 }), cents: fc.integer({ min: 0, max: 99 }), tail: fc.constantFrom('5', '50', '500', '05', '005', '49', '51', '4999', '5001'), sign: fc.constantFrom('', '-') })
  .map(({ int, cents, tail, sign }) => `${sign}${int}.${String(cents).padStart(2, '0')}${tail}`);
const numeral = fc.oneof(
  { weight: 4, arbitrary: written(bigDigits(99_999n), 4) }, // everyday amounts, 4-dp unit amounts and quantities
  { weight: 3, arbitrary: midpoint },
  { weight: 2, arbitrary: written(bigDigits(999_999_999_999_999n), 8) }, // up to the 15-digit limit: products pass 2^53
  { weight: 1, arbitrary: written(bigDigits(99n), 30) }, // tiny: scales far apart
  { weight: 1, arbitrary: fc.constantFrom('0', '-0', '0.00', '-0.001', '+1.', '.5', '-.5', '1e3', ' 2.5 ', '1,000', '', '-', '.', '9007199254740993', '999999999999999', '-999999999999999', '0.000000000000000000001') },
);
const rateText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('12.5', '15', '0', '17.5', '10', '20', '25', '50', '8.875', '100') },
  { weight: 1, arbitrary: numeral },
);
const optional = <T>(a: fc.Arbitrary<T>, freq = 3) => fc.option(a, { nil: undefined, freq });
const lineInput: fc.Arbitrary<LineInput> = fc.record({
  quantity: optional(numeral, 4),
  unitAmount: optional(numeral, 6),
  discountRate: optional(rateText, 1),
  discountAmount: optional(numeral, 1),
  lineAmount: optional(fc.oneof(numeral, midpoint), 1),
  taxAmount: optional(numeral, 1),
  taxType: optional(fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', 'G', 'UNKNOWN'), 6),
  hasItemCode: fc.boolean(),
});
const lineAmountTypes = fc.constantFrom<LineAmountTypes>('Exclusive', 'Inclusive', 'NoTax');
const rateTable = rateText.map(
  (g) => new Map([['A', '12.5'], ['B', '15'], ['C', '0'], ['D', '17.5'], ['E', '20'], ['F', '8.875'], ['G', g]]) as ReadonlyMap<string, string>,
);

describe('money: scaled integers give decimal.js results', () => {
  it('reads, adds, multiplies, divides, compares, rounds and writes every number as decimal.js does', () => {
    fc.assert(
      fc.property(numeral, numeral, (a, b) => {
        const [x, y] = [parseAmount(a), parseAmount(b)];
        const [dx, dy] = [refParse(a), refParse(b)];
        same(x, dx, `parse ${a}`);
        same(y, dy, `parse ${b}`);
        if (!x || !y || !dx || !dy) return;
        same(x.plus(y), dx.plus(dy), `${a} + ${b}`);
        same(x.minus(y), dx.minus(dy), `${a} − ${b}`);
        same(x.times(y), dx.times(dy), `${a} × ${b}`);
        same(x.times(y).hundredth(), dx.times(dy).div(100), `${a} × ${b} / 100`);
        same(x.round(2), round2(dx), `round2(${a})`);
        same(x.round(0), dx.toDecimalPlaces(0, HALF_UP), `round0(${a})`);
        assert.equal(x.cmp(y), dx.cmp(dy), `cmp ${a} ${b}`);
        if (isDecimal(b.trim())) assert.equal(x.eq(b.trim()), dx.eq(b.trim()), `${a} = '${b}'`);
        assert.equal(x.sign(), dx.isZero() ? 0 : dx.isNegative() ? -1 : 1, `sign ${a}`);
        if (!dy.isZero()) same(x.dividedRound2(y), round2(dx.div(dy)), `${a} / ${b}`);
      }),
      { numRuns: 6000 },
    );
  });

  it('computes every line, tax and total as decimal.js does, rounding once per figure', () => {
    let beyondSafe = 0;
    fc.assert(
      fc.property(fc.array(lineInput, { minLength: 1, maxLength: 5 }), lineAmountTypes, rateTable, (inputs, lat, rates) => {
        const got = computeTotals(inputs.map((l) => computeLine(l, lat, rates)), lat);
        const want = inputs.map((l) => refLine(l, lat, rates));
        want.forEach((w, i) => {
          const g = got.lines[i];
          const at = `line ${i + 1} of ${JSON.stringify(inputs)} (${lat}, ${JSON.stringify([...rates])})`;
          same(g.statedLineAmount, w.statedLineAmount, `stated LineAmount, ${at}`);
          same(g.statedTaxAmount, w.statedTaxAmount, `stated TaxAmount, ${at}`);
          same(g.computedLineAmount, w.computedLineAmount, `computed LineAmount, ${at}`);
          same(g.lineAmount, w.lineAmount, `LineAmount, ${at}`);
          same(g.rate, w.rate, `rate, ${at}`);
          same(g.computedTaxAmount, w.computedTaxAmount, `computed TaxAmount, ${at}`);
          same(g.taxAmount, w.taxAmount, `TaxAmount, ${at}`);
          if (w.computedLineAmount?.abs().times(100).gt(Number.MAX_SAFE_INTEGER)) beyondSafe++;
        });
        const t = refTotals(want, lat);
        same(got.subTotal, t.subTotal, 'SubTotal');
        same(got.totalTax, t.totalTax, 'TotalTax');
        same(got.total, t.total, 'Total');
      }),
      { numRuns: 5000 },
    );
    // The generator reaches past the safe-integer boundary (where the figures are decimal.js's own) often enough.
    assert.ok(beyondSafe > 100, `only ${beyondSafe} lines beyond 2^53 cents`);
  });

  it('rounds the midpoints half away from zero, negatives symmetric', () => {
    const table = new Map([['R10', '10'], ['R12.5', '12.5'], ['R15', '15'], ['R17.5', '17.5'], ['R20', '20']]);
    const cases: [LineAmountTypes, LineInput, string | null, string | null][] = [
      ['NoTax', { quantity: '1', unitAmount: '0.125' }, '0.13', '0.00'],
      ['NoTax', { quantity: '1', unitAmount: '-0.125' }, '-0.13', '0.00'],
      ['NoTax', { quantity: '1', unitAmount: '0.145' }, '0.15', '0.00'],
      ['NoTax', { quantity: '2.5', unitAmount: '0.01' }, '0.03', '0.00'],
      ['NoTax', { quantity: '0.0005', unitAmount: '10.0000' }, '0.01', '0.00'],
      ['NoTax', { quantity: '1', unitAmount: '0.0049999' }, '0.00', '0.00'],
      ['NoTax', { quantity: '1', unitAmount: '0.25', discountRate: '50' }, '0.13', '0.00'],
      ['NoTax', { quantity: '1', unitAmount: '10.00', discountAmount: '0.015' }, '9.99', '0.00'],
      ['NoTax', { quantity: '1', unitAmount: '-10.00', discountAmount: '0.015' }, '-10.02', '0.00'],
      ['Exclusive', { quantity: '1', unitAmount: '45.45', taxType: 'R10' }, '45.45', '4.55'],
      ['Exclusive', { quantity: '1', unitAmount: '-45.45', taxType: 'R10' }, '-45.45', '-4.55'],
      ['Exclusive', { quantity: '1', unitAmount: '0.60', taxType: 'R17.5' }, '0.60', '0.11'],
      ['Exclusive', { quantity: '1', unitAmount: '0.70', taxType: 'R15' }, '0.70', '0.11'],
      ['Exclusive', { quantity: '1', unitAmount: '0.04', taxType: 'R12.5' }, '0.04', '0.01'],
      ['Inclusive', { quantity: '1', unitAmount: '0.15', taxType: 'R20' }, '0.15', '0.03'],
      ['Inclusive', { quantity: '1', unitAmount: '-0.15', taxType: 'R20' }, '-0.15', '-0.03'],
      ['Inclusive', { lineAmount: '0.045', taxType: 'R12.5' }, '0.05', '0.01'],
      ['Inclusive', { quantity: '1', unitAmount: '0.115', taxType: 'R15' }, '0.12', '0.02'],
      ['Exclusive', { quantity: '999999999999999', unitAmount: '0.005', taxType: 'R10' }, '5000000000000.00', '500000000000.00'],
      ['Exclusive', { quantity: '999999999999999', unitAmount: '9.995', taxType: 'R10' }, '9994999999999990.01', '999499999999999.00'],
      ['Inclusive', { quantity: '100000000000000', unitAmount: '0.45', taxType: 'R12.5' }, '45000000000000.00', '5000000000000.00'],
    ];
    for (const [lat, input, line, tax] of cases) {
      const f = computeLine(input, lat, table);
      const w = refLine(input, lat, table);
      assert.deepEqual([format2(f.lineAmount), format2(f.taxAmount)], [line, tax], JSON.stringify(input));
      assert.deepEqual([w.lineAmount?.toFixed(2) ?? null, w.taxAmount?.toFixed(2) ?? null], [line, tax], `reference: ${JSON.stringify(input)}`);
    }
  });

  it('writes a negative amount that rounds to zero as decimal.js does, and keeps a written -0 for the decimal it builds', () => {
    assert.deepEqual(['-0.001', '-0', '-0.004', '-0.005'].map((v) => format2(parseAmount(v)!)), ['-0.00', '0.00', '-0.00', '-0.01']);
    assert.equal(parseAmount('-0')!.decimal().isNegative(), true);
    assert.equal(parseAmount('-0.001')!.round(2).toFixed(2), '0.00');
  });
});

describe('money: what counts as a number', () => {
  it('reads the xs:decimal lexical form exactly: every string of up to five of + - . 0 9 e space, and random ones', () => {
    const lexical = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
    const alphabet = ['+', '-', '.', '0', '9', 'e', ' '];
    let strings = [''];
    let seen = 0;
    for (let len = 1; len <= 5; len++) {
      strings = strings.flatMap((s) => alphabet.map((c) => s + c));
      for (const s of strings) {
        assert.equal(isDecimal(s), lexical.test(s), JSON.stringify(s));
        seen++;
      }
    }
    assert.equal(seen, 7 + 49 + 343 + 2401 + 16807);
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('+', '-', '.', '1', '٣', '\u00a0', 'x'), maxLength: 12 }), (s) => isDecimal(s) === lexical.test(s)), { numRuns: 5000 });
  });
});
