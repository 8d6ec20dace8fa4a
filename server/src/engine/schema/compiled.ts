import { internalized } from '../xml/parse';
import type { AttributeDecl, Builtin, ComplexType, ElementDecl, SchemaModel, SchemaType, SimpleType, TypeRef } from './model';

/**
 * A schema model as plain JSON: what the build writes for the bundled XSDs, so that a process starts with its
 * schemas ready instead of reading them (parsing the XSDs and building the model takes a cold process tens of
 * milliseconds). Types and declarations are listed once each and referred to by their index, so a type shared by
 * many elements is one object again when read back, as loadSchema() made it.
 */
export interface CompiledModel {
  dialect: string;
  simple: CompiledSimple[];
  complex: CompiledComplex[];
  decls: CompiledDecl[];
  roots: [string, number][];
  complexTypes: [string, number][];
  simpleTypes: [string, number][];
}

/** The facets a simple type states, as SimpleType has them (enumValues and the value check's own fields are not kept). */
type Facets = Pick<SimpleType, 'name' | 'doc' | 'builtin' | 'enumeration' | 'length' | 'minLength' | 'maxLength' | 'fractionDigits' | 'totalDigits' | 'minInclusive' | 'maxInclusive'>;

interface CompiledSimple extends Facets {
  /** Each pattern's source; the outer list's alternatives all apply, any of the inner ones may match. */
  patterns?: string[][];
  union?: number[];
}

interface CompiledComplex {
  name?: string;
  doc?: string;
  model: ComplexType['model'];
  elements: [string, number][];
  attributes: [string, { type: number; required: boolean; doc?: string }][];
  base?: number;
  required: number[];
}

/** A type: `s` simple or `c` complex, and its index in that list. */
type CompiledTypeRef = ['s' | 'c', number];

interface CompiledDecl {
  name: string;
  type: CompiledTypeRef;
  minOccurs: number;
  /** null for unbounded (JSON has no Infinity). */
  maxOccurs: number | null;
  nillable: boolean;
  doc?: string;
  index: number;
}

/** The model as JSON (see CompiledModel). */
export function compileModel(model: SchemaModel): CompiledModel {
  const simpleIds = new Map<SimpleType, number>();
  const complexIds = new Map<ComplexType, number>();
  const declIds = new Map<ElementDecl, number>();
  const out: CompiledModel = { dialect: model.dialect, simple: [], complex: [], decls: [], roots: [], complexTypes: [], simpleTypes: [] };

  const simple = (t: SimpleType): number => {
    let id = simpleIds.get(t);
    if (id !== undefined) return id;
    id = out.simple.length;
    simpleIds.set(t, id);
    const c: CompiledSimple = {};
    out.simple.push(c);
    if (t.name !== undefined) c.name = t.name;
    if (t.doc !== undefined) c.doc = t.doc;
    if (t.builtin !== undefined) c.builtin = t.builtin;
    if (t.enumeration !== undefined) c.enumeration = t.enumeration.map((e) => (e.doc === undefined ? { value: e.value } : { value: e.value, doc: e.doc }));
    if (t.patterns !== undefined) c.patterns = t.patterns.map((alternatives) => alternatives.map((re) => re.source));
    for (const k of ['length', 'minLength', 'maxLength', 'fractionDigits', 'totalDigits'] as const) if (t[k] !== undefined) c[k] = t[k];
    if (t.minInclusive !== undefined) c.minInclusive = t.minInclusive;
    if (t.maxInclusive !== undefined) c.maxInclusive = t.maxInclusive;
    if (t.union !== undefined) c.union = t.union.map(simple);
    return id;
  };
  const typeRef = (t: SchemaType): CompiledTypeRef => (t.kind === 'simple' ? ['s', simple(t)] : ['c', complex(t)]);
  const decl = (d: ElementDecl): number => {
    let id = declIds.get(d);
    if (id !== undefined) return id;
    id = out.decls.length;
    declIds.set(d, id);
    const c = { name: d.name, minOccurs: d.minOccurs, maxOccurs: d.maxOccurs === Infinity ? null : d.maxOccurs, nillable: d.nillable, index: d.index } as CompiledDecl;
    out.decls.push(c);
    if (d.doc !== undefined) c.doc = d.doc;
    c.type = typeRef(d.type.get());
    return id;
  };
  function complex(t: ComplexType): number {
    let id = complexIds.get(t);
    if (id !== undefined) return id;
    id = out.complex.length;
    complexIds.set(t, id);
    const c: CompiledComplex = { model: t.model, elements: [], attributes: [], required: [] };
    out.complex.push(c);
    if (t.name !== undefined) c.name = t.name;
    if (t.doc !== undefined) c.doc = t.doc;
    for (const [name, d] of t.elements) c.elements.push([name, decl(d)]);
    for (const [name, a] of t.attributes) {
      const attribute: { type: number; required: boolean; doc?: string } = { type: simple(a.type), required: a.required };
      if (a.doc !== undefined) attribute.doc = a.doc;
      c.attributes.push([name, attribute]);
    }
    if (t.base) c.base = complex(t.base);
    c.required = t.required.map(decl);
    return id;
  }

  for (const [name, d] of model.roots) out.roots.push([name, decl(d)]);
  for (const [name, t] of model.complexTypes) out.complexTypes.push([name, complex(t)]);
  for (const [name, t] of model.simpleTypes) out.simpleTypes.push([name, simple(t)]);
  return out;
}

