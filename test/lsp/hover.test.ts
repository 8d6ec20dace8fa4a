import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { FIXTURES } from '../support/fixtures';
import { LspClient, positionOf } from '../support/lsp-client';

const read = (p: string) => readFileSync(join(FIXTURES, p), 'utf8');
const uri = (name: string) => `file:///work/hover/${name}`;

function value(h: Hover | null): string {
  assert.ok(h, 'no hover');
  const c = h.contents as MarkupContent;
  assert.equal(c.kind, 'markdown');
  return c.value;
}

describe('hover over the protocol', () => {
  let client: LspClient;
  const seed = read('seeds/001-every-element.xml');
  before(async () => {
    client = await LspClient.start();
    await client.open(uri('seed.xml'), seed);
  });
  after(async () => client.stop());

  it("shows an element's XSD documentation, type, allowed values and occurrences, on its start and end tag", async () => {
    const start = positionOf(seed, '<Type>', 0, 2);
    const h = await client.hover(uri('seed.xml'), start);
    const text = value(h);
    assert.match(text, /Kind of invoice: ACCREC for a sales invoice or ACCPAY for a bill/);
    assert.match(text, /Type: one of ACCREC, ACCPAY/);
    assert.match(text, /`ACCREC` — Sales invoice/);
    assert.match(text, /Occurs: optional, at most once \(minOccurs 0, maxOccurs 1\)/);
    assert.deepEqual(h!.range, { start: { line: start.line, character: 1 }, end: { line: start.line, character: 5 } });
    const end = await client.hover(uri('seed.xml'), positionOf(seed, '</Type>', 0, 3));
    assert.equal(value(end), text);
    assert.deepEqual(end!.range, { start: { line: start.line, character: 14 }, end: { line: start.line, character: 18 } });
  });

  it('lists the first 20 values of a long enumeration and says how many more there are', async () => {
    const text = value(await client.hover(uri('seed.xml'), positionOf(seed, '<TaxType>', 0, 3)));
    assert.match(text, /Tax rate code, e\.g\. OUTPUT2/);
    assert.match(text, /or text matching TAX\[0-9\]\{3\}/);
    assert.equal((text.match(/^- `/gm) ?? []).length, 20);
    assert.match(text, /^- … and \d+ more$/m);
  });

  it('shows the computed LineAmount and TaxAmount of a line and how they were derived (seed 001)', async () => {
    const line = value(await client.hover(uri('seed.xml'), positionOf(seed, '<LineAmount>', 0, 4)));
    assert.match(line, /Line total, 2 decimal places/);
    assert.match(line, /Computed: 177\.00 NZD — 3\.0000 × 59\.00 = 177\.00/);
    assert.match(line, /tax 19\.67 — .*177\.00 × 12\.5\/112\.5 = 19\.67/);
    const tax = value(await client.hover(uri('seed.xml'), positionOf(seed, '<TaxAmount>', 1, 4)));
    assert.match(tax, /Computed: -8\.78 NZD — TaxAmount as stated: -8\.78 \(computed -79\.00 × 12\.5\/112\.5 = -8\.78\)/);
  });

  it('shows how SubTotal, TotalTax and Total come from the lines (Inclusive)', async () => {
    const total = value(await client.hover(uri('seed.xml'), positionOf(seed, '<Total>', 0, 3)));
    assert.match(total, /Computed: 98\.00 NZD — the sum of the line amounts \(Inclusive: they include tax\): 177\.00 − 79\.00 = 98\.00/);
    const totalTax = value(await client.hover(uri('seed.xml'), positionOf(seed, '<TotalTax>', 0, 3)));
    assert.match(totalTax, /Computed: 10\.89 NZD — the sum of the line taxes: 19\.67 − 8\.78 = 10\.89/);
    const subTotal = value(await client.hover(uri('seed.xml'), positionOf(seed, '<SubTotal>', 0, 3)));
    assert.match(subTotal, /Computed: 87\.11 NZD — Total 98\.00 − TotalTax 10\.89 = 87\.11/);
    assert.doesNotMatch(subTotal, /differs/);
  });

  it('says when a stated total differs, and keeps working after an edit re-parses the invoice', async () => {
    const text = read('rules/totals/bulk-five.xml');
    await client.open(uri('bulk.xml'), text);
    const wrong = value(await client.hover(uri('bulk.xml'), positionOf(text, '<Total>604.53', 0, 2)));
    assert.match(wrong, /Computed: 604\.54 — SubTotal 590\.90 \+ TotalTax 13\.64 = 604\.54 \(Exclusive\)/);
    assert.match(wrong, /Stated 604\.53 differs from the computed 604\.54/);
    // Edit the quantity of the third invoice's second line: that invoice is re-parsed on its own.
    const at = positionOf(text, '<Quantity>2</Quantity>', 0, 10);
    await client.change(uri('bulk.xml'), [{ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '3' }]);
    const edited = text.replace('<Quantity>2</Quantity>', '<Quantity>3</Quantity>');
    const sub = value(await client.hover(uri('bulk.xml'), positionOf(edited, '<SubTotal>590.90', 0, 2)));
    assert.match(sub, /Computed: 636\.35 — the sum of the line amounts \(Exclusive\): 500\.00 \+ 136\.35 = 636\.35/);
    const type = value(await client.hover(uri('bulk.xml'), positionOf(edited, '<Type>', 2, 2)));
    assert.match(type, /Kind of invoice/);
  });

  it('explains an enumerated value under the cursor, and is quiet elsewhere', async () => {
    const h = await client.hover(uri('seed.xml'), positionOf(seed, '>SUBMITTED<', 0, 3));
    assert.match(value(h), /`SUBMITTED` \(Status\)/);
    assert.equal(await client.hover(uri('seed.xml'), positionOf(seed, 'Ariki Properties', 0, 2)), null);
    const pom = read('bad-input/maven-pom.xml');
    await client.open(uri('pom.xml'), pom);
    assert.equal(await client.hover(uri('pom.xml'), positionOf(pom, '<project', 0, 2)), null);
  });

  it('documents the wrapper elements of responses and the legacy and WorkflowMax dialects', async () => {
    const wfm = read('rules/workflowmax/task-cost-mismatch.xml');
    await client.open(uri('wfm.xml'), wfm);
    const task = value(await client.hover(uri('wfm.xml'), positionOf(wfm, '<Task>', 0, 2)));
    assert.match(task, /\*\*Task\*\* in Tasks/);
    assert.match(task, /Occurs:/);
    const legacy = read('rules/legacy-1.0/put-invoice-ok.xml');
    await client.open(uri('legacy.xml'), legacy);
    const invoiceType = value(await client.hover(uri('legacy.xml'), positionOf(legacy, '<InvoiceType>', 0, 2)));
    assert.match(invoiceType, /ACCREC/);
  });
});
