import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionParams,
  type Range,
} from 'vscode-languageserver';
import type { DocumentStore, OpenDocument } from '../documents';
import { type ElementDecl, type SchemaModel, type SimpleType, type XmlElement } from '../engine';
import type { TrackingCategorySetting } from '../../../shared/src/settings';
import { escapeXml } from '../../../shared/src/xml-text';
import { toRange } from './convert';
import { allowedChildren, declarationOf, effectiveType, enumValues, isBoolean, modelOf, occursInWords, readOnly, typeInWords } from './schema-at';

/**
 * Completion from the schema model at the cursor: element names after `<` (those the enclosing element allows
 * and does not hold yet), the end tag after `</`, and values inside an element (the XSD's enumerations, and the
 * organisation's own lists where they apply). Works on broken documents: it reads the tolerant parser's tree and
 * looks at the text just before the cursor.
 */
/**
 * The documentation of the items offered is kept by the document and handed out on completionItem/resolve: a
 * list of 130 tax types with their descriptions would otherwise cross the wire on every keystroke.
 */
export function complete(store: DocumentStore, params: CompletionParams): CompletionItem[] {
  const doc = store.get(params.textDocument.uri);
  if (!doc) return [];
  const items = offer(store, doc, params);
  doc.offerCompletionDocs(items.map((item) => item.documentation));
  items.forEach((item, i) => {
    if (item.documentation === undefined) return;
    delete item.documentation;
    item.data = { uri: doc.uri, completionDoc: i };
  });
  return items;
}

export function resolveCompletion(store: DocumentStore, item: CompletionItem): CompletionItem {
  const data = item.data as { uri?: unknown; completionDoc?: unknown } | undefined;
  const doc = typeof data?.uri === 'string' ? store.get(data.uri) : undefined;
  const documentation = doc && typeof data?.completionDoc === 'number' ? doc.completionDoc(data.completionDoc) : undefined;
  return documentation === undefined ? item : { ...item, documentation };
}

/** How far completion looks back and ahead of the cursor (an invoice is far smaller; a document may be 10 MB). */
const LOOK_BACK = 64 * 1024;
const LOOK_AHEAD = 4 * 1024;

/**
 * The text around the cursor, read with the document's own offsets: completion slices this window of the piece
 * table rather than joining the whole text.
 */
export class Around {
  private constructor(
    private readonly s: string,
    readonly start: number,
  ) {}

  static of(td: { slice(a: number, b: number): string; length: number }, from: number, to: number): Around {
    const a = Math.max(0, from);
    return new Around(td.slice(a, Math.min(td.length, to)), a);
  }

  /** The end of the window (scans stop there). */
  get length(): number {
    return this.start + this.s.length;
  }

  charAt(i: number): string {
    return i < this.start ? '' : this.s.charAt(i - this.start);
  }

  slice(a: number, b: number): string {
    return this.s.slice(Math.max(0, a - this.start), Math.max(0, b - this.start));
  }

  lastIndexOf(sub: string, from: number): number {
    if (from < this.start) return -1;
    const r = this.s.lastIndexOf(sub, from - this.start);
    return r < 0 ? -1 : r + this.start;
  }
}

