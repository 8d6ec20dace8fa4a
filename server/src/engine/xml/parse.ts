import type { DiagnosticCode } from '../../../../shared/src/codes';
import { cappedSummary } from '../diagnostics';
import { decodeEntities, type EntityReporter } from './entities';
import { OFF_TRIE, trieAdd, trieName, trieStep } from './name-trie';
import { MAX_PLAIN_DEPTH, readPlainContent } from './plain-content';
import { NO_ATTRIBUTES, NO_CHILDREN, type TextSpan, type XmlAttribute, type XmlDocument, type XmlElement, type XmlProblem } from './tree';

/** No invoice document nests anywhere near this deep; beyond it elements are matched but not kept. */
export const MAX_DEPTH = 128;
/** Repeated problems of one kind (an entity bomb has millions of references) are reported this often at most. */
const MAX_PROBLEMS_PER_CODE = 50;

/**
 * The problems of the only malformed markup the parser passes over making nothing of it, neither an element nor
 * text: a '<' that starts no tag, and a '<!' (or '<!-') that starts no comment, CDATA section or DOCTYPE.
 */
export const LONE_LESS_THAN = "'<' does not start a tag here; write it as '&lt;' in text.";
export const STRAY_DECLARATION = "'<!' starts neither a comment, a CDATA section nor a DOCTYPE.";

/** Whether a problem is one of stray markup the parser passed over (LONE_LESS_THAN, STRAY_DECLARATION). */
export function isStrayMarkup(p: { code: string; message: string }): boolean {
  return p.code === 'xml-malformed-tag' && (p.message === LONE_LESS_THAN || p.message === STRAY_DECLARATION);
}

/** Characters XML never allows: C0 controls but tab, LF and CR; U+FFFE and U+FFFF (a character class's content). */
const FORBIDDEN = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF';
const FORBIDDEN_CHAR = new RegExp(`[${FORBIDDEN}]`);

/** Whether the text holds a character XML never allows. */
export function holdsForbiddenCharacter(text: string): boolean {
  return FORBIDDEN_CHAR.test(text);
}
/** Character data that reads as itself: no markup, no reference, no character XML does not allow. */
export const PLAIN_CHARACTER_DATA = new RegExp(`^[^<&${FORBIDDEN}]*$`);

/** Name characters below 128 (XML 1.0 NameChar); everything above counts as a name character. */
const NAME_CHAR = new Uint8Array(128);
const NAME_START = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const start = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58;
  NAME_START[c] = start ? 1 : 0;
  NAME_CHAR[c] = start || (c >= 48 && c <= 57) || c === 45 || c === 46 ? 1 : 0;
}

/**
 * Element names seen so far are shared by every parse (name-trie.ts): the same few names repeat thousands of times
 * in a document and across documents. Each is internalized (see internalized()), and none is a slice of a document,
 * so none keeps a document's text alive. Names the trie does not keep are looked up here by their text.
 */
const OTHER_NAMES = new Map<string, string>();
const MAX_OTHER_NAMES = 4096;

/**
 * The engine's one copy of a string: the same object as a literal of it in the code and as every other string
 * passed through here, so comparing names or looking them up in maps compares pointers. (A property key is.)
 */
export function internalized(s: string): string {
  return Object.keys({ [s]: 0 })[0];
}

/** A name read for the first time, or one the trie does not keep: the one shared string of it, and its trie node. */
function newName(written: string): [string, number] {
  const known = OTHER_NAMES.get(written);
  if (known !== undefined) return [known, OFF_TRIE];
  const name = internalized(written);
  const node = trieAdd(name);
  if (node === OFF_TRIE && OTHER_NAMES.size < MAX_OTHER_NAMES) OTHER_NAMES.set(name, name);
  return [name, node];
}

/**
 * A tolerant, position-aware XML parser. It never throws: malformed markup yields one problem at its root cause
 * and a tree that keeps everything before and after it. DOCTYPE declarations are skipped and reported, never
 * processed; only the predefined entities and character references are decoded.
 */
export function parseXml(text: string, onClose?: CloseListener, contentModel?: ContentModelView, more: MoreOptions = {}): XmlDocument {
  return new Parser(text, onClose, contentModel, more).run();
}

/**
 * parseXml a slice at a time, for a host that answers other requests meanwhile: each step reads on until `pause`
 * (asked every few tags) says so, and the last one returns what parseXml returns for the same text. Without a
 * pause it reads all in one step.
 */
export function* parseXmlInSlices(
  text: string,
  onClose: CloseListener | undefined,
  contentModel: ContentModelView | undefined,
  more: MoreOptions,
  pause?: () => boolean,
): Generator<void, XmlDocument, void> {
  const parser = new Parser(text, onClose, contentModel, more);
  parser.begin();
  while (!parser.advance(pause)) yield;
  return parser.finish();
}

/** How many tags the parser reads between two questions to `pause` (a plain invoice is read in one). */
const TAGS_BETWEEN_PAUSES = 16;

