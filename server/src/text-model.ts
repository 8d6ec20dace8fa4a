import type { Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextChange, TextSource } from './engine';
import { LineStarts } from './line-starts';

/** Beyond this many pieces, neighbouring small ones are merged (and the text joined when that is not enough). */
const MAX_PIECES = 1024;
/** Pieces shorter than this are merged with their small neighbours when there are too many pieces. */
const SMALL_PIECE = 16_384;
/** A change that removes at most this much text reports what it removed (the engine may then do less). */
const REMOVED_KEPT = 64;

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
  /**
   * Line starts, computed when first asked for (the first diagnostics of a document need none when it has none),
   * then kept with vscode-languageserver-textdocument's bookkeeping: an edit's lines replaced, the rest moved.
   */
  private lineList: LineStarts | undefined;
  private joined: string | undefined;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    private _version: number,
    text: string,
  ) {
    this.pieces = [text];
    this.starts = [0, text.length];
    this.joined = text;
  }

  private get lines(): LineStarts {
    return (this.lineList ??= LineStarts.of(this.toString()));
  }

  private set lines(lines: LineStarts) {
    this.lineList = lines;
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

  /** String.prototype.indexOf over the pieces, without joining them. */
  indexOf(search: string, position: number): number {
    const from = Math.max(0, Math.min(position, this.length));
    if (this.joined !== undefined) return this.joined.indexOf(search, from);
    if (search.length === 0) return from;
    const overlap = search.length - 1;
    for (let i = this.pieceAt(from); i < this.pieces.length; i++) {
      const base = this.starts[i];
      const at = this.pieces[i].indexOf(search, Math.max(0, from - base));
      // A match inside the piece starts before any that runs on into the next one.
      if (at >= 0) return base + at;
      if (overlap === 0 || i + 1 === this.pieces.length) continue;
      const end = this.starts[i + 1];
      const windowStart = Math.max(from, end - overlap);
      const across = this.slice(windowStart, end + overlap).indexOf(search);
      if (across >= 0) return windowStart + across;
    }
    return -1;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.length));
    const line = this.lines.lineOf(o);
    const start = this.lines.at(line);
    return { line, character: this.beforeLineBreak(o, start) - start };
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
    const start = lines.at(position.line);
    if (position.character <= 0) return start;
    const next = position.line + 1 < lines.length ? lines.at(position.line + 1) : this.length;
    return this.beforeLineBreak(Math.min(start + position.character, next), start);
  }

  private charCodeAt(offset: number): number {
    if (this.joined !== undefined) return this.joined.charCodeAt(offset);
    const i = this.pieceAt(offset);
    return this.pieces[i].charCodeAt(offset - this.starts[i]);
  }

  /**
   * Why a position is not one of this text's (undefined when it is): integers, not negative; for an edit
   * (`strict`) also on a line of the text. A request may read beyond the end (`{ line: 100000 }` for "to the
   * end" is a common idiom): that means the end, as a character beyond a line's end means the line's end.
   */
  positionProblem(p: unknown, strict = false): string | undefined {
    if (!p || typeof p !== 'object') return 'a position must be an object { line, character }';
    const { line, character } = p as { line: unknown; character: unknown };
    if (!Number.isSafeInteger(line) || !Number.isSafeInteger(character)) return `position ${JSON.stringify(p)}: line and character must be integers`;
    const l = line as number;
    const c = character as number;
    if (l < 0 || c < 0) return `position ${l}:${c} is negative`;
    // The line after the last one stands for the end of the text (a character beyond a line's end means its end, as LSP says).
    if (strict && (l > this.lines.length || (l === this.lines.length && c > 0))) return `position ${l}:${c} is beyond the last line (${this.lines.length} lines)`;
    return undefined;
  }

  /** Why a range is not one of this text's (undefined when it is): two valid positions, start not after end. */
  rangeProblem(r: unknown, strict = false): string | undefined {
    if (!r || typeof r !== 'object') return 'a range must be an object { start, end }';
    const { start, end } = r as { start: unknown; end: unknown };
    const problem = this.positionProblem(start, strict) ?? this.positionProblem(end, strict);
    if (problem) return problem;
    if (this.offsetAt(start as Position) > this.offsetAt(end as Position)) return 'the range ends before it starts';
    return undefined;
  }

  /**
   * Applies LSP content changes (in order); returns each as offsets in the text it applied to (with the text it
   * removed, when short). A change with a range that is not this text's (or text that is not a string) throws
   * InvalidChange and leaves the text as it was before the first change.
   */
  update(changes: readonly TextDocumentContentChangeEvent[], version: number): TextChange[] {
    return this.apply(changes, version, changes.length > 1);
  }

  /** update(); `undoable`: a change that does not fit leaves the text as it was before the first change. */
  private apply(changes: readonly TextDocumentContentChangeEvent[], version: number, undoable: boolean): TextChange[] {
    const applied: TextChange[] = [];
    const before = undoable ? { pieces: this.pieces.slice(), starts: this.starts.slice(), lines: this.lines.clone(), joined: this.joined } : undefined;
    try {
      for (const change of changes) {
        if (!change || typeof change !== 'object' || typeof (change as { text?: unknown }).text !== 'string') throw new InvalidChange('a change must carry its text as a string');
        if (!('range' in change) || change.range === undefined) {
          applied.push({ start: 0, end: this.length, text: change.text });
          this.pieces = [change.text];
          this.starts = [0, change.text.length];
          this.lineList = undefined;
          this.joined = change.text;
          continue;
        }
        const problem = this.rangeProblem(change.range, true);
        if (problem) throw new InvalidChange(problem);
        const start = this.offsetAt(change.range.start);
        const end = this.offsetAt(change.range.end);
        applied.push(end - start <= REMOVED_KEPT ? { start, end, text: change.text, removed: this.slice(start, end) } : { start, end, text: change.text });
        this.lines.replace(start, end, change.text);
        this.replacePieces(start, end, change.text);
      }
    } catch (err) {
      if (before) Object.assign(this, before);
      throw err;
    }
    this._version = version;
    return applied;
  }

  /**
   * Throws InvalidChange where update() would, without changing anything either way: so that changes can then be
   * applied one at a time, each seen by the engine on its own, and none is applied when one of them is bad.
   */
  check(changes: readonly TextDocumentContentChangeEvent[]): void {
    const before = { pieces: this.pieces, starts: this.starts, lineList: this.lineList, joined: this.joined, _version: this._version };
    this.pieces = this.pieces.slice();
    this.starts = this.starts.slice();
    this.lineList = this.lineList?.clone();
    try {
      // Applied to copies, put back below either way: no second copy to undo a bad change with.
      this.apply(changes, this._version, false);
    } finally {
      Object.assign(this, before);
    }
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
    if (this.pieces.length > MAX_PIECES) this.compact();
  }

  /**
   * Typing leaves one small piece per keystroke between two slices of the text it started from: merging runs of
   * small pieces keeps the table short without copying the whole text. Only pieces spread all over the text
   * (hundreds of edits far apart) make it join into one string.
   */
  private compact(): void {
    const pieces: string[] = [];
    const starts: number[] = [];
    let run = '';
    let runStart = 0;
    const flush = () => {
      if (run === '') return;
      pieces.push(run);
      starts.push(runStart);
      run = '';
    };
    for (let i = 0; i < this.pieces.length; i++) {
      const p = this.pieces[i];
      if (p.length >= SMALL_PIECE) {
        flush();
        pieces.push(p);
        starts.push(this.starts[i]);
        continue;
      }
      if (run === '') runStart = this.starts[i];
      run += p;
      if (run.length >= SMALL_PIECE) flush();
    }
    flush();
    if (pieces.length > MAX_PIECES / 2) {
      this.toString();
      return;
    }
    starts.push(this.length);
    this.pieces = pieces;
    this.starts = starts;
  }

  /** How many pieces the text is held in (for tests). */
  get pieceCount(): number {
    return this.pieces.length;
  }
}

/** A change that does not fit the text it is applied to. */
export class InvalidChange extends Error {}