function offer(store: DocumentStore, doc: OpenDocument, params: CompletionParams): CompletionItem[] {
  const model = modelOf(doc);
  if (!model) return [];
  const td = doc.textDocument;
  const offset = td.offsetAt(params.position);
  if (offset === 0) return [];
  const from = Math.max(searchFrom(doc, offset), offset - LOOK_BACK);
  const text = Around.of(td, from, offset + LOOK_AHEAD);
  if (insideCommentCdataOrPi(text.slice(from, offset))) return [];
  const lt = text.lastIndexOf('<', offset - 1);
  const gt = text.lastIndexOf('>', offset - 1);
  if (lt > gt) {
    const tag = text.slice(lt, offset);
    if (/^<[^\s<>/!?="']*$/.test(tag)) return elementNameItems(doc, model, text, offset, lt);
    if (/^<\/[^\s<>/!?="']*$/.test(tag)) return endTagItems(doc, text, offset, lt);
    return [];
  }
  return contentItems(store, doc, model, text, offset, gt);
}

/**
 * Where to look back from for an open comment: the start of the invoice holding the offset, or the end of the
 * invoice before it (a comment never straddles an invoice's tags), so a 10 MB document is not scanned whole.
 */
function searchFrom(doc: OpenDocument, offset: number): number {
  const i = doc.analysis.invoiceStartingAtOrBefore(offset);
  if (i < 0) return 0;
  const { start, end } = doc.analysis.invoiceShell(i);
  return end <= offset ? end : start;
}

/** Is the end of the region inside a comment, a CDATA section or a processing instruction (nothing offered)? */
function insideCommentCdataOrPi(region: string): boolean {
  const inside = (open: string, close: string) => {
    const s = region.lastIndexOf(open);
    if (s < 0) return false;
    const c = region.indexOf(close, s + open.length);
    return c < 0;
  };
  return inside('<!--', '-->') || inside('<![CDATA[', ']]>') || inside('<?', '?>');
}

const NAME_CHAR = /[^\s<>/="'!?]/;

function markdown(...parts: (string | undefined)[]): { kind: 'markdown'; value: string } {
  return { kind: MarkupKind.Markdown, value: parts.filter((p): p is string => !!p).join('\n\n') };
}

const pad = (n: number) => String(n).padStart(4, '0');

/** Elements only the API's answers hold (a request carrying them is refused or ignored). */
const RESPONSE_ONLY = new Set(['ValidationErrors', 'Warnings', 'StatusAttributeString', 'HasErrors']);

/** Element items for the children `parent` may still take. `insert` makes the text inserted for a name. */
function childItems(
  doc: OpenDocument,
  model: SchemaModel,
  parent: XmlElement,
  invoice: number,
  present: XmlElement[],
  range: Range,
  insert: (decl: ElementDecl, simple: boolean) => { text: string; snippet: boolean },
): CompletionItem[] {
  const decl = declarationOf(doc, parent, invoice);
  if (!decl) return [];
  const allowed = allowedChildren(model, parent, decl);
  if (!allowed) return [];
  const counts = new Map<string, number>();
  for (const c of present) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
  let candidates = allowed.children;
  if (allowed.type.model === 'choice') {
    const chosen = candidates.find((d) => counts.has(d.name));
    if (chosen) candidates = [chosen];
  }
  const inResponse = doc.analysis.inResponseDocument;
  const items: CompletionItem[] = [];
  candidates.forEach((d, k) => {
    const n = counts.get(d.name) ?? 0;
    if (n >= d.maxOccurs) return;
    // What only the API writes into its answers is no help in a request.
    if (!inResponse && RESPONSE_ONLY.has(d.name)) return;
    const type = d.type.get();
    const simple = type.kind === 'simple';
    const group = d.minOccurs > n ? 0 : readOnly(d) && !inResponse ? 2 : 1;
    const { text, snippet } = insert(d, simple);
    items.push({
      label: d.name,
      kind: simple ? CompletionItemKind.Field : CompletionItemKind.Struct,
      detail: simple || type.model === 'sequence' ? typeInWords(type) : `element with ${type.elements.size} possible children`,
      documentation: markdown(d.doc, `Type: ${typeInWords(type)}  \nOccurs: ${occursInWords(d)}`),
      filterText: d.name,
      sortText: `${group}${pad(k)}`,
      textEdit: { range, newText: text },
      insertTextFormat: snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    });
  });
  return items;
}

/** After `<` or within a partial start-tag name (`<Qu|`). */
function elementNameItems(doc: OpenDocument, model: SchemaModel, text: Around, offset: number, lt: number): CompletionItem[] {
  const located = doc.analysis.locate(offset);
  if (!located) return [];
  const { element, origin, invoice } = located;
  // The tolerant parser reads a half-typed `<Qu` as an element left open; its parent is where the name goes.
  const partial = origin + element.start === lt ? element : null;
  const parent = partial ? partial.parent : element;
  if (!parent) return [];
  let nameEnd = offset;
  while (nameEnd < text.length && NAME_CHAR.test(text.charAt(nameEnd))) nameEnd++;
  const present = parent.children.filter((c) => c !== partial);
  // An unclosed partial tag may have taken the siblings after it as its children.
  if (partial?.unclosed) present.push(...partial.children);
  // Inside an existing tag (`<Qu|antity>`, `<Qu| attr="…">`) only the name changes.
  const rest = text.slice(nameEnd, nameEnd + 200);
  const plain = rest.startsWith('>') || rest.startsWith('/') || /^\s+[^\s<>/="']+\s*=/.test(rest);
  const range = toRange(doc.textDocument, lt + 1, nameEnd);
  return childItems(doc, model, parent, invoice, present, range, (d, simple) => ({
    text: plain ? d.name : simple ? `${d.name}>$1</${d.name}>` : `${d.name}>\n\t$0\n</${d.name}>`,
    snippet: !plain,
  }));
}

/** After `</`: the name of the element open at the cursor. */
function endTagItems(doc: OpenDocument, text: Around, offset: number, lt: number): CompletionItem[] {
  const located = doc.analysis.locate(offset);
  if (!located) return [];
  const { element, origin } = located;
  if (origin + element.start >= lt) return [];
  let nameEnd = offset;
  while (nameEnd < text.length && NAME_CHAR.test(text.charAt(nameEnd))) nameEnd++;
  const closed = text.charAt(nameEnd) === '>';
  return [
    {
      label: element.name,
      kind: CompletionItemKind.Struct,
      detail: `closes <${element.name}>`,
      filterText: element.name,
      sortText: '0',
      textEdit: { range: toRange(doc.textDocument, lt + 2, nameEnd), newText: closed ? element.name : `${element.name}>` },
    },
  ];
}

/** In the content of an element: values for a simple type, child elements (with their `<`) for a complex one. */
function contentItems(store: DocumentStore, doc: OpenDocument, model: SchemaModel, text: Around, offset: number, gt: number): CompletionItem[] {
  const located = doc.analysis.locate(offset);
  if (!located) return [];
  const { origin, invoice } = located;
  let el: XmlElement | null = located.element;
  // Just after an end tag the cursor is in the parent's content.
  if (!el.unclosed && offset > origin + el.closeStart) el = el.parent;
  if (!el || el.selfClosing || offset < origin + el.openEnd) return [];
  const decl = declarationOf(doc, el, invoice);
  if (!decl) return [];
  const type = effectiveType(model, el, decl);
  if (type.kind === 'simple') return valueItems(store, doc, el, type, text, offset);
  // Element-only content: a word typed without `<` becomes a whole element.
  let s = offset;
  while (s > gt + 1 && NAME_CHAR.test(text.charAt(s - 1))) s--;
  if (!/^\s*$/.test(text.slice(gt + 1, s))) return [];
  const range = toRange(doc.textDocument, s, offset);
  return childItems(doc, model, el, invoice, el.children, range, (d, simple) => ({
    text: simple ? `<${d.name}>$1</${d.name}>` : `<${d.name}>\n\t$0\n</${d.name}>`,
    snippet: true,
  }));
}

interface ValueEntry {
  value: string;
  doc?: string;
  detail: string;
  kind: CompletionItemKind;
  group: number;
}

function merged(a: string[] | undefined, b: string[] | undefined): string[] {
  return [...new Set([...(a ?? []), ...(b ?? [])])];
}

/** The organisation's values for an element (settings first, then the lists the client fetched), with a label. */
function organisationValues(store: DocumentStore, doc: OpenDocument, el: XmlElement): { values: string[]; detail: string | ((v: string) => string) } | null {
  const org = doc.settings.organisation;
  const ep = store.endpointLists;
  const parentName = el.parent?.name;
  const categories = (): TrackingCategorySetting[] => [...org.trackingCategories, ...(ep.trackingCategories ?? [])];
  if (el.name === 'AccountCode') return { values: merged(org.accounts, ep.accounts), detail: 'an account of the organisation' };
  if (/TaxType$/.test(el.name)) return { values: merged(org.taxTypes, ep.taxTypes), detail: 'a tax rate of the organisation' };
  if (el.name === 'CurrencyCode' || el.name === 'DefaultCurrency') return { values: merged(org.currencies, ep.currencies), detail: 'a currency of the organisation' };
  if (el.name === 'Name' && parentName === 'Contact') return { values: merged(org.contacts, ep.contacts), detail: 'a contact of the organisation' };
  if (el.name === 'Name' && parentName === 'TrackingCategory') return { values: merged(categories().map((c) => c.name), []), detail: 'a tracking category of the organisation' };
  if (el.name === 'Option' && parentName === 'TrackingCategory') {
    const name = el.parent!.children.find((c) => c.name === 'Name')?.text.trim().toLowerCase();
    const all = categories();
    const chosen = name ? all.filter((c) => c.name.toLowerCase() === name) : [];
    const from = chosen.length > 0 ? chosen : all;
    const owner = new Map<string, string>();
    for (const c of from) for (const o of c.options) if (!owner.has(o)) owner.set(o, c.name);
    return { values: [...owner.keys()], detail: (v) => `an option of tracking category ${owner.get(v)}` };
  }
  return null;
}

/** Values inside an element of a simple type: the organisation's list first, then the XSD's enumeration. */
function valueItems(store: DocumentStore, doc: OpenDocument, el: XmlElement, type: SimpleType, text: Around, offset: number): CompletionItem[] {
  const entries = new Map<string, ValueEntry>();
  const org = organisationValues(store, doc, el);
  org?.values.forEach((v, k) => {
    const detail = typeof org.detail === 'string' ? org.detail : org.detail(v);
    entries.set(v, { value: v, detail, kind: CompletionItemKind.Value, group: k });
  });
  const orgCount = entries.size;
  enumValues(type).forEach((e, k) => {
    const known = entries.get(e.value);
    if (known) known.doc = e.doc;
    else entries.set(e.value, { value: e.value, doc: e.doc, detail: `${el.name} value`, kind: CompletionItemKind.EnumMember, group: orgCount + k });
  });
  if (entries.size === 0 && isBoolean(type)) {
    for (const v of ['true', 'false']) entries.set(v, { value: v, detail: `${el.name} value`, kind: CompletionItemKind.Value, group: entries.size });
  }
  if (entries.size === 0) return [];
  // The value being typed: from the first non-blank after the start tag (or line start) to the end of the value.
  let s = offset;
  while (s > text.start && !'>\n\r<'.includes(text.charAt(s - 1))) s--;
  while (s < offset && /\s/.test(text.charAt(s))) s++;
  let e = offset;
  while (e < text.length && !'<\n\r'.includes(text.charAt(e))) e++;
  while (e > offset && /\s/.test(text.charAt(e - 1))) e--;
  const range = toRange(doc.textDocument, s, e);
  return [...entries.values()].map((v) => ({
    label: v.value,
    kind: v.kind,
    detail: v.detail,
    ...(v.doc ? { documentation: markdown(v.doc) } : {}),
    filterText: escapeXml(v.value),
    sortText: pad(v.group),
    textEdit: { range, newText: escapeXml(v.value) },
  }));
}
