import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { InvalidChange, PieceText } from '../../server/src/text-model';

// The server's piece table must agree with the reference TextDocument implementation on every text and position.
describe('the server text model', () => {
  it('agrees with vscode-languageserver-textdocument after any sequence of edits, keeping its pieces', () => {
    const piece = fc.constantFrom('', 'a', 'bc', '\n', '\r\n', 'x\ny', '<Invoice>', '😀', '\r', 'long text without breaks');
    const edit = fc.record({ a: fc.nat(10_000), b: fc.nat(10_000), text: fc.array(piece, { maxLength: 4 }).map((p) => p.join('')) });
    let most = 0;
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }).map((p) => p.join('')), fc.array(edit, { minLength: 30, maxLength: 120 }), (initial, edits) => {
        const ours = new PieceText('u', 'xml', 1, initial);
        const ref = TextDocument.create('u', 'xml', 1, initial);
        let version = 1;
        for (const e of edits) {
          const len = ref.getText().length;
          const s = e.a % (len + 1);
          // Mostly short removals (as typing does), now and then a long one.
          const t = s + (e.b % (Math.min(len - s, e.b % 8 === 0 ? len : 4) + 1));
          const range = { start: ref.positionAt(s), end: ref.positionAt(t) };
          version++;
          ours.update([{ range, text: e.text }], version);
          TextDocument.update(ref, [{ range, text: e.text }], version);
          const text = ref.getText();
          assert.equal(ours.length, text.length);
          assert.equal(ours.lineCount, ref.lineCount);
          // Read through slices only: asking for the whole text would join the pieces again.
          for (let o = 0; o <= text.length; o += Math.max(1, Math.floor(text.length / 25))) {
            assert.deepEqual(ours.positionAt(o), ref.positionAt(o), `positionAt ${o}`);
            assert.equal(ours.slice(o, o + 7), text.slice(o, o + 7));
            const p = ref.positionAt(o);
            assert.equal(ours.offsetAt(p), ref.offsetAt(p));
            assert.equal(ours.offsetAt({ line: p.line, character: p.character + 50 }), ref.offsetAt({ line: p.line, character: p.character + 50 }));
            // Searches that run across pieces, from anywhere (the text holds its pieces' words again and again).
            for (const search of ['<Invoice>', 'bc\na', 'a', '\r\n', 'ext w', 'nope']) assert.equal(ours.indexOf(search, o), text.indexOf(search, o), `indexOf ${search} ${o}`);
          }
          most = Math.max(most, ours.pieceCount);
        }
        assert.equal(ours.getText(), ref.getText());
      }),
      { numRuns: 300, seed: 7 },
    );
    assert.ok(most > 20, `the property saw texts of up to ${most} pieces`);
  });

  it('types a thousand characters at spread places into a big text without joining it', () => {
    const line = '<LineItem><Description>Consulting</Description></LineItem>\n';
    let text = line.repeat(20_000);
    const ours = new PieceText('u', 'xml', 1, text);
    for (let i = 0; i < 1000; i++) {
      const lineNo = (i * 7919) % 20_000;
      const character = 23 + (i % 5);
      ours.update([{ range: { start: { line: lineNo, character }, end: { line: lineNo, character } }, text: 'x' }], i + 2);
      const at = ours.offsetAt({ line: lineNo, character });
      text = text.slice(0, at) + 'x' + text.slice(at);
      assert.ok(ours.pieceCount > 1, `edit ${i}: the text was joined`);
    }
    assert.equal(ours.getText(), text);
  });

  it('refuses changes that are not the text’s, leaving it exactly as it was', () => {
    const text = 'a\nbc\n';
    const ours = new PieceText('u', 'xml', 1, text);
    const bad: unknown[] = [
      { range: { start: { line: 0, character: Number.NaN }, end: { line: 0, character: 1 } }, text: 'x' },
      { range: { start: { line: '0', character: 0 }, end: { line: 0, character: 1 } }, text: 'x' },
      { range: { start: { line: 0, character: 0.5 }, end: { line: 0, character: 1 } }, text: 'x' },
      { range: { start: { line: -1, character: 0 }, end: { line: 0, character: 1 } }, text: 'x' },
      { range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, text: 'x' },
      { range: { start: { line: 1, character: 1 }, end: { line: 0, character: 0 } }, text: 'x' },
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 42 },
      { range: null, text: 'x' },
    ];
    for (const change of bad) {
      assert.throws(() => ours.update([change as never], 2), InvalidChange, JSON.stringify(change));
      // With a valid change before the bad one, neither applies.
      assert.throws(() => ours.update([{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'ok' }, change as never], 2), InvalidChange);
      // check() says so too, and changes nothing either way.
      assert.throws(() => ours.check([{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'ok' }, change as never]), InvalidChange);
      ours.check([{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, text: 'x\ny' }]);
      assert.equal(ours.getText(), text);
      assert.equal(ours.version, 1);
      assert.equal(ours.lineCount, 3);
      assert.equal(ours.length, text.length);
    }
    assert.equal(ours.positionProblem({ line: 100, character: 0 }), undefined, 'a request may read to beyond the end');
    assert.match(ours.positionProblem({ line: 100, character: 0 }, true) ?? '', /beyond the last line/);
  });
});
