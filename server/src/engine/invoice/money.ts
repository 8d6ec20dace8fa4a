import Decimal from 'decimal.js';
import { MAX_SIGNIFICANT_DIGITS, isDecimal, significantDigits } from '../number-limits';

/**
 * What money is: decimal.js, 2 decimal places, half away from zero (FACTS.md §3). Exact for every operation on
 * numbers within the significant-digit limit, so each figure is rounded once, to 2 places: a line's
 * Quantity × UnitAmount × (100 − DiscountRate) has at most 15 + 15 + 19 digits; an inclusive tax (a quotient) is
 * within 10^-40 of its exact value, far closer than any quotient of such numbers comes to a rounding midpoint
 * without being one (then it is exact).
 */
export const Money = Decimal.clone({ precision: 64, rounding: Decimal.ROUND_HALF_UP });
export type Money = Decimal;

const HALF_UP = Decimal.ROUND_HALF_UP;
const MAX = Number.MAX_SAFE_INTEGER;
/** Powers of ten that are exact, and small enough that a product with any safe integer is tested by `safe`. */
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * Whether an integer result is exact. Operands are safe integers, so a true result beyond ±(2^53 − 1) comes out
 * at or beyond ±2^53 (rounding is monotonic and 2^53 is a double), and a true result within is exact. NaN fails.
 */
function safe(x: number): boolean {
  return x <= MAX && x >= -MAX;
}

/** `n / d` (d > 0) rounded to an integer, half away from zero, from the remainder: no floating-point division. */
function divRound(n: number, d: number): number {
  const r = n % d;
  // n − r is a multiple of d, so this quotient is an integer a double holds exactly.
  const q = (n - r) / d;
  return 2 * Math.abs(r) >= d ? (n < 0 ? q - 1 : q + 1) : q;
}

/**
 * An amount of money as the engine computes it: the integer `units × 10^-scale`, exact while every intermediate
 * stays a safe integer (which every number a document may state is: at most 15 significant digits), and the
 * decimal.js value otherwise. Each operation gives the value decimal.js gives for the same operation; a decimal is
 * only built when a caller asks for one ({@link Amount.decimal}) or the integers would overflow.
 */
export class Amount {
  private constructor(
    /** NaN when the value is held only by `dec`. Keeps the sign of a written `-0`, as decimal.js does. */
    private readonly units: number,
    private readonly scale: number,
    private dec: Money | undefined,
  ) {}

  static of(d: Money): Amount {
    return new Amount(NaN, 0, d);
  }

  static integer(n: number): Amount {
    return new Amount(n, 0, undefined);
  }

  /**
   * A number as written (already trimmed), read from its characters; null when it is not an xs:decimal or has more
   * significant digits than Xero takes. Anything the scan does not expect goes the decimal.js way.
   */
  static parse(v: string): Amount | null {
    const len = v.length;
    let i = 0;
    let c = v.charCodeAt(0);
    const negative = c === 45;
    if (negative || c === 43) i = 1;
    let units = 0;
    let scale = 0;
    let significant = 0;
    let zeros = 0;
    let digits = false;
    let fraction = false;
    for (; i < len; i++) {
      c = v.charCodeAt(i);
      if (c === 46 && !fraction) {
        fraction = true;
        continue;
      }
      const d = c - 48;
      if (d < 0 || d > 9) return Amount.parseSlowly(v);
      digits = true;
      if (!fraction) {
        if (units === 0 && d === 0) continue;
        if (++significant > MAX_SIGNIFICANT_DIGITS) return Amount.parseSlowly(v);
        units = units * 10 + d;
      } else if (d === 0) {
        // Trailing zeros of the fraction are not significant: counted only once a digit follows them.
        zeros++;
      } else {
        significant = units === 0 ? significant + 1 : significant + zeros + 1;
        if (significant > MAX_SIGNIFICANT_DIGITS) return Amount.parseSlowly(v);
        units = units === 0 ? d : units * POW10[zeros + 1] + d;
        scale += zeros + 1;
        zeros = 0;
      }
    }
    if (!digits) return Amount.parseSlowly(v);
    return new Amount(negative ? -units : units, scale, undefined);
  }

  private static parseSlowly(v: string): Amount | null {
    return !isDecimal(v) || (v.length > MAX_SIGNIFICANT_DIGITS && significantDigits(v) > MAX_SIGNIFICANT_DIGITS) ? null : Amount.of(new Money(v));
  }

  private get exact(): boolean {
    return this.units === this.units;
  }

  /** The decimal.js value, built on first use. */
  decimal(): Money {
    if (this.dec === undefined) {
      const u = this.units;
      this.dec = new Money(Object.is(u, -0) ? '-0' : this.scale === 0 ? String(u) : `${u}e-${this.scale}`);
    }
    return this.dec;
  }

