import { internalized, parseXml } from '../xml/parse';
import { attribute, localName, type XmlElement } from '../xml/tree';
import {
  BUILTINS,
  type AttributeDecl,
  type Builtin,
  type ComplexType,
  type ElementDecl,
  type SchemaModel,
  type SchemaType,
  type SimpleType,
  type TypeRef,
} from './model';

/**
 * Reads one self-contained XSD (the subset the schemas in `schemas/` use: xs:all / xs:sequence / xs:choice of
 * elements, attributes, complexContent extension of an empty base, restrictions with facets, unions) into a
 * schema model. Throws on a construct outside that subset, so a schema edit cannot silently stop being checked.
 */
export function loadSchema(dialect: string, xsdText: string): SchemaModel {
  const doc = parseXml(xsdText);
  if (doc.problems.length > 0 || !doc.root) {
    const p = doc.problems[0];
    throw new Error(`schema ${dialect} is not well-formed: ${p ? p.message : 'no root'}`);
  }
  return new SchemaLoader(dialect, doc.root).load();
}

function kids(el: XmlElement, name?: string): XmlElement[] {
  return el.children.filter((c) => localName(c.name) !== 'annotation' && (!name || localName(c.name) === name));
}

function docOf(el: XmlElement): string | undefined {
  const ann = el.children.find((c) => localName(c.name) === 'annotation');
  const d = ann?.children.find((c) => localName(c.name) === 'documentation');
  const text = d?.text.replace(/\s+/g, ' ').trim();
  return text ? text : undefined;
}

function attr(el: XmlElement, name: string): string | undefined {
  return attribute(el, name)?.value;
}

function occurs(value: string | undefined, dflt: number): number {
  if (value === undefined) return dflt;
  if (value === 'unbounded') return Infinity;
  return Number.parseInt(value, 10);
}

/** XSD regular expressions are implicitly anchored; the ones our schemas use are also valid JavaScript. */
function xsdPattern(source: string): RegExp {
  return new RegExp(`^(?:${source})$`);
}


/**
 * An element's type, resolved on first use (XSDs refer to named types before declaring them). One class for every
 * reference, so the validator's `decl.type.get()` calls one method, for every element of every document.
 */
class TypeOf implements TypeRef {
  private type: SchemaType | undefined;

  constructor(private readonly resolve: () => SchemaType) {}

  static known(type: SchemaType): TypeOf {
    const ref = new TypeOf(() => type);
    ref.type = type;
    return ref;
  }

  get(): SchemaType {
    return (this.type ??= this.resolve());
  }
}

/**
 * A simple type with every field present, in one order: the value checks read these fields for every value, and
 * objects of one shape keep those reads fast.
 */
function simpleType(t: Omit<SimpleType, 'kind'>): SimpleType {
  return {
    kind: 'simple', name: t.name, doc: t.doc, builtin: t.builtin, enumeration: t.enumeration, enumValues: t.enumValues,
    patterns: t.patterns, length: t.length, minLength: t.minLength, maxLength: t.maxLength,
    fractionDigits: t.fractionDigits, totalDigits: t.totalDigits, minInclusive: t.minInclusive,
    maxInclusive: t.maxInclusive, union: t.union, plain: undefined, plainDecimal: undefined, memo: undefined,
  };
}

class SchemaLoader {
  private readonly namedComplex = new Map<string, XmlElement>();
  private readonly namedSimple = new Map<string, XmlElement>();
  private readonly complexTypes = new Map<string, ComplexType>();
  private readonly simpleTypes = new Map<string, SimpleType>();

  constructor(private readonly dialect: string, private readonly root: XmlElement) {}

