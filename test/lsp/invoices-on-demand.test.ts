import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FoldingRange, Position } from 'vscode-languageserver-protocol';
import { invoiceFingerprint } from '../../shared/src/fingerprint';
import { FIXTURES } from '../support/fixtures';
import { LspClient, completionLabels as labels, hintLabel, hoverValue, positionOf } from '../support/lsp-client';

// The server keeps per invoice its check, not its element tree: hover, completion, hints, lenses, symbols and
// folding parse an invoice again when asked. These tests edit invoices of a many-invoice answer and check that
// every feature still reads the invoice as it is now, where it is now.
const original = readFileSync(join(FIXTURES, 'lsp', 'response-many-invoices.xml'), 'utf8');
const WHOLE = { start: { line: 0, character: 0 }, end: { line: 100000, character: 0 } };
const folds = (ranges: FoldingRange[]) => ranges.map((r) => `${r.startLine}-${r.endLine}${r.kind ? ` ${r.kind}` : ''}`);
const hoverText = async (client: LspClient, uri: string, at: Position) => hoverValue(await client.hover(uri, at));

/** The k-th invoice element's text (from `<Invoice>` to after `</Invoice>`). */
function invoiceText(text: string, k: number): string {
  const start = positionAtOffset(text, '<Invoice>', k);
  const end = positionAtOffset(text, '</Invoice>', k) + '</Invoice>'.length;
  return text.slice(start, end);
}

function positionAtOffset(text: string, marker: string, occurrence: number): number {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = text.indexOf(marker, at + 1);
  return at;
}

/**
 * Opens the fixture, asks every feature once (so that whatever is kept per invoice is kept), then edits it as a
 * user would: the fourth invoice's quantity changed from 4 to 7, then a line added to the first invoice
 * (everything after it moves down a line). Returns the text after both edits.
 */
async function openAndEdit(client: LspClient, uri: string): Promise<string> {
  await client.open(uri, original);
  await client.diagnostics(uri);
  await Promise.all([client.codeLenses(uri), client.symbols(uri), client.folding(uri), client.inlayHints(uri, WHOLE), client.hover(uri, positionOf(original, '<Quantity>', 3, 10))]);
  const quantity = positionOf(original, '<Quantity>4</Quantity>', 0, '<Quantity>'.length);
  await client.change(uri, [{ range: { start: quantity, end: { line: quantity.line, character: quantity.character + 1 } }, text: '7' }]);
  let text = original.replace('<Quantity>4</Quantity>', '<Quantity>7</Quantity>');
  const status = positionOf(text, '<Status>DRAFT</Status>', 0, '<Status>DRAFT</Status>'.length);
  const reference = '\n        <Reference>R-1</Reference>';
  await client.change(uri, [{ range: { start: status, end: status }, text: reference }]);
  text = text.replace('<Status>DRAFT</Status>', `<Status>DRAFT</Status>${reference}`);
  assert.deepEqual(await client.diagnostics(uri), []);
  return text;
}

