import Decimal from 'decimal.js';
import { MAX_SIGNIFICANT_DIGITS, isDecimal, significantDigits } from '../number-limits';

/**
 * All money arithmetic of the product, on decimals (never binary floating point), with Xero's rounding:
 * 2 decimal places, half away from zero, at each step (FACTS.md §3).
 */
export type LineAmountTypes = 'Exclusive' | 'Inclusive' | 'NoTax';

/**
 * Exact for every operation on numbers within that limit, so each figure is rounded once, to 2 places: a line's
 * Quantity × UnitAmount × (100 − DiscountRate) has at most 15 + 15 + 19 digits; an inclusive tax (a quotient) is
 * within 10^-40 of its exact value, far closer than any quotient of such numbers comes to a rounding midpoint
 * without being one (then it is exact).
 */
export const Money = Decimal.clone({ precision: 64, rounding: Decimal.ROUND_HALF_UP });
export type Money = Decimal;

const HUNDRED = new Money(100);

/** undefined when absent, null when present but not a number, or longer than Xero takes (the schema check reports that). */
export function parseAmount(raw: string | undefined): Money | null | undefined {
  if (raw === undefined) return undefined;
  let m = parsed.get(raw);
  if (m !== undefined) return m;
  const v = raw.trim();
  m = !isDecimal(v) || (v.length > MAX_SIGNIFICANT_DIGITS && significantDigits(v) > MAX_SIGNIFICANT_DIGITS) ? null : new Money(v);
  if (parsed.size >= 20_000) parsed.clear();
  parsed.set(raw, m);
  return m;
}

/**
 * Numbers as written repeat (quantities, prices, rates): each distinct one is parsed once. Decimals are immutable,
 * so sharing one is the same as parsing again.
 */
const parsed = new Map<string, Money | null>();

/** Rates are few and used on every line: parsed once per text. */
const rateCache = new Map<string, Money>();
function parseRate(percent: string): Money | null {
  let r = rateCache.get(percent);
  if (r === undefined) {
    const parsed = parseAmount(percent);
    if (!parsed) return null;
    r = parsed;
    if (rateCache.size < 1000) rateCache.set(percent, r);
  }
  return r;
}

