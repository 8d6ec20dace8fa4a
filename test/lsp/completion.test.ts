import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CompletionItem, CompletionList, Position, TextEdit } from 'vscode-languageserver-protocol';
import { FIXTURES } from '../support/fixtures';
import { applyEdits, LspClient, positionOf } from '../support/lsp-client';

const read = (p: string) => readFileSync(join(FIXTURES, p), 'utf8');
const uri = (name: string) => `file:///work/completion/${name}`;

function items(r: CompletionItem[] | CompletionList | null): CompletionItem[] {
  if (!r) return [];
  return Array.isArray(r) ? r : r.items;
}

/** Labels in the order a client shows them (by sortText, then label). */
function labels(r: CompletionItem[] | CompletionList | null): string[] {
  return items(r)
    .slice()
    .sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label) || a.label.localeCompare(b.label))
    .map((i) => i.label);
}

function item(r: CompletionItem[] | CompletionList | null, label: string): CompletionItem {
  const found = items(r).find((i) => i.label === label);
  assert.ok(found, `no completion item ${label}`);
  return found;
}

function doc(i: CompletionItem): string {
  const d = i.documentation;
  return typeof d === 'string' ? d : (d?.value ?? '');
}

const LINE = `<Invoices>
  <Invoice>
    <Type>ACCREC</Type>
    <Contact><Name>ABC Limited</Name></Contact>
    <LineItems>
      <LineItem>
        <Description>Consulting</Description>
        <Quantity>3</Quantity>
        <
        <TaxType></TaxType>
        <AccountCode></AccountCode>
        <Tracking>
          <TrackingCategory><Name>Region</Name><Option></Option></TrackingCategory>
        </Tracking>
      </LineItem>
    </LineItems>
    <CurrencyCode></CurrencyCode>
  </Invoice>
</Invoices>
`;

/** The position just after a marker (e.g. inside `<TaxType>|</TaxType>`). */
const after_ = (text: string, marker: string, occurrence = 0): Position => positionOf(text, marker, occurrence, marker.length);

/** A text with cursor marks `§`: the text without them and the marks' positions, in order. */
function marked(src: string): { text: string; at: Position[] } {
  const parts = src.split('§');
  const text = parts.join('');
  const at: Position[] = [];
  let offset = 0;
  for (let k = 0; k < parts.length - 1; k++) {
    offset += parts[k].length;
    const before = text.slice(0, offset);
    const lines = before.split('\n');
    at.push({ line: lines.length - 1, character: lines[lines.length - 1].length });
  }
  return { text, at };
}

