import { isAscii } from 'node:buffer';
import { LineIndex, lineOfOffset, type ByteView, type Position } from '../engine';

/** A ByteView of UTF-8 bytes (see ReadDocument.bytes). */
export function byteView(bytes: Buffer): ByteView {
  return {
    isAscii: (start, end) => isAscii(bytes.subarray(start, end)),
    decode: (start, end) => bytes.toString('utf8', start, end),
  };
}

/** Bytes of a long line between two of its marks (where its UTF-16 length so far is kept). */
const STRIDE = 4096;

/**
 * Byte offsets of a UTF-8 document read as a ByteView (`text`: its bytes, one character each) as lines and UTF-16
 * characters, what the decoded text's LineIndex gives for the same places (line breaks are ASCII). A character is
 * counted from its line's start, or on a long line from the last mark before it, so that a thousand diagnostics
 * on a 10 MB line do not each decode the line again.
 */
export class ByteLineIndex {
  private readonly lines: LineIndex;
  /** Per long line: byte offsets every STRIDE bytes or so (at character boundaries) and the UTF-16 units before each. */
  private readonly marks = new Map<number, { at: number[]; units: number[] }>();

  constructor(
    private readonly bytes: Buffer,
    text: string,
  ) {
    this.lines = new LineIndex(text);
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.bytes.length));
    const p = this.lines.positionAt(o);
    if (p.character === 0) return p;
    const start = o - p.character;
    return { line: p.line, character: p.character <= STRIDE ? this.units(start, o) : this.unitsOnLongLine(p.line, start, o) };
  }

  /** UTF-16 units of bytes [a, b). */
  private units(a: number, b: number): number {
    return isAscii(this.bytes.subarray(a, b)) ? b - a : this.bytes.toString('utf8', a, b).length;
  }

  private unitsOnLongLine(line: number, start: number, o: number): number {
    let m = this.marks.get(line);
    if (!m) this.marks.set(line, (m = { at: [start], units: [0] }));
    const { at, units } = m;
    while (at[at.length - 1] + STRIDE < o) {
      const a = at[at.length - 1];
      let b = a + STRIDE;
      // A mark stands at a character's first byte, never on a continuation byte (10xxxxxx).
      while ((this.bytes[b] & 0xc0) === 0x80) b--;
      units.push(units[units.length - 1] + this.units(a, b));
      at.push(b);
    }
    const k = lineOfOffset(at, o);
    return units[k] + this.units(at[k], o);
  }
}
