import Decimal from 'decimal.js';
import { detached } from '../strings';
import { MAX_SIGNIFICANT_DIGITS, isDecimal, significantDigits } from '../number-limits';
import { formatOf, type Builtin, type SimpleType } from './model';

export type ValueProblemKind = 'enumeration' | 'format' | 'fractionDigits' | 'totalDigits' | 'pattern' | 'length' | 'range';

export interface ValueProblem {
  kind: ValueProblemKind;
  /** What the value should be, in words, for the message. */
  expected: string;
}

const INTEGER = /^[+-]?\d+$/;
const DATE = /^(-?\d{4,})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/;
const DATE_TIME = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** Whether collapsing would change the value: white space at either end, a tab or line break, or two spaces. */
function needsCollapse(v: string): boolean {
  const n = v.length;
  if (n === 0) return false;
  let before = 32;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c === 9 || c === 10 || c === 13 || (c === 32 && before === 32)) return true;
    before = c;
  }
  return before === 32;
}

function collapse(value: string): string {
  return needsCollapse(value) ? value.replace(/[\t\n\r ]+/g, ' ').trim() : value;
}

/** Length in characters (code points), as XSD length facets count. */
function codePoints(v: string): number {
  let n = v.length;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

function whitespaceOf(t: SimpleType): 'preserve' | 'collapse' {
  if (t.builtin === 'string') return 'preserve';
  if (t.builtin === 'normalizedString') return 'preserve';
  return 'collapse';
}

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1];
}

function builtinValid(b: Builtin, v: string): boolean {
  switch (b) {
    case 'decimal':
      return isDecimal(v);
    case 'integer':
    case 'int':
    case 'long':
      return INTEGER.test(v);
    case 'nonNegativeInteger':
      return INTEGER.test(v) && !v.startsWith('-');
    case 'positiveInteger':
      return INTEGER.test(v) && !v.startsWith('-') && /[1-9]/.test(v);
    case 'boolean':
      return v === 'true' || v === 'false' || v === '1' || v === '0';
    case 'date': {
      const m = DATE.exec(v);
      return !!m && validDay(+m[1], +m[2], +m[3]);
    }
    case 'dateTime': {
      const m = DATE_TIME.exec(v);
      if (!m || !validDay(+m[1], +m[2], +m[3])) return false;
      const hh = +m[4];
      const mm = +m[5];
      const ss = +m[6];
      if (hh === 24) return mm === 0 && ss === 0 && !(m[7] && /[1-9]/.test(m[7]));
      return hh < 24 && mm < 60 && ss < 60;
    }
    default:
      return true;
  }
}

function fractionDigits(v: string): number {
  const dot = v.indexOf('.');
  if (dot < 0) return 0;
  let end = v.length;
  while (end > dot + 1 && v.charCodeAt(end - 1) === 48) end--;
  return end - dot - 1;
}

function totalDigits(v: string): number {
  const [ip, fp = ''] = v.replace(/^[+-]/, '').split('.');
  return Math.max(1, ip.replace(/^0+/, '').length + fp.replace(/0+$/, '').length);
}

/** The value as the type sees it (whitespace collapsed for every type but strings). */
export function normalizeValue(t: SimpleType, raw: string): string {
  return whitespaceOf(t) === 'collapse' ? collapse(raw) : raw;
}

/**
 * Short values already checked, per type: codes, statuses, dates and prices repeat across invoices. A type whose
 * values hardly ever repeat (numbers, IDs) stops being looked up once that shows.
 */
export interface ValueMemo {
  values: Map<string, ValueProblem | null>;
  lookups: number;
  hits: number;
  off: boolean;
}
const MEMO_VALUE_LENGTH = 40;
const MEMO_VALUES_PER_TYPE = 1024;

/** Text with at most a maximum length and no other facet: nothing to normalise, nothing to test but the length. */
function plainText(t: SimpleType): boolean {
  return (t.builtin === 'string' || t.builtin === 'normalizedString') && !t.union && !t.enumeration && !t.patterns &&
    t.length === undefined && t.minLength === undefined;
}

/** A decimal with at most so many fraction digits and no other facet: every amount, price and quantity. */
function plainDecimal(t: SimpleType): boolean {
  return t.builtin === 'decimal' && !t.union && !t.enumeration && !t.patterns && t.length === undefined && t.minLength === undefined &&
    t.maxLength === undefined && t.totalDigits === undefined && t.minInclusive === undefined && t.maxInclusive === undefined;
}

/**
 * Whether `v` is, as written, a valid value of a plain decimal type: an xs:decimal without white space, of at most
 * 15 characters (so at most 15 significant digits), within the type's fraction digits: no regular expression, no
 * normalising; anything else (and every invalid value) goes through the full check, which says what is wrong.
 */
