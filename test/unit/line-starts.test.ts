import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { lineOfOffset, lineStarts } from '@engine';
import { LineStarts } from '../../server/src/line-starts';

/** An edit's bookkeeping on a plain array of line starts, as vscode-languageserver-textdocument keeps it. */
function replaceLines(lines: number[], start: number, end: number, text: string): number[] {
  const startLine = lineOfOffset(lines, start);
  const endLine = lineOfOffset(lines, end);
  const added = lineStarts(text, start).slice(1);
  const out = lines.slice(0, startLine + 1).concat(added, lines.slice(endLine + 1));
  const delta = text.length - (end - start);
  for (let i = startLine + 1 + added.length; i < out.length; i++) out[i] += delta;
  return out;
}

describe('line starts kept in blocks', () => {
  it('agree with a plain array of line starts after any edits, at every line and offset, and so do copies taken on the way', () => {
    const piece = fc.constantFrom('', 'a', 'bc', '\n', '\r\n', 'x\ny', '\r', '\n\n\n', 'long line');
    const edit = fc.record({ a: fc.nat(10_000), b: fc.nat(10_000), text: fc.array(piece, { maxLength: 6 }).map((p) => p.join('')) });
    let blocksSeen = 0;
    fc.assert(
      // Blocks of 1 to 5 lines, so that edits fall across blocks, fill them and empty them.
      fc.property(fc.array(piece, { maxLength: 60 }).map((p) => p.join('')), fc.integer({ min: 1, max: 5 }), fc.array(edit, { maxLength: 80 }), (initial, size, edits) => {
        let text = initial;
        let expected = lineStarts(text, 0);
        const lines = LineStarts.of(text, size);
        const copies: [LineStarts, number[]][] = [];
        for (const e of edits) {
          const s = e.a % (text.length + 1);
          // Mostly short removals (as typing does), now and then a long one.
          const t = s + (e.b % (Math.min(text.length - s, e.b % 5 === 0 ? text.length : 6) + 1));
          if (e.b % 7 === 0) copies.push([lines.clone(), expected]);
          lines.replace(s, t, e.text);
          expected = replaceLines(expected, s, t, e.text);
          text = text.slice(0, s) + e.text + text.slice(t);
          assert.equal(lines.length, expected.length);
          for (let l = 0; l < expected.length; l++) assert.equal(lines.at(l), expected[l], `line ${l}`);
          for (let o = 0; o <= text.length; o++) assert.equal(lines.lineOf(o), lineOfOffset(expected, o), `offset ${o}`);
          blocksSeen = Math.max(blocksSeen, Math.ceil(expected.length / size));
        }
        for (const [copy, then] of copies) {
          assert.equal(copy.length, then.length);
          for (let l = 0; l < then.length; l++) assert.equal(copy.at(l), then[l]);
        }
      }),
      { numRuns: 600, seed: 20261207 },
    );
    assert.ok(blocksSeen > 20, `the property saw up to ${blocksSeen} blocks`);
  });

  it('merge a block that lines deleted inside it left small into the next one, so that blocks do not pile up', () => {
    // 400 lines in blocks of 4; in each block the text from its first line's break into its fourth line is deleted
    // (the starts of its last three lines, the block's boundaries untouched), last block first: each keeps one line.
    let text = 'aa\n'.repeat(400);
    const lines = LineStarts.of(text, 4);
    assert.equal(lines.blockCount, 101);
    for (let b = 99; b >= 0; b--) {
      const start = lines.at(4 * b + 1) - 1;
      const end = lines.at(4 * b + 3) + 1;
      lines.replace(start, end, '');
      text = text.slice(0, start) + text.slice(end);
    }
    assert.deepEqual(Array.from({ length: lines.length }, (_, l) => lines.at(l)), lineStarts(text, 0));
    assert.ok(lines.blockCount <= 50, `${lines.blockCount} blocks hold ${lines.length} lines`);
  });
});
