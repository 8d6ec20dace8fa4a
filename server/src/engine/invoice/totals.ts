import { Amount } from './money';

/**
 * All money arithmetic of the product, with Xero's rounding: 2 decimal places, half away from zero, at each step
 * (FACTS.md §3). Money is defined by decimal.js (money.ts); the figures are {@link Amount}s, which compute the
 * same values in integers while they fit.
 */
export type LineAmountTypes = 'Exclusive' | 'Inclusive' | 'NoTax';

export { Amount, Money } from './money';

export const HUNDRED = Amount.integer(100);

/** undefined when absent, null when present but not a number, or longer than Xero takes (the schema check reports that). */
export function parseAmount(raw: string | undefined): Amount | null | undefined {
  return raw === undefined ? undefined : Amount.parse(raw.trim());
}

/** Rates are few and used on every line: parsed once per text (and written out once, for hover). */
const rateCache = new Map<string, Amount>();
function parseRate(percent: string): Amount | null {
  let r = rateCache.get(percent);
  if (r === undefined) {
    const parsed = parseAmount(percent);
    if (!parsed) return null;
    r = parsed;
    if (rateCache.size < 1000) rateCache.set(percent, r);
  }
  return r;
}

export function round2(d: Amount): Amount {
  return d.round(2);
}

export function format2(d: Amount | null): string | null {
  return d === null ? null : d.toFixed(2);
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
  statedLineAmount?: Amount;
  statedTaxAmount?: Amount;
  /** The amount that counts in the totals (computed when it can be, else as stated); null when unknown. */
  lineAmount: Amount | null;
  /** Quantity × UnitAmount less discount, when both are given. */
  computedLineAmount: Amount | null;
  /** The tax that counts in the totals: a stated TaxAmount overrides; null when unknown. */
  taxAmount: Amount | null;
  /** Tax from the line amount and the rate, when both are known. */
  computedTaxAmount: Amount | null;
  /** Rate in percent. */
  rate: Amount | null;
  rateStatus: RateStatus;
  /** How the figures were derived, for hover: `3 × 59.00 = 177.00`, `177.00 × 12.5/112.5 = 19.67`. */
  readonly lineDerivation: string;
  readonly taxDerivation: string;
}

export interface InvoiceFigures {
  lines: LineFigures[];
  subTotal: Amount | null;
  totalTax: Amount | null;
  total: Amount | null;
}

function usable(d: Amount | null | undefined): Amount | undefined {
  return d === null ? undefined : d;
}

function shown(raw: string | undefined): string {
  return (raw ?? '').trim();
}

export const ZERO = Amount.integer(0);
const ONE = Amount.integer(1);

type LineHow = 'computed' | 'stated' | 'item' | 'none' | 'unknown';
type TaxHow = 'notax' | 'zero' | 'rate' | 'unknown';

export function computeLine(input: LineInput, lineAmountTypes: LineAmountTypes, rates: ReadonlyMap<string, string>): LineFigures {
  const q = usable(parseAmount(input.quantity));
  const u = usable(parseAmount(input.unitAmount));
  const dr = usable(parseAmount(input.discountRate));
  const da = usable(parseAmount(input.discountAmount));
  const statedLine = usable(parseAmount(input.lineAmount));
  const statedTax = usable(parseAmount(input.taxAmount));
  const quantityWritten = input.quantity !== undefined;
  const unitWritten = input.unitAmount !== undefined;

  let computedLineAmount: Amount | null = null;
  let lineAmount: Amount | null = null;
  let lineHow: LineHow = 'unknown';
  if (u !== undefined && (q !== undefined || (!quantityWritten && statedLine === undefined))) {
    const gross = (q ?? ONE).times(u);
    const exact = dr !== undefined ? gross.times(HUNDRED.minus(dr)).hundredth() : da !== undefined ? gross.minus(da) : gross;
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

  let rate: Amount | null = null;
  let rateStatus: RateStatus;
  let computedTaxAmount: Amount | null = null;
  let taxHow: TaxHow = 'unknown';
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
      const product = lineAmount.times(rate);
      computedTaxAmount = lineAmountTypes === 'Exclusive' ? round2(product.hundredth()) : product.dividedRound2(HUNDRED.plus(rate));
      taxHow = 'rate';
    }
  }
  const discount = dr !== undefined ? 'rate' : da !== undefined ? 'amount' : undefined;
  return new Line(input, lineAmountTypes, statedLine, statedTax, lineAmount, computedLineAmount, statedTax ?? computedTaxAmount, computedTaxAmount, rate, rateStatus, lineHow, taxHow, q !== undefined, discount);
}