  load(): SchemaModel {
    for (const c of kids(this.root)) {
      const kind = localName(c.name);
      const name = attr(c, 'name');
      if (kind === 'complexType' && name) this.namedComplex.set(name, c);
      else if (kind === 'simpleType' && name) this.namedSimple.set(name, c);
    }
    const roots = new Map<string, ElementDecl>();
    for (const c of kids(this.root, 'element')) {
      const decl = this.element(c);
      roots.set(decl.name, decl);
    }
    // Resolve everything now so a broken reference fails at load, not in the middle of a check.
    for (const name of this.namedComplex.keys()) this.complex(name);
    for (const name of this.namedSimple.keys()) this.simple(name);
    const seen = new Set<ComplexType>();
    const visit = (t: SchemaType) => {
      if (t.kind !== 'complex' || seen.has(t)) return;
      seen.add(t);
      for (const e of t.elements.values()) visit(e.type.get());
    };
    for (const r of roots.values()) visit(r.type.get());
    return { dialect: this.dialect, roots, complexTypes: this.complexTypes, simpleTypes: this.simpleTypes };
  }

  private fail(el: XmlElement, what: string): never {
    throw new Error(`schema ${this.dialect}: ${what} (at <${el.name}> offset ${el.start})`);
  }

  private element(el: XmlElement): ElementDecl {
    const written = attr(el, 'name');
    if (!written) this.fail(el, 'element without a name');
    // The same string object as the names the parser reads from documents: validation looks elements up by name.
    const name = internalized(written);
    const typeName = attr(el, 'type');
    let type: TypeRef;
    if (typeName) type = this.ref(el, typeName);
    else {
      const inline = kids(el).find((c) => ['complexType', 'simpleType'].includes(localName(c.name)));
      if (!inline) {
        const t = simpleType({ builtin: 'string' });
        type = TypeOf.known(t);
      } else if (localName(inline.name) === 'complexType') {
        const t = this.buildComplex(inline);
        type = TypeOf.known(t);
      } else {
        const t = this.buildSimple(inline);
        type = TypeOf.known(t);
      }
    }
    return {
      name,
      type,
      minOccurs: occurs(attr(el, 'minOccurs'), 1),
      maxOccurs: occurs(attr(el, 'maxOccurs'), 1),
      nillable: attr(el, 'nillable') === 'true',
      doc: docOf(el),
      index: 0,
    };
  }

  private ref(at: XmlElement, qname: string): TypeRef {
    return new TypeOf(() => this.resolve(at, qname));
  }

  private resolve(at: XmlElement, qname: string): SchemaType {
    const local = localName(qname);
    if (qname.includes(':') && BUILTINS.has(local)) return simpleType({ builtin: local as Builtin });
    if (this.namedComplex.has(local)) return this.complex(local);
    if (this.namedSimple.has(local)) return this.simple(local);
    return this.fail(at, `unknown type '${qname}'`);
  }

  private complex(name: string): ComplexType {
    const done = this.complexTypes.get(name);
    if (done) return done;
    const el = this.namedComplex.get(name)!;
    const t = this.buildComplex(el, name);
    return t;
  }

  private simple(name: string): SimpleType {
    const done = this.simpleTypes.get(name);
    if (done) return done;
    const el = this.namedSimple.get(name)!;
    const t = this.buildSimple(el, name);
    this.simpleTypes.set(name, t);
    return t;
  }

  private buildComplex(el: XmlElement, name?: string): ComplexType {
    const t: ComplexType = {
      kind: 'complex',
      name,
      doc: docOf(el),
      model: 'empty',
      elements: new Map(),
      attributes: new Map(),
      base: undefined,
      required: [],
    };
    if (name) this.complexTypes.set(name, t);
    let body = el;
    const content = kids(el, 'complexContent')[0];
    if (content) {
      const ext = kids(content, 'extension')[0];
      if (!ext) this.fail(content, 'only complexContent/extension is supported');
      const baseName = attr(ext, 'base');
      if (!baseName) this.fail(ext, 'extension without a base');
      const base = this.resolve(ext, baseName);
      if (base.kind !== 'complex' || base.model !== 'empty') this.fail(ext, 'only extensions of an empty complex type are supported');
      t.base = base;
      for (const [k, v] of base.attributes) t.attributes.set(k, v);
      body = ext;
    }
    for (const c of kids(body)) {
      const kind = localName(c.name);
      if (kind === 'all' || kind === 'sequence' || kind === 'choice') {
        t.model = kind;
        for (const p of kids(c)) {
          if (localName(p.name) !== 'element') this.fail(p, `nested <${p.name}> in a model group is not supported`);
          const decl = this.element(p);
          decl.index = t.elements.size;
          t.elements.set(decl.name, decl);
        }
        if (kind === 'sequence' && t.elements.size > 1) this.fail(c, 'a sequence may hold one repeated element only');
        t.required = [...t.elements.values()].filter((e) => e.minOccurs > 0);
      } else if (kind === 'attribute') {
        const decl = this.attributeDecl(c);
        t.attributes.set(decl.name, decl);
      } else if (kind !== 'complexContent') {
        this.fail(c, `<${c.name}> in a complexType is not supported`);
      }
    }
    return t;
  }

