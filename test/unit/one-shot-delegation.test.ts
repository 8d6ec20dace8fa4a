import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkOnce, checkSlice, checkStreaming, resolveOptions, settle, type CheckedInvoice, type Delegate, type InvoiceSlice } from '@engine';
import { ROOT, fixtureFiles } from '../support/fixtures';

// The CLI spreads a big file's invoices over threads: an invoice the reading thread hands over is parsed and
// checked alone, from its own text. Whatever the document, that must give exactly what checking it where it
// stands gives. Here every invoice the engine will hand over is taken (and checked on this thread).
const options = resolveOptions({ region: 'NZ', taxRates: {}, reportUnknownDocuments: true });

function delegated(text: string): { result: ReturnType<typeof settle>; taken: number } {
  const slices: InvoiceSlice[] = [];
  const delegate: Delegate = { wants: () => true, take: (slice) => slices.push(slice) };
  const { xml: _tree, ...shot } = checkStreaming(text, options, { delegate });
  const checks = new Map<number, CheckedInvoice>();
  for (const s of slices) checks.set(s.start, checkSlice(text.slice(s.start, s.end), s, options));
  return { result: settle(shot, checks), taken: slices.length };
}

function alone(text: string): ReturnType<typeof settle> {
  const { xml: _tree, ...result } = checkOnce(text, options);
  return result;
}

const sources = fixtureFiles().map((f) => ({ file: f, text: readFileSync(join(ROOT, f), 'utf8') }));

describe('one-shot check: invoices checked from their own text', () => {
  it('gives the same result as checking them in place, for every fixture', () => {
    let taken = 0;
    for (const { file, text } of sources) {
      const d = delegated(text);
      assert.deepEqual(d.result, alone(text), file);
      taken += d.taken;
    }
    assert.ok(taken > 50, `only ${taken} invoices were handed over`);
  });

  it('checks here an invoice whose own start tag has a problem, even when its content is plain', () => {
    const text = '<Invoices><Invoice><Total>1</Total></Invoice><Invoice</Invoice><Invoice a="1" a="2"><Total>2</Total></Invoice><Invoice><Total>3</Total></Invoice></Invoices>';
    const d = delegated(text);
    assert.deepEqual(d.result, alone(text));
    assert.ok(d.taken >= 1, 'the last invoice is plain and handed over');
  });

  it('gives the same result on damaged documents (seeded)', () => {
    const bulk = sources.filter((s) => s.text.length < 30_000 && /<(Invoices|CreditNotes)>/.test(s.text));
    const pieces = ['<', '</', '/>', '<Invoice>', '</Invoice>', '<LineItem>', '</LineItem>', '</Contact>', '&', '&#233;', '&amp;', '<!--x-->', ' a="1"', '<![CDATA[x]]>', '<Total>9.99</Total>'];
    fc.assert(
      fc.property(
        fc.constantFrom(...bulk),
        fc.array(fc.record({ at: fc.nat(), piece: fc.constantFrom(...pieces) }), { minLength: 1, maxLength: 4 }),
        ({ text }, edits) => {
          // Several invoices, then the damage somewhere among them.
          let t = text.replace(/(<Invoice[\s>][\s\S]*?<\/Invoice>)/, '$1$1$1');
          for (const e of edits) {
            const at = e.at % (t.length + 1);
            t = t.slice(0, at) + e.piece + t.slice(at);
          }
          assert.deepEqual(delegated(t).result, alone(t));
        },
      ),
      { seed: 11, numRuns: 1000 },
    );
  });
});
