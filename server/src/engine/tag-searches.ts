import type { TextChange } from './document';
import { isNameChar, type TextAfter } from './xml/parse';

type Searchable = Pick<string, 'length' | 'indexOf' | 'slice'>;

/** One search of the text after a run, in the document's offsets. */
interface Searched {
  /** Where it started. */
  from: number;
  /** Where the tag stands, or -1. */
  at: number;
  /**
   * The whole names of the tags it passed over (those whose name only starts with the one looked for), when it
   * found none; undefined when they were too many or too long to keep.
   */
  longer: Set<string> | undefined;
}

/** Names longer than this, or more than this many of them, are not kept: the search is made again instead. */
const MAX_NAME = 64;
const MAX_NAMES = 256;
/** Searches kept at most: the oldest goes first (a long session types many names). */
const MAX_SEARCHES = 256;

/** Where the name starts in a tag's prefix (`</Con`: 2, `<Con`: 1), or 0 for anything else. */
function nameStart(prefix: string): number {
  return prefix.startsWith('</') ? 2 : prefix.startsWith('<') ? 1 : 0;
}

/**
 * The look-ahead searches of runs read again (a recovery asking whether an element's end tag, or another start tag
 * of its name, comes later in the document), kept across edits. While a start tag's name is typed between invoices,
 * each keystroke asks this of the rest of the document: `</Con` passes over every `</Contact` of 3,000 invoices
 * to find none. What was found holds for an edit that ends before the search started (it moves with it); a name
 * that only extends one searched before is found absent from the names that search passed over.
 */
export class TagSearches {
  private readonly searched = new Map<string, Searched>();

  /** Brings the searches up to date with an edit: those it reaches are forgotten, those after it move. */
  moved(change: TextChange): void {
    const delta = change.text.length - (change.end - change.start);
    for (const [prefix, s] of this.searched) {
      if (change.end > s.from) this.searched.delete(prefix);
      else if (delta !== 0) {
        s.from += delta;
        if (s.at >= 0) s.at += delta;
      }
    }
  }

  clear(): void {
    this.searched.clear();
  }

  /** The text after the part [partStart, partEnd) of `document` (parse.ts's textAfter), searched through this memo. */
  after(document: Searchable, partStart: number, partEnd: number): TextAfter {
    return {
      end: document.length - partStart,
      find: (prefix) => {
        const at = this.find(document, prefix, partEnd);
        return at < 0 ? -1 : at - partStart;
      },
    };
  }

  /** Where `prefix` next stands at or after `from`, followed by a character that ends a name, or -1. */
  find(document: Searchable, prefix: string, from: number): number {
    const known = this.searched.get(prefix);
    if (known && known.from <= from && (known.at < 0 || known.at >= from)) return known.at;
    if (this.absentByShorter(prefix, from)) return -1;
    const marker = nameStart(prefix);
    // The names passed over are kept for a tag's prefix with a name in it.
    let longer: Set<string> | undefined = marker > 0 && marker < prefix.length ? new Set() : undefined;
    let i = document.indexOf(prefix, from);
    while (i >= 0) {
      const rest = document.slice(i + prefix.length, i + prefix.length + MAX_NAME);
      if (!isNameChar(rest.charCodeAt(0))) break;
      if (longer) {
        let n = 0;
        while (n < rest.length && isNameChar(rest.charCodeAt(n))) n++;
        if (n === rest.length || longer.size >= MAX_NAMES) longer = undefined;
        else longer.add(prefix.slice(marker) + rest.slice(0, n));
      }
      i = document.indexOf(prefix, i + 1);
    }
    this.searched.delete(prefix);
    this.searched.set(prefix, { from, at: i, longer: i < 0 ? longer : undefined });
    if (this.searched.size > MAX_SEARCHES) this.searched.delete(this.searched.keys().next().value!);
    return i;
  }

  /**
   * A shorter prefix of the same tag searched from at or before `from` found none, and the names it passed over do
   * not hold this one: every `<Con` there went on to `<Contact`, so there is no `<Cont` tag either.
   */
  private absentByShorter(prefix: string, from: number): boolean {
    const marker = nameStart(prefix);
    if (marker === 0) return false;
    const name = prefix.slice(marker);
    for (let n = prefix.length - 1; n > marker; n--) {
      const s = this.searched.get(prefix.slice(0, n));
      if (s && s.at < 0 && s.longer && s.from <= from) return !s.longer.has(name);
    }
    return false;
  }
}
