import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ResponseError } from 'vscode-jsonrpc/node';
import { FIXTURES } from '../support/fixtures';
import { LspClient } from '../support/lsp-client';

const read = (p: string) => readFileSync(join(FIXTURES, p), 'utf8');
const MessageType = { Error: 1, Warning: 2, Info: 3, Log: 4 };

describe('the server log and its error boundary', () => {
  let client: LspClient;
  before(async () => (client = await LspClient.start()));
  after(async () => client.stop());

  it('answers a handler failure with an LSP error and logs it with its cause, and goes on serving', async () => {
    const uri = 'file:///log/boundary.xml';
    await client.open(uri, read('seeds/001-minimum-draft.xml'));
    await assert.rejects(
      client.connection.sendRequest('xeroInvoice/applyServerResults', { textDocument: { uri, version: 1 }, results: 42 }),
      (err: unknown) => err instanceof ResponseError && err.code === -32603 && /Applying the endpoint results failed/.test(err.message),
    );
    const logged = client.logs.find((l) => l.type === MessageType.Error && /Applying the endpoint results .* failed/.test(l.message));
    assert.ok(logged, client.logs.map((l) => l.message).join('\n'));
    assert.match(logged.message, /TypeError/);
    assert.deepEqual((await client.diagnostics(uri)).map((d) => d.code), ['required-line-items']);
  });

  it('says more as xeroInvoice.trace.server asks ($/setTrace): nothing but problems when off, each check when verbose', async () => {
    const uri = 'file:///log/trace.xml';
    const text = read('rules/totals/bulk-five.xml');
    await client.open(uri, text);
    await client.diagnostics(uri);
    assert.ok(!client.logs.some((l) => l.type === MessageType.Log), 'no debug lines while the trace is off');
    await client.connection.sendNotification('$/setTrace', { value: 'verbose' });
    await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: ' ' }]);
    await client.diagnostics(uri);
    assert.ok(client.logs.some((l) => l.type === MessageType.Log && /Checked file:\/\/\/log\/trace\.xml \(version 2\)/.test(l.message)), client.logs.map((l) => l.message).join('\n'));
    await client.connection.sendNotification('$/setTrace', { value: 'off' });
    const count = client.logs.length;
    await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, text: '' }]);
    await client.diagnostics(uri);
    assert.equal(client.logs.length, count, 'quiet again');
  });
});
