import { decodeEntities, NOTHING_TO_REPORT } from './xml/entities';
import { elementAt, type XmlElement } from './xml/tree';

/**
 * A UTF-8 document read as one character per byte (Latin-1): `text` for a one-shot check then holds the bytes
 * themselves, offsets are byte offsets, and no character is decoded but the few that need it. Decoding 10 MB of
 * UTF-8 into a string takes V8 over four times as long as copying the bytes, and as soon as one character lies
 * beyond Latin-1 (an em dash, a curly quote, €) the whole string takes two bytes a character. Markup is ASCII and
 * no byte of a multi-byte UTF-8 sequence is ASCII, so the bytes read as the same elements, at byte offsets; only
 * the values that hold other characters need decoding (see decodeValues). Whatever the view cannot stand for
 * exactly makes the check ask for the decoded text instead (OneShot.readAgain).
 */
export interface ByteView {
  /** Whether bytes [start, end) are all ASCII. */
  isAscii(start: number, end: number): boolean;
  /** Bytes [start, end) decoded as UTF-8. */
  decode(start: number, end: number): string;
}

/** Thrown inside a one-shot check that reads a ByteView, as soon as the view cannot give the decoded text's result. */
export class ReadAgain extends Error {
  constructor() {
    super('the document needs its decoded text');
  }
}

/** A character beyond ASCII: a byte of a multi-byte sequence, read as Latin-1. */
const NOT_ASCII = /[\x80-\xff]/;

/**
 * Gives the elements of an invoice read from a ByteView (`text` is the view's text) their decoded values where
 * its bytes are not all ASCII: each value holding such bytes is decoded again from them, as the parser decodes
 * character data. The check then sees the same values as in the decoded text, at byte offsets. Only the values
 * of elements without child elements and without markup inside can be decoded so; a name, an attribute or mixed
 * content that is not ASCII throws ReadAgain (they are rare in invoices).
 */
export function decodeValues(invoice: XmlElement, text: string, view: ByteView): void {
  let from = invoice.start;
  const end = invoice.end;
  for (;;) {
    const at = nextNotAscii(text, from, end);
    if (at < 0) return;
    const el = elementAt(invoice, at);
    if (!el || el.unclosed || el.children.length > 0 || at < el.openEnd || at >= el.closeStart || text.lastIndexOf('<', el.closeStart - 1) >= el.openEnd) {
      throw new ReadAgain();
    }
    const raw = view.decode(el.openEnd, el.closeStart);
    el.text = raw.indexOf('&') < 0 ? raw : decodeEntities(raw, 0, NOTHING_TO_REPORT);
    from = el.closeStart;
  }
}

/** Where the first character of text[from, end) beyond ASCII stands, or -1. */
function nextNotAscii(text: string, from: number, end: number): number {
  const m = NOT_ASCII.exec(text.slice(from, end));
  return m ? from + m.index : -1;
}
