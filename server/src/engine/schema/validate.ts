import { diagnostic, moved, type EngineDiagnostic } from '../diagnostics';
import { attribute, type XmlElement } from '../xml/tree';
import type { ComplexType, ElementDecl, SchemaModel, SchemaType } from './model';
import { checkValue, normalizeValue } from './values';

/** Elements whose subtree is validated separately (invoices, so each can be checked and cached on its own). */
export interface Deferred {
  element: XmlElement;
  decl: ElementDecl;
}

/**
 * What validating subtrees gave before, kept by a caller that knows which subtrees have not changed since (an open
 * document: an edit drops the entries of the elements it changed). Diagnostics in offsets from the element's start.
 */
export interface SubtreeMemo {
  get(el: XmlElement, decl: ElementDecl): readonly EngineDiagnostic[] | undefined;
  set(el: XmlElement, decl: ElementDecl, diagnostics: readonly EngineDiagnostic[]): void;
}

/** A list's elements are memoised when it holds more than this many (the line items of a big invoice). */
const MEMOISED_LIST = 16;

function isSchemaInstanceAttribute(name: string): boolean {
  return name === 'xmlns' || name.startsWith('xmlns:') || name.startsWith('xsi:');
}

function tagRange(el: XmlElement): [number, number] {
  return [el.start, el.nameEnd];
}

function contentRange(el: XmlElement): [number, number] {
  if (el.closeStart > el.openEnd) return [el.openEnd, el.closeStart];
  return tagRange(el);
}

function similar(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  for (const c of candidates) if (c.toLowerCase() === lower) return c;
  for (const c of candidates) if (c.toLowerCase().startsWith(lower) || lower.startsWith(c.toLowerCase())) return c;
  return undefined;
}

export class SchemaValidator {
  /** Occurrence counters by nesting depth, indexed by ElementDecl.index: no allocation per element. */
  private readonly counters: Int32Array[] = [];
  private depth = 0;

  /** The element names of each complex type, one array shared by every diagnostic that lists them. */
  private readonly elementNames = new Map<ComplexType, readonly string[]>();

  /** Per complex type, the name suggested for an unknown child name (a document can repeat one 200,000 times). */
  private readonly hints = new Map<ComplexType, Map<string, string | undefined>>();

  constructor(readonly model: SchemaModel) {}

  private hint(type: ComplexType, name: string): string | undefined {
    let byName = this.hints.get(type);
    if (!byName) {
      byName = new Map();
      this.hints.set(type, byName);
    }
    if (byName.has(name)) return byName.get(name);
    const hint = similar(name, this.names(type));
    if (byName.size < 1024) byName.set(name, hint);
    return hint;
  }

  private names(type: ComplexType): string[] {
    let names = this.elementNames.get(type);
    if (!names) {
      names = Object.freeze([...type.elements.keys()]);
      this.elementNames.set(type, names);
    }
    return names as string[];
  }

  /**
   * Validates the document from its root. Elements for which `defer` returns true are not descended into;
   * they are returned with their declaration for `validateElement`.
   */
  validateDocument(root: XmlElement, out: EngineDiagnostic[], defer?: (el: XmlElement) => boolean): Deferred[] {
    const deferred: Deferred[] = [];
    const decl = this.model.roots.get(root.name);
    if (!decl) {
      const expected = [...this.model.roots.keys()];
      out.push(diagnostic('schema-unknown-element', `<${root.name}> is not a root element of this API; expected ${expected.join(', ')}.`, ...tagRange(root), { expected }));
      return deferred;
    }
    if (defer?.(root)) deferred.push({ element: root, decl });
    else this.element(root, decl, out, defer, deferred);
    return deferred;
  }

  /** Validates one element's subtree; with a memo, the elements of long lists in it are taken from it or kept in it. */
  validateElement(el: XmlElement, decl: ElementDecl, out: EngineDiagnostic[], memo?: SubtreeMemo): void {
    this.memo = memo;
    try {
      this.element(el, decl, out, undefined, []);
    } finally {
      this.memo = undefined;
    }
  }

  private memo: SubtreeMemo | undefined;

