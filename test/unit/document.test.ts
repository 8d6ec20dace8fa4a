import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InvoiceEngine, type CheckResult } from '@engine';
import { FIXTURES } from '../support/fixtures';

const engine = new InvoiceEngine();
const bulk = readFileSync(join(FIXTURES, 'rules', 'totals', 'bulk-five.xml'), 'utf8');

function comparable(r: CheckResult) {
  return {
    dialect: r.dialect,
    diagnostics: r.diagnostics.map((d) => `${d.start}-${d.end} ${d.code} ${d.message}`),
    documents: r.documents.map((d) => JSON.stringify(d)),
  };
}

describe('an edited document', () => {
  it('re-parses and re-checks only the invoice an edit falls in', () => {
    const doc = engine.open(bulk);
    const first = doc.result();
    assert.equal(first.checkedInvoices, 5);
    const at = bulk.indexOf('<Description>', first.documents[3].start) + '<Description>'.length;
    assert.equal(doc.update([{ start: at, end: at, text: 'Extra ' }]), 'incremental');
    const second = doc.result();
    assert.equal(second.checkedInvoices, 1);
    assert.deepEqual(comparable(second), comparable(engine.check(doc.text)));
  });

  it('re-parses everything after a structural edit, reusing the checks of unchanged invoices', () => {
    const doc = engine.open(bulk);
    const first = doc.result();
    const at = first.documents[1].end;
    assert.equal(doc.update([{ start: at, end: at, text: '<Invoice><Type>ACCREC</Type></Invoice>' }]), 'full');
    const second = doc.result();
    assert.equal(second.documents.length, 6);
    assert.equal(second.checkedInvoices, 1);
    assert.deepEqual(comparable(second), comparable(engine.check(doc.text)));
  });

  it('finds the innermost element at an offset through re-parsed invoices', () => {
    const doc = engine.open(bulk);
    doc.result();
    const at = bulk.indexOf('<Quantity>', bulk.indexOf('<Invoice>', 200)) + 11;
    doc.update([{ start: 0, end: 0, text: '' }]);
    doc.update([{ start: at, end: at, text: '0' }]);
    const located = doc.locate(at);
    assert.equal(located?.element.name, 'Quantity');
    assert.equal(doc.text.slice(located.origin + located.element.openEnd, located.origin + located.element.closeStart).startsWith(bulk.slice(at - 1, at)), true);
  });

  it('gives the same diagnostics and figures as a fresh check after any sequence of edits', () => {
    const fixtures = ['rules/totals/bulk-five.xml', 'seeds/001-every-element.xml', 'bad-input/unclosed-description-middle.xml', 'seeds/002-get-misc-invoice.xml', 'rules/numbers/duplicate-accrec.xml'].map(
      (f) => readFileSync(join(FIXTURES, f), 'utf8'),
    );
    const typing = fc.record({ at: fc.nat(1_000_000), remove: fc.nat(1), text: fc.constantFrom('', 'x', '1', '.5', ' ', '0') });
    const structural = fc.record({
      at: fc.nat(1_000_000),
      remove: fc.nat(12),
      text: fc.constantFrom('', '<', '>', '</Quantity>', '<Quantity>2</Quantity>', '&amp;', '&', '<LineItem>', '</Invoice>', '\n'),
    });
    const modes = { incremental: 0, full: 0 };
    const edit = fc.oneof({ weight: 4, arbitrary: typing }, { weight: 1, arbitrary: structural });
    fc.assert(
      fc.property(fc.constantFrom(...fixtures.keys()), fc.array(edit, { minLength: 1, maxLength: 8 }), (which, edits) => {
        const doc = engine.open(fixtures[which]);
        doc.result();
        for (const e of edits) {
          const start = e.at % (doc.text.length + 1);
          const end = Math.min(doc.text.length, start + e.remove);
          modes[doc.update([{ start, end, text: e.text }])]++;
          assert.deepEqual(comparable(doc.result()), comparable(engine.check(doc.text)));
        }
      }),
      { numRuns: 300, seed: 20261121 },
    );
    // Both paths are exercised: most random edits land inside one invoice, some break the structure.
    assert.ok(modes.incremental > 100 && modes.full > 100, JSON.stringify(modes));
  });
});
