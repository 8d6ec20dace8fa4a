import type { DiagnosticCode, Severity } from '../../../../shared/src/codes';

/** All offsets are UTF-16 code-unit offsets into the source string, which is what LSP positions count. */
export interface XmlAttribute {
  name: string;
  value: string;
  start: number;
  end: number;
  valueStart: number;
  valueEnd: number;
}

export interface XmlElement {
  name: string;
  /** Offset of `<` of the start tag. */
  start: number;
  /** Offset just after the element name in the start tag. */
  nameEnd: number;
  /** Offset just after the `>` of the start tag (the start of the content). */
  openEnd: number;
  /** Offset of `</` of the end tag; the end of the content. Equals openEnd for `<X/>`. */
  closeStart: number;
  /** Offset just after the end tag (or where the parser gave up on the element). */
  end: number;
  attributes: XmlAttribute[];
  children: XmlElement[];
  parent: XmlElement | null;
  selfClosing: boolean;
  /** True when the end tag was missing and the parser closed the element itself. */
  unclosed: boolean;
  /** Decoded character data directly inside the element (whitespace between child elements is dropped). */
  text: string;
  /** Offset of the first non-whitespace character data, or -1. */
  textStart: number;
}

export interface XmlProblem {
  code: DiagnosticCode;
  message: string;
  start: number;
  end: number;
  /** Only where it differs from the code's own (a summary of capped problems takes theirs). */
  severity?: Severity;
}

export interface XmlDocument {
  text: string;
  root: XmlElement | null;
  /** Every top-level element; more than one is itself a problem. */
  roots: XmlElement[];
  problems: XmlProblem[];
  declaredEncoding: string | null;
  hasDoctype: boolean;
  /**
   * Set when a part cut from a document (MoreOptions.enclosing) was read in a way that could differ where it
   * stands: a recovery that, in place, would reach an element around it or look at text after it.
   */
  readsOtherwiseInPlace?: true;
  /**
   * Where the parser looked ahead to decide a recovery (whether an element's end tag is missing): an edit in one of
   * these spans may change how the text before it reads.
   */
  lookaheads?: TextSpan[];
}

/** A span of text: offsets from start (inclusive) to end (exclusive). */
export interface TextSpan {
  start: number;
  end: number;
}

/** The children and attributes of an element that has none: shared, never written to (the parsers replace them). */
export const NO_CHILDREN: XmlElement[] = [];
export const NO_ATTRIBUTES: XmlAttribute[] = [];

export function attribute(el: XmlElement, name: string): XmlAttribute | undefined {
  for (const a of el.attributes) if (a.name === name) return a;
  return undefined;
}

export function child(el: XmlElement, name: string): XmlElement | undefined {
  for (const c of el.children) if (c.name === name) return c;
  return undefined;
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

/** The local part of a possibly prefixed name (`xs:element` → `element`). */
export function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/** The innermost element whose range contains the offset (start tag to end tag). */
export function elementAt(root: XmlElement | null, offset: number): XmlElement | null {
  let found: XmlElement | null = null;
  let current: XmlElement | null = root;
  while (current && offset >= current.start && offset <= current.end) {
    found = current;
    let next: XmlElement | null = null;
    const kids = current.children;
    let lo = 0;
    let hi = kids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const k = kids[mid];
      if (offset < k.start) hi = mid - 1;
      else if (offset > k.end) lo = mid + 1;
      else {
        next = k;
        break;
      }
    }
    current = next;
  }
  return found;
}