  /** An element of a long list, from the memo when it holds it, else validated and kept there. */
  private memoised(el: XmlElement, decl: ElementDecl, out: EngineDiagnostic[], memo: SubtreeMemo): void {
    const known = memo.get(el, decl);
    if (known) {
      for (const d of known) out.push(moved(d, el.start));
      return;
    }
    const from = out.length;
    this.element(el, decl, out, undefined, []);
    const own: EngineDiagnostic[] = [];
    for (let i = from; i < out.length; i++) own.push(moved(out[i], -el.start));
    memo.set(el, decl, own);
  }

  /** The declaration of a child element inside an element of the given declaration (for completion/hover). */
  childDecl(parent: ElementDecl, name: string): ElementDecl | undefined {
    const t = parent.type.get();
    return t.kind === 'complex' ? t.elements.get(name) : undefined;
  }

  /** The declaration of an element `name` inside the elements named (outermost first), as the schema places it. */
  declAt(enclosing: readonly string[], name: string): ElementDecl | undefined {
    let decl = this.model.roots.get(enclosing.length > 0 ? enclosing[0] : name);
    for (let i = 1; i <= enclosing.length && decl; i++) decl = this.childDecl(decl, i < enclosing.length ? enclosing[i] : name);
    return decl;
  }

  private effectiveType(el: XmlElement, decl: ElementDecl, out: EngineDiagnostic[]): SchemaType {
    const declared = decl.type.get();
    const xsiType = attribute(el, 'xsi:type');
    if (!xsiType || declared.kind !== 'complex') return declared;
    const named = this.model.complexTypes.get(xsiType.value.replace(/^.*:/, ''));
    if (named && (named === declared || named.base === declared)) return named;
    out.push(diagnostic('schema-invalid-value', `xsi:type '${xsiType.value}' is not a type <${el.name}> can have.`, xsiType.start, xsiType.end, { kind: 'xsi-type' }));
    return declared;
  }

  private element(
    el: XmlElement,
    decl: ElementDecl,
    out: EngineDiagnostic[],
    defer: ((el: XmlElement) => boolean) | undefined,
    deferred: Deferred[],
  ): void {
    let type: SchemaType;
    if (el.attributes.length === 0) type = decl.type.get();
    else {
      type = this.effectiveType(el, decl, out);
      const nil = attribute(el, 'xsi:nil');
      if (nil && (nil.value === 'true' || nil.value === '1')) {
        if (!decl.nillable) {
          out.push(diagnostic('schema-invalid-value', `<${el.name}> cannot be nil.`, nil.start, nil.end, { kind: 'nil' }));
        }
        return;
      }
      this.attributes(el, type, out);
    }
    if (type.kind === 'simple') {
      if (el.children.length > 0) {
        const c = el.children[0];
        out.push(diagnostic('schema-unknown-element', `<${el.name}> holds a value, not elements: <${c.name}> is not allowed in it.`, ...tagRange(c)));
        return;
      }
      const problem = checkValue(type, el.text);
      if (problem) {
        const value = normalizeValue(type, el.text);
        const shown = value.length > 60 ? value.slice(0, 57) + '…' : value;
        const enumValues = type.enumeration?.map((e) => e.value);
        out.push(
          diagnostic(
            'schema-invalid-value',
            `'${shown}' is not a valid ${el.name}: expected ${problem.expected}.`,
            ...contentRange(el),
            { kind: problem.kind, element: el.name, value, ...(enumValues ? { expected: enumValues } : {}) },
          ),
        );
      }
      return;
    }
    this.children(el, type, out, defer, deferred);
  }

  private attributes(el: XmlElement, type: SchemaType, out: EngineDiagnostic[]): void {
    for (const a of el.attributes) {
      if (isSchemaInstanceAttribute(a.name)) continue;
      const decl = type.kind === 'complex' ? type.attributes.get(a.name) : undefined;
      if (!decl) {
        out.push(diagnostic('schema-unknown-attribute', `<${el.name}> does not take an attribute '${a.name}'.`, a.start, a.end));
        continue;
      }
      const problem = checkValue(decl.type, a.value);
      if (problem) {
        const enumValues = decl.type.enumeration?.map((e) => e.value);
        out.push(
          diagnostic('schema-invalid-value', `'${a.value}' is not a valid ${a.name}: expected ${problem.expected}.`, a.valueStart, a.valueEnd, {
            kind: problem.kind,
            attribute: a.name,
            value: a.value,
            ...(enumValues ? { expected: enumValues } : {}),
          }),
        );
      }
    }
  }

