import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineIndex, elementAt, parseXml } from '@engine';
import { MAX_DEPTH } from '@engine/xml/parse';
import { NOT_PLAIN_MARKUP } from '../support/plain-markup';

const codes = (text: string) => parseXml(text).problems.map((p) => p.code);

describe('xml parser: structure and offsets', () => {
  it('keeps start/end offsets of tags and content', () => {
    const text = '<a x="1"><b>hi</b><c/></a>';
    const doc = parseXml(text);
    const a = doc.root!;
    const [b, c] = a.children;
    assert.deepEqual([a.start, a.nameEnd, a.openEnd, a.closeStart, a.end], [0, 2, 9, 22, 26]);
    assert.equal(text.slice(b.openEnd, b.closeStart), 'hi');
    assert.equal(text.slice(b.start, b.end), '<b>hi</b>');
    assert.deepEqual([c.selfClosing, c.start, c.end], [true, 18, 22]);
    assert.deepEqual(a.attributes[0], { name: 'x', value: '1', start: 3, end: 8, valueStart: 6, valueEnd: 7 });
    assert.equal(elementAt(a, 13), b);
    assert.equal(elementAt(a, 20), c);
    assert.equal(elementAt(a, 1), a);
  });

  it('counts offsets in UTF-16 code units, as LSP positions do', () => {
    const text = '<a>😀</a><!--x-->';
    const doc = parseXml(text);
    assert.equal(doc.root!.closeStart, 5);
    assert.equal(doc.root!.text, '😀');
  });

  it('decodes the predefined entities and character references, and CDATA verbatim', () => {
    const doc = parseXml('<a>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;<![CDATA[<&>]]></a>');
    assert.equal(doc.root!.text, `<>&"'AB<&>`);
    assert.deepEqual(doc.problems, []);
  });

  it('skips a byte order mark and handles CRLF line ends', () => {
    const text = '\uFEFF<a>\r\n  <b>1</b>\r\n</a>\r\n';
    const doc = parseXml(text);
    assert.deepEqual(doc.problems, []);
    const lines = new LineIndex(text);
    assert.deepEqual(lines.positionAt(doc.root!.children[0].start), { line: 1, character: 2 });
    assert.equal(lines.offsetAt({ line: 1, character: 2 }), doc.root!.children[0].start);
    assert.deepEqual(new LineIndex('a\rb\nc').positionAt(4), { line: 2, character: 0 });
  });
});

describe('xml parser: one problem at the root cause', () => {
  it('reports an element left open once, at its start tag, and keeps its siblings', () => {
    const text = '<r><i n="1"/><i n="2"><Description>x<Quantity>1</Quantity></i><i n="3"/></r>';
    const doc = parseXml(text);
    assert.deepEqual(doc.problems.map((p) => [p.code, text.slice(p.start, p.end)]), [['xml-unclosed-element', '<Description']]);
    const invoices = doc.root!.children;
    assert.deepEqual(invoices.map((i) => i.attributes[0].value), ['1', '2', '3']);
    // The leaf whose end tag was forgotten gives its would-be children back to the line.
    assert.deepEqual(invoices[1].children.map((c) => c.name), ['Description', 'Quantity']);
  });

  it('treats a misspelt end tag as closing the open element', () => {
    const doc = parseXml('<L><Quantity>1</Quantiy><UnitAmount>2</UnitAmount></L>');
    assert.deepEqual(doc.problems.map((p) => p.code), ['xml-mismatched-end-tag']);
    assert.deepEqual(doc.root!.children.map((c) => c.name), ['Quantity', 'UnitAmount']);
  });

  it('reports a stray end tag without closing anything', () => {
    const doc = parseXml('<a><b/></c></a>');
    assert.deepEqual(doc.problems.map((p) => p.code), ['xml-stray-end-tag']);
    assert.equal(doc.root!.unclosed, false);
  });

  it('reports an unterminated document once', () => {
    assert.deepEqual(codes('<a><b><c>1</c>'), ['xml-unclosed-element']);
  });

  it('reports malformed tags, attributes and stray ampersands', () => {
    assert.deepEqual(codes('<a b=1>x</a>'), ['xml-malformed-tag']);
    assert.deepEqual(codes('<a b="1" b="2"/>'), ['xml-duplicate-attribute']);
    assert.deepEqual(codes('<a>Fish & Chips</a>'), ['xml-unescaped-ampersand']);
    assert.deepEqual(codes('<a>1 < 2</a>'), ['xml-malformed-tag']);
    assert.deepEqual(codes('<a>&#0;</a>'), ['xml-invalid-character-reference']);
    assert.deepEqual(codes('<a/><b/>'), ['xml-multiple-roots']);
    assert.deepEqual(codes('junk<a/>'), ['xml-text-outside-root']);
    assert.deepEqual(codes('<a><!-- never closed'), ['xml-unclosed-element', 'xml-unterminated']);
  });

  it("passes over a '<!' that starts nothing, and the '-' of a '<!-' (a comment being typed), making no text of them", () => {
    for (const [source, span, text] of [
      ['<a>1<!2</a>', '<!', '12'],
      ['<a>1<!-2</a>', '<!-', '12'],
      ['<a>1<!- -2</a>', '<!-', '1 -2'],
    ] as const) {
      const doc = parseXml(source);
      assert.equal(doc.root!.text, text, source);
      assert.deepEqual(doc.problems.map((p) => [p.code, source.slice(p.start, p.end)]), [['xml-malformed-tag', span]], source);
    }
  });

  it('reports an empty document', () => {
    assert.deepEqual(codes(''), ['xml-empty-document']);
    assert.deepEqual(codes('  \n '), ['xml-empty-document']);
  });
});

