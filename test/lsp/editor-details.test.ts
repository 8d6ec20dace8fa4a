import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FIXTURES } from '../support/fixtures';
import { LspClient, completionLabels as labels, hoverValue, positionOf } from '../support/lsp-client';

const read = (p: string) => readFileSync(join(FIXTURES, p), 'utf8');
const WHOLE = { start: { line: 0, character: 0 }, end: { line: 100000, character: 0 } };

describe('editor details: hover on values, padded hints, completion that fits the place', () => {
  let client: LspClient;
  before(async () => (client = await LspClient.start()));
  after(async () => client.stop());

  it('explains a figure when the cursor is on its value, not only on its tag', async () => {
    const uri = 'file:///w/hover-value.xml';
    const text = read('../../samples/wrong-totals.xml');
    await client.open(uri, text);
    const value = async (marker: string, delta: number) => hoverValue(await client.hover(uri, positionOf(text, marker, 0, delta)));
    assert.match(await value('<LineAmount>177.00', 14), /Computed: 177\.00 — 3 × 59\.00 = 177\.00/);
    assert.match(await value('<TotalTax>10.90', 12), /^\*\*TotalTax\*\* 10\.90[\s\S]*the sum of the line taxes: 19\.67 − 8\.78 = 10\.89[\s\S]*Stated 10\.90 differs from the computed 10\.89/);
    assert.match(await value('<Quantity>3', 10), /Line 1: LineAmount 177\.00 — 3 × 59\.00 = 177\.00\s+tax 19\.67 — 177\.00 × 12\.5\/112\.5 = 19\.67/);
    // An enumerated value keeps its own documentation.
    assert.match(await value('<TaxType>OUTPUT', 10), /`OUTPUT` \(TaxType\)/);
  });

  it('pads the hint that sits before </Invoice> on both sides', async () => {
    const uri = 'file:///w/bulk-hints.xml';
    await client.open(uri, read('../../samples/bulk-invoices.xml'));
    const end = (await client.inlayHints(uri, WHOLE)).filter((h) => typeof h.label === 'string' && h.label.startsWith('Subtotal'));
    assert.ok(end.length > 0);
    for (const h of end) assert.deepEqual([h.paddingLeft, h.paddingRight], [true, true], JSON.stringify(h.label));
  });

  it('offers ValidationErrors and Warnings in answers from the API only', async () => {
    const request = '<Invoice><Type>ACCREC</Type><LineItems><LineItem><Description>x</Description>\n<</LineItem></LineItems></Invoice>';
    await client.open('file:///w/request.xml', request);
    const inRequest = labels(await client.completion('file:///w/request.xml', positionOf(request, '\n<', 0, 2)));
    assert.ok(inRequest.includes('Quantity'), inRequest.join());
    assert.ok(!inRequest.includes('ValidationErrors') && !inRequest.includes('Warnings'), inRequest.join());
    const answer = `<Response><Id>1</Id><Status>OK</Status><Invoices><Invoice><Type>ACCREC</Type>\n<</Invoice></Invoices></Response>`;
    await client.open('file:///w/answer.xml', answer);
    const inAnswer = labels(await client.completion('file:///w/answer.xml', positionOf(answer, '\n<', 0, 2)));
    assert.ok(inAnswer.includes('ValidationErrors') && inAnswer.includes('Warnings'), inAnswer.join());
  });

  it("completes contact names from the endpoint's contacts", async () => {
    const c = await LspClient.start();
    try {
      await c.connection.sendNotification('xeroInvoice/organisation', { contacts: ['Kauri Builders Ltd', 'Tui Cafe'] });
      const text = '<Invoice><Type>ACCREC</Type><Contact><Name></Name></Contact></Invoice>';
      await c.open('file:///w/contact.xml', text);
      assert.deepEqual(labels(await c.completion('file:///w/contact.xml', positionOf(text, '<Name>', 0, 6))), ['Kauri Builders Ltd', 'Tui Cafe']);
    } finally {
      await c.stop();
    }
  });
});