  isZero(): boolean {
    return this.exact ? this.units === 0 : this.dec!.isZero();
  }

  /** -1, 0 or 1 (0 for either zero). */
  sign(): number {
    if (this.exact) return this.units > 0 ? 1 : this.units < 0 ? -1 : 0;
    return this.dec!.isZero() ? 0 : this.dec!.isNegative() ? -1 : 1;
  }

  plus(o: Amount): Amount {
    return this.add(o, 1);
  }

  minus(o: Amount): Amount {
    return this.add(o, -1);
  }

  private add(o: Amount, sign: 1 | -1): Amount {
    if (this.exact && o.exact) {
      let a = this.units;
      let b = o.units;
      const scale = this.scale >= o.scale ? this.scale : o.scale;
      const k = scale - this.scale + (scale - o.scale);
      if (k <= 15) {
        if (scale > this.scale) a *= POW10[scale - this.scale];
        else if (scale > o.scale) b *= POW10[scale - o.scale];
        const sum = sign === 1 ? a + b : a - b;
        if (safe(a) && safe(b) && safe(sum)) return new Amount(sum, scale, undefined);
      }
    }
    return Amount.of(sign === 1 ? this.decimal().plus(o.decimal()) : this.decimal().minus(o.decimal()));
  }

  times(o: Amount): Amount {
    if (this.exact && o.exact) {
      const p = this.units * o.units;
      if (safe(p)) return new Amount(p, this.scale + o.scale, undefined);
    }
    return Amount.of(this.decimal().times(o.decimal()));
  }

  /** This amount divided by 100 (a percentage of it). */
  hundredth(): Amount {
    return this.exact ? new Amount(this.units, this.scale + 2, undefined) : Amount.of(this.decimal().div(100));
  }

  /** `this / divisor`, rounded once to 2 places, half away from zero. */
  dividedRound2(divisor: Amount): Amount {
    if (this.exact && divisor.exact && divisor.units !== 0) {
      // In cents: units × 10^(divisor.scale − scale + 2) / divisor.units.
      let n = this.units;
      let d = divisor.units;
      const e = divisor.scale - this.scale + 2;
      if (e >= 0 && e <= 15) n *= POW10[e];
      else if (e < 0 && e >= -15) d *= POW10[-e];
      else n = NaN;
      if (d < 0) {
        n = -n;
        d = -d;
      }
      if (safe(n) && safe(d)) return new Amount(divRound(n, d), 2, undefined);
    }
    return Amount.of(this.decimal().div(divisor.decimal()).toDecimalPlaces(2, HALF_UP));
  }

  /** Rounded to `dp` places, half away from zero. */
  round(dp = 2): Amount {
    if (this.exact) {
      if (this.scale <= dp) return this;
      const k = this.scale - dp;
      if (k <= 15) return new Amount(divRound(this.units, POW10[k]), dp, undefined);
    }
    return Amount.of(this.decimal().toDecimalPlaces(dp, HALF_UP));
  }

  /** Compared by value, as decimal.js compares: -1, 0 or 1. */
  cmp(o: Amount): number {
    if (this.exact && o.exact) {
      let a = this.units;
      let b = o.units;
      const k = this.scale - o.scale;
      if (k >= -15 && k <= 15) {
        if (k > 0) b *= POW10[k];
        else if (k < 0) a *= POW10[-k];
        if (safe(a) && safe(b)) return a < b ? -1 : a > b ? 1 : 0;
      }
    }
    return this.decimal().cmp(o.decimal());
  }

  /** Equal in value to another amount or to a written xs:decimal. */
  eq(o: Amount | string): boolean {
    if (typeof o === 'string') {
      const parsed = Amount.parse(o);
      return parsed ? this.cmp(parsed) === 0 : this.decimal().eq(o);
    }
    return this.cmp(o) === 0;
  }

  gt(o: Amount): boolean {
    return this.cmp(o) > 0;
  }

  /** As decimal.js's `toFixed(dp)` with half away from zero: `-0.00` for a negative amount that rounds to zero. */
  toFixed(dp = 2): string {
    if (this.exact) {
      let q = NaN;
      if (this.scale <= dp) q = this.units * POW10[dp - this.scale];
      else if (this.scale - dp <= 15) q = divRound(this.units, POW10[this.scale - dp]);
      if (safe(q)) {
        const digits = String(q < 0 ? -q : q).padStart(dp + 1, '0');
        const s = dp === 0 ? digits : `${digits.slice(0, digits.length - dp)}.${digits.slice(digits.length - dp)}`;
        return this.units < 0 ? `-${s}` : s;
      }
    }
    return this.decimal().toFixed(dp, HALF_UP);
  }

  /** As decimal.js writes it (`12.5`, `1e-8`). */
  toString(): string {
    return this.decimal().toString();
  }
}
