import { decodeEntities, NOTHING_TO_REPORT } from './entities';
import { OFF_TRIE, trieName, trieStep } from './name-trie';
import { NO_ATTRIBUTES, NO_CHILDREN, type XmlElement } from './tree';

/** An '&' that does not start one of the five predefined references. */
const OTHER_REFERENCE = /&(?!(?:amp|lt|gt|quot|apos);)/;

/** Deeper content is left to the general parser (which stops keeping elements at MAX_DEPTH). */
export const MAX_PLAIN_DEPTH = 64;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Character data holding an '&', decoded when it holds only predefined references; undefined otherwise. */
function decodePredefined(raw: string): string | undefined {
  if (OTHER_REFERENCE.test(raw)) return undefined;
  return decodeEntities(raw, 0, NOTHING_TO_REPORT);
}

/**
 * Reads the content of `el` (from el.openEnd) into its subtree when the content is plain markup: elements without
 * attributes whose names the name trie already holds, end tags written exactly, text whose only references are
 * the five predefined entities, no comment, CDATA section, processing instruction or DOCTYPE, at most
 * MAX_PLAIN_DEPTH deep. Such content reads without a problem and to the same tree as the general parser reads it
 * (no recovery ever applies in it: every end tag is where it belongs), in one tight loop that builds each element
 * once. Sets el.closeStart and el.end and returns true; returns false, with el as it was, otherwise.
 *
 * The tree is the general parser's to the letter: an element's text is the character data directly inside it, as
 * written (predefined references decoded); white space alone counts only in an element without child elements.
 */
export function readPlainContent(text: string, el: XmlElement): boolean {
  const stack: XmlElement[] = [el];
  let top = el;
  let i = el.openEnd;
  const n = text.length;
  // Where the next '&' is, at or after the character data last read (n when there is none): most text has none.
  let amp = -1;
  for (;;) {
    let nonSpace = i;
    while (nonSpace < n && isSpace(text.charCodeAt(nonSpace))) nonSpace++;
    const lt = text.charCodeAt(nonSpace) === 60 ? nonSpace : text.indexOf('<', nonSpace);
    if (lt < 0) return undo(el);
    if (nonSpace < lt) {
      if (amp < i) {
        amp = text.indexOf('&', i);
        if (amp < 0) amp = n;
      }
      const raw = text.slice(i, lt);
      const decoded = amp < lt ? decodePredefined(raw) : raw;
      if (decoded === undefined) return undo(el);
      if (top.textStart < 0) top.textStart = nonSpace;
      top.text += decoded;
    }
    let j = lt + 1;
    let node = 0;
    if (text.charCodeAt(j) === 47 /* / */) {
      // White space alone is an element's text only when no child follows it (the first child drops it).
      if (nonSpace === lt && lt > i && top.children.length === 0) top.text += text.slice(i, lt);
      for (j++; j < n; j++) {
        const c = text.charCodeAt(j);
        if (c === 62 /* > */) break;
        node = trieStep(node, c);
        if (node === OFF_TRIE) return undo(el);
      }
      if (j >= n || trieName(node) !== top.name) return undo(el);
      top.closeStart = lt;
      top.end = j + 1;
      stack.pop();
      if (stack.length === 0) return true;
      top = stack[stack.length - 1];
      i = j + 1;
      continue;
    }
    for (; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 62 /* > */ || c === 47 /* / */) break;
      node = trieStep(node, c);
      if (node === OFF_TRIE) return undo(el);
    }
    const name = trieName(node);
    if (name === undefined || j >= n) return undo(el);
    const selfClosing = text.charCodeAt(j) === 47;
    if (selfClosing && text.charCodeAt(j + 1) !== 62) return undo(el);
    const openEnd = selfClosing ? j + 2 : j + 1;
    const child: XmlElement = {
      name,
      start: lt,
      nameEnd: j,
      openEnd,
      closeStart: openEnd,
      end: openEnd,
      attributes: NO_ATTRIBUTES,
      children: NO_CHILDREN,
      parent: top,
      selfClosing,
      unclosed: false,
      text: '',
      textStart: -1,
    };
    if (top.children === NO_CHILDREN) {
      top.children = [];
      if (top.textStart < 0) top.text = '';
    }
    top.children.push(child);
    // An element inside another of its name (an empty one too) is where the general parser's recovery may apply.
    for (let k = 0; k < stack.length; k++) if (stack[k].name === name) return undo(el);
    if (!selfClosing) {
      if (stack.length >= MAX_PLAIN_DEPTH) return undo(el);
      stack.push(child);
      top = child;
    }
    i = openEnd;
  }
}

/** Puts an element back as its start tag left it (the general parser then reads its content). */
function undo(el: XmlElement): false {
  el.children = NO_CHILDREN;
  el.text = '';
  el.textStart = -1;
  el.closeStart = el.openEnd;
  el.end = el.openEnd;
  return false;
}