describe('xml parser: hostile input', () => {
  it('never expands entities: a billion-laughs DOCTYPE gives a DOCTYPE problem and one undefined entity', () => {
    const defs = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    const text = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">${defs}]><Invoice><Reference>&lol9;</Reference></Invoice>`;
    const doc = parseXml(text);
    assert.deepEqual(doc.problems.map((p) => p.code), ['xml-doctype', 'xml-undefined-entity']);
    assert.equal(doc.root!.children[0].text, '&lol9;');
    assert.equal(doc.hasDoctype, true);
  });

  it('never fetches an external entity', () => {
    const doc = parseXml('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>');
    assert.deepEqual(doc.problems.map((p) => p.code), ['xml-doctype', 'xml-undefined-entity']);
    assert.equal(doc.root!.text, '&x;');
  });

  it('caps repeated problems (a million references are not a million diagnostics)', () => {
    const doc = parseXml(`<r>${'&bomb;'.repeat(100000)}</r>`);
    assert.equal(doc.problems.filter((p) => p.code === 'xml-undefined-entity').length, 50);
    assert.deepEqual(doc.problems.filter((p) => p.code === 'diagnostics-capped').map((p) => [p.severity, p.message.slice(0, 43)]), [
      ['error', '99950 more xml-undefined-entity problems in'],
    ]);
  });

  it('reports binary content once', () => {
    const junk = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('');
    const doc = parseXml(junk);
    assert.equal(doc.problems.filter((p) => p.code === 'xml-binary-content').length, 1);
  });

  it('survives nesting far deeper than any invoice, keeping the tree bounded', () => {
    const depth = 100000;
    const doc = parseXml('<a>'.repeat(depth) + '</a>'.repeat(depth));
    assert.deepEqual(doc.problems.map((p) => p.code), ['xml-too-deep']);
    let d = 0;
    for (let el = doc.root; el; el = el.children[0]) d++;
    assert.equal(d, MAX_DEPTH);
  });

  it('parses 10 MB on one line', () => {
    const invoice = '<Invoice><Type>ACCREC</Type><Reference>x</Reference></Invoice>';
    const text = `<Invoices>${invoice.repeat(Math.ceil(10_000_000 / invoice.length))}</Invoices>`;
    const doc = parseXml(text);
    assert.deepEqual(doc.problems, []);
    assert.equal(doc.root!.children.length, Math.ceil(10_000_000 / invoice.length));
    assert.equal(new LineIndex(text).lineCount, 1);
  });
});

