import Decimal from 'decimal.js';

/**
 * All money arithmetic of the product, on decimals (never binary floating point), with Xero's rounding:
 * 2 decimal places, half away from zero, at each step (FACTS.md §3).
 */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Money = Decimal;

export type LineAmountTypes = 'Exclusive' | 'Inclusive' | 'NoTax';

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const HUNDRED = new Money(100);

/** Parsed amounts by their text: decimals are immutable, and the same few quantities and rates recur. */
const parsed = new Map<string, Money>();

/** undefined when absent, null when present but not a number (the schema check reports that). */
export function parseAmount(raw: string | undefined): Money | null | undefined {
  if (raw === undefined) return undefined;
  const known = parsed.get(raw);
  if (known) return known;
  const v = raw.trim();
  if (!DECIMAL.test(v)) return null;
  const d = new Money(v);
  if (parsed.size >= 50_000) parsed.clear();
  parsed.set(raw, d);
  return d;
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
  lineDerivation: string;
  taxDerivation: string;
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
  let lineDerivation = '';
  if (u !== undefined && (q !== undefined || (!quantityWritten && statedLine === undefined))) {
    const qty = q ?? new Money(1);
    const qtyText = q !== undefined ? shown(input.quantity) : '1';
    const gross = qty.times(u);
    let exact = gross;
    let how = `${qtyText} × ${shown(input.unitAmount)}`;
    if (dr !== undefined) {
      exact = gross.times(HUNDRED.minus(dr)).div(HUNDRED);
      how += ` × (100 − ${shown(input.discountRate)})/100`;
    } else if (da !== undefined) {
      exact = gross.minus(da);
      how += ` − ${shown(input.discountAmount)}`;
    }
    computedLineAmount = round2(exact);
    lineAmount = computedLineAmount;
    lineDerivation = `${how} = ${computedLineAmount.toFixed(2)}`;
  } else if (statedLine !== undefined) {
    lineAmount = statedLine;
    lineDerivation = `LineAmount as stated: ${round2(statedLine).toFixed(2)}`;
  } else if (input.hasItemCode && !unitWritten) {
    lineAmount = null;
    lineDerivation = 'The price comes from the item in Xero';
  } else if (!unitWritten && input.lineAmount === undefined) {
    lineAmount = new Money(0);
    lineDerivation = quantityWritten ? 'No UnitAmount: 0.00' : 'Description only: 0.00';
  }

  let rate: Money | null = null;
  let rateStatus: RateStatus;
  let computedTaxAmount: Money | null = null;
  let taxDerivation = '';
  if (lineAmountTypes === 'NoTax') {
    rateStatus = 'not-needed';
    computedTaxAmount = new Money(0);
    taxDerivation = 'No tax (NoTax): 0.00';
  } else {
    const code = input.taxType?.trim();
    const percent = code ? rates.get(code) : undefined;
    if (!code) rateStatus = 'no-tax-type';
    else if (percent === undefined) rateStatus = 'unknown-code';
    else {
      rateStatus = 'known';
      rate = parseAmount(percent) ?? null;
    }
    if (lineAmount !== null && lineAmount.isZero()) {
      computedTaxAmount = new Money(0);
      taxDerivation = 'No amount, no tax: 0.00';
    } else if (rate !== null && lineAmount !== null) {
      const la = lineAmount.toFixed(2);
      const r = rate.toString();
      if (lineAmountTypes === 'Exclusive') {
        computedTaxAmount = round2(lineAmount.times(rate).div(HUNDRED));
        taxDerivation = `${la} × ${r}% = ${computedTaxAmount.toFixed(2)}`;
      } else {
        computedTaxAmount = round2(lineAmount.times(rate).div(HUNDRED.plus(rate)));
        taxDerivation = `${la} × ${r}/${HUNDRED.plus(rate).toString()} = ${computedTaxAmount.toFixed(2)}`;
      }
    }
  }
  let taxAmount = computedTaxAmount;
  if (statedTax !== undefined) {
    taxAmount = statedTax;
    const note = `TaxAmount as stated: ${round2(statedTax).toFixed(2)}`;
    taxDerivation = taxDerivation ? `${note} (computed ${taxDerivation})` : note;
  } else if (!taxDerivation) {
    taxDerivation =
      rateStatus === 'no-tax-type'
        ? "No TaxType: Xero applies the account's default tax rate"
        : rateStatus === 'unknown-code'
          ? `No rate is known for TaxType ${input.taxType?.trim()}`
          : 'The line amount is not known';
  }
  return {
    statedLineAmount: statedLine,
    statedTaxAmount: statedTax,
    lineAmount,
    computedLineAmount,
    taxAmount,
    computedTaxAmount,
    rate,
    rateStatus,
    lineDerivation,
    taxDerivation,
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
