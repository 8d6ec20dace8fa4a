import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseXml, type XmlDocument, type XmlElement } from '@engine';
import { ROOT_CONTENT, type MoreOptions } from '@engine/xml/parse';
import { invoiceKindAt, mayHoldInvoices } from '@engine/invoice/dialect';
import { STREAM_PLAIN } from '@engine/invoice-stream';
import { contentModelFor } from '@engine/schema/registry';
import { ROOT, fixtureFiles } from '../support/fixtures';
import { shape } from '../support/compare';
import { NOT_PLAIN_MARKUP } from '../support/plain-markup';

// An invoice whose content is plain markup is read by a tight loop of its own (xml/plain-content.ts) instead of the
// general parser. Whatever the document, the tree and the problems must be the general parser's to the letter.

interface Read {
  xml: XmlDocument;
  /** Elements the close listener heard of: fewer when invoices were read as plain markup. */
  heard: number;
}

type Plain = NonNullable<MoreOptions['plain']>;

function read(text: string, plain: Plain | undefined): Read {
  let heard = 0;
  const xml = parseXml(text, () => heard++, contentModelFor(undefined), plain ? { plain } : {});
  return { xml, heard };
}

function same(text: string, label: string, asked: Plain = STREAM_PLAIN): number {
  const general = read(text, undefined);
  const plain = read(text, asked);
  assert.deepEqual(plain.xml.roots.map((r) => shape(r, null)), general.xml.roots.map((r) => shape(r, null)), label);
  assert.deepEqual(plain.xml.problems, general.xml.problems, label);
  assert.equal(plain.xml.hasDoctype, general.xml.hasDoctype, label);
  assert.equal(plain.xml.declaredEncoding, general.xml.declaredEncoding, label);
  return general.heard - plain.heard;
}

const sources = fixtureFiles().map((f) => ({ file: f, text: readFileSync(join(ROOT, f), 'utf8') }));

/** Invoices only: whether an invoice's own content is read plainly shows in how many elements the listener misses. */
const INVOICES: Plain = (el, ancestors) => invoiceKindAt(el, ancestors) !== undefined;

/** How the plain reader read `content` as an invoice's: plainly (true) or left it to the general parser. */
function readPlainly(content: string): boolean {
  // The first invoice is read plainly too: one element (its Type) the listener does not hear of.
  const text = `<Invoices><Invoice><Type>ACCREC</Type></Invoice><Invoice>${content}</Invoice></Invoices>`;
  return same(text, content, INVOICES) > 1;
}

describe('plain content: invoices read by the tight loop', () => {
  it('gives the general parser’s tree and problems for every fixture, and reads most invoices plainly', () => {
    let skipped = 0;
    for (const { file, text } of sources) skipped += same(text, file);
    assert.ok(skipped > 1000, `only ${skipped} elements were read plainly`);
  });

  it('gives the general parser’s tree and problems for each invoice of every fixture read from its own text (an open document, a worker)', () => {
    let skipped = 0;
    for (const { file, text } of sources) {
      const xml = parseXml(text);
      const invoices = xml.roots.flatMap((r) => [r, ...r.children, ...r.children.flatMap((c) => c.children)]).filter((el) => /^(Invoice|CreditNote)$/.test(el.name));
      for (const inv of invoices) skipped += same(text.slice(inv.start, inv.end), `${file} at ${inv.start}`, ROOT_CONTENT);
    }
    assert.ok(skipped > 1000, `only ${skipped} elements were read plainly`);
  });

  it('reads plain markup: text with the predefined entities, white space before the first child, self-closing tags', () => {
    assert.equal(readPlainly('\n  <Contact>\n    <Name>A &amp; B &lt;C&gt; &quot;&apos;</Name>\n  </Contact><LineItems><LineItem/></LineItems> tail '), true);
  });

  it('is asked to read plainly only elements no invoice can stand in, besides invoices', () => {
    let holders = 0;
    let others = 0;
    /** Whether an invoice stands in `el` (outermost first: `ancestors`), checking each element on the way. */
    const visit = (el: XmlElement, ancestors: XmlElement[]): boolean => {
      if (invoiceKindAt(el, ancestors)) return true;
      ancestors.push(el);
      let holds = false;
      for (const c of el.children) holds = visit(c, ancestors) || holds;
      ancestors.pop();
      assert.ok(!holds || mayHoldInvoices(el, ancestors), `<${el.name}> holds an invoice`);
      if (holds) holders++;
      else if (!mayHoldInvoices(el, ancestors)) others++;
      return holds;
    };
    for (const { text } of sources) {
      const root = parseXml(text).root;
      if (root) visit(root, []);
    }
    assert.ok(holders > 50 && others > 100, `${holders} hold invoices, ${others} others`);
    // An element no schema knows written around the invoices: there they are no invoices, and it is read plainly.
    const bulk = sources.find((s) => s.file.endsWith('bulk-five.xml'))!.text;
    const inBatch = bulk.replace('<Invoice>', '<Batch>\n  <Invoice>').replace('</Invoices>', '</Batch>\n</Invoices>');
    assert.ok(same(inBatch, 'invoices in <Batch>') > same(bulk, 'bulk-five'));
  });

  it('leaves everything else to the general parser', () => {
    const ownCases = [
      '<Name/ >',
      '<Namé>A</Namé>',
      '<Contact><Name>A</Name><LineItems><LineItem/></LineItems>',
      `${Array.from({ length: 70 }, (_, i) => `<Level${i}>`).join('')}${Array.from({ length: 70 }, (_, i) => `</Level${69 - i}>`).join('')}`,
      // An empty element inside one of its name: the general parser takes it for a mistyped end tag.
      '<Contact><Name>A<Name/></Name></Contact>',
    ];
    for (const content of [...NOT_PLAIN_MARKUP, ...ownCases].map((c) => `<Type>ACCREC</Type>${c}`)) {
      assert.equal(readPlainly(content), false, content);
    }
  });

  it('gives the general parser’s tree and problems on damaged documents (seeded)', () => {
    const bulk = sources.filter((s) => s.text.length < 30_000 && /<(Invoices|CreditNotes)>/.test(s.text));
    const pieces = ['<', '</', '/>', '<Invoice>', '</Invoice>', '<LineItem>', '</LineItem>', '</Contact>', '<Contact>', '&', '&#233;', '&amp;', '&lt;', '<!--x-->', ' a="1"', '<![CDATA[x]]>', '<Total>9.99</Total>', '\n   ', '\r\n', 'é', '😀', '&gt;', '<Name>A</Name>'];
    let plainly = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...bulk),
        fc.array(fc.record({ at: fc.nat(), piece: fc.constantFrom(...pieces) }), { minLength: 1, maxLength: 4 }),
        ({ file, text }, edits) => {
          let t = text.replace(/(<(Invoice|CreditNote)[\s>][\s\S]*?<\/\2>)/, '$1$1$1');
          for (const e of edits) {
            const at = e.at % (t.length + 1);
            t = t.slice(0, at) + e.piece + t.slice(at);
          }
          if (same(t, file) > 0) plainly++;
        },
      ),
      { seed: 7, numRuns: 1000 },
    );
    assert.ok(plainly > 500, `only ${plainly} damaged documents had an invoice read plainly`);
  });
});
