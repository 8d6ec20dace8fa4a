import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseXml, type XmlElement } from '@engine';
import { FIXTURES } from '../support/fixtures';
import { applyEdits, LspClient } from '../support/lsp-client';

const read = (p: string) => readFileSync(join(FIXTURES, p), 'utf8');
const uri = (name: string) => `file:///work/formatting/${name}`;

/** Every element's path and the text of its leaves: what formatting must never change. */
function content(text: string): string[] {
  const out: string[] = [];
  const walk = (el: XmlElement, path: string) => {
    const p = `${path}/${el.name}`;
    out.push(el.children.length === 0 ? `${p}=${JSON.stringify(text.slice(el.openEnd, el.closeStart))}` : p);
    for (const c of el.children) walk(c, p);
  };
  walk(parseXml(text).root!, '');
  return out;
}

describe('formatting over the protocol', () => {
  let client: LspClient;
  before(async () => (client = await LspClient.start()));
  after(async () => client.stop());

  async function format(name: string, text: string, options = { tabSize: 2, insertSpaces: true }): Promise<string> {
    await client.open(uri(name), text);
    return applyEdits(text, await client.format(uri(name), options));
  }

  it('re-indents a messy document as the expected fixture shows, with one edit per whitespace run', async () => {
    const messy = read('lsp/messy.xml');
    await client.open(uri('messy.xml'), messy);
    const edits = await client.format(uri('messy.xml'));
    assert.equal(applyEdits(messy, edits), read('lsp/messy.formatted.xml'));
    for (const e of edits) assert.match(e.newText, /^\n *$/);
    assert.equal(edits.length, 20);
  });

  it('leaves text content, CDATA, comments, processing instructions and attribute values exactly as they were', async () => {
    const messy = read('lsp/messy.xml');
    const formatted = await format('content.xml', messy);
    assert.deepEqual(content(formatted), content(messy));
    for (const kept of ['<![CDATA[  <b>keep</b>   as is  ]]>', '<Description>  Consulting\n     services  </Description>', '<Name>ABC  Limited</Name>', '<?keep this processing instruction?>', '  <!-- same-line comment stays put -->']) {
      assert.ok(formatted.includes(kept), kept);
    }
    // Mixed content (text beside elements) and xml:space="preserve" are left alone.
    const mixed = `<Invoices>\n<Invoice>\n<Contact>oops <Name>A</Name>   <Phones>\n<Phone/></Phones></Contact>\n<Reference xml:space="preserve"><x>  </x>   <y/></Reference>\n</Invoice>\n</Invoices>\n`;
    const out = await format('mixed.xml', mixed);
    assert.ok(out.includes('<Contact>oops <Name>A</Name>   <Phones>\n        <Phone/>\n      </Phones></Contact>'), out);
    assert.ok(out.includes('<Reference xml:space="preserve"><x>  </x>   <y/></Reference>'), out);
    assert.deepEqual(content(out), content(mixed));
  });

  it('is idempotent: formatting a formatted document changes nothing', async () => {
    const formatted = read('lsp/messy.formatted.xml');
    await client.open(uri('again.xml'), formatted);
    assert.deepEqual(await client.format(uri('again.xml')), []);
    const tabs = await format('tabs.xml', read('lsp/messy.xml'), { tabSize: 4, insertSpaces: false });
    assert.ok(tabs.includes('\n\t\t\t<LineItem>\n\t\t\t\t<Description>'));
    await client.open(uri('tabs-again.xml'), tabs);
    assert.deepEqual(await client.format(uri('tabs-again.xml'), { tabSize: 4, insertSpaces: false }), []);
    for (const f of ['seeds/001-every-element.xml', 'rules/totals/bulk-five.xml', 'rules/workflowmax/task-cost-mismatch.xml']) {
      const once = await format(`once-${f}`, read(f));
      assert.deepEqual(content(once), content(read(f)), f);
      await client.open(uri(`twice-${f}`), once);
      assert.deepEqual(await client.format(uri(`twice-${f}`)), [], f);
    }
  });

  it('keeps the line ending of the document (CRLF)', async () => {
    const crlf = read('lsp/messy.xml').replace(/\n/g, '\r\n');
    const out = await format('crlf.xml', crlf);
    assert.equal(out, read('lsp/messy.formatted.xml').replace(/\n/g, '\r\n'));
    assert.ok(!/[^\r]\n/.test(out));
  });

  it('returns no edits for a document with structural problems, or one that is not an invoice document', async () => {
    for (const f of ['lsp/broken-completion.xml', 'bad-input/mismatched-end-tag.xml', 'bad-input/unclosed-description-middle.xml', 'bad-input/truncated.xml', 'bad-input/two-roots.xml', 'bad-input/malformed-tag-less-than.xml']) {
      await client.open(uri(f), read(f));
      assert.deepEqual(await client.format(uri(f)), [], f);
    }
    const stray = '<Invoices>\n<Invoice>\n<Type>ACCREC</Type></Status>\n</Invoice>\n</Invoices>\n';
    await client.open(uri('stray.xml'), stray);
    assert.deepEqual(await client.format(uri('stray.xml')), []);
    await client.open(uri('pom.xml'), read('bad-input/maven-pom.xml'));
    assert.deepEqual(await client.format(uri('pom.xml')), []);
  });

  it('formats a many-invoice answer invoice by invoice at its depth in the wrapper, right after an edit in one', async () => {
    const answer = read('lsp/response-many-invoices.xml');
    await client.open(uri('answer.xml'), answer);
    await client.format(uri('answer.xml'));
    // An edit inside the third invoice (a line more, not indented), then the whole document formatted.
    const at = answer.indexOf('<Quantity>3</Quantity>') + '<Quantity>3</Quantity>'.length;
    const line = answer.slice(0, at).split('\n').length - 1;
    const character = at - answer.lastIndexOf('\n', at - 1) - 1;
    const added = '\n<LineAmount>30.00</LineAmount>';
    await client.change(uri('answer.xml'), [{ range: { start: { line, character }, end: { line, character } }, text: added }]);
    const edited = answer.slice(0, at) + added + answer.slice(at);
    const out = applyEdits(edited, await client.format(uri('answer.xml')));
    // <Response> at depth 0, <Invoices> 1, each <Invoice> 2 and its fields 3, a line's fields 5.
    assert.equal(out.match(/\n {4}<Invoice>\n {6}<Type>ACCREC<\/Type>/g)?.length, 36, out);
    assert.ok(out.includes('\n          <Quantity>3</Quantity>\n          <LineAmount>30.00</LineAmount>\n'), out);
    assert.ok(out.includes('\n    </Invoice>\n    <!--\n        The second half of the batch.\n      -->\n    <Invoice>'), out);
    assert.ok(out.includes('\n  </Invoices>\n</Response>'), out);
    assert.deepEqual(content(out), content(edited));
    await client.open(uri('answer-again.xml'), out);
    assert.deepEqual(await client.format(uri('answer-again.xml')), []);
  });

  it('formats a range from the invoices it touches: their edits inside the range, as the whole document gets', async () => {
    const formatted = read('lsp/messy.formatted.xml');
    // Two invoices, the second messed up inside; a range over the second (and a little of the first).
    const invoices = formatted.slice(formatted.indexOf('  <Invoice>'), formatted.indexOf('</Invoices>'));
    const clean = formatted.replace('</Invoices>', `${invoices.replace('INV-0042', 'INV-0043')}</Invoices>`);
    const at = clean.lastIndexOf('  <Invoice>');
    const messed = clean.slice(0, at) + clean.slice(at).replace(/\n +</g, (m, offset: number) => (offset % 3 === 0 ? '\n<' : m));
    assert.notEqual(messed, clean);
    await client.open(uri('range.xml'), messed);
    const lines = messed.split('\n');
    const startLine = messed.slice(0, at).split('\n').length - 3;
    const range = { start: { line: startLine, character: 0 }, end: { line: lines.length - 2, character: 0 } };
    const edits = await client.formatRange(uri('range.xml'), range);
    assert.ok(edits.length > 0);
    for (const e of edits) assert.ok(e.range.start.line >= startLine && e.range.end.line <= lines.length - 2, JSON.stringify(e.range));
    assert.equal(applyEdits(messed, edits), clean);
    const whole = (await client.format(uri('range.xml'))).filter((e) => e.range.start.line >= startLine && e.range.end.line <= lines.length - 2);
    assert.deepEqual(edits, whole);
  });
});
