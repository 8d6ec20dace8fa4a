import type { IncomingMessage } from 'node:http';

/** Xero refuses a single POST above 3.5 MB (FACTS §4, size limits). */
export const MAX_BODY_BYTES = 3.5 * 1024 * 1024;
/** Bodies up to this size are read to the end before a 413, so the client sees the answer and not a reset. */
const DRAIN_LIMIT = 16 * 1024 * 1024;

export type BodyResult = { ok: true; bytes: Buffer } | { ok: false; tooLarge: true; drained: boolean };

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number.isFinite(declared) && declared > limit;
    if (over && declared > DRAIN_LIMIT) {
      resolve({ ok: false, tooLarge: true, drained: false });
      return;
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      if (size > DRAIN_LIMIT) {
        req.removeAllListeners('data');
        req.pause();
        resolve({ ok: false, tooLarge: true, drained: false });
        return;
      }
      if (!over) chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? { ok: false, tooLarge: true, drained: true } : { ok: true, bytes: Buffer.concat(chunks) }));
    req.on('error', reject);
  });
}

export type BodyKind = 'xml' | 'json' | 'empty' | 'unknown';

export interface ClassifiedBody {
  kind: BodyKind;
  text: string;
  contentType: string;
  /** Why the body is neither XML nor JSON, for the error message. */
  reason?: string;
}

function decode(bytes: Buffer): string | null {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  const text = bytes.toString('utf8');
  if (text.includes('\u0000') || text.includes('\ufffd')) return null;
  return text.replace(/^\ufeff/, '');
}

/**
 * What a body is, by its content type and its first character: XML (`application/xml`, `text/xml`, or form-encoded
 * `xml=…` as the old APIs took it), JSON, nothing, or something else.
 */
export function classifyBody(bytes: Buffer, contentTypeHeader: string | undefined): ClassifiedBody {
  const contentType = (contentTypeHeader ?? '').split(';')[0].trim().toLowerCase();
  let text = decode(bytes);
  if (text === null) return { kind: 'unknown', text: '', contentType, reason: 'it is binary data' };
  // A raw document sent with the form type (curl's default for --data) is taken as what it is.
  if (contentType === 'application/x-www-form-urlencoded' && !/^\s*[<{[]/.test(text)) {
    const form = new URLSearchParams(text);
    const xml = form.get('xml');
    if (xml === null) return { kind: 'unknown', text: '', contentType, reason: 'a form body needs its document in an xml= field' };
    text = xml;
  }
  const first = text.trimStart()[0];
  if (first === undefined) return { kind: 'empty', text, contentType };
  const declaredJson = /json/.test(contentType);
  const declaredXml = /xml/.test(contentType);
  if (declaredJson && first !== '<') return { kind: 'json', text, contentType };
  if (declaredXml && first !== '{' && first !== '[') return { kind: 'xml', text, contentType };
  if (first === '<') return { kind: 'xml', text, contentType };
  if (first === '{' || first === '[') return { kind: 'json', text, contentType };
  return { kind: 'unknown', text, contentType, reason: `it starts with '${text.trimStart().slice(0, 20)}'` };
}