export interface MoreOptions {
  /**
   * The text is a part cut from a document, standing inside these elements (outermost first). The reader of the
   * whole document has reported any character XML does not allow; a part is not scanned for them again.
   */
  enclosing?: readonly string[];
  skim?: SkimRequest;
  /**
   * Asked as an element starts (one whose content cannot reach MAX_DEPTH) whether its content may be read as plain
   * markup (see readPlainContent): when it is, its subtree is built in one tight loop and the close listener hears
   * only of the element itself, not of the elements inside it. Content that is not plain is read as always.
   */
  plain?: SkimRequest;
  /**
   * Asked as an element starts (one of the outer three levels) where the `</` of its end tag stands when its content
   * is known from an earlier reading: the same text, read then without a problem (such content reads the same
   * wherever it stands: no recovery applied in it). The parser then builds nothing
   * inside it and goes on after that end tag; the close listener hears of it as skimmed. -1: read it.
   */
  known?: (element: XmlElement, ancestors: readonly XmlElement[]) => number;
  /**
   * Where the first character XML does not allow stands in the text (-1: nowhere), when whoever read the text has
   * found it already (from its bytes); otherwise the parser scans the text for it.
   */
  firstForbidden?: number;
  /**
   * For a part (`enclosing`): the document's text after it, where a recovery's look-ahead goes on when the part
   * does not hold what it looks for, so that the part reads as it does in place.
   */
  after?: TextAfter;
  /**
   * For a part (`enclosing`) that runs to the end tag of the innermost element around it: what it leaves open is
   * closed there, as that end tag closes it in place.
   */
  closedBy?: string;
}

/** The text that follows a part in its document, in the part's offsets (it starts at the part's length). */
export interface TextAfter {
  /** Where the document ends. */
  readonly end: number;
  /** Where `prefix` next stands in it followed by a character that ends a name, or -1. */
  find(prefix: string): number;
}

/**
 * Asked as an element starts (one of the outer three levels: where invoices stand) whether its content may be
 * skimmed: if the content is plain markup (see plainContentEnd), the parser then only finds its end tag and
 * builds nothing inside it, and the close listener hears of it with `skimmed` true; otherwise it is read as
 * always. What is skimmed reads, alone, without a problem and to the same tree: it can be read elsewhere.
 */
export type SkimRequest = (element: XmlElement, ancestors: readonly XmlElement[]) => boolean;

/** MoreOptions.plain for one invoice's own text, read alone: the root's content. */
export const ROOT_CONTENT: SkimRequest = (_element, ancestors) => ancestors.length === 0;

const PREDEFINED_ENTITIES = ['&amp;', '&lt;', '&gt;', '&quot;', '&apos;'];

/**
 * Which element may stand in which (schema/content-model.ts implements it from the XSDs; the parser only reads
 * it). With it, a start tag that cannot be a child of the open element but can follow it closes that element:
 * its end tag is missing there.
 */
export interface ContentModelView {
  /** The state of a root element, or -1 when none is declared. */
  root(name: string): number;
  /** The state of `name` inside an element in `state`, or -1 when it cannot stand there. */
  child(state: number, name: string): number;
}

/**
 * Called as each element is complete, with the elements still open around it (outermost first) and how many
 * problems have been reported so far: lets a caller act on an invoice as soon as it is parsed, while the rest of
 * the document is still being read, and know whether the invoice was read without a problem.
 */
export type CloseListener = (element: XmlElement, ancestors: readonly XmlElement[], problemsSoFar: number, skimmed?: boolean) => void;

function isNameStart(c: number): boolean {
  return c < 128 ? NAME_START[c] === 1 : !Number.isNaN(c);
}

export function isNameChar(c: number): boolean {
  return c < 128 ? NAME_CHAR[c] === 1 : !Number.isNaN(c);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** The offset moved past the low half of a surrogate pair it would split, so a range never cuts a character in two. */
export function characterBoundary(text: string, offset: number): number {
  if (offset <= 0 || offset >= text.length) return offset;
  const c = text.charCodeAt(offset);
  const before = text.charCodeAt(offset - 1);
  return c >= 0xdc00 && c <= 0xdfff && before >= 0xd800 && before <= 0xdbff ? offset + 1 : offset;
}

/** `text` holds `s` at `at` (a loop: startsWith with a position is slow on long two-byte texts). */
function holdsAt(text: string, s: string, at: number): boolean {
  if (at + s.length > text.length) return false;
  for (let k = 0; k < s.length; k++) if (text.charCodeAt(at + k) !== s.charCodeAt(k)) return false;
  return true;
}

/** The offset of the first character in text[from, to) that is not XML white space, or -1. */
export function firstNonSpace(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) if (!isSpace(text.charCodeAt(i))) return i;
  return -1;
}

/** Two names that differ by case or one or two edits: an end tag with a typo rather than a stray one. */
function similarNames(a: string, b: string): boolean {
  if (a.toLowerCase() === b.toLowerCase()) return true;
  const allowed = Math.min(2, Math.floor(Math.min(a.length, b.length) / 4));
  if (allowed === 0 || Math.abs(a.length - b.length) > allowed) return false;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length] <= allowed;
}

/** The problem of the elements `open` (start tags, outermost first) left open where the end tag `</name>` closes them. */
function notClosedBefore(name: string, open: readonly string[]): string {
  const innermost = open[open.length - 1];
  return open.length === 1
    ? `${innermost} is not closed before </${name}>.`
    : `${innermost} is not closed before </${name}> (nor are ${open.slice(0, -1).join(', ')}).`;
}

