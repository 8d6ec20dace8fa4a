import type { OpenDocument } from '../documents';
import {
  describeSimpleType,
  schemaFor,
  type SchemaType,
  type ComplexType,
  type ElementDecl,
  type SchemaModel,
  type SimpleType,
  type XmlElement,
} from '../engine';


/**
 * The schema model at a place in a document: which XSD declaration an element of the document has. Completion
 * and hover ask it; it adapts the engine's located elements (which may live in an invoice re-parsed on its own,
 * in its own coordinates) to the schema model's declarations.
 */

/** The schema model of the document's dialect, or null for documents of no known dialect. */
export function modelOf(doc: OpenDocument): SchemaModel | null {
  const dialect = doc.analysis.dialect;
  return dialect === 'unknown' ? null : schemaFor(dialect).model;
}

function xsiType(el: XmlElement): string | undefined {
  const a = el.attributes.find((x) => x.name === 'xsi:type');
  return a ? a.value.replace(/^.*:/, '') : undefined;
}

/** The type an element has: its declaration's, or the one its xsi:type names when that derives from it. */
export function effectiveType(model: SchemaModel, el: XmlElement, decl: ElementDecl): SchemaType {
  const declared = decl.type.get();
  const named = xsiType(el);
  if (!named || declared.kind !== 'complex') return declared;
  const t = model.complexTypes.get(named);
  return t && (t === declared || t.base === declared) ? t : declared;
}

/** The declaration of a child named `name` inside `parent` (declared by `decl`). */
export function childDecl(model: SchemaModel, parent: XmlElement, decl: ElementDecl, name: string): ElementDecl | undefined {
  const t = effectiveType(model, parent, decl);
  return t.kind === 'complex' ? t.elements.get(name) : undefined;
}

/** Walks declarations down a chain of elements (outermost first), starting from the first one's declaration. */
function walkDown(model: SchemaModel, chain: XmlElement[], first: ElementDecl | undefined): ElementDecl | undefined {
  let decl = first;
  for (let k = 1; k < chain.length && decl; k++) decl = childDecl(model, chain[k - 1], decl, chain[k].name);
  return decl;
}

/** From the root of a tree down to `el`, outermost first. */
function pathFromRoot(el: XmlElement): XmlElement[] {
  const chain: XmlElement[] = [];
  for (let e: XmlElement | null = el; e; e = e.parent) chain.push(e);
  return chain.reverse();
}

/**
 * The declaration of invoice `index`: found through its place in the wrapper (Invoices/Invoice,
 * Response/Invoices/Invoice, ApiException/Elements/DataContractBase with xsi:type, …) when the document was
 * parsed; an edit inside an invoice never changes the wrapper's structure.
 */
export function invoiceDecl(doc: OpenDocument, index: number): ElementDecl | undefined {
  const model = modelOf(doc);
  if (!model) return undefined;
  return doc.analysis.invoiceDecl(index) ?? model.roots.get(doc.analysis.invoiceShell(index).name);
}

/**
 * The declaration of an element located in the document (`origin` and `invoice` as `InvoiceDocument.locate`
 * returns them), or undefined when the schema does not declare it there.
 */
export function declarationOf(doc: OpenDocument, el: XmlElement, invoice: number): ElementDecl | undefined {
  const model = modelOf(doc);
  if (!model) return undefined;
  const chain = pathFromRoot(el);
  if (invoice >= 0) {
    const target = doc.analysis.invoiceShell(invoice);
    // An invoice's own tree hangs from the wrapper's element it stands in (none for a one-invoice document).
    if (!target.parent && chain[0].name === target.name) return walkDown(model, chain, invoiceDecl(doc, invoice));
  }
  return walkDown(model, chain, model.roots.get(chain[0].name));
}

/** The element declarations a complex type allows, in schema order. */
export function allowedChildren(model: SchemaModel, el: XmlElement, decl: ElementDecl): { type: ComplexType; children: ElementDecl[] } | null {
  const t = effectiveType(model, el, decl);
  if (t.kind !== 'complex') return null;
  return { type: t, children: [...t.elements.values()] };
}

/** Enumerated values of a simple type, through unions, without repeats (first documentation kept). */
export function enumValues(t: SimpleType): { value: string; doc?: string }[] {
  const out: { value: string; doc?: string }[] = [];
  const seen = new Set<string>();
  const visit = (s: SimpleType) => {
    for (const e of s.enumeration ?? []) {
      if (seen.has(e.value)) continue;
      seen.add(e.value);
      out.push(e);
    }
    for (const m of s.union ?? []) visit(m);
  };
  visit(t);
  return out;
}

/** Is a simple type, or a member of its union, a boolean? */
export function isBoolean(t: SimpleType): boolean {
  return t.builtin === 'boolean' || (t.union ?? []).some(isBoolean);
}

/** Documentation that says an element is only returned by Xero, never sent. */
export function readOnly(decl: ElementDecl): boolean {
  return !!decl.doc && /response-only|do not send it|read-only/i.test(decl.doc);
}

function patternText(t: SimpleType): string | undefined {
  const alternatives = t.patterns?.[t.patterns.length - 1];
  if (!alternatives || alternatives.length === 0) return undefined;
  return alternatives.map((r) => r.source.replace(/^\^\(\?:/, '').replace(/\)\$$/, '')).join(' | ');
}

/** A simple or complex type in words, short enough for a hover or a completion detail. */
export function typeInWords(t: SchemaType): string {
  if (t.kind === 'complex') {
    const names = [...t.elements.keys()];
    if (t.model === 'empty' || names.length === 0) return 'no content';
    if (t.model === 'sequence' && names.length === 1) return `a list of <${names[0]}> elements`;
    const shown = names.length > 12 ? `${names.slice(0, 12).join(', ')}, … (${names.length} in all)` : names.join(', ');
    return t.model === 'choice' ? `one of the elements ${shown}` : `elements (in any order): ${shown}`;
  }
  if (t.enumeration && t.enumeration.length > 8) return `one of ${t.enumeration.length} values`;
  if (t.union) return t.union.map((m) => typeInWords(m)).join(' or ');
  if (!t.enumeration && t.name !== 'uniqueIdentifier') {
    const p = patternText(t);
    if (p) return `text matching ${p}`;
  }
  return describeSimpleType(t);
}

/** How often an element may occur, in words. */
export function occursInWords(decl: ElementDecl): string {
  const { minOccurs: min, maxOccurs: max } = decl;
  const shown = `minOccurs ${min}, maxOccurs ${max === Infinity ? 'unbounded' : max}`;
  let words: string;
  if (max === Infinity) words = min === 0 ? 'optional, any number of times' : `at least ${min === 1 ? 'once' : `${min} times`}, any number`;
  else if (max === 1) words = min === 0 ? 'optional, at most once' : 'required, once';
  else words = min === 0 ? `optional, at most ${max} times` : `${min} to ${max} times`;
  return `${words} (${shown})`;
}