  private children(
    el: XmlElement,
    type: ComplexType,
    out: EngineDiagnostic[],
    defer: ((el: XmlElement) => boolean) | undefined,
    deferred: Deferred[],
  ): void {
    // Inside an element whose end tag was missing the structure is a guess: the parser already reported the
    // root cause, so only the descendants that do fit are checked.
    const trusted = !el.unclosed;
    if (trusted && el.textStart >= 0) {
      // The stray text up to the next tag: a tag boundary never splits a character.
      let end = el.closeStart > el.textStart ? el.closeStart : el.end;
      for (const c of el.children) {
        if (c.start > el.textStart) {
          end = c.start;
          break;
        }
      }
      out.push(diagnostic('schema-text-not-allowed', `<${el.name}> holds elements only, not text.`, el.textStart, end));
    }
    const counts = (this.counters[this.depth] ??= new Int32Array(Math.max(64, type.elements.size)));
    if (counts.length < type.elements.size) this.counters[this.depth] = new Int32Array(type.elements.size);
    this.depth++;
    try {
      this.childElements(el, type, this.counters[this.depth - 1], trusted, out, defer, deferred);
    } finally {
      this.depth--;
    }
  }

  private childElements(
    el: XmlElement,
    type: ComplexType,
    counts: Int32Array,
    trusted: boolean,
    out: EngineDiagnostic[],
    defer: ((el: XmlElement) => boolean) | undefined,
    deferred: Deferred[],
  ): void {
    counts.fill(0, 0, type.elements.size);
    let chosen: string | undefined;
    const memo = el.children.length > MEMOISED_LIST ? this.memo : undefined;
    const children = el.children;
    for (let i = 0; i < children.length; i++) {
      const c = children[i];
      const decl = type.elements.get(c.name);
      if (!decl) {
        // An element left open was already reported by the parser; its name is not the problem.
        if (trusted && !c.unclosed) {
          const expected = this.names(type);
          const hint = this.hint(type, c.name);
          out.push(
            diagnostic(
              'schema-unknown-element',
              expected.length === 0
                ? `<${el.name}> cannot hold elements: <${c.name}> is not allowed here.`
                : `<${c.name}> is not allowed in <${el.name}>${hint ? `; did you mean <${hint}>?` : '.'}`,
              ...tagRange(c),
              { expected, ...(hint ? { suggestion: hint } : {}) },
            ),
          );
        }
        continue;
      }
      const n = ++counts[decl.index];
      if (type.model === 'choice') {
        if (chosen !== undefined && chosen !== c.name && trusted) {
          out.push(diagnostic('schema-too-many', `<${el.name}> holds either <${chosen}> or <${c.name}>, not both.`, ...tagRange(c), { max: 1 }));
        }
        chosen ??= c.name;
      }
      if (n > decl.maxOccurs && trusted) {
        out.push(
          diagnostic(
            'schema-too-many',
            decl.maxOccurs === 1
              ? `<${c.name}> appears more than once in <${el.name}>.`
              : `<${el.name}> holds at most ${decl.maxOccurs} <${c.name}> elements.`,
            ...tagRange(c),
            { max: decl.maxOccurs, element: c.name },
          ),
        );
      }
      if (defer?.(c)) deferred.push({ element: c, decl });
      else if (memo && c.children.length > 0) this.memoised(c, decl, out, memo);
      else this.element(c, decl, out, defer, deferred);
    }
    if (!trusted || type.model === 'choice') return;
    const required = type.required;
    for (let i = 0; i < required.length; i++) {
      const decl = required[i];
      if (counts[decl.index] < decl.minOccurs) {
        out.push(diagnostic('schema-missing-element', `<${el.name}> needs a <${decl.name}> element.`, ...tagRange(el), { missing: decl.name }));
      }
    }
  }
}
