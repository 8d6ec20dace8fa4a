import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TagSearches } from '@engine/tag-searches';
import { isNameChar } from '@engine/xml/parse';

/** What a search must find: `prefix` at or after `from`, followed by a character that ends a name (or the text's end). */
function reference(text: string, prefix: string, from: number): number {
  let i = text.indexOf(prefix, from);
  while (i >= 0 && isNameChar(text.charCodeAt(i + prefix.length))) i = text.indexOf(prefix, i + 1);
  return i;
}

/** A text that counts how often it is searched. */
function counted(text: string): { text: Pick<string, 'length' | 'indexOf' | 'slice'>; searches: () => number } {
  let n = 0;
  return {
    text: {
      length: text.length,
      indexOf: (s: string, p?: number) => {
        n++;
        return text.indexOf(s, p);
      },
      slice: (a?: number, b?: number) => text.slice(a, b),
    },
    searches: () => n,
  };
}

const TAGS = ['<', '</', 'C', 'o', 'n', 'Con', 'Contact', 'Cont', '>', ' ', '/>', 'x', '\n', 'é'];

describe('the look-ahead searches kept across edits (TagSearches)', () => {
  it('finds what a fresh search finds, after any edits, for any prefix and place', () => {
    const piece = fc.constantFrom(...TAGS);
    const text = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''));
    // Edits and searches land anywhere, or within a few characters of where the last search started (where an
    // edit decides whether that search still holds).
    const place = fc.record({ at: fc.nat(400), near: fc.boolean() });
    const step = fc.oneof(
      fc.record({ kind: fc.constant('edit' as const), place, remove: fc.nat(6), text: fc.array(piece, { maxLength: 3 }).map((p) => p.join('')) }),
      fc.record({ kind: fc.constant('find' as const), place, name: fc.constantFrom('C', 'Co', 'Con', 'Cont', 'Contact', 'Contacts', 'x'), end: fc.boolean() }),
    );
    fc.assert(
      fc.property(text, fc.array(step, { maxLength: 30 }), (start, steps) => {
        let doc = start;
        let last = 0;
        const memo = new TagSearches();
        const at = ({ at, near }: { at: number; near: boolean }) => Math.max(0, Math.min(doc.length, near ? last + (at % 9) - 4 : at % (doc.length + 1)));
        for (const s of steps) {
          if (s.kind === 'edit') {
            const start = at(s.place);
            const end = Math.min(doc.length, start + s.remove);
            memo.moved({ start, end, text: s.text });
            last += start < last ? s.text.length - (end - start) : 0;
            doc = doc.slice(0, start) + s.text + doc.slice(end);
          } else {
            const prefix = `${s.end ? '</' : '<'}${s.name}`;
            const from = at(s.place);
            last = from;
            assert.equal(memo.find(doc, prefix, from), reference(doc, prefix, from), `${JSON.stringify(doc)} ${prefix} from ${from}`);
          }
        }
      }),
      { numRuns: 3_000, seed: 20261207 },
    );
  });

  it('answers a name typed on from the names its shorter search passed over, without searching again', () => {
    const text = `<A>${'<Contact>x</Contact>'.repeat(50)}</A>`;
    const { text: source, searches } = counted(text);
    const memo = new TagSearches();
    assert.equal(memo.find(source, '</Con', 3), -1);
    const first = searches();
    assert.ok(first > 50, `the first search passes over every </Contact (${first} searches)`);
    assert.equal(memo.find(source, '</Cont', 3), -1);
    assert.equal(memo.find(source, '</Conta', 10), -1);
    assert.equal(searches(), first, 'no search for names no tag has');
    assert.equal(memo.find(source, '</Contact', 3), text.indexOf('</Contact'));
    assert.ok(searches() > first, 'a name a tag has is searched for');
    assert.equal(memo.find(source, '</A', 3), text.length - 4);
    // What a search from further on passed over says nothing of the text before it.
    const earlier = `<A></Cont>${'<Contact>x</Contact>'.repeat(3)}</A>`;
    const later = new TagSearches();
    assert.equal(later.find(earlier, '</Con', 10), -1);
    assert.equal(later.find(earlier, '</Cont', 3), 3);
  });

  it('keeps the latest 256 searches: the oldest is made again', () => {
    const { text, searches } = counted('<A></A>');
    const memo = new TagSearches();
    memo.find(text, '</A', 0);
    memo.find(text, '</A', 0);
    assert.equal(searches(), 1, 'kept');
    for (let n = 0; n < 256; n++) memo.find(text, `<N${n}x`, 0);
    const before = searches();
    memo.find(text, '</A', 0);
    assert.equal(searches(), before + 1, 'the oldest went first');
  });

  it('moves a search with an edit before where it started, and forgets it when an edit reaches into it', () => {
    const text = 'aa<B>bb</B>';
    const memo = new TagSearches();
    const { text: source, searches } = counted(text);
    assert.equal(memo.find(source, '</B', 2), 7);
    memo.moved({ start: 0, end: 1, text: 'xyz' }); // before it: everything after moves by 2
    const moved = counted('xyza<B>bb</B>');
    assert.equal(memo.find(moved.text, '</B', 4), 9);
    assert.equal(moved.searches(), 0, 'taken from the search before the edit');
    memo.moved({ start: 6, end: 6, text: '</B>' }); // inside it
    const edited = 'xyza<B</B>>bb</B>';
    assert.equal(memo.find(edited, '</B', 4), 6);
    assert.equal(searches(), 1);
  });

  it('takes nothing from a search for text before where it started, or that an edit ending inside it changed', () => {
    const memo = new TagSearches();
    assert.equal(memo.find('</Con></Con>', '</Con', 6), 6);
    assert.equal(memo.find('</Con></Con>', '</Con', 0), 0);
    assert.equal(memo.find('</Con>xx', '</Con', 3), -1);
    assert.equal(memo.find('</Con>xx', '</Con', 0), 0);
    // 'ab/Con>' has no tag after offset 1; 'ab' typed over with 'x<' makes one there.
    assert.equal(memo.find('ab/Con>', '</Con', 1), -1);
    memo.moved({ start: 0, end: 2, text: 'x<' });
    assert.equal(memo.find('x</Con>', '</Con', 1), 1);
    // An edit that ends where the search started leaves it holding: '</Con' at 3 moves to 2.
    assert.equal(memo.find('abc</Con>', '</Con', 3), 3);
    memo.moved({ start: 1, end: 3, text: 'q' });
    assert.equal(memo.find({ length: 8, indexOf: () => assert.fail('searched again'), slice: () => assert.fail('searched again') }, '</Con', 2), 2);
  });
});
