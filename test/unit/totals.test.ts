import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeLine, computeTotals, format2, type LineAmountTypes, type LineInput } from '@engine';
import { taxRateTable } from '@engine/invoice/tax-rates';

const NZ = taxRateTable('NZ');
const rates = (percent: string) => new Map([['T', percent]]);

function totals(lat: LineAmountTypes, lines: LineInput[], table: ReadonlyMap<string, string> = NZ) {
  const figures = computeTotals(lines.map((l) => computeLine(l, lat, table)), lat);
  return {
    lines: figures.lines.map((l) => [format2(l.lineAmount), format2(l.taxAmount)]),
    subTotal: format2(figures.subTotal),
    totalTax: format2(figures.totalTax),
    total: format2(figures.total),
  };
}

// The worked examples of FACTS.md §3, recomputed with exact decimals.
describe('totals: worked examples', () => {
  it('seed 003 line 1: 10 × 39.95 exclusive at 12.5 % → tax 49.94', () => {
    const t = totals('Exclusive', [{ quantity: '10.0000', unitAmount: '39.95', taxType: 'OUTPUT' }]);
    assert.deepEqual(t, { lines: [['399.50', '49.94']], subTotal: '399.50', totalTax: '49.94', total: '449.44' });
  });

  it('seed 001 full example: inclusive 12.5 %, 3 × 59.00 and 1 × -79.00 → 87.11 / 10.89 / 98.00', () => {
    const t = totals('Inclusive', [
      { quantity: '3.0000', unitAmount: '59.00', taxType: 'OUTPUT' },
      { quantity: '1.0000', unitAmount: '-79.00', taxType: 'OUTPUT' },
    ]);
    assert.deepEqual(t, { lines: [['177.00', '19.67'], ['-79.00', '-8.78']], subTotal: '87.11', totalTax: '10.89', total: '98.00' });
  });

  it('rounding guide: 15 % exclusive 25.06, 25.61, 25.63 → tax per line, TotalTax 11.44 (not 11.45 on the total)', () => {
    const t = totals('Exclusive', ['25.06', '25.61', '25.63'].map((u) => ({ quantity: '1', unitAmount: u, taxType: 'OUTPUT2' })));
    assert.deepEqual(t.lines.map((l) => l[1]), ['3.76', '3.84', '3.84']);
    assert.deepEqual([t.subTotal, t.totalTax, t.total], ['76.30', '11.44', '87.74']);
  });

  it('tax guide: 10 % exclusive 2 × 45.45 → 4.545 rounds half up to 4.55 each, TotalTax 9.10', () => {
    const t = totals('Exclusive', [{ quantity: '1', unitAmount: '45.45', taxType: 'T' }, { quantity: '1', unitAmount: '45.45', taxType: 'T' }], rates('10'));
    assert.deepEqual([t.lines[0][1], t.totalTax], ['4.55', '9.10']);
  });

  it('AU 10 % inclusive: 95.00 → 8.64, 176.26 → 16.02', () => {
    const t = totals('Inclusive', [{ quantity: '1', unitAmount: '95.00', taxType: 'T' }, { quantity: '1', unitAmount: '176.26', taxType: 'T' }], rates('10'));
    assert.deepEqual(t.lines.map((l) => l[1]), ['8.64', '16.02']);
  });

  it('UK 20 % inclusive 2500.00 → SubTotal 2083.33 = Total − TotalTax', () => {
    const t = totals('Inclusive', [{ quantity: '1', unitAmount: '2500.00', taxType: 'T' }], rates('20'));
    assert.deepEqual([t.subTotal, t.totalTax, t.total], ['2083.33', '416.67', '2500.00']);
  });
});

