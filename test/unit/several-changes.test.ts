import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { InvoiceEngine } from '@engine';
import { DEFAULT_SERVER_SETTINGS } from '../../shared/src/settings';
import { engineOptions, OpenDocument } from '../../server/src/documents';
import { PieceText } from '../../server/src/text-model';
import { comparable } from '../support/compare';
import { FIXTURES } from '../support/fixtures';

const engine = new InvoiceEngine(engineOptions(DEFAULT_SERVER_SETTINGS));
const texts = ['rules/totals/bulk-five.xml', 'rules/numbers/duplicate-accrec.xml', 'bad-input/unclosed-description-middle.xml'].map((f) => readFileSync(join(FIXTURES, f), 'utf8'));

// Several changes in one didChange (several cursors, a replace-all): an open document applies a few one at a time
// and more together; either way its result is that of the text checked afresh.
describe('an open document given several changes at once', () => {
  it('gives the result of a fresh check of the text, after any changes, a few or many at a time', () => {
    const change = fc.record({ at: fc.nat(1_000_000), remove: fc.nat(3), text: fc.constantFrom('', 'x', '1', '<', '>', '</Invoice>', '<!-- c -->', '\n', '&') });
    const seen = { incremental: 0, full: 0, together: 0 };
    fc.assert(
      fc.property(fc.constantFrom(...texts.keys()), fc.array(fc.oneof(fc.array(change, { minLength: 2, maxLength: 6 }), fc.array(change, { minLength: 17, maxLength: 24 })), { minLength: 1, maxLength: 4 }), (which, edits) => {
        const text = new PieceText('file:///s.xml', 'xml', 1, texts[which]);
        const doc = new OpenDocument(text, DEFAULT_SERVER_SETTINGS, engine.open(text));
        const ref = TextDocument.create('file:///s.xml', 'xml', 1, texts[which]);
        let version = 1;
        for (const batch of edits) {
          // Each change's place in the text as the ones before it in the batch left it.
          const shadow = TextDocument.create('file:///s.xml', 'xml', 1, ref.getText());
          const changes = batch.map((c) => {
            const length = shadow.getText().length;
            const start = c.at % (length + 1);
            const range = { start: shadow.positionAt(start), end: shadow.positionAt(Math.min(length, start + c.remove)) };
            TextDocument.update(shadow, [{ range, text: c.text }], shadow.version + 1);
            return { range, text: c.text };
          });
          version++;
          seen[doc.change(version, changes)]++;
          if (changes.length > 16) seen.together++;
          TextDocument.update(ref, changes, version);
          assert.equal(doc.textDocument.getText(), ref.getText());
          assert.deepEqual(comparable(doc.analysis.result()), comparable(engine.check(ref.getText())));
        }
      }),
      { numRuns: 150, seed: 20261207 },
    );
    // Both ways are taken: a few changes read from their invoices, and a full reading (many changes, or a structural one).
    assert.ok(seen.incremental > 20 && seen.full > 20 && seen.together > 20, JSON.stringify(seen));
  });
});
