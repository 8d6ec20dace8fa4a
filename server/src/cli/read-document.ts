import { isAscii, isUtf8 } from 'node:buffer';

export type DecodedDocument = ReadDocument | { error: string };

export interface ReadDocument {
  text: string;
  encoding: string;
  /**
   * Where the first character XML does not allow stands in `text` (-1: nowhere), when it was found from the bytes
   * (UTF-8): the parser then need not scan the text for it again.
   */
  firstForbidden?: number;
  /**
   * Set when `text` is not decoded but these UTF-8 bytes read one character per byte (see ByteView): every offset
   * in it counts bytes.
   */
  bytes?: Buffer;
}

/** UTF-8 bytes of U+FFFE and U+FFFF, which XML does not allow. */
const NONCHARACTERS = [Buffer.from([0xef, 0xbf, 0xbe]), Buffer.from([0xef, 0xbf, 0xbf])];

/**
 * The first character XML does not allow in valid UTF-8, as an offset in its decoded text, or -1: a C0 control but
 * tab, LF and CR (a byte of its own, never part of a longer sequence), U+FFFE or U+FFFF. A search per byte value is
 * native code, and over twice as fast on a big file as one regular expression over the decoded two-byte text.
 */
export function firstForbiddenCharacter(utf8: Buffer): number {
  return charOffset(utf8, firstForbiddenByte(utf8));
}

/** A byte offset in valid UTF-8 as an offset in its decoded text (-1 stays -1). */
function charOffset(utf8: Buffer, byte: number): number {
  return byte < 0 ? -1 : utf8.toString('utf8', 0, byte).length;
}

/** Where the first character XML does not allow starts in valid UTF-8, as a byte offset, or -1. */
function firstForbiddenByte(utf8: Buffer): number {
  let first = -1;
  for (let c = 0; c < 32; c++) {
    if (c === 9 || c === 10 || c === 13) continue;
    const at = utf8.indexOf(c, 0);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  for (const bytes of NONCHARACTERS) {
    const at = utf8.indexOf(bytes, 0);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  return first;
}

const LATIN1 = /^(iso-?8859-?1|latin-?1|windows-?1252|us-ascii|ascii)$/i;

/**
 * Bytes of a file to text the way an XML processor reads them: a BOM decides (UTF-8, UTF-16 LE/BE), else UTF-8,
 * or Latin-1 where the declaration says so. Binary data is refused with a reason rather than checked as XML.
 * `view`: UTF-8 that is not all ASCII is left undecoded, its bytes read one character each (ReadDocument.bytes),
 * unless it holds a character XML does not allow (whose problem is reported in characters).
 */
export function readDocumentBytes(bytes: Uint8Array, view = false): DecodedDocument {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'UTF-16' };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'UTF-16' };
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return { error: 'a binary file, not XML text (it holds NUL bytes)' };
  const body = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  // ASCII is UTF-8 that reads the same as Latin-1, which is a copy: several times faster than V8's UTF-8 decoding.
  const ascii = isAscii(body);
  if (ascii || isUtf8(body)) {
    const utf8 = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const forbidden = firstForbiddenByte(utf8);
    if (view && !ascii && forbidden < 0) return { text: utf8.toString('latin1'), encoding: 'UTF-8', firstForbidden: -1, bytes: utf8 };
    const firstForbidden = ascii ? forbidden : charOffset(utf8, forbidden);
    return { text: utf8.toString(ascii ? 'latin1' : 'utf8'), encoding: 'UTF-8', firstForbidden };
  }
  {
    const declared = /^<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/.exec(new TextDecoder('latin1').decode(body.subarray(0, 200)));
    if (declared && LATIN1.test(declared[1])) return { text: new TextDecoder('latin1').decode(body), encoding: declared[1] };
    return { error: 'not UTF-8 text (a binary file, or an encoding the XML declaration does not name)' };
  }
}