describe('xml parser: skimming an element it need not read', () => {
  const skimmedIn = (content: string) => {
    const heard: { name: string; skimmed: boolean; end: number }[] = [];
    const text = `<Invoices><Invoice>${content}</Invoice><Invoice><Total>1</Total></Invoice></Invoices>`;
    const xml = parseXml(text, (el, _a, _p, skimmed = false) => heard.push({ name: el.name, skimmed, end: el.end }), undefined, { skim: (el) => el.name === 'Invoice' });
    const first = heard.find((h) => h.name === 'Invoice')!;
    assert.equal(first.end, text.indexOf('</Invoice>') + '</Invoice>'.length, 'the element ends after its end tag either way');
    assert.equal(xml.root!.children.length, 2);
    return first.skimmed;
  };

  it('skims plain markup: elements without attributes, the predefined entities, self-closing tags', () => {
    assert.equal(skimmedIn('<Contact><Name>A &amp; B &lt;C&gt;</Name></Contact><LineItems><LineItem/></LineItems>'), true);
  });

  it('reads everything else, where a problem or a different tree could come from', () => {
    for (const content of NOT_PLAIN_MARKUP) assert.equal(skimmedIn(content), false, content);
  });
});

describe('xml parser: references in character data', () => {
  it('decodes each reference however much text without one comes before it, and reports each bare ampersand', () => {
    const plain = Array.from({ length: 50 }, (_, i) => `<v>plain ${i}</v>`).join('');
    const text = `<a>${plain}<b>A &amp; B</b>${plain}<c x="&lt;">&#65;&gt; &</c><d>no reference</d><e>&quot;</e></a>`;
    const doc = parseXml(text);
    const byName = (n: string) => doc.root!.children.find((c) => c.name === n)!;
    assert.equal(byName('b').text, 'A & B');
    assert.equal(byName('c').text, 'A> &');
    assert.equal(byName('c').attributes[0].value, '<');
    assert.equal(byName('d').text, 'no reference');
    assert.equal(byName('e').text, '"');
    assert.deepEqual(doc.problems.map((p) => [p.code, text.slice(p.start, p.end)]), [['xml-unescaped-ampersand', '&']]);
    assert.equal(doc.root!.children[0].text, 'plain 0');
  });
});

describe('xml parser: element names', () => {
  it('matches an end tag to its start tag by the whole name, never a prefix or an extension of it', () => {
    assert.deepEqual(codes('<Invoice><InvoiceNumber>1</InvoiceNumber></Invoice>'), []);
    assert.deepEqual(codes('<Invoice></Invoic>'), ['xml-mismatched-end-tag']);
    assert.deepEqual(codes('<Invoice></InvoiceX>'), ['xml-mismatched-end-tag']);
    assert.deepEqual(codes('<Invoic></Invoice>'), ['xml-mismatched-end-tag']);
    const spaced = parseXml('<Invoice><Type>A</Type ></Invoice  >');
    assert.deepEqual(spaced.problems, []);
    assert.equal(spaced.root!.children[0].text, 'A');
  });

  it('reads names beyond ASCII, and their end tags, as names', () => {
    const doc = parseXml('<Über><Prüfung>ok</Prüfung><Prüfung/></Über>');
    assert.deepEqual(doc.problems, []);
    assert.deepEqual(doc.root!.children.map((c) => c.name), ['Prüfung', 'Prüfung']);
    assert.equal(doc.root!.name, 'Über');
    assert.deepEqual(codes('<Über></Ubër>'), ['xml-unclosed-element', 'xml-stray-end-tag']);
    assert.deepEqual(codes('<Prüfung></Prüfunk>'), ['xml-mismatched-end-tag']);
  });

  it('keeps reading names exactly once more names have been met than it keeps', () => {
    // 2,000 names of 8 distinct characters each: more trie nodes than the parser keeps.
    const names = Array.from({ length: 2000 }, (_, i) => `n${i.toString(36).padStart(3, '0')}x${(i * 7919).toString(36).slice(-3)}`);
    const text = `<root>${names.map((n) => `<${n}>v</${n}>`).join('')}<${names[5]}></${names[6]}></root>`;
    const doc = parseXml(text);
    assert.deepEqual(doc.root!.children.map((c) => c.name), names.concat(names[5]));
    assert.deepEqual(doc.root!.children.slice(0, -1).map((c) => text.slice(c.start + 1, c.nameEnd)), names);
    assert.deepEqual(doc.problems.map((p) => p.code), ['xml-unclosed-element', 'xml-stray-end-tag']);
    // A name met again is the same string object as the first time (names are shared, not slices of the text).
    const again = parseXml(`<root><${names[1999]}/></root>`);
    assert.equal(again.root!.children[0].name, names[1999]);
  });
});
