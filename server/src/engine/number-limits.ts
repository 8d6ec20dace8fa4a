/**
 * The most significant digits a number may have: the OAS types every amount, quantity and rate as `number`
 * `format: double`, which carries 15 significant decimal digits; Xero cannot take a longer number unchanged. The
 * schema check reports longer numbers (schema/values.ts) and the arithmetic (invoice/totals.ts) treats them as not a number.
 */
export const MAX_SIGNIFICANT_DIGITS = 15;

/**
 * Whether `v` is written as an xs:decimal, `[+-]?(\d+(\.\d*)?|\.\d+)`: `1`, `-1.50`, `.5`, `+2.` (no exponent, no
 * spaces, no thousands separators). A scan rather than a regular expression: every amount, quantity and rate of a
 * document passes here.
 */
export function isDecimal(v: string): boolean {
  const n = v.length;
  let i = n > 0 && (v.charCodeAt(0) === 43 || v.charCodeAt(0) === 45) ? 1 : 0;
  let digits = 0;
  let dot = false;
  for (; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && !dot) dot = true;
    else return false;
  }
  return digits > 0;
}

/** Significant digits of a decimal numeral (leading zeros of the integer part, trailing zeros of the fraction not counted). */
export function significantDigits(v: string): number {
  let i = v.charCodeAt(0) === 43 || v.charCodeAt(0) === 45 ? 1 : 0;
  let end = v.length;
  const dot = v.indexOf('.');
  if (dot >= 0) while (end > dot + 1 && v.charCodeAt(end - 1) === 48) end--;
  if (end === dot + 1) end = dot;
  while (i < end && (v.charCodeAt(i) === 48 || v.charCodeAt(i) === 46)) i++;
  let n = 0;
  for (let k = i; k < end; k++) if (v.charCodeAt(k) !== 46) n++;
  return n;
}