class Parser implements EntityReporter {
  private readonly problems: XmlProblem[] = [];
  private readonly counts = new Map<DiagnosticCode, number>();
  private readonly stack: XmlElement[] = [];
  /** Names of elements nested beyond MAX_DEPTH: matched, not kept. */
  private readonly deep: string[] = [];
  private readonly roots: XmlElement[] = [];
  private declaredEncoding: string | null = null;
  private hasDoctype = false;
  private reportedOutsideText = false;
  private reportedDepth = false;
  /** A part (see MoreOptions.enclosing) whose reading depended on what lies outside it (see XmlDocument). */
  private readsOtherwiseInPlace = false;
  private readonly lookaheads: TextSpan[] = [];

  /** Elements opened by a start tag that closed a same-named element (maybe a mistyped end tag). */
  private readonly afterRecovery = new WeakSet<XmlElement>();
  private sameNameRecovery = false;
  /** Per open element (parallel to `stack`): its content-model state, -1 when unknown. */
  private readonly states: number[] = [];
  /** Per open element (parallel to `stack`): the trie node of its name. */
  private readonly nameNodes: number[] = [];
  /** Where `</Name` and `<Name` next occur, by name (only ever searched forward: linear overall). */
  private readonly nextEndTag = new Map<string, number>();
  private readonly nextStartTag = new Map<string, number>();

  /** Problems reported so far, capped ones included. */
  private reported = 0;

  constructor(
    private readonly text: string,
    private readonly onClose: CloseListener | undefined,
    private readonly model: ContentModelView | undefined,
    more: MoreOptions,
  ) {
    this.enclosing = more.enclosing;
    this.skim = more.skim;
    this.plain = more.plain;
    this.known = more.known;
    this.firstForbidden = more.firstForbidden;
    this.after = more.after;
    this.closedBy = more.closedBy;
  }

  private readonly firstForbidden?: number;

  /** The names of the elements the text stands in (outermost first), when it is a part cut from a document. */
  private readonly enclosing?: readonly string[];
  private readonly skim?: SkimRequest;
  private readonly plain?: SkimRequest;
  private readonly known?: MoreOptions['known'];
  private readonly after?: TextAfter;
  private readonly closedBy?: string;

  /** Where reading goes on after a start tag whose element was skimmed (0: right after the tag). */
  private resumeAt = 0;

  report(problem: XmlProblem): void {
    this.reported++;
    const n = (this.counts.get(problem.code) ?? 0) + 1;
    this.counts.set(problem.code, n);
    if (n <= MAX_PROBLEMS_PER_CODE) this.problems.push(problem);
    else if (n === MAX_PROBLEMS_PER_CODE + 1) this.firstOmitted.set(problem.code, problem);
  }

  /** Where the first problem of each capped code was left out: one summary stands for the rest there. */
  private readonly firstOmitted = new Map<DiagnosticCode, XmlProblem>();

  private summarizeCapped(): void {
    for (const [code, p] of this.firstOmitted) {
      const d = cappedSummary(code, this.counts.get(code)! - MAX_PROBLEMS_PER_CODE, MAX_PROBLEMS_PER_CODE, p.start, p.end);
      this.problems.push({ code: d.code, message: d.message, start: d.start, end: d.end, severity: d.severity });
    }
  }

  run(): XmlDocument {
    this.begin();
    this.advance(undefined);
    return this.finish();
  }

  /** Where reading goes on (see advance). */
  private at = 0;

  begin(): void {
    const text = this.text;
    const control = this.enclosing ? -1 : (this.firstForbidden ?? FORBIDDEN_CHAR.exec(text)?.index ?? -1);
    if (control >= 0) {
      const cp = text.charCodeAt(control);
      this.report({
        code: 'xml-binary-content',
        message: `Character U+${cp.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML: is this a binary file?`,
        start: control,
        end: control + 1,
      });
    }
    this.at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  /** Reads on; with `pause`, stops between two tags when it says so and returns false. True once all is read. */
  advance(pause: (() => boolean) | undefined): boolean {
    const text = this.text;
    const n = text.length;
    let i = this.at;
    let tags = 0;
    while (i < n) {
      if (pause !== undefined && ++tags === TAGS_BETWEEN_PAUSES) {
        tags = 0;
        if (pause()) {
          this.at = i;
          return false;
        }
      }
      // Leading white space is read here, once: most character data is the indentation between tags.
      let nonSpace = i;
      while (nonSpace < n && isSpace(text.charCodeAt(nonSpace))) nonSpace++;
      const lt = text.charCodeAt(nonSpace) === 60 ? nonSpace : text.indexOf('<', nonSpace);
      const textEnd = lt < 0 ? n : lt;
      if (textEnd > i) this.characterData(i, textEnd, nonSpace < textEnd ? nonSpace : -1);
      if (lt < 0) break;
      const c = text.charCodeAt(lt + 1);
      if (c === 47) i = this.endTag(lt);
      else if (c === 33) i = this.markupDeclaration(lt);
      else if (c === 63) i = this.processingInstruction(lt);
      else if (isNameStart(c)) i = this.startTag(lt);
      else {
        this.report({ code: 'xml-malformed-tag', message: LONE_LESS_THAN, start: lt, end: lt + 1 });
        i = lt + 1;
      }
    }
    this.at = n;
    return true;
  }

  finish(): XmlDocument {
    const text = this.text;
    const n = text.length;
    this.closeAtEnd();
    if (this.roots.length === 0) {
      const empty = firstNonSpace(text, 0, n) < 0;
      this.report({
        code: 'xml-empty-document',
        message: empty ? 'The document is empty.' : 'The document has no root element.',
        start: 0,
        end: 0,
      });
    }
    this.summarizeCapped();
    this.problems.sort((a, b) => a.start - b.start);
    return {
      text,
      root: this.roots[0] ?? null,
      roots: this.roots,
      problems: this.problems,
      declaredEncoding: this.declaredEncoding,
      hasDoctype: this.hasDoctype,
      ...(this.readsOtherwiseInPlace ? { readsOtherwiseInPlace: true } : {}),
      ...(this.lookaheads.length > 0 ? { lookaheads: this.lookaheads } : {}),
    };
  }

  /** Character data text[from, to); `nonSpace` is its first character that is not white space, or -1. */
  private characterData(from: number, to: number, nonSpace: number): void {
    const text = this.text;
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      if (nonSpace >= 0 && !this.reportedOutsideText) {
        this.reportedOutsideText = true;
        this.report({
          code: 'xml-text-outside-root',
          message: 'Text outside the root element is not allowed.',
          start: nonSpace,
          end: characterBoundary(text, Math.min(to, nonSpace + 40)),
        });
      }
      return;
    }
    if (this.deep.length > 0) return;
    if (nonSpace < 0) {
      if (top.children.length === 0) top.text += text.slice(from, to);
      return;
    }
    if (top.textStart < 0) top.textStart = nonSpace;
    if (this.nextAmpersand < from) {
      const amp = text.indexOf('&', from);
      this.nextAmpersand = amp < 0 ? text.length : amp;
    }
    const raw = text.slice(from, to);
    top.text += this.nextAmpersand < to ? decodeEntities(raw, from, this) : raw;
  }

