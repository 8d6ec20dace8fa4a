import type { Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { lineOfOffset, type TextSource } from './engine';

/** After this many pieces the text is joined into one string again. */
const MAX_PIECES = 512;

/**
 * An open document's text as a piece table with line starts kept up to date. A keystroke in a 10 MB document
 * costs a few small slices and an update of the line starts; the whole text is only joined when something asks
 * for all of it (and then cached until the next edit). The same object is the LSP TextDocument the features use
 * and the TextSource the engine slices.
 */
export class PieceText implements TextDocument, TextSource {
  private pieces: string[];
  /** starts[i] = offset of pieces[i]; one more entry holding the total length. */
  private starts: number[];
  private lines: number[];
  private joined: string | undefined;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    private _version: number,
    text: string,
  ) {
    this.pieces = [text];
    this.starts = [0, text.length];
    this.lines = lineStarts(text, 0);
    this.joined = text;
  }

  get version(): number {
    return this._version;
  }

  get length(): number {
    return this.starts[this.starts.length - 1];
  }

  get lineCount(): number {
    return this.lines.length;
  }

  toString(): string {
    if (this.joined === undefined) {
      this.joined = this.pieces.join('');
      this.pieces = [this.joined];
      this.starts = [0, this.joined.length];
    }
    return this.joined;
  }

  getText(range?: Range): string {
    if (!range) return this.toString();
    return this.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }

  /** The piece holding an offset (the last piece for the end of the text). */
  private pieceAt(offset: number): number {
    let lo = 0;
    let hi = this.pieces.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  slice(start: number, end: number): string {
    const s = Math.max(0, Math.min(start, this.length));
    const e = Math.max(s, Math.min(end, this.length));
    if (this.joined !== undefined) return this.joined.slice(s, e);
    let i = this.pieceAt(s);
    let out = '';
    for (let at = s; at < e; i++) {
      const p = this.pieces[i];
      const from = at - this.starts[i];
      const to = Math.min(p.length, e - this.starts[i]);
      out += p.slice(from, to);
      at = this.starts[i] + to;
    }
    return out;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.length));
    const line = lineOfOffset(this.lines, o);
    return { line, character: this.beforeLineBreak(o, this.lines[line]) - this.lines[line] };
  }

  /** Offsets inside or at a line break mean the end of the line's text (as vscode-languageserver-textdocument). */
  private beforeLineBreak(offset: number, lineStart: number): number {
    let o = offset;
    while (o > lineStart) {
      const c = this.charCodeAt(o - 1);
      if (c !== 10 && c !== 13) break;
      o--;
    }
    return o;
  }

  offsetAt(position: Position): number {
    const lines = this.lines;
    if (position.line >= lines.length) return this.length;
    if (position.line < 0) return 0;
    const start = lines[position.line];
    if (position.character <= 0) return start;
    const next = position.line + 1 < lines.length ? lines[position.line + 1] : this.length;
    return this.beforeLineBreak(Math.min(start + position.character, next), start);
  }

  private charCodeAt(offset: number): number {
    if (this.joined !== undefined) return this.joined.charCodeAt(offset);
    const i = this.pieceAt(offset);
    return this.pieces[i].charCodeAt(offset - this.starts[i]);
  }

  /** Applies LSP content changes (in order); returns each as offsets in the text it applied to. */
  update(changes: TextDocumentContentChangeEvent[], version: number): { start: number; end: number; text: string }[] {
    const applied: { start: number; end: number; text: string }[] = [];
    for (const change of changes) {
      if (!('range' in change)) {
        applied.push({ start: 0, end: this.length, text: change.text });
        this.pieces = [change.text];
        this.starts = [0, change.text.length];
        this.lines = lineStarts(change.text, 0);
        this.joined = change.text;
        continue;
      }
      const start = this.offsetAt(change.range.start);
      const end = Math.max(start, this.offsetAt(change.range.end));
      applied.push({ start, end, text: change.text });
      this.replaceLines(start, end, change.text);
      this.replacePieces(start, end, change.text);
    }
    this._version = version;
    return applied;
  }

  private replacePieces(start: number, end: number, text: string): void {
    const a = this.pieceAt(start);
    const b = this.pieceAt(end);
    const head = this.pieces[a].slice(0, start - this.starts[a]);
    const tail = this.pieces[b].slice(end - this.starts[b]);
    const middle = [head, text, tail].filter((p) => p.length > 0);
    const delta = text.length - (end - start);
    this.pieces.splice(a, b - a + 1, ...middle);
    const starts = this.starts.slice(0, a);
    let at = this.starts[a];
    for (const p of middle) {
      starts.push(at);
      at += p.length;
    }
    for (let i = b + 1; i < this.starts.length; i++) starts.push(this.starts[i] + delta);
    if (this.pieces.length === 0) {
      this.pieces = [''];
      starts.length = 0;
      starts.push(0, 0);
    }
    this.starts = starts;
    this.joined = undefined;
    if (this.pieces.length > MAX_PIECES) this.toString();
  }

  /** The same bookkeeping as vscode-languageserver-textdocument: replace the edited lines, shift the rest. */
  private replaceLines(start: number, end: number, text: string): void {
    const lines = this.lines;
    const startLine = lineOfOffset(lines, start);
    const endLine = lineOfOffset(lines, end);
    const added = lineStarts(text, start).slice(1);
    if (endLine - startLine === added.length) {
      for (let i = 0; i < added.length; i++) lines[startLine + 1 + i] = added[i];
    } else if (added.length < 10000) {
      lines.splice(startLine + 1, endLine - startLine, ...added);
    } else {
      this.lines = lines.slice(0, startLine + 1).concat(added, lines.slice(endLine + 1));
    }
    const delta = text.length - (end - start);
    if (delta !== 0) for (let i = startLine + 1 + added.length; i < this.lines.length; i++) this.lines[i] += delta;
  }
}

function lineStarts(text: string, base: number): number[] {
  const starts = [base];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(base + i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(base + i + 1);
    }
  }
  return starts;
}