describe('features of invoices parsed again on demand, after edits', () => {
  let client: LspClient;
  before(async () => (client = await LspClient.start()));
  after(async () => client.stop());

  it('hovers, hints and lenses show the edited invoice as it is now, and the invoices after it where they are now', async () => {
    const uri = 'file:///w/on-demand-figures.xml';
    const text = await openAndEdit(client, uri);
    assert.match(await hoverText(client, uri, positionOf(text, '<Quantity>', 3, 10)), /LineAmount 70\.00 NZD — 7 × 10\.00 = 70\.00/);
    assert.match(await hoverText(client, uri, positionOf(text, '<Quantity>', 5, 10)), /LineAmount 60\.00 NZD — 6 × 10\.00 = 60\.00/);
    // The wrapper after the edited invoices: its end tag has moved down a line.
    assert.match(await hoverText(client, uri, positionOf(text, '</Invoices>', 0, 4)), /^\*\*Invoices\*\* in Response/);
    assert.match(await hoverText(client, uri, positionOf(text, '<Invoice>', 3, 3)), /^\*\*Invoice\*\* in Invoices/);

    const hints = (await client.inlayHints(uri, WHOLE)).map((h) => `${h.position.line} ${hintLabel(h)}`);
    assert.ok(hints.includes(`${positionOf(text, '</Invoice>', 3).line} Subtotal 70.00 · Tax 10.50 · Total 80.50 NZD`), hints.join('\n'));
    assert.ok(hints.includes(`${positionOf(text, '</Invoice>', 5).line} Subtotal 60.00 · Tax 9.00 · Total 69.00 NZD`), hints.join('\n'));

    const lenses = await client.codeLenses(uri);
    const titles = lenses.filter((l) => l.command?.title.startsWith('Subtotal')).map((l) => `${l.range.start.line} ${l.command!.title}`);
    assert.ok(titles.includes(`${positionOf(text, '<Invoice>', 3).line} Subtotal 70.00 · Tax 10.50 · Total 80.50 NZD · DRAFT`), titles.join('\n'));
    // Each action lens names its invoice by a fingerprint of that invoice's current text.
    const sends = lenses.filter((l) => l.command?.title === 'Send');
    assert.equal(sends.length, 36);
    sends.forEach((l, k) => {
      const [, index, target] = l.command!.arguments as [string, number, { fingerprint: string }];
      assert.equal(index, k);
      assert.equal(target.fingerprint, invoiceFingerprint(invoiceText(text, k)), `invoice ${k}`);
    });
    assert.notEqual(sends[0].command!.arguments![2].fingerprint, invoiceFingerprint(invoiceText(original, 0)));

    const symbols = await client.symbols(uri);
    assert.equal(symbols[3].name, 'INV-0104 · Customer 4 · 80.50 NZD · DRAFT');
    assert.equal(symbols[3].range.start.line, positionOf(text, '<Invoice>', 3).line);
    assert.equal(symbols[3].children![0].name, 'Line 1 · Service 4 · 70.00');
  });

  it('types in the lines of a 40-line invoice: each answer reads as a fresh server reads the same text', async () => {
    const uri = 'file:///w/forty-lines.xml';
    let text = readFileSync(join(FIXTURES, 'rules', 'totals', 'forty-lines.xml'), 'utf8');
    await client.open(uri, text);
    await client.diagnostics(uri);
    // Hover keeps the invoice's tree, so the edits below set values in it; each pull checks it with the lines kept.
    await client.hover(uri, positionOf(text, '<Quantity>', 1, 10));
    const fresh = await LspClient.start();
    const lensTitles = async (c: LspClient, u: string) => (await c.codeLenses(u)).map((l) => l.command?.title ?? '');
    try {
      // Typed at the end of a value: after `before`, `typed`. Line 2's quantity twice, line 7's description, then
      // line 3's unit amount made invalid.
      const edits = [['<Quantity>3', '0'], ['<Quantity>30', '1'], ['<Description>Service item 7', 'b'], ['<UnitAmount>14.11', 'x']];
      for (const [k, [before, typed]] of edits.entries()) {
        const at = positionOf(text, `${before}<`, 0, before.length);
        await client.change(uri, [{ range: { start: at, end: at }, text: typed }]);
        text = text.replace(`${before}<`, `${before}${typed}<`);
        const freshUri = `file:///w/forty-lines-fresh-${k}.xml`;
        await fresh.open(freshUri, text);
        assert.deepEqual(await client.diagnostics(uri), await fresh.diagnostics(freshUri), `after edit ${k + 1}`);
        assert.deepEqual(await lensTitles(client, uri), await lensTitles(fresh, freshUri), `after edit ${k + 1}`);
        // 12.74 × 301 = 3,834.74 on line 2 (was 38.22), tax 575.21 (was 5.73).
        if (k === 1) assert.ok((await lensTitles(client, uri)).includes('Subtotal 8366.72 · Tax 1255.08 · Total 9621.80 · AUTHORISED'));
        await fresh.close(freshUri);
      }
    } finally {
      await fresh.stop();
    }
    assert.ok((await client.diagnostics(uri)).some((d) => d.code === 'schema-invalid-value' && d.message.includes("'14.11x'")));
    // The last line, after every edit: its hover reads its own element where it is now.
    assert.match(await hoverText(client, uri, positionOf(text, '<Quantity>', 39, 10)), /LineAmount 64\.80 — 1 × 64\.80 = 64\.80/);
    assert.match(await hoverText(client, uri, positionOf(text, '<Quantity>', 1, 10)), /301 × 12\.74 = 3834\.74/);
    await client.close(uri);
  });

  it("completes in the edited invoice and in the wrapper's content after it", async () => {
    const uri = 'file:///w/on-demand-completion.xml';
    const text = await openAndEdit(client, uri);
    const taxTypes = labels(await client.completion(uri, positionOf(text, '<TaxType>', 3, '<TaxType>'.length)));
    assert.ok(taxTypes.includes('OUTPUT2') && taxTypes.includes('INPUT2'), taxTypes.join());
    // In a line item of the edited invoice, the elements a line may still take.
    const inLine = labels(await client.completion(uri, positionOf(text, '</TaxType>', 3, '</TaxType>'.length)));
    assert.ok(inLine.includes('LineAmount') && !inLine.includes('Quantity'), inLine.join());
    // Just after an invoice's end tag the cursor is in <Invoices>: another invoice may follow.
    const afterInvoice = labels(await client.completion(uri, positionOf(text, '</Invoice>', 4, '</Invoice>'.length)));
    assert.deepEqual(afterInvoice, ['Invoice']);
  });

  it("folds the wrapper's elements and comments right after an edit, where they are now", async () => {
    const uri = 'file:///w/on-demand-folding.xml';
    const text = await openAndEdit(client, uri);
    const got = folds(await client.folding(uri));
    const line = (marker: string, k = 0) => positionOf(text, marker, k).line;
    for (const want of [
      '1-4 comment',
      `${line('<Response>')}-${line('</Response>') - 1}`,
      `${line('<Invoices>')}-${line('</Invoices>') - 1}`,
      `${line('<!--', 1)}-${line('-->', 1)} comment`,
      `${line('<Invoice>', 0)}-${line('</Invoice>', 0) - 1}`,
      `${line('<Invoice>', 5)}-${line('</Invoice>', 5) - 1}`,
    ]) {
      assert.ok(got.includes(want), `${want} in ${got.join(' ')}`);
    }
    // The same as the same text opened afresh.
    await client.open('file:///w/on-demand-folding-fresh.xml', text);
    assert.deepEqual(got, folds(await client.folding('file:///w/on-demand-folding-fresh.xml')));
  });

  it('reads each of many invoices as its own, more than are kept parsed at a time', async () => {
    const uri = 'file:///w/on-demand-many.xml';
    await client.open(uri, original);
    const at = positionOf(original, '<Description>', 2, '<Description>'.length);
    await client.change(uri, [{ range: { start: at, end: at }, text: 'More ' }]);
    for (let round = 0; round < 2; round++) {
      for (let k = 0; k < 36; k += 1 + round) {
        const q = k + 1;
        assert.match(await hoverText(client, uri, positionOf(original, '<Quantity>', k, 10)), new RegExp(`LineAmount ${q * 10}\\.00 NZD — ${q} × 10\\.00`), `invoice ${k}`);
      }
    }
  });
});