/** One line's figures; how each was derived is only read for hover, hints and messages, so it is written when asked. */
class Line implements LineFigures {
  constructor(
    private readonly input: LineInput,
    private readonly lineAmountTypes: LineAmountTypes,
    readonly statedLineAmount: Amount | undefined,
    readonly statedTaxAmount: Amount | undefined,
    readonly lineAmount: Amount | null,
    readonly computedLineAmount: Amount | null,
    readonly taxAmount: Amount | null,
    readonly computedTaxAmount: Amount | null,
    readonly rate: Amount | null,
    readonly rateStatus: RateStatus,
    private readonly lineHow: LineHow,
    private readonly taxHow: TaxHow,
    private readonly quantityUsable: boolean,
    private readonly discount: 'rate' | 'amount' | undefined,
  ) {}

  get lineDerivation(): string {
    const input = this.input;
    switch (this.lineHow) {
      case 'computed': {
        let how = `${this.quantityUsable ? shown(input.quantity) : '1'} × ${shown(input.unitAmount)}`;
        if (this.discount === 'rate') how += ` × (100 − ${shown(input.discountRate)})/100`;
        else if (this.discount === 'amount') how += ` − ${shown(input.discountAmount)}`;
        return `${how} = ${this.computedLineAmount!.toFixed(2)}`;
      }
      case 'stated':
        return `LineAmount as stated: ${round2(this.statedLineAmount!).toFixed(2)}`;
      case 'item':
        return 'The price comes from the item in Xero';
      case 'none':
        return input.quantity !== undefined ? 'No UnitAmount: 0.00' : 'Description only: 0.00';
      default:
        return '';
    }
  }

  get taxDerivation(): string {
    let computed = '';
    if (this.taxHow === 'notax') computed = 'No tax (NoTax): 0.00';
    else if (this.taxHow === 'zero') computed = 'No amount, no tax: 0.00';
    else if (this.taxHow === 'rate') {
      const la = this.lineAmount!.toFixed(2);
      const rate = this.rate!;
      computed =
        this.lineAmountTypes === 'Exclusive'
          ? `${la} × ${rate.toString()}% = ${this.computedTaxAmount!.toFixed(2)}`
          : `${la} × ${rate.toString()}/${HUNDRED.plus(rate).toString()} = ${this.computedTaxAmount!.toFixed(2)}`;
    }
    if (this.statedTaxAmount !== undefined) {
      const note = `TaxAmount as stated: ${round2(this.statedTaxAmount).toFixed(2)}`;
      return computed ? `${note} (computed ${computed})` : note;
    }
    if (computed) return computed;
    if (this.rateStatus === 'no-tax-type') return "No TaxType: Xero applies the account's default tax rate";
    if (this.rateStatus === 'unknown-code') return `No rate is known for TaxType ${this.input.taxType?.trim()}`;
    return 'The line amount is not known';
  }
}

/**
 * TotalTax is the sum of line taxes, never recomputed on the total. Exclusive/NoTax: SubTotal = Σ LineAmount,
 * Total = SubTotal + TotalTax. Inclusive: Total = Σ LineAmount, SubTotal = Total − TotalTax.
 */
export function computeTotals(lines: LineFigures[], lineAmountTypes: LineAmountTypes): InvoiceFigures {
  // A sum is unknown when one of its terms is.
  let sumLines: Amount | null = ZERO;
  let totalTax: Amount | null = ZERO;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    sumLines = sumLines !== null && l.lineAmount !== null ? sumLines.plus(l.lineAmount) : null;
    totalTax = totalTax !== null && l.taxAmount !== null ? totalTax.plus(l.taxAmount) : null;
  }
  if (lineAmountTypes === 'Inclusive') {
    const total = sumLines;
    const subTotal = total !== null && totalTax !== null ? total.minus(totalTax) : null;
    return { lines, subTotal, totalTax, total };
  }
  const subTotal = sumLines;
  const total = subTotal !== null && totalTax !== null ? subTotal.plus(totalTax) : null;
  return { lines, subTotal, totalTax, total };
}