describe('completion over the protocol', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({
      settings: {
        organisation: {
          accounts: ['200', '400'],
          taxTypes: ['TAX001', 'OUTPUT2'],
          currencies: ['NZD', 'AUD'],
          contacts: ['ABC Limited', 'Smith & Co'],
          trackingCategories: [
            { name: 'Region', options: ['North', 'South'] },
            { name: 'Department', options: ['Sales', 'Support'] },
          ],
        },
      },
    });
  });
  after(async () => client.stop());

  it('offers the child elements a LineItem still lacks after <, with their documentation and a closing tag', async () => {
    await client.open(uri('line.xml'), LINE);
    const r = await client.completion(uri('line.xml'), positionOf(LINE, '        <\n', 0, 9));
    const got = labels(r);
    for (const name of ['UnitAmount', 'LineAmount', 'TaxAmount', 'ItemCode', 'DiscountRate', 'AccountID', 'LineItemID']) assert.ok(got.includes(name), name);
    // Present already and allowed once: not offered again.
    for (const name of ['Description', 'Quantity', 'TaxType', 'AccountCode', 'Tracking']) assert.ok(!got.includes(name), name);
    const unit = item(r, 'UnitAmount');
    assert.equal(unit.insertTextFormat, 2);
    assert.equal((unit.textEdit as TextEdit).newText, 'UnitAmount>$1</UnitAmount>');
    assert.match(doc(unit), /Price per unit/);
    // Response-only elements are not offered in a request (editor-details.test.ts: they are in an API answer).
    assert.ok(!got.includes('ValidationErrors') && !got.includes('Warnings'));
  });

  it('inserts a complex element with its end tag on lines of its own', async () => {
    const text = LINE.replace('<Tracking>\n          <TrackingCategory><Name>Region</Name><Option></Option></TrackingCategory>\n        </Tracking>\n', '');
    await client.open(uri('complex.xml'), text);
    const r = await client.completion(uri('complex.xml'), positionOf(text, '        <\n', 0, 9));
    assert.equal((item(r, 'Tracking').textEdit as TextEdit).newText, 'Tracking>\n\t$0\n</Tracking>');
  });

  it('respects maxOccurs: a repeatable element stays on offer, a full one does not', async () => {
    const { text, at } = marked(`<Invoices>
  <Invoice>
    <LineItems>
      <LineItem><Tracking>
        <TrackingCategory><Name>Region</Name></TrackingCategory>
        <TrackingCategory><Name>Department</Name></TrackingCategory>
        <§
      </Tracking></LineItem>
      <§
    </LineItems>
  </Invoice>
  <§
</Invoices>
`);
    await client.open(uri('occurs.xml'), text);
    assert.deepEqual(labels(await client.completion(uri('occurs.xml'), at[0])), []);
    assert.deepEqual(labels(await client.completion(uri('occurs.xml'), at[1])), ['LineItem']);
    assert.deepEqual(labels(await client.completion(uri('occurs.xml'), at[2])), ['Invoice']);
  });

  it('offers enumeration values with their documentation: Type, TaxType (organisation codes first), CurrencyCode', async () => {
    const text = LINE.replace('<Type>ACCREC</Type>', '<Type></Type>');
    await client.open(uri('values.xml'), text);
    const type = await client.completion(uri('values.xml'), after_(text, '<Type>'));
    assert.deepEqual(labels(type), ['ACCREC', 'ACCPAY']);
    assert.match(doc(item(type, 'ACCREC')), /Sales invoice/);

    const tax = await client.completion(uri('values.xml'), after_(text, '<TaxType>'));
    const taxLabels = labels(tax);
    assert.deepEqual(taxLabels.slice(0, 2), ['TAX001', 'OUTPUT2']);
    assert.ok(taxLabels.includes('OUTPUT') && taxLabels.includes('INPUT2') && taxLabels.includes('NONE'));
    assert.equal(taxLabels.filter((l) => l === 'OUTPUT2').length, 1);
    assert.match(doc(item(tax, 'OUTPUT2')), /15% GST on Income/);

    const currency = labels(await client.completion(uri('values.xml'), after_(text, '<CurrencyCode>')));
    assert.deepEqual(currency.slice(0, 2), ['NZD', 'AUD']);
    assert.ok(currency.includes('USD') && currency.includes('GBP'));
  });

  it("offers the organisation's accounts, contacts and tracking categories and options", async () => {
    await client.open(uri('org.xml'), LINE);
    assert.deepEqual(labels(await client.completion(uri('org.xml'), after_(LINE, '<AccountCode>'))), ['200', '400']);
    const contacts = await client.completion(uri('org.xml'), positionOf(LINE, 'ABC Limited</Name></Contact>', 0, 3));
    assert.deepEqual(labels(contacts), ['ABC Limited', 'Smith & Co']);
    // The value in place is replaced whole, and markup characters are escaped.
    const smith = item(contacts, 'Smith & Co').textEdit as TextEdit;
    assert.equal(applyEdits(LINE, [smith]).includes('<Name>Smith &amp; Co</Name></Contact>'), true);
    assert.deepEqual(labels(await client.completion(uri('org.xml'), positionOf(LINE, 'Region</Name><Option>', 0, 2))), ['Region', 'Department']);
    assert.deepEqual(labels(await client.completion(uri('org.xml'), after_(LINE, '<Option>'))), ['North', 'South']);
  });

  it('adds the lists the client fetched from the endpoint', async () => {
    const c = await LspClient.start({ settings: { organisation: { accounts: ['200'] } } });
    try {
      await c.connection.sendNotification('xeroInvoice/organisation', { accounts: ['200', '090'] });
      await c.open(uri('endpoint.xml'), LINE);
      assert.deepEqual(labels(await c.completion(uri('endpoint.xml'), after_(LINE, '<AccountCode>'))), ['200', '090']);
    } finally {
      await c.stop();
    }
  });

  it('works in a broken document: an unclosed <Description> elsewhere, a half-typed <Qu, end tags missing below', async () => {
    const text = read('lsp/broken-completion.xml');
    await client.open(uri('broken.xml'), text);
    const at = positionOf(text, '<Qu\n', 0, 3);
    const r = await client.completion(uri('broken.xml'), at);
    const got = labels(r);
    assert.ok(got.includes('Quantity'));
    assert.ok(!got.includes('Description') && !got.includes('UnitAmount'), 'present in this line');
    const q = item(r, 'Quantity');
    const edit = q.textEdit as TextEdit;
    assert.deepEqual(edit.range, { start: { line: at.line, character: at.character - 2 }, end: at });
    assert.equal(edit.newText, 'Quantity>$1</Quantity>');
    // In the invoice whose end tags are missing further down.
    const tail = marked(`${text}        <TaxType>§</TaxType>\n        <§\n`);
    await client.change(uri('broken.xml'), [{ text: tail.text }]);
    const tailItems = labels(await client.completion(uri('broken.xml'), tail.at[1]));
    assert.ok(tailItems.includes('Quantity') && !tailItems.includes('Description') && !tailItems.includes('TaxType'));
    assert.ok(labels(await client.completion(uri('broken.xml'), tail.at[0])).includes('OUTPUT2'));
  });

  it('inside an existing tag changes the name only; after </ closes the open element', async () => {
    const text = LINE.replace('<Quantity>3</Quantity>', '<Qu>3</Quantity>');
    await client.open(uri('rename.xml'), text);
    const r = await client.completion(uri('rename.xml'), after_(text, '<Qu'));
    assert.equal((item(r, 'Quantity').textEdit as TextEdit).newText, 'Quantity');
    const closing = LINE.replace('<Quantity>3</Quantity>', '<Quantity>3</');
    await client.open(uri('close.xml'), closing);
    const c = await client.completion(uri('close.xml'), after_(closing, '3</'));
    assert.deepEqual(labels(c), ['Quantity']);
    assert.equal((item(c, 'Quantity').textEdit as TextEdit).newText, 'Quantity>');
  });

  it('keeps working in an invoice re-parsed on its own after an edit', async () => {
    const text = read('lsp/two-invoices.xml');
    await client.open(uri('edited.xml'), text);
    const at = positionOf(text, 'Paper');
    await client.change(uri('edited.xml'), [{ range: { start: at, end: { line: at.line, character: at.character + 5 } }, text: 'Printer paper' }]);
    const edited = text.replace('Paper', 'Printer paper');
    const tax = labels(await client.completion(uri('edited.xml'), positionOf(edited, 'INPUT2', 0, 2)));
    assert.deepEqual(tax.slice(0, 2), ['TAX001', 'OUTPUT2']);
    assert.ok(tax.includes('INPUT2'));
    // A word typed in element-only content becomes a whole element.
    const word = edited.replace('        <Quantity>2</Quantity>\n', '        Uni\n        <Quantity>2</Quantity>\n');
    await client.change(uri('edited.xml'), [{ text: word }]);
    const r = await client.completion(uri('edited.xml'), positionOf(word, 'Uni\n', 0, 3));
    assert.ok(!labels(r).includes('UnitAmount'), `UnitAmount is present already: ${labels(r).join(', ')}`);
    assert.equal((item(r, 'LineAmount').textEdit as TextEdit).newText, '<LineAmount>$1</LineAmount>');
  });

  it('offers nothing in comments, in attribute lists or in documents that are not invoices', async () => {
    const text = LINE.replace('<Quantity>3</Quantity>', '<!-- <Qu --><Quantity a="1">3</Quantity>');
    await client.open(uri('quiet.xml'), text);
    assert.deepEqual(labels(await client.completion(uri('quiet.xml'), after_(text, '<!-- <Qu'))), []);
    assert.deepEqual(labels(await client.completion(uri('quiet.xml'), after_(text, '<Quantity a'))), []);
    const pom = read('bad-input/maven-pom.xml');
    await client.open(uri('pom.xml'), pom);
    assert.deepEqual(labels(await client.completion(uri('pom.xml'), after_(pom, '<'))), []);
  });
});
