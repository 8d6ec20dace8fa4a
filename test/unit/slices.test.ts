import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InvoiceEngine, contentModelFor, parseXml, type XmlDocument } from '@engine';
import { parseXmlInSlices, type MoreOptions } from '@engine/xml/parse';
import { STREAM_PLAIN } from '@engine/invoice-stream';
import { invoiceKindAt } from '@engine/invoice/dialect';
import { comparable, shape } from '../support/compare';
import { FIXTURES, ROOT, fixtureFiles } from '../support/fixtures';

// The language server opens a document a slice at a time, answering other requests between slices. Wherever the
// reading stops, the tree, the problems and the check must be those of reading the document in one go.

const engine = new InvoiceEngine();
const sources = fixtureFiles().map((f) => ({ file: f, text: readFileSync(join(ROOT, f), 'utf8') }));
const five = readFileSync(join(FIXTURES, 'rules', 'totals', 'bulk-five.xml'), 'utf8');
/** bulk-five's five invoices a hundred times over (their numbers repeat: duplicates are reported too). */
const bulk = five.slice(0, five.indexOf('<Invoice>')) + five.slice(five.indexOf('<Invoice>'), five.lastIndexOf('</Invoices>')).repeat(100) + five.slice(five.lastIndexOf('</Invoices>'));

/** As an open document's full read asks (InvoiceStream.plain). */
const PLAIN: MoreOptions = { plain: STREAM_PLAIN };
const always = () => true;

/** Runs steps to their end, counting the times they stopped. */
function drain<T>(steps: Generator<void, T, void>): { value: T; stops: number } {
  for (let stops = 0; ; stops++) {
    const step = steps.next();
    if (step.done) return { value: step.value, stops };
  }
}

function sameDocument(a: XmlDocument, b: XmlDocument, label: string): void {
  assert.deepEqual(a.roots.map((r) => shape(r, null)), b.roots.map((r) => shape(r, null)), label);
  assert.deepEqual(a.problems, b.problems, label);
  assert.equal(a.hasDoctype, b.hasDoctype, label);
  assert.equal(a.declaredEncoding, b.declaredEncoding, label);
}

describe('reading a document a slice at a time', () => {
  it('parses every fixture to the tree and problems of one go, stopping at every chance', () => {
    let stops = 0;
    // As a stream asks, and asking for invoices only (more of the text is read tag by tag: more chances to stop).
    const invoicesOnly: MoreOptions = { plain: (el, ancestors) => invoiceKindAt(el, ancestors) !== undefined };
    for (const { file, text } of sources) {
      for (const more of [PLAIN, invoicesOnly]) {
        let heard = 0;
        let heardInSlices = 0;
        // Names met the first time are read by the general parser (the name trie learns them): read once before.
        parseXml(text, undefined, contentModelFor(undefined), more);
        const whole = parseXml(text, () => heard++, contentModelFor(undefined), more);
        const sliced = drain(parseXmlInSlices(text, () => heardInSlices++, contentModelFor(undefined), more, always));
        sameDocument(sliced.value, whole, file);
        assert.equal(heardInSlices, heard, `${file}: the close listener hears of the same elements`);
        stops += sliced.stops;
      }
    }
    assert.ok(stops > 100, `the fixtures' reading stopped only ${stops} times`);
  });

  it('stops only when asked: a pause that never says so reads all in one step', () => {
    const sliced = drain(parseXmlInSlices(bulk, undefined, contentModelFor(undefined), PLAIN, () => false));
    assert.equal(sliced.stops, 0);
    sameDocument(sliced.value, parseXml(bulk, undefined, contentModelFor(undefined), PLAIN), 'bulk');
  });

  it('opens every fixture and a 500-invoice document to the check of one go', () => {
    for (const { file, text } of [...sources, { file: '500 invoices', text: bulk }]) {
      const sliced = drain(engine.openInSlices(text, always));
      assert.deepEqual(comparable(sliced.value.result()), comparable(engine.open(text).result()), file);
      if (file === '500 invoices') assert.ok(sliced.stops >= 500, `the 500 invoices were read in ${sliced.stops + 1} steps`);
    }
  });

  it('gives the check of one go on damaged documents, stopping at random places (seeded)', () => {
    const pieces = ['<', '</', '/>', '<Invoice>', '</Invoice>', '<LineItem>', '</LineItem>', '&', '&#233;', '<!--x-->', ' a="1"', '<Total>9.99</Total>', '\r\n', 'é'];
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(), piece: fc.constantFrom(...pieces) }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 64 }),
        (edits, answers) => {
          let text = bulk.slice(0, 20_000) + bulk.slice(bulk.lastIndexOf('</Invoices>'));
          for (const { at, piece } of edits) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + piece + text.slice(i);
          }
          let asked = 0;
          const sliced = drain(engine.openInSlices(text, () => answers[asked++ % answers.length]));
          assert.deepEqual(comparable(sliced.value.result()), comparable(engine.check(text)));
        },
      ),
      { seed: 11, numRuns: 200 },
    );
  });

  it('keeps a document opened in slices up to date as it is edited', () => {
    const doc = drain(engine.openInSlices(bulk, always)).value;
    const at = bulk.indexOf('<Description>', bulk.indexOf('<Invoice>', 5_000)) + '<Description>'.length;
    doc.update([{ start: at, end: at, text: 'Extra ' }]);
    const edited = bulk.slice(0, at) + 'Extra ' + bulk.slice(at);
    assert.deepEqual(comparable(doc.result()), comparable(engine.check(edited)));
    const total = edited.indexOf('<Total>', at) + '<Total>'.length;
    doc.update([{ start: total, end: total, text: '9' }]);
    const again = edited.slice(0, total) + '9' + edited.slice(total);
    assert.deepEqual(comparable(doc.result()), comparable(engine.check(again)));
  });
});
