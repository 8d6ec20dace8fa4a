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

/** A human-readable name for a simple type, for messages. */
export function describeSimpleType(t: SimpleType): string {
  if (t.enumeration) return 'one of ' + t.enumeration.map((e) => e.value).join(', ');
  if (t.union) return t.union.map(describeSimpleType).join(' or ');
  switch (t.builtin) {
    case 'date':
      return 'a date (YYYY-MM-DD)';
    case 'dateTime':
      return 'a date and time (YYYY-MM-DDThh:mm:ss)';
    case 'decimal':
      return t.fractionDigits !== undefined ? `a decimal number with at most ${t.fractionDigits} decimal places` : 'a decimal number';
    case 'boolean':
      return 'true or false';
    case 'integer':
    case 'int':
    case 'long':
    case 'nonNegativeInteger':
    case 'positiveInteger':
      return 'a whole number';
    default:
      if (t.patterns && t.name === 'uniqueIdentifier') return 'a GUID (8-4-4-4-12 hexadecimal digits)';
      if (t.maxLength !== undefined) return `text of at most ${t.maxLength} characters`;
      return 'text';
  }
}