export function round2(d: Money): Money {
  return d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

export function format2(d: Money | null): string | null {
  return d === null ? null : d.toFixed(2, Decimal.ROUND_HALF_UP);
}

export function sameMoney(a: Money, b: Money): boolean {
  return a.eq(b);
}

export interface LineInput {
  quantity?: string;
  unitAmount?: string;
  discountRate?: string;
  discountAmount?: string;
  lineAmount?: string;
  taxAmount?: string;
  taxType?: string;
  /** An ItemCode lets Xero take the price from the item when UnitAmount is absent. */
  hasItemCode?: boolean;
}

export type RateStatus = 'known' | 'unknown-code' | 'no-tax-type' | 'not-needed';

export interface LineFigures {
  /** LineAmount and TaxAmount as written (undefined when absent or not a number). */
  statedLineAmount?: Money;
  statedTaxAmount?: Money;
  /** The amount that counts in the totals (computed when it can be, else as stated); null when unknown. */
  lineAmount: Money | null;
  /** Quantity × UnitAmount less discount, when both are given. */
  computedLineAmount: Money | null;
  /** The tax that counts in the totals: a stated TaxAmount overrides; null when unknown. */
  taxAmount: Money | null;
  /** Tax from the line amount and the rate, when both are known. */
  computedTaxAmount: Money | null;
  /** Rate in percent. */
  rate: Money | null;
  rateStatus: RateStatus;
  /** How the figures were derived, for hover: `3 × 59.00 = 177.00`, `177.00 × 12.5/112.5 = 19.67`. */
  readonly lineDerivation: string;
  readonly taxDerivation: string;
}

export interface InvoiceFigures {
  lines: LineFigures[];
  subTotal: Money | null;
  totalTax: Money | null;
  total: Money | null;
}

function usable(d: Money | null | undefined): Money | undefined {
  return d === null ? undefined : d;
}

function shown(raw: string | undefined): string {
  return (raw ?? '').trim();
}

const ZERO = new Money(0);
const ONE = new Money(1);

export function computeLine(input: LineInput, lineAmountTypes: LineAmountTypes, rates: ReadonlyMap<string, string>): LineFigures {
  const q = usable(parseAmount(input.quantity));
  const u = usable(parseAmount(input.unitAmount));
  const dr = usable(parseAmount(input.discountRate));
  const da = usable(parseAmount(input.discountAmount));
  const statedLine = usable(parseAmount(input.lineAmount));
  const statedTax = usable(parseAmount(input.taxAmount));
  const quantityWritten = input.quantity !== undefined;
  const unitWritten = input.unitAmount !== undefined;

  let computedLineAmount: Money | null = null;
  let lineAmount: Money | null = null;
  let lineHow: 'computed' | 'stated' | 'item' | 'none' | 'unknown' = 'unknown';
  if (u !== undefined && (q !== undefined || (!quantityWritten && statedLine === undefined))) {
    const gross = (q ?? ONE).times(u);
    const exact = dr !== undefined ? gross.times(HUNDRED.minus(dr)).div(HUNDRED) : da !== undefined ? gross.minus(da) : gross;
    computedLineAmount = round2(exact);
    lineAmount = computedLineAmount;
    lineHow = 'computed';
  } else if (statedLine !== undefined) {
    lineAmount = statedLine;
    lineHow = 'stated';
  } else if (input.hasItemCode && !unitWritten) {
    lineHow = 'item';
  } else if (!unitWritten && input.lineAmount === undefined) {
    lineAmount = ZERO;
    lineHow = 'none';
  }

  let rate: Money | null = null;
  let rateStatus: RateStatus;
  let computedTaxAmount: Money | null = null;
  let taxHow: 'notax' | 'zero' | 'rate' | 'unknown' = 'unknown';
  if (lineAmountTypes === 'NoTax') {
    rateStatus = 'not-needed';
    computedTaxAmount = ZERO;
    taxHow = 'notax';
  } else {
    const code = input.taxType?.trim();
    const percent = code ? rates.get(code) : undefined;
    if (!code) rateStatus = 'no-tax-type';
    else if (percent === undefined) rateStatus = 'unknown-code';
    else {
      rateStatus = 'known';
      rate = parseRate(percent);
    }
    if (lineAmount !== null && lineAmount.isZero()) {
      computedTaxAmount = ZERO;
      taxHow = 'zero';
    } else if (rate !== null && lineAmount !== null) {
      const divisor = lineAmountTypes === 'Exclusive' ? HUNDRED : HUNDRED.plus(rate);
      computedTaxAmount = round2(lineAmount.times(rate).div(divisor));
      taxHow = 'rate';
    }
  }
  const taxAmount = statedTax !== undefined ? statedTax : computedTaxAmount;

  // How each figure was derived is only read for hover, hints and messages: built when asked.
  const describeLine = (): string => {
    switch (lineHow) {
      case 'computed': {
        let how = `${q !== undefined ? shown(input.quantity) : '1'} × ${shown(input.unitAmount)}`;
        if (dr !== undefined) how += ` × (100 − ${shown(input.discountRate)})/100`;
        else if (da !== undefined) how += ` − ${shown(input.discountAmount)}`;
        return `${how} = ${computedLineAmount!.toFixed(2)}`;
      }
      case 'stated':
        return `LineAmount as stated: ${round2(statedLine!).toFixed(2)}`;
      case 'item':
        return 'The price comes from the item in Xero';
      case 'none':
        return quantityWritten ? 'No UnitAmount: 0.00' : 'Description only: 0.00';
      default:
        return '';
    }
  };
  const describeTax = (): string => {
    let computed = '';
    if (taxHow === 'notax') computed = 'No tax (NoTax): 0.00';
    else if (taxHow === 'zero') computed = 'No amount, no tax: 0.00';
    else if (taxHow === 'rate') {
      const la = lineAmount!.toFixed(2);
      computed =
        lineAmountTypes === 'Exclusive'
          ? `${la} × ${rate!.toString()}% = ${computedTaxAmount!.toFixed(2)}`
          : `${la} × ${rate!.toString()}/${HUNDRED.plus(rate!).toString()} = ${computedTaxAmount!.toFixed(2)}`;
    }
    if (statedTax !== undefined) {
      const note = `TaxAmount as stated: ${round2(statedTax).toFixed(2)}`;
      return computed ? `${note} (computed ${computed})` : note;
    }
    if (computed) return computed;
    if (rateStatus === 'no-tax-type') return "No TaxType: Xero applies the account's default tax rate";
    if (rateStatus === 'unknown-code') return `No rate is known for TaxType ${input.taxType?.trim()}`;
    return 'The line amount is not known';
  };
  return {
    statedLineAmount: statedLine,
    statedTaxAmount: statedTax,
    lineAmount,
    computedLineAmount,
    taxAmount,
    computedTaxAmount,
    rate,
    rateStatus,
    get lineDerivation() {
      return describeLine();
    },
    get taxDerivation() {
      return describeTax();
    },
  };
}

function sum(values: (Money | null)[]): Money | null {
  let total = new Money(0);
  for (const v of values) {
    if (v === null) return null;
    total = total.plus(v);
  }
  return total;
}

/**
 * TotalTax is the sum of line taxes, never recomputed on the total. Exclusive/NoTax: SubTotal = Σ LineAmount,
 * Total = SubTotal + TotalTax. Inclusive: Total = Σ LineAmount, SubTotal = Total − TotalTax.
 */
export function computeTotals(lines: LineFigures[], lineAmountTypes: LineAmountTypes): InvoiceFigures {
  const sumLines = sum(lines.map((l) => l.lineAmount));
  const totalTax = sum(lines.map((l) => l.taxAmount));
  if (lineAmountTypes === 'Inclusive') {
    const total = sumLines;
    const subTotal = total !== null && totalTax !== null ? total.minus(totalTax) : null;
    return { lines, subTotal, totalTax, total };
  }
  const subTotal = sumLines;
  const total = subTotal !== null && totalTax !== null ? subTotal.plus(totalTax) : null;
  return { lines, subTotal, totalTax, total };
}