/** A resolved reference, as loadSchema()'s are once loaded. */
class Known implements TypeRef {
  constructor(private readonly type: SchemaType) {}

  get(): SchemaType {
    return this.type;
  }
}

/**
 * The model a CompiledModel was made from: the same shapes, names and shared objects, and the strings the checks
 * compare (names, builtins, content models) the engine's shared copies, as loadSchema()'s are.
 */
export function modelFromCompiled(c: CompiledModel): SchemaModel {
  const simple: SimpleType[] = c.simple.map((s) => ({
    kind: 'simple', name: s.name, doc: s.doc, builtin: s.builtin && (internalized(s.builtin) as Builtin), enumeration: s.enumeration?.map((e) => ({ value: e.value, doc: e.doc })),
    enumValues: s.enumeration ? new Set(s.enumeration.map((e) => e.value)) : undefined,
    patterns: s.patterns?.map((alternatives) => alternatives.map((source) => new RegExp(source))),
    length: s.length, minLength: s.minLength, maxLength: s.maxLength, fractionDigits: s.fractionDigits,
    totalDigits: s.totalDigits, minInclusive: s.minInclusive, maxInclusive: s.maxInclusive, union: undefined,
    plain: undefined, plainDecimal: undefined, memo: undefined,
  }));
  c.simple.forEach((s, i) => {
    if (s.union) simple[i].union = s.union.map((k) => simple[k]);
  });
  const complex: ComplexType[] = c.complex.map((t) => ({
    kind: 'complex', name: t.name, doc: t.doc, model: internalized(t.model) as ComplexType['model'], elements: new Map(), attributes: new Map(), base: undefined, required: [],
  }));
  const decls: ElementDecl[] = c.decls.map((d) => ({
    name: internalized(d.name),
    type: new Known(d.type[0] === 's' ? simple[d.type[1]] : complex[d.type[1]]),
    minOccurs: d.minOccurs,
    maxOccurs: d.maxOccurs ?? Infinity,
    nillable: d.nillable,
    doc: d.doc,
    index: d.index,
  }));
  c.complex.forEach((t, i) => {
    const target = complex[i];
    for (const [name, d] of t.elements) target.elements.set(internalized(name), decls[d]);
    for (const [name, a] of t.attributes) {
      const decl: AttributeDecl = { name: internalized(name), type: simple[a.type], required: a.required, doc: a.doc };
      target.attributes.set(decl.name, decl);
    }
    if (t.base !== undefined) target.base = complex[t.base];
    target.required = t.required.map((d) => decls[d]);
  });
  return {
    dialect: c.dialect,
    roots: new Map(c.roots.map(([name, d]) => [internalized(name), decls[d]])),
    complexTypes: new Map(c.complexTypes.map(([name, t]) => [name, complex[t]])),
    simpleTypes: new Map(c.simpleTypes.map(([name, t]) => [name, simple[t]])),
  };
}
