import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FIXTURES } from '../support/fixtures';
import { LspClient, positionOf } from '../support/lsp-client';

// A big document is read and checked a slice at a time as it opens: the server answers requests about other
// documents meanwhile, and stops reading a document that is closed before it is read.

const five = readFileSync(join(FIXTURES, 'rules', 'totals', 'bulk-five.xml'), 'utf8');
/** bulk-five's invoices 400 times over: 2,000 invoices, 1.5 MB, read in many slices. */
const big = five.slice(0, five.indexOf('<Invoice>')) + five.slice(five.indexOf('<Invoice>'), five.lastIndexOf('</Invoices>')).repeat(400) + five.slice(five.lastIndexOf('</Invoices>'));
const SMALL = 'file:///opening/small.xml';
const BIG = 'file:///opening/big.xml';

/**
 * Opens BIG and calls `then` as soon as the server has its settings, i.e. as it starts reading the document (the
 * configuration answer is written before `then` runs); resolves with what `then` gave, once it has settled.
 */
async function openBig<T>(client: LspClient, then: () => Promise<T>): Promise<T> {
  const started = new Promise<T>((resolve, reject) => {
    let asked = false;
    client.connection.onRequest('workspace/configuration', (p: { items: { scopeUri?: string }[] }) => {
      if (!asked && p.items.some((i) => i.scopeUri === BIG)) {
        asked = true;
        setImmediate(() => then().then(resolve, reject));
      }
      return p.items.map(() => client.settings);
    });
  });
  await client.open(BIG, big);
  return started;
}

const opened = (client: LspClient) => client.logs.some((l) => l.message.startsWith(`Opened ${BIG} `));

describe('opening a big document', () => {
  let client: LspClient;
  beforeEach(async () => {
    client = await LspClient.start();
    await client.open(SMALL, five);
    await client.diagnostics(SMALL);
    // The debug log says when a document has been read ("Opened …").
    await client.connection.sendNotification('$/setTrace', { value: 'verbose' });
  });
  afterEach(async () => client.stop());

  it('answers a hover about another document before the big one is read', async () => {
    const at = positionOf(five, '<UnitAmount>', 2, '<UnitAmount>'.length + 1);
    const alone = await client.hover(SMALL, at);
    assert.ok(alone, 'a hover on a UnitAmount');
    const hover = await openBig(client, () => client.hover(SMALL, at));
    assert.deepEqual(hover, alone, 'the same answer as without the big document');
    assert.ok(!opened(client), 'answered while the big document was still being read');
    assert.ok((await client.diagnostics(BIG)).some((d) => d.code === 'duplicate-invoice-number'), 'the big document checked in full');
    assert.ok(opened(client), client.logs.map((l) => l.message).join('\n'));
  });

  it('stops reading a document closed before it is read, and goes on serving', async () => {
    await openBig(client, () => client.close(BIG));
    assert.equal(await client.hover(BIG, { line: 3, character: 5 }), null, 'closed: nothing to say about it');
    assert.ok(client.logs.some((l) => l.message === `Stopped opening ${BIG}: it was closed first.`), client.logs.map((l) => l.message).join('\n'));
    assert.ok(!opened(client), 'never read to the end');
    assert.deepEqual((await client.diagnostics(SMALL)).map((d) => d.code), ['total-mismatch'], 'the other document still served');
    assert.ok(client.alive, client.stderr);
  });
});
