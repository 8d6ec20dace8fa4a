import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PieceText } from '../../server/src/text-model';

// The server's piece table must agree with the reference TextDocument implementation on every text and position.
describe('the server text model', () => {
  it('agrees with vscode-languageserver-textdocument after any sequence of edits', () => {
    const piece = fc.constantFrom('', 'a', 'bc', '\n', '\r\n', 'x\ny', '<Invoice>', '😀', '\r', 'long text without breaks');
    const edit = fc.record({ a: fc.nat(10_000), b: fc.nat(10_000), text: fc.array(piece, { maxLength: 4 }).map((p) => p.join('')) });
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }).map((p) => p.join('')), fc.array(edit, { maxLength: 40 }), (initial, edits) => {
        const ours = new PieceText('u', 'xml', 1, initial);
        const ref = TextDocument.create('u', 'xml', 1, initial);
        let version = 1;
        for (const e of edits) {
          const len = ref.getText().length;
          const s = e.a % (len + 1);
          const t = s + (e.b % (len - s + 1));
          const range = { start: ref.positionAt(s), end: ref.positionAt(t) };
          version++;
          ours.update([{ range, text: e.text }], version);
          TextDocument.update(ref, [{ range, text: e.text }], version);
          const text = ref.getText();
          assert.equal(ours.length, text.length);
          assert.equal(ours.lineCount, ref.lineCount);
          for (let o = 0; o <= text.length; o += Math.max(1, Math.floor(text.length / 25))) {
            assert.deepEqual(ours.positionAt(o), ref.positionAt(o), `positionAt ${o}`);
            assert.equal(ours.slice(o, o + 7), text.slice(o, o + 7));
            const p = ref.positionAt(o);
            assert.equal(ours.offsetAt(p), ref.offsetAt(p));
            assert.equal(ours.offsetAt({ line: p.line, character: p.character + 50 }), ref.offsetAt({ line: p.line, character: p.character + 50 }));
          }
          assert.equal(ours.getText(), text);
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
