import { isAscii } from 'node:buffer';
import { LineIndex, type ByteView, type Position } from '../engine';

/** A ByteView of UTF-8 bytes (see ReadDocument.bytes). */
export function byteView(bytes: Buffer): ByteView {
  return {
    isAscii: (start, end) => isAscii(bytes.subarray(start, end)),
    decode: (start, end) => bytes.toString('utf8', start, end),
  };
}

/**
 * Byte offsets of a UTF-8 document read as a ByteView (`text`: its bytes, one character each) as lines and UTF-16
 * characters, what the decoded text's LineIndex gives for the same places (line breaks are ASCII).
 */
export class ByteLineIndex {
  private readonly lines: LineIndex;

  constructor(
    private readonly bytes: Buffer,
    text: string,
  ) {
    this.lines = new LineIndex(text);
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.bytes.length));
    const p = this.lines.positionAt(o);
    const start = o - p.character;
    if (p.character === 0 || isAscii(this.bytes.subarray(start, o))) return p;
    return { line: p.line, character: this.bytes.toString('utf8', start, o).length };
  }
}