function validPlainDecimal(t: SimpleType, v: string): boolean {
  const n = v.length;
  if (n === 0 || n > MAX_SIGNIFICANT_DIGITS || !isDecimal(v)) return false;
  const dot = v.indexOf('.');
  if (dot < 0 || t.fractionDigits === undefined) return true;
  let end = n;
  while (end > dot + 1 && v.charCodeAt(end - 1) === 48) end--;
  return end - dot - 1 <= t.fractionDigits;
}

/** Checks a value against a simple type the way an XSD processor does; null when it is valid. */
export function checkValue(t: SimpleType, raw: string): ValueProblem | null {
  // Code units never undercount code points: within the maximum in code units, the value is within it.
  t.plain ??= plainText(t);
  if (t.plain) return t.maxLength === undefined || raw.length <= t.maxLength ? null : checkUncached(t, raw);
  t.plainDecimal ??= plainDecimal(t);
  if (t.plainDecimal && validPlainDecimal(t, raw)) return null;
  if (raw.length > MEMO_VALUE_LENGTH) return checkUncached(t, raw);
  const memo = (t.memo ??= { values: new Map<string, ValueProblem | null>(), lookups: 0, hits: 0, off: false });
  if (memo.off) return checkUncached(t, raw);
  let problem = memo.values.get(raw);
  memo.lookups++;
  if (problem !== undefined) {
    memo.hits++;
    return problem;
  }
  problem = checkUncached(t, raw);
  if (memo.values.size < MEMO_VALUES_PER_TYPE) memo.values.set(detached(raw), problem);
  else if (memo.hits * 4 < memo.lookups) {
    memo.off = true;
    memo.values.clear();
  }
  return problem;
}

function checkUncached(t: SimpleType, raw: string): ValueProblem | null {
  if (t.union) {
    const ok = t.union.some((m) => checkValue(m, raw) === null);
    if (!ok) return { kind: 'format', expected: t.union.map((m) => expectedOf(m)).join(' or ') };
    return checkFacets(t, collapse(raw));
  }
  const v = normalizeValue(t, raw);
  if (t.builtin && !builtinValid(t.builtin, v)) return { kind: 'format', expected: expectedOf(t) };
  return checkFacets(t, v);
}

function checkFacets(t: SimpleType, v: string): ValueProblem | null {
  if (t.enumeration && !(t.enumValues ? t.enumValues.has(v) : t.enumeration.some((e) => e.value === v))) {
    return { kind: 'enumeration', expected: 'one of ' + t.enumeration.map((e) => e.value).join(', ') };
  }
  if (t.patterns && !t.patterns.every((alternatives) => alternatives.some((re) => re.test(v)))) {
    return { kind: 'pattern', expected: expectedOf(t) };
  }
  const len = t.length !== undefined || t.minLength !== undefined || t.maxLength !== undefined ? codePoints(v) : 0;
  if (t.length !== undefined && len !== t.length) return { kind: 'length', expected: `exactly ${t.length} characters` };
  if (t.minLength !== undefined && len < t.minLength) return { kind: 'length', expected: `at least ${t.minLength} character${t.minLength === 1 ? '' : 's'}` };
  if (t.maxLength !== undefined && len > t.maxLength) return { kind: 'length', expected: `at most ${t.maxLength} characters` };
  const numeric = t.builtin === 'decimal' || t.builtin === 'integer' || t.builtin === 'int' || t.builtin === 'long' ||
    t.builtin === 'nonNegativeInteger' || t.builtin === 'positiveInteger';
  if (numeric) {
    if (t.fractionDigits !== undefined && fractionDigits(v) > t.fractionDigits) {
      return { kind: 'fractionDigits', expected: `at most ${t.fractionDigits} decimal place${t.fractionDigits === 1 ? '' : 's'}` };
    }
    if (t.totalDigits !== undefined && totalDigits(v) > t.totalDigits) {
      return { kind: 'totalDigits', expected: `at most ${t.totalDigits} digits` };
    }
    if (v.length > MAX_SIGNIFICANT_DIGITS && significantDigits(v) > MAX_SIGNIFICANT_DIGITS) {
      return { kind: 'totalDigits', expected: `a number of at most ${MAX_SIGNIFICANT_DIGITS} significant digits (the API reads numbers as doubles, which keep no more)` };
    }
    if (t.minInclusive !== undefined && new Decimal(v).lt(t.minInclusive)) return { kind: 'range', expected: `${t.minInclusive} or more` };
    if (t.maxInclusive !== undefined && new Decimal(v).gt(t.maxInclusive)) return { kind: 'range', expected: `${t.maxInclusive} or less` };
  }
  return null;
}

/** What a value of the type should look like, for the schema check's messages. */
function expectedOf(t: SimpleType): string {
  if (t.union) return t.union.map(expectedOf).join(' or ');
  return formatOf(t, true) ?? (t.name ? `a valid ${t.name}` : 'a valid value');
}