describe('totals: line amounts', () => {
  it('rounds half away from zero, symmetric for negatives', () => {
    assert.deepEqual(totals('NoTax', [{ quantity: '1', unitAmount: '0.125' }]).lines[0][0], '0.13');
    assert.deepEqual(totals('NoTax', [{ quantity: '1', unitAmount: '-0.125' }]).lines[0][0], '-0.13');
    assert.deepEqual(totals('Exclusive', [{ quantity: '1', unitAmount: '-45.45', taxType: 'T' }], rates('10')).lines[0][1], '-4.55');
  });

  it('applies DiscountRate as (100 − rate)/100 and DiscountAmount as a subtraction, then rounds', () => {
    assert.equal(totals('NoTax', [{ quantity: '3', unitAmount: '33.33', discountRate: '15' }]).lines[0][0], '84.99');
    assert.equal(totals('NoTax', [{ quantity: '3', unitAmount: '33.33', discountAmount: '10.005' }]).lines[0][0], '89.99');
  });

  it('keeps 4 dp quantities and unit amounts exact', () => {
    assert.equal(totals('NoTax', [{ quantity: '0.3333', unitAmount: '12.3456' }]).lines[0][0], '4.11');
    assert.equal(totals('NoTax', [{ quantity: '1000.0000', unitAmount: '0.0001' }]).lines[0][0], '0.10');
  });

  it('adds no binary floating-point error over many lines', () => {
    const lines = Array.from({ length: 1000 }, () => ({ quantity: '1', unitAmount: '0.10' }));
    assert.equal(totals('NoTax', lines).total, '100.00');
  });

  it('uses a stated LineAmount when UnitAmount is absent, and counts a description-only line as 0.00', () => {
    const t = totals('NoTax', [{ quantity: '2', lineAmount: '50.00' }, {}]);
    assert.deepEqual(t.lines, [['50.00', '0.00'], ['0.00', '0.00']]);
  });

  it('leaves the figures unknown when an item supplies the price', () => {
    const t = totals('Exclusive', [{ quantity: '5', hasItemCode: true, taxType: 'OUTPUT2' }]);
    assert.deepEqual([t.lines[0][0], t.subTotal, t.total], [null, null, null]);
  });
});

describe('totals: tax', () => {
  it('uses a stated TaxAmount as an override', () => {
    const t = totals('Exclusive', [{ quantity: '1', unitAmount: '100.00', taxType: 'OUTPUT2', taxAmount: '14.99' }]);
    assert.deepEqual([t.totalTax, t.total], ['14.99', '114.99']);
  });

  it('does not guess a rate for an unknown TaxType or a line without one', () => {
    for (const taxType of ['TAX001', undefined]) {
      const t = totals('Exclusive', [{ quantity: '1', unitAmount: '100.00', taxType }]);
      assert.deepEqual([t.subTotal, t.totalTax, t.total], ['100.00', null, null]);
    }
  });

  it('knows the Inclusive total even when the tax is unknown', () => {
    const t = totals('Inclusive', [{ quantity: '5', unitAmount: '99' }]);
    assert.deepEqual([t.subTotal, t.totalTax, t.total], [null, null, '495.00']);
  });

  it('computes no tax under NoTax', () => {
    const t = totals('NoTax', [{ quantity: '2', unitAmount: '10.00', taxType: 'OUTPUT2' }]);
    assert.deepEqual([t.subTotal, t.totalTax, t.total], ['20.00', '0.00', '20.00']);
  });

  it('describes how each figure was derived', () => {
    const line = computeLine({ quantity: '3', unitAmount: '59.00', taxType: 'OUTPUT' }, 'Inclusive', NZ);
    assert.equal(line.lineDerivation, '3 × 59.00 = 177.00');
    assert.equal(line.taxDerivation, '177.00 × 12.5/112.5 = 19.67');
  });

  it('region presets: NZ OUTPUT2 15 %, AU OUTPUT 10 %, UK OUTPUT2 20 %, US needs configuring', () => {
    const one = (region: 'NZ' | 'AU' | 'UK' | 'US', taxType: string) =>
      totals('Exclusive', [{ quantity: '1', unitAmount: '100.00', taxType }], taxRateTable(region)).totalTax;
    assert.deepEqual([one('NZ', 'OUTPUT2'), one('AU', 'OUTPUT'), one('UK', 'OUTPUT2'), one('US', 'OUTPUT')], ['15.00', '10.00', '20.00', null]);
    assert.equal(totals('Exclusive', [{ quantity: '1', unitAmount: '100.00', taxType: 'OUTPUT' }], taxRateTable('US', { OUTPUT: '8.875' })).totalTax, '8.88');
  });
});
