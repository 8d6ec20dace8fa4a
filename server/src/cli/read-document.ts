import { isUtf8 } from 'node:buffer';

export type DecodedDocument = { text: string; encoding: string } | { error: string };

const LATIN1 = /^(iso-?8859-?1|latin-?1|windows-?1252|us-ascii|ascii)$/i;

/**
 * Bytes of a file to text the way an XML processor reads them: a BOM decides (UTF-8, UTF-16 LE/BE), else UTF-8,
 * or Latin-1 where the declaration says so. Binary data is refused with a reason rather than checked as XML.
 */
export function readDocumentBytes(bytes: Uint8Array): DecodedDocument {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'UTF-16' };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'UTF-16' };
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return { error: 'a binary file, not XML text (it holds NUL bytes)' };
  const body = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  if (isUtf8(body)) return { text: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'), encoding: 'UTF-8' };
  {
    const declared = /^<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/.exec(new TextDecoder('latin1').decode(body.subarray(0, 200)));
    if (declared && LATIN1.test(declared[1])) return { text: new TextDecoder('latin1').decode(body), encoding: declared[1] };
    return { error: 'not UTF-8 text (a binary file, or an encoding the XML declaration does not name)' };
  }
}