  private attributeDecl(el: XmlElement): AttributeDecl {
    const name = attr(el, 'name');
    if (!name) this.fail(el, 'attribute without a name');
    const typeName = attr(el, 'type');
    let type = simpleType({ builtin: 'string' });
    if (typeName) {
      const t = this.resolve(el, typeName);
      if (t.kind !== 'simple') this.fail(el, 'attribute of a complex type');
      type = t;
    } else {
      const inline = kids(el, 'simpleType')[0];
      if (inline) type = this.buildSimple(inline);
    }
    return { name, type, required: attr(el, 'use') === 'required', doc: docOf(el) };
  }

  private buildSimple(el: XmlElement, name?: string): SimpleType {
    const doc = docOf(el);
    const union = kids(el, 'union')[0];
    if (union) {
      const members: SimpleType[] = [];
      for (const m of (attr(union, 'memberTypes') ?? '').split(/\s+/).filter(Boolean)) {
        const t = this.resolve(union, m);
        if (t.kind !== 'simple') this.fail(union, 'union of a complex type');
        members.push(t);
      }
      for (const inline of kids(union, 'simpleType')) members.push(this.buildSimple(inline));
      return simpleType({ name, doc, union: members });
    }
    const restriction = kids(el, 'restriction')[0];
    if (!restriction) this.fail(el, 'simpleType must hold a restriction or a union');
    const baseName = attr(restriction, 'base');
    let base: SimpleType;
    if (baseName) {
      const b = this.resolve(restriction, baseName);
      if (b.kind !== 'simple') this.fail(restriction, 'restriction of a complex type');
      base = b;
    } else {
      const inline = kids(restriction, 'simpleType')[0];
      if (!inline) this.fail(restriction, 'restriction without a base');
      base = this.buildSimple(inline);
    }
    const t = simpleType({ ...base, name, doc: doc ?? base.doc, plain: undefined, plainDecimal: undefined, memo: undefined });
    const enums: { value: string; doc?: string }[] = [];
    const patterns: RegExp[] = [];
    for (const f of kids(restriction)) {
      const facet = localName(f.name);
      const value = attr(f, 'value') ?? '';
      switch (facet) {
        case 'enumeration':
          enums.push({ value, doc: docOf(f) });
          break;
        case 'pattern':
          patterns.push(xsdPattern(value));
          break;
        case 'length':
          t.length = Number(value);
          break;
        case 'minLength':
          t.minLength = Number(value);
          break;
        case 'maxLength':
          t.maxLength = Number(value);
          break;
        case 'fractionDigits':
          t.fractionDigits = Number(value);
          break;
        case 'totalDigits':
          t.totalDigits = Number(value);
          break;
        case 'minInclusive':
          t.minInclusive = value;
          break;
        case 'maxInclusive':
          t.maxInclusive = value;
          break;
        case 'simpleType':
          break;
        default:
          this.fail(f, `facet <${f.name}> is not supported`);
      }
    }
    if (enums.length > 0) {
      // The same value may be listed twice in an XSD; keep the first (and its documentation).
      const seen = new Set<string>();
      t.enumeration = enums.filter((e) => (seen.has(e.value) ? false : (seen.add(e.value), true)));
      t.enumValues = seen;
    }
    if (patterns.length > 0) t.patterns = [...(base.patterns ?? []), patterns];
    return t;
  }
}
