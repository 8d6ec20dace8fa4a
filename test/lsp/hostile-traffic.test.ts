import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import type { Position } from 'vscode-languageserver-protocol';
import { FIXTURES } from '../support/fixtures';
import { LspClient, positionOf } from '../support/lsp-client';

const read = (p: string) => readFileSync(join(FIXTURES, p), 'utf8');
const INVALID_PARAMS = -32602;

/** A request must answer (with a result or an LSP error), however hostile the traffic: a hang is a failure. */
async function settles<T>(what: string, p: Promise<T>, ms = 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function rejected(what: string, p: Promise<unknown>, code: number, message: RegExp): Promise<void> {
  await assert.rejects(settles(what, p), (err: unknown) => {
    assert.ok(err instanceof ResponseError, `${what}: ${String(err)}`);
    assert.equal(err.code, code, `${what}: ${err.message}`);
    assert.match(err.message, message, what);
    return true;
  });
}

/** The diagnostics a server that saw only this text gives. */
async function fresh(uri: string, text: string): Promise<unknown> {
  const c = await LspClient.start();
  try {
    await c.open(uri, text);
    return await settles('fresh diagnostics', c.diagnostics(uri));
  } finally {
    await c.stop();
  }
}

describe('hostile traffic to the language server', () => {
  let client: LspClient;
  before(async () => (client = await LspClient.start()));
  after(async () => client.stop());

  it('refuses edits outside the text or with malformed positions, keeps the text intact and says so in the log', async () => {
    const uri = 'file:///hostile/edits.xml';
    const text = read('rules/totals/bulk-five.xml');
    await client.open(uri, text);
    const before = await client.diagnostics(uri);
    const send = (range: unknown, version: number) =>
      client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: 'x' }] });
    const bad: unknown[] = [
      { start: { line: 100_000, character: 0 }, end: { line: 100_000, character: 0 } },
      { start: { line: -1, character: 0 }, end: { line: 0, character: 0 } },
      { start: { line: 0, character: 1.5 }, end: { line: 0, character: 2 } },
      { start: { line: '3', character: 0 }, end: { line: 3, character: 0 } },
      { start: { line: 3, character: null }, end: { line: 3, character: 0 } },
      { start: { line: 5, character: 0 }, end: { line: 4, character: 0 } },
      'everything',
    ];
    let version = 10;
    for (const range of bad) await send(range, version++);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: version++ }, contentChanges: 'not a list' });
    assert.deepEqual(await client.diagnostics(uri), before, 'nothing was applied');
    assert.deepEqual(await client.diagnostics(uri), await fresh(uri, text), 'the same as a fresh server on the text');
    const refused = client.logs.filter((l) => /Ignored a (malformed didChange|change to)/.test(l.message));
    assert.equal(refused.length, bad.length + 1, client.logs.map((l) => l.message).join('\n'));
    // The document still takes good edits, at the next version.
    const at = positionOf(text, '<Description>', 0, '<Description>'.length);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: version++ }, contentChanges: [{ range: { start: at, end: at }, text: 'Extra ' }] });
    const edited = text.replace('<Description>', '<Description>Extra ');
    assert.deepEqual(await client.diagnostics(uri), await fresh(uri, edited));
    await client.close(uri);
  });

  it('refuses a version lower than (or equal to) the current one', async () => {
    const uri = 'file:///hostile/versions.xml';
    const text = read('seeds/001-minimum-draft.xml');
    await client.open(uri, text);
    const at = positionOf(text, '</Invoice>');
    const change = (version: number, insert: string) =>
      client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: at, end: at }, text: insert }] });
    await change(5, '<Reference>A</Reference>');
    await change(3, '<Bogus/>');
    await change(5, '<Bogus/>');
    const expected = text.replace('</Invoice>', '<Reference>A</Reference></Invoice>');
    assert.deepEqual(await client.diagnostics(uri), await fresh(uri, expected));
    assert.ok(client.logs.some((l) => /version 3: it is at version 5/.test(l.message)), 'the refusal is logged');
    await client.close(uri);
  });

  it('answers requests with malformed or impossible positions with an LSP error', async () => {
    const uri = 'file:///hostile/requests.xml';
    await client.open(uri, read('seeds/001-every-element.xml'));
    const c = client.connection;
    await rejected('hover at NaN', c.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: Number.NaN } }), INVALID_PARAMS, /integers/);
    await rejected('completion at a string', c.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: '1', character: 2 } }), INVALID_PARAMS, /integers/);
    await rejected('hover at a negative line', c.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: -4, character: 0 } }), INVALID_PARAMS, /negative/);
    await rejected(
      'inlay hints for a backwards range',
      c.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 9, character: 0 }, end: { line: 2, character: 0 } } }),
      INVALID_PARAMS,
      /ends before it starts/,
    );
    await rejected('hover without a document', c.sendRequest('textDocument/hover', { position: { line: 0, character: 0 } }), INVALID_PARAMS, /uri is missing/);
    // Reading beyond the end means the end, as a character beyond a line's end means the line's end.
    assert.ok(Array.isArray(await c.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 100_000, character: 0 } } })));
    assert.ok(client.alive, client.stderr);
    await client.close(uri);
  });

  it('answers on a 16 MB document and on 100,000 levels of nesting', async () => {
    const invoice =
      '<Invoice><Type>ACCREC</Type><Contact><Name>A</Name></Contact><LineItems><LineItem><Description>x</Description><Quantity>1</Quantity><UnitAmount>1.00</UnitAmount><TaxType>OUTPUT2</TaxType></LineItem></LineItems></Invoice>\n';
    const big = `<Invoices>\n${invoice.repeat(Math.ceil(16_500_000 / invoice.length))}</Invoices>\n`;
    assert.ok(big.length > 16_000_000, 'above the default maxDocumentSize');
    const uri = 'file:///hostile/sixteen.xml';
    await client.open(uri, big);
    assert.deepEqual(await settles('diagnostics on 16 MB', client.diagnostics(uri), 120_000), []);
    // Above maxDocumentSize only diagnostics: nothing else is computed for it.
    assert.deepEqual(await settles('lenses on 16 MB', client.codeLenses(uri)), []);
    assert.deepEqual(await settles('symbols on 16 MB', client.symbols(uri)), []);
    await client.close(uri);
    const deep = `<Invoices>${'<Invoice>'.repeat(100_000)}${'</Invoice>'.repeat(100_000)}</Invoices>`;
    await client.open('file:///hostile/deep.xml', deep);
    const d = await settles('diagnostics on deep nesting', client.diagnostics('file:///hostile/deep.xml'));
    assert.ok(d.length > 0, 'deep nesting is reported');
    await settles('completion on deep nesting', client.completion('file:///hostile/deep.xml', { line: 0, character: 5000 }));
    await settles('hover on deep nesting', client.hover('file:///hostile/deep.xml', { line: 0, character: 5000 }));
    await client.close('file:///hostile/deep.xml');
    assert.ok(client.alive, client.stderr);
  });

  it('keeps up with rapid edits interleaved with requests and cancellations, ending as a fresh server does', async () => {
    const uri = 'file:///hostile/rapid.xml';
    let text = read('rules/totals/bulk-five.xml');
    await client.open(uri, text);
    const pending: Promise<unknown>[] = [];
    const cancelled: CancellationTokenSource[] = [];
    let at = text.indexOf('<Description>') + '<Description>'.length;
    const positionAt = (offset: number): Position => {
      const before = text.slice(0, offset);
      return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
    };
    for (let i = 0; i < 300; i++) {
      const insert = i % 7 === 6 ? '' : String.fromCharCode(97 + (i % 26));
      const remove = i % 7 === 6 ? 3 : 0;
      const p = positionAt(at);
      pending.push(client.change(uri, [{ range: { start: p, end: positionAt(at + remove) }, text: insert }]));
      text = text.slice(0, at) + insert + text.slice(at + remove);
      at += insert.length;
      const cursor = positionAt(at);
      const source = new CancellationTokenSource();
      // Every request is answered or refused as cancelled; none may fail otherwise or hang.
      const settle = (p: Promise<unknown>) => p.catch((err: unknown) => {
        if (!(err instanceof ResponseError) || (err.code !== -32800 && err.code !== -32802)) throw err;
      });
      switch (i % 4) {
        case 0:
          pending.push(settle(client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } }, source.token)));
          break;
        case 1:
          pending.push(settle(client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: cursor }, source.token)));
          break;
        case 2:
          pending.push(settle(client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: cursor }, source.token)));
          break;
        default:
          pending.push(settle(client.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: cursor } }, source.token)));
      }
      if (i % 3 === 0) {
        source.cancel();
        cancelled.push(source);
      }
    }
    await settles('the interleaved requests', Promise.all(pending));
    assert.ok(cancelled.length > 50);
    assert.deepEqual(await settles('diagnostics after the storm', client.diagnostics(uri)), await fresh(uri, text));
    assert.ok(client.alive, client.stderr);
  });

  it('stops checking for a pull the client cancelled, and answers the next pull in full', async () => {
    const invoice =
      '<Invoice><Type>ACCREC</Type><Contact><Name>A</Name></Contact><LineItems><LineItem><Description>x</Description><Quantity>1</Quantity><UnitAmount>1.00</UnitAmount><TaxType>OUTPUT2</TaxType></LineItem></LineItems></Invoice>\n';
    // A first check long enough to run in many slices; the last invoice has an error.
    const text = `<Invoices>\n${invoice.repeat(20_000)}${invoice.replace('<Type>ACCREC</Type>', '')}</Invoices>\n`;
    const uri = 'file:///hostile/cancelled.xml';
    await client.open(uri, text);
    const source = new CancellationTokenSource();
    const first = client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } }, source.token);
    source.cancel();
    await assert.rejects(settles('the cancelled pull', first), (err: unknown) => err instanceof ResponseError && (err.code === -32800 || err.code === -32802));
    const d = await settles('the next pull', client.diagnostics(uri));
    assert.deepEqual(d.map((x) => `${x.code}@${x.range.start.line}`), ['required-type@20001']);
    await client.close(uri);
  });
});
