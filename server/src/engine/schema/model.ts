import type { ValueMemo } from './values';
/** The schema model derived from an XSD in `schemas/`: what validation, completion and hover read. */

export type Builtin =
  | 'string'
  | 'normalizedString'
  | 'token'
  | 'decimal'
  | 'integer'
  | 'int'
  | 'long'
  | 'nonNegativeInteger'
  | 'positiveInteger'
  | 'boolean'
  | 'date'
  | 'dateTime'
  | 'anyURI';

export const BUILTINS: ReadonlySet<string> = new Set<Builtin>([
  'string', 'normalizedString', 'token', 'decimal', 'integer', 'int', 'long', 'nonNegativeInteger',
  'positiveInteger', 'boolean', 'date', 'dateTime', 'anyURI',
]);

export interface EnumValue {
  value: string;
  doc?: string;
}

export interface SimpleType {
  kind: 'simple';
  name?: string;
  doc?: string;
  /** The builtin at the root of the restriction chain (for a union: undefined). */
  builtin?: Builtin;
  /** Facets accumulated along the restriction chain. */
  enumeration?: EnumValue[];
  /** The enumeration's values, for fast membership tests. */
  enumValues?: ReadonlySet<string>;
  patterns?: RegExp[][];
  length?: number;
  minLength?: number;
  maxLength?: number;
  fractionDigits?: number;
  totalDigits?: number;
  minInclusive?: string;
  maxInclusive?: string;
  union?: SimpleType[];
  /** Set by the value check on first use: text with nothing but a maximum length. */
  plain?: boolean;
  /** Set by the value check on first use: a decimal with nothing but a number of fraction digits. */
  plainDecimal?: boolean;
  /** The value check's memo of values already checked against this type (see schema/values.ts). */
  memo?: ValueMemo;
}

export interface ElementDecl {
  name: string;
  type: TypeRef;
  minOccurs: number;
  maxOccurs: number;
  nillable: boolean;
  doc?: string;
  /** Position among the declarations of its complex type (validation counts occurrences by it). */
  index: number;
}

export interface AttributeDecl {
  name: string;
  type: SimpleType;
  required: boolean;
  doc?: string;
}

export interface ComplexType {
  kind: 'complex';
  name?: string;
  doc?: string;
  /** `all`: any order; `sequence` of one repeated particle; `choice`: one of; `empty`: no children. */
  model: 'all' | 'sequence' | 'choice' | 'empty';
  elements: Map<string, ElementDecl>;
  attributes: Map<string, AttributeDecl>;
  /** The type this one extends (xsi:type may name a type derived from the declared one). */
  base?: ComplexType;
  /** The element declarations with minOccurs > 0. */
  required: ElementDecl[];
}

export type SchemaType = SimpleType | ComplexType;

/** Resolved lazily: XSDs refer to named types before declaring them. */
export interface TypeRef {
  get(): SchemaType;
}

export interface SchemaModel {
  dialect: string;
  roots: Map<string, ElementDecl>;
  complexTypes: Map<string, ComplexType>;
  simpleTypes: Map<string, SimpleType>;
}

const WHOLE_NUMBER = { words: 'a whole number' };
const BUILTIN_FORMATS: Record<string, { words: string; example?: string }> = {
  date: { words: 'a date (YYYY-MM-DD)' },
  dateTime: { words: 'a date and time (YYYY-MM-DDThh:mm:ss)' },
  decimal: { words: 'a decimal number', example: '12.50' },
  boolean: { words: 'true or false' },
  integer: WHOLE_NUMBER,
  int: WHOLE_NUMBER,
  long: WHOLE_NUMBER,
  nonNegativeInteger: WHOLE_NUMBER,
  positiveInteger: WHOLE_NUMBER,
};
const GUID_FORMAT = { words: 'a GUID (8-4-4-4-12 hexadecimal digits)', example: '297c2dc5-cc47-4afd-8ec8-74990b8761e9' };

/**
 * How a value of a built-in type (or a GUID) is written: the one wording hover and the schema check's messages
 * share; with `example`, followed by an example value where one helps. Undefined for other text types.
 */
export function formatOf(t: SimpleType, example = false): string | undefined {
  const f = t.patterns && t.name === 'uniqueIdentifier' ? GUID_FORMAT : t.builtin ? BUILTIN_FORMATS[t.builtin] : undefined;
  if (!f) return undefined;
  return example && f.example ? `${f.words} such as ${f.example}` : f.words;
}

/** A human-readable name for a simple type (hover, completion). */
export function describeSimpleType(t: SimpleType): string {
  if (t.enumeration) return 'one of ' + t.enumeration.map((e) => e.value).join(', ');
  if (t.union) return t.union.map(describeSimpleType).join(' or ');
  if (t.builtin === 'decimal' && t.fractionDigits !== undefined) return `a decimal number with at most ${t.fractionDigits} decimal places`;
  const format = formatOf(t);
  if (format) return format;
  return t.maxLength !== undefined ? `text of at most ${t.maxLength} characters` : 'text';
}