  /** Where the next '&' is, at or after the character data last read (the text's length when there is none). */
  private nextAmpersand = -1;

  private appendCdata(from: number, to: number): void {
    const top = this.stack[this.stack.length - 1];
    if (!top || this.deep.length > 0) return;
    const nonSpace = firstNonSpace(this.text, from, to);
    if (nonSpace >= 0 && top.textStart < 0) top.textStart = nonSpace;
    top.text += this.text.slice(from, to);
  }

  private startTag(lt: number): number {
    const text = this.text;
    const n = text.length;
    let i = lt + 1;
    let node = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (!isNameChar(c)) break;
      node = trieStep(node, c);
    }
    let name = trieName(node);
    if (name === undefined) [name, node] = newName(text.slice(lt + 1, i));
    this.nameNode = node;
    const nameEnd = i;
    let attributes = NO_ATTRIBUTES;
    let attributeNames: Set<string> | undefined;
    let selfClosing = false;
    let closed = false;
    this.tagReported = false;
    const reportedBefore = this.reported;
    if (text.charCodeAt(i) === 62) {
      i++;
      closed = true;
    }
    while (!closed && i < n) {
      const c = text.charCodeAt(i);
      if (isSpace(c)) {
        i++;
        continue;
      }
      if (c === 62 /* > */) {
        i++;
        closed = true;
        break;
      }
      if (c === 47 /* / */ && text.charCodeAt(i + 1) === 62) {
        i += 2;
        selfClosing = true;
        closed = true;
        break;
      }
      if (c === 60 /* < */) break;
      if (!isNameStart(c)) {
        this.badTag(`Unexpected '${text[i]}' in the start tag of <${name}>.`, lt, Math.max(i + 1, nameEnd));
        i++;
        continue;
      }
      const attrStart = i;
      while (i < n && isNameChar(text.charCodeAt(i))) i++;
      const attrName = text.slice(attrStart, i);
      let j = i;
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) !== 61 /* = */) {
        this.badTag(`Attribute '${attrName}' of <${name}> has no value; write ${attrName}="…".`, lt, Math.max(i, nameEnd));
        continue;
      }
      j++;
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      const q = text.charCodeAt(j);
      if (q !== 34 && q !== 39) {
        this.badTag(`The value of attribute '${attrName}' of <${name}> must be in quotes.`, lt, Math.max(j, nameEnd));
        while (j < n && !isSpace(text.charCodeAt(j)) && text.charCodeAt(j) !== 62 && text.charCodeAt(j) !== 60) j++;
        i = j;
        continue;
      }
      const close = text.indexOf(q === 34 ? '"' : "'", j + 1);
      const lt2 = text.indexOf('<', j + 1);
      if (close < 0 || (lt2 >= 0 && lt2 < close)) {
        this.badTag(`The value of attribute '${attrName}' of <${name}> is not closed.`, lt, Math.max(j + 1, nameEnd));
        i = lt2 >= 0 ? lt2 : n;
        break;
      }
      const raw = text.slice(j + 1, close);
      const attr: XmlAttribute = {
        name: attrName,
        value: decodeEntities(raw, j + 1, this),
        start: attrStart,
        end: close + 1,
        valueStart: j + 1,
        valueEnd: close,
      };
      if (attributes === NO_ATTRIBUTES) attributes = [];
      // A set once there are many: an element with 40,000 attributes is checked in linear time.
      if (attributes.length === 8) attributeNames = new Set(attributes.map((a) => a.name));
      if (attributeNames ? attributeNames.has(attrName) : attributes.some((a) => a.name === attrName)) {
        this.report({
          code: 'xml-duplicate-attribute',
          message: `Attribute '${attrName}' appears twice on <${name}>.`,
          start: attrStart,
          end: close + 1,
        });
      } else {
        attributes.push(attr);
        attributeNames?.add(attrName);
      }
      i = close + 1;
    }
    if (!closed) this.badTag(`The start tag <${name}> is not closed with '>'.`, lt, Math.max(i, nameEnd));
    this.tagClean = this.reported === reportedBefore;
    this.open(name, lt, nameEnd, i, attributes, selfClosing);
    if (this.resumeAt > i) i = this.resumeAt;
    return i;
  }

  private tagReported = false;
  /** The start tag being opened was read without a problem (only then may its element be skimmed). */
  private tagClean = false;

  /** The trie node of the name of the start tag being opened (OFF_TRIE when the trie does not hold it). */
  private nameNode = OFF_TRIE;


  private badTag(message: string, start: number, end: number): void {
    if (this.tagReported) return;
    this.tagReported = true;
    this.report({ code: 'xml-malformed-tag', message, start, end });
  }

  private open(
    name: string,
    start: number,
    nameEnd: number,
    openEnd: number,
    attributes: XmlAttribute[],
    selfClosing: boolean,
  ): void {
    const state = this.model && this.stack.length > 0 && this.deep.length === 0 ? this.recoverBefore(name, start) : -1;
    const parent = this.stack[this.stack.length - 1] ?? null;
    // In place, the elements around a part count towards the depth too.
    if (this.enclosing && this.deep.length === 0 && this.stack.length + this.enclosing.length >= MAX_DEPTH) this.readsOtherwiseInPlace = true;
    if (this.deep.length > 0 || this.stack.length >= MAX_DEPTH) {
      if (!this.reportedDepth) {
        this.reportedDepth = true;
        this.report({
          code: 'xml-too-deep',
          message: `Elements are nested more than ${MAX_DEPTH} levels deep; the deeper ones are not checked.`,
          start,
          end: nameEnd,
        });
      }
      if (!selfClosing) this.deep.push(name);
      return;
    }
    const el: XmlElement = {
      name,
      start,
      nameEnd,
      openEnd,
      closeStart: openEnd,
      end: openEnd,
      attributes,
      children: NO_CHILDREN,
      parent,
      selfClosing,
      unclosed: false,
      text: '',
      textStart: -1,
    };
    if (parent) {
      if (parent.children === NO_CHILDREN) {
        parent.children = [];
        if (parent.textStart < 0) parent.text = '';
      }
      parent.children.push(el);
    } else {
      // A part's top-level elements are siblings inside the element it stands in.
      if (this.roots.length === 1 && !this.enclosing) {
        this.report({
          code: 'xml-multiple-roots',
          message: `A second root element <${name}>: an XML document has exactly one root.`,
          start,
          end: nameEnd,
        });
      }
      this.roots.push(el);
    }
    if (this.sameNameRecovery) {
      this.sameNameRecovery = false;
      this.afterRecovery.add(el);
    }
    if (!selfClosing) {
      const closeStart = this.tagClean && this.stack.length <= 2 && !this.afterRecovery.has(el) ? this.skippedContentEnd(el) : -1;
      if (closeStart >= 0) {
        el.closeStart = closeStart;
        el.end = closeStart + 3 + name.length;
        this.resumeAt = el.end;
        this.onClose?.(el, this.stack, this.reported, true);
        return;
      }
      if (this.tagClean && this.plain && this.stack.length + MAX_PLAIN_DEPTH < MAX_DEPTH && !this.afterRecovery.has(el) && this.plain(el, this.stack) && readPlainContent(this.text, el)) {
        this.resumeAt = el.end;
        this.onClose?.(el, this.stack, this.reported);
        return;
      }
      this.stack.push(el);
      this.nameNodes.push(this.nameNode);
      if (this.model) this.states.push(parent ? state : this.rootState(this.model, name));
    } else this.onClose?.(el, this.stack, this.reported);
  }

  /** Where the end tag of `el` starts when its content need not be read (MoreOptions.known, .skim), else -1. */
  private skippedContentEnd(el: XmlElement): number {
    if (this.known) {
      const closeStart = this.known(el, this.stack);
      if (closeStart >= el.openEnd && holdsAt(this.text, `</${el.name}>`, closeStart)) return closeStart;
    }
    return this.skim?.(el, this.stack) ? this.plainContentEnd(el) : -1;
  }

  /**
   * Where the end tag of `el` starts, when its content is plain markup: elements without attributes and with
   * end tags written exactly, none inside another of its name, at most 64 deep; text whose only references are
   * the five predefined entities; no comment, CDATA section, processing instruction or DOCTYPE. Such content
   * reads without a problem and the same way wherever it stands (no recovery ever applies in it). -1 otherwise.
   */
  private plainContentEnd(el: XmlElement): number {
    const text = this.text;
    const n = text.length;
    const open = [el.name];
    let i = el.openEnd;
    let amp = text.indexOf('&', i);
    for (;;) {
      const lt = text.indexOf('<', i);
      if (lt < 0) return -1;
      while (amp >= 0 && amp < lt) {
        if (!PREDEFINED_ENTITIES.some((e) => holdsAt(text, e, amp))) return -1;
        amp = text.indexOf('&', amp + 1);
      }
      const c = text.charCodeAt(lt + 1);
      if (c === 47 /* / */) {
        const top = open[open.length - 1];
        const after = lt + 2 + top.length;
        if (text.charCodeAt(after) !== 62 || !holdsAt(text, top, lt + 2)) return -1;
        open.pop();
        if (open.length === 0) return lt;
        i = after + 1;
      } else if (isNameStart(c)) {
        let j = lt + 2;
        while (j < n && isNameChar(text.charCodeAt(j))) j++;
        const end = text.charCodeAt(j);
        if (end === 47 && text.charCodeAt(j + 1) === 62) i = j + 2;
        else if (end === 62) {
          const name = text.slice(lt + 1, j);
          if (open.length >= 64 || open.includes(name)) return -1;
          open.push(name);
          i = j + 1;
        } else return -1;
      } else return -1;
    }
  }

  /**
   * A start tag `<name>` that the open element cannot hold but an element around it can: the open element's end
   * tag is missing (an <Invoice> inside an <Invoice>, a <LineItem> inside a <LineItem>, <LineItems> inside a
   * <Contact>). Unless that end tag still comes before the next element of the same name (then `<name>` is only
   * misplaced, which the schema reports), the elements in between are closed here, with one problem where the
   * end tag belongs. Returns the state `<name>` has inside the element it then opens in.
   */
  private recoverBefore(name: string, lt: number): number {
    const model = this.model!;
    const stack = this.stack;
    const top = stack.length - 1;
    const state = this.states[top];
    // An element no schema knows (state -1) holds nothing the schemas know.
    const inTop = model.child(state, name);
    if (inTop >= 0) return inTop;
    let k = top - 1;
    while (k >= 0 && model.child(this.states[k], name) < 0) k--;
    // In a part, k = -1 stands for the element the part stands in: when it can hold `name`, everything open in the
    // part closes and `name` starts the part's next top-level element, as it would in place.
    const around = k < 0 ? this.enclosingStates() : [];
    const aroundState = around.length > 0 ? around[around.length - 1] : -1;
    if (k < 0 && (aroundState < 0 || model.child(aroundState, name) < 0)) {
      // In place, an element further out could hold it: the part would end here.
      if (around.some((s) => s >= 0 && model.child(s, name) >= 0)) this.readsOtherwiseInPlace = true;
      return -1;
    }
    const open = stack[top];
    if (state < 0) {
      // Its end tag is missing unless it comes before that of the element that can hold `name`: an element typed
      // by hand and not closed yet does not take in what follows it (a deliberate wrapper, closed, does).
      if (!this.endTagMissingBefore(open.name, k >= 0 ? stack[k].name : this.enclosing![this.enclosing!.length - 1], lt)) return -1;
    } else if (open.name !== name && !this.endTagMissing(open.name, lt)) return -1;
    const closing = stack.slice(k + 1).map((e) => `</${e.name}>`).reverse().join('');
    const text = this.text;
    // The elements end where their content does, not after the white space before the next tag.
    let at = lt;
    while (at > open.openEnd && isSpace(text.charCodeAt(at - 1))) at--;
    // A value element's end tag belongs right after its value; an element of elements' before the next tag.
    const valueEnd = open.children.length === 0 && open.textStart >= 0;
    this.report({
      code: 'xml-unclosed-element',
      message:
        top === k + 1
          ? `${closing} is missing ${valueEnd ? 'here' : `before this <${name}>`}: the open <${open.name}> cannot hold <${name}>.`
          : `${closing} are missing ${valueEnd ? 'here' : `before this <${name}>`}: the open <${open.name}> and the elements around it cannot hold <${name}>.`,
      start: valueEnd ? at : lt,
      end: valueEnd ? at : lt + 1 + name.length,
    });
    // `<Task>` written for `</Task>`: the element it opens is empty and closed by its parent's end tag; that is
    // the same defect, already reported.
    if (open.name === name) this.sameNameRecovery = true;
    while (stack.length - 1 > k) this.closeUnclosed(this.pop(), at);
    return model.child(k < 0 ? aroundState : this.states[k], name);
  }

  private aroundStates?: number[];

  /** The content-model states of the elements around a part (outermost first; -1 where unknown), worked out once. */
  private enclosingStates(): number[] {
    if (this.aroundStates) return this.aroundStates;
    const around = this.enclosing;
    const states: number[] = [];
    if (around && around.length > 0 && this.model) {
      states.push(this.model.root(around[0]));
      for (let i = 1; i < around.length; i++) states.push(states[i - 1] < 0 ? -1 : this.model.child(states[i - 1], around[i]));
    }
    return (this.aroundStates = states);
  }

  /** The content-model state of a top-level element: a root, or where `enclosing` puts it. */
  private rootState(model: ContentModelView, name: string): number {
    const around = this.enclosingStates();
    if (around.length === 0) return model.root(name);
    const state = around[around.length - 1];
    return state < 0 ? -1 : model.child(state, name);
  }

  private pop(): XmlElement {
    if (this.model) this.states.pop();
    this.nameNodes.pop();
    return this.stack.pop()!;
  }

  /** The end tag of `name` does not come before the next start tag of `name` (searching from `from`). */
  private endTagMissing(name: string, from: number): boolean {
    const end = this.nextTag(this.nextEndTag, `</${name}`, from);
    // The answer holds while the text from here to that end tag (and the character after its name) stays as it is.
    this.lookaheads.push({ start: from, end: end < 0 ? this.lookedToEnd : end + 2 + name.length + 1 });
    if (end < 0) {
      // Neither is in a part: in place, both may come after it, in either order.
      if (this.enclosing && !this.after && this.nextTag(this.nextStartTag, `<${name}`, from + 1) < 0) this.readsOtherwiseInPlace = true;
      return true;
    }
    const start = this.nextTag(this.nextStartTag, `<${name}`, from + 1);
    return start >= 0 && start < end;
  }

  /** The end tag of `name` does not come before that of `outer` (searching from `from`). */
  private endTagMissingBefore(name: string, outer: string, from: number): boolean {
    const end = this.nextTag(this.nextEndTag, `</${name}`, from);
    const outerEnd = this.nextTag(this.nextEndTag, `</${outer}`, from);
    const first = end < 0 ? outerEnd : outerEnd < 0 ? end : Math.min(end, outerEnd);
    // The answer holds while the text from here to the first of them (and the character after its name) stays.
    this.lookaheads.push({ start: from, end: first < 0 ? this.lookedToEnd : first + 2 + (first === end ? name : outer).length + 1 });
    // Neither is in a part: in place, both may come after it, in either order.
    if (first < 0 && this.enclosing && !this.after) this.readsOtherwiseInPlace = true;
    return end < 0 || (outerEnd >= 0 && outerEnd < end);
  }

  /** The next `prefix` (followed by a character that ends a name) at or after `from`, or -1; memoised per name. */
  private nextTag(memo: Map<string, number>, prefix: string, from: number): number {
    const known = memo.get(prefix);
    if (known !== undefined && (known >= from || known === -1)) return known;
    const text = this.text;
    let i = text.indexOf(prefix, from);
    while (i >= 0 && isNameChar(text.charCodeAt(i + prefix.length))) i = text.indexOf(prefix, i + 1);
    if (i < 0 && this.after) i = this.after.find(prefix);
    memo.set(prefix, i);
    return i;
  }

  /** Where a look-ahead that finds nothing has read to: the end of the text, or of the document around a part. */
  private get lookedToEnd(): number {
    return this.after ? this.after.end : this.text.length;
  }

  /**
   * Where the '>' of the end tag at `lt` is when it is `</name>` exactly, else -1. With the name's trie node the end
   * tag's name ends at that node exactly when it is the same name; without one (a name the trie does not keep), its
   * characters are compared.
   */
  private endOfSameName(lt: number, name: string, node: number): number {
    const text = this.text;
    if (node === OFF_TRIE) {
      const after = lt + 2 + name.length;
      return text.charCodeAt(after) === 62 && holdsAt(text, name, lt + 2) ? after : -1;
    }
    const n = text.length;
    let at = lt + 2;
    let walked = 0;
    for (; walked !== OFF_TRIE && at < n; at++) {
      const c = text.charCodeAt(at);
      if (!isNameChar(c)) break;
      walked = trieStep(walked, c);
    }
    return walked === node && text.charCodeAt(at) === 62 ? at : -1;
  }

  private endTag(lt: number): number {
    const text = this.text;
    const n = text.length;
    const top = this.stack[this.stack.length - 1];
    if (top && this.deep.length === 0) {
      const gt = this.endOfSameName(lt, top.name, this.nameNodes[this.nameNodes.length - 1]);
      if (gt >= 0) {
        this.pop();
        this.close(top, lt, gt + 1);
        return gt + 1;
      }
    }
    let i = lt + 2;
    while (i < n && isNameChar(text.charCodeAt(i))) i++;
    const name = text.slice(lt + 2, i);
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    let end = i;
    if (text.charCodeAt(i) === 62) end = i + 1;
    else {
      this.report({
        code: 'xml-malformed-tag',
        message: name ? `The end tag </${name}> is not closed with '>'.` : "'</' must be followed by an element name.",
        start: lt,
        end: i,
      });
      const gt = text.indexOf('>', i);
      const next = text.indexOf('<', i);
      if (gt >= 0 && (next < 0 || gt < next)) end = gt + 1;
    }
    if (this.deep.length > 0) {
      this.deep.pop();
      return end;
    }
    const stack = this.stack;
    let k = stack.length - 1;
    while (k >= 0 && stack[k].name !== name) k--;
    // In place, it would close an element around the part.
    if (k < 0 && this.enclosing?.includes(name)) this.readsOtherwiseInPlace = true;
    if (k === stack.length - 1 && k >= 0) {
      this.close(this.pop(), lt, end);
      return end;
    }
    if (k >= 0) {
      // The end tag closes an outer element: everything opened inside it was left open. One problem, at the
      // innermost element left open, which is where the end tag is most likely missing.
      const innermost = stack[stack.length - 1];
      const open = stack.slice(k + 1).map((e) => `<${e.name}>`);
      if (open.length === 1 && this.emptyAfterRecovery(innermost)) {
        this.discard(this.pop());
        this.close(this.pop(), lt, end);
        return end;
      }
      this.report({ code: 'xml-unclosed-element', message: notClosedBefore(name, open), start: innermost.start, end: innermost.nameEnd });
      while (stack.length - 1 > k) this.closeUnclosed(this.pop(), lt);
      this.close(this.pop(), lt, end);
      return end;
    }
    if (top && similarNames(top.name, name)) {
      this.report({
        code: 'xml-mismatched-end-tag',
        message: `The end tag </${name}> does not match <${top.name}>; write </${top.name}>.`,
        start: lt,
        end,
      });
      this.close(this.pop(), lt, end);
      return end;
    }
    this.report({
      code: 'xml-stray-end-tag',
      message: top ? `</${name}> has no matching <${name}> (the open element is <${top.name}>).` : `</${name}> has no matching <${name}>.`,
      start: lt,
      end,
    });
    return end;
  }

  private close(el: XmlElement, closeStart: number, end: number): void {
    el.closeStart = closeStart;
    el.end = end;
    this.onClose?.(el, this.stack, this.reported);
  }

  /**
   * An element whose end tag is missing. If it began with text and then held elements, it most likely was a leaf
   * whose end tag was forgotten (`<Description>Widgets<Quantity>…`): its children go back to its parent so the
   * rest of the invoice keeps its structure.
   */
  private closeUnclosed(el: XmlElement, at: number): void {
    el.unclosed = true;
    el.end = at;
    el.closeStart = at;
    const first = el.children[0];
    // A part's top-level elements stand in the element around it, as its own children do in place.
    if (first && el.textStart >= 0 && el.textStart < first.start && (el.parent || this.enclosing)) {
      const parent = el.parent;
      if (parent && parent.children === NO_CHILDREN) parent.children = [];
      const siblings = parent ? parent.children : this.roots;
      for (const c of el.children) {
        c.parent = parent;
        siblings.push(c);
      }
      el.children = NO_CHILDREN;
      el.closeStart = first.start;
      el.end = first.start;
    }
    this.onClose?.(el, this.stack, this.reported);
  }

  /** Takes an element (the last one opened) out of the tree again. */
  private discard(el: XmlElement): void {
    const siblings = el.parent ? el.parent.children : this.roots;
    if (siblings[siblings.length - 1] === el) siblings.pop();
  }

  private emptyAfterRecovery(el: XmlElement): boolean {
    return this.afterRecovery.has(el) && el.children.length === 0 && el.textStart < 0;
  }

  private closeAtEnd(): void {
    const stack = this.stack;
    if (stack.length === 0) return;
    const innermost = stack[stack.length - 1];
    const n = this.text.length;
    if (stack.length === 1 && this.emptyAfterRecovery(innermost)) {
      this.discard(this.pop());
      return;
    }
    const open = stack.map((e) => `<${e.name}>`);
    const by = this.closedBy;
    // In place, what a part leaves open goes on after it, unless the end tag after it closes it; elements nested too
    // deep are matched by name in place, and that end tag would meet them first.
    if (this.enclosing && (by === undefined || this.deep.length > 0)) this.readsOtherwiseInPlace = true;
    // An element of the end tag's name left open in the part is the one that end tag closes in place.
    if (by !== undefined && stack.some((e) => e.name === by)) this.readsOtherwiseInPlace = true;
    this.report({
      code: 'xml-unclosed-element',
      message:
        by !== undefined
          ? notClosedBefore(by, open)
          : stack.length === 1
            ? `<${innermost.name}> is not closed: the document ends first.`
            : `<${innermost.name}> is not closed: the document ends inside ${open.slice(0, -1).join(', ')}.`,
      start: innermost.start,
      end: innermost.nameEnd,
    });
    while (stack.length > 0) this.closeUnclosed(this.pop(), n);
  }

  private markupDeclaration(lt: number): number {
    const text = this.text;
    if (text.startsWith('<!--', lt)) {
      const close = text.indexOf('-->', lt + 4);
      if (close < 0) {
        this.report({ code: 'xml-unterminated', message: "The comment is never closed with '-->'.", start: lt, end: lt + 4 });
        return text.length;
      }
      return close + 3;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const close = text.indexOf(']]>', lt + 9);
      if (close < 0) {
        this.report({ code: 'xml-unterminated', message: "The CDATA section is never closed with ']]>'.", start: lt, end: lt + 9 });
        this.appendCdata(lt + 9, text.length);
        return text.length;
      }
      this.appendCdata(lt + 9, close);
      return close + 3;
    }
    if (text.startsWith('<!DOCTYPE', lt)) {
      this.hasDoctype = true;
      const end = this.skipDoctype(lt + 9);
      this.report({
        code: 'xml-doctype',
        message:
          'DOCTYPE declarations are not accepted in invoice documents: it is ignored, its entities are never expanded and nothing it names is fetched.',
        start: lt,
        end: Math.min(end, lt + 9),
      });
      return end;
    }
    // '<!-' is passed over whole: it is a comment being typed, whose '-' is no text.
    const end = text.charCodeAt(lt + 2) === 45 ? lt + 3 : lt + 2;
    this.report({ code: 'xml-malformed-tag', message: STRAY_DECLARATION, start: lt, end });
    return end;
  }

  /** Skips a DOCTYPE, internal subset included, without interpreting any of it. */
  private skipDoctype(from: number): number {
    const text = this.text;
    const n = text.length;
    let quote = 0;
    let depth = 0;
    for (let i = from; i < n; i++) {
      const c = text.charCodeAt(i);
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 34 || c === 39) quote = c;
      else if (c === 91 /* [ */) depth++;
      else if (c === 93 /* ] */) depth = Math.max(0, depth - 1);
      else if (c === 62 /* > */ && depth === 0) return i + 1;
    }
    return n;
  }

  private processingInstruction(lt: number): number {
    const text = this.text;
    const close = text.indexOf('?>', lt + 2);
    if (close < 0) {
      this.report({ code: 'xml-unterminated', message: "The processing instruction is never closed with '?>'.", start: lt, end: lt + 2 });
      return text.length;
    }
    if (text.startsWith('<?xml', lt) && isSpace(text.charCodeAt(lt + 5))) {
      const m = /encoding\s*=\s*["']([^"']*)["']/.exec(text.slice(lt, close));
      if (m) this.declaredEncoding = m[1];
    }
    return close + 2;
  }
}
