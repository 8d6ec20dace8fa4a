import type { XmlProblem } from './tree';

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Character references must name a character XML allows (XML 1.0 §2.2). */
export function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 || cp === 0xa || cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

export interface EntityReporter {
  report(problem: XmlProblem): void;
}

/** For decoding text whose problems were already reported (or cannot be). */
export const NOTHING_TO_REPORT: EntityReporter = { report: () => undefined };

/**
 * Decodes the five predefined entities and character references in `raw` (which starts at `offset` in the
 * document). Anything else is left as written and reported: entities are never expanded, whatever a DOCTYPE
 * declares.
 */
export function decodeEntities(raw: string, offset: number, reporter: EntityReporter): string {
  let amp = raw.indexOf('&');
  if (amp < 0) return raw;
  let out = '';
  let last = 0;
  while (amp >= 0) {
    out += raw.slice(last, amp);
    const semi = findReferenceEnd(raw, amp + 1);
    if (semi < 0) {
      reporter.report({
        code: 'xml-unescaped-ampersand',
        message: "A bare '&' must be written as '&amp;'.",
        start: offset + amp,
        end: offset + amp + 1,
      });
      out += '&';
      last = amp + 1;
    } else {
      const name = raw.slice(amp + 1, semi);
      const replacement = resolveReference(name);
      const start = offset + amp;
      const end = offset + semi + 1;
      if (replacement === null) {
        if (name.startsWith('#')) {
          reporter.report({
            code: 'xml-invalid-character-reference',
            message: `'&${name};' does not refer to a character XML allows.`,
            start,
            end,
          });
        } else {
          reporter.report({
            code: 'xml-undefined-entity',
            message: `'&${name};' is not one of the predefined entities (&lt; &gt; &amp; &quot; &apos;); entities are never expanded.`,
            start,
            end,
          });
        }
        out += raw.slice(amp, semi + 1);
      } else {
        out += replacement;
      }
      last = semi + 1;
    }
    amp = raw.indexOf('&', last);
  }
  return out + raw.slice(last);
}

function findReferenceEnd(raw: string, from: number): number {
  const limit = Math.min(raw.length, from + 40);
  for (let i = from; i < limit; i++) {
    const c = raw.charCodeAt(i);
    if (c === 59 /* ; */) return i === from ? -1 : i;
    const ok =
      (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ||
      c === 35 /* # */ || c === 95 || c === 45 || c === 46 || c === 58 || c > 127;
    if (!ok) return -1;
  }
  return -1;
}

function resolveReference(name: string): string | null {
  const predefined = PREDEFINED[name];
  if (predefined !== undefined) return predefined;
  if (name.charCodeAt(0) !== 35 /* # */) return null;
  const hex = name.charCodeAt(1) === 120 /* x */;
  const digits = name.slice(hex ? 2 : 1);
  if (!(hex ? /^[0-9a-fA-F]{1,6}$/ : /^[0-9]{1,7}$/).test(digits)) return null;
  const cp = parseInt(digits, hex ? 16 : 10);
  return isXmlChar(cp) ? String.fromCodePoint(cp) : null;
}
