import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FIXTURES } from '../support/fixtures';
import { LspClient, positionOf } from '../support/lsp-client';

// Typing an element by hand inside an invoice of a big document leaves, at most keystrokes, an element open or a
// tag unfinished in that invoice: the server reads that invoice again alone (as it stands among the others), not
// the whole document, and its diagnostics are those of the document read afresh. White space typed or deleted
// between the invoices moves what follows it and reads nothing again; an end tag deleted and typed back is read
// with the invoices around it. An invoice added is read with the whole document, whose other invoices are taken over
// unread.

const five = readFileSync(join(FIXTURES, 'rules', 'totals', 'bulk-five.xml'), 'utf8');
/** bulk-five's invoices 200 times over: 1,000 invoices. */
const big = five.slice(0, five.indexOf('<Invoice>')) + five.slice(five.indexOf('<Invoice>'), five.lastIndexOf('</Invoices>')).repeat(200) + five.slice(five.lastIndexOf('</Invoices>'));
const URI = 'file:///typing/big.xml';
const TYPED = '<Note>x</Note>';

/** Diagnostics as plain data, in order. */
const shown = (ds: { code?: string | number; range: unknown; message: string }[]) => ds.map((d) => `${JSON.stringify(d.range)} ${d.code} ${d.message}`);

describe('typing markup in a big document', () => {
  let client: LspClient;
  beforeEach(async () => {
    client = await LspClient.start();
    await client.open(URI, big);
    await client.diagnostics(URI);
    // The debug log says when an edit made the server read the whole document again.
    await client.connection.sendNotification('$/setTrace', { value: 'verbose' });
  });
  afterEach(async () => client.stop());

  const readInFull = () => client.logs.filter((l) => l.message.startsWith(`Read ${URI} again in full`)).length;

  /** The diagnostics a server that opens `text` afresh reports. */
  async function afresh(text: string): Promise<string[]> {
    const other = await LspClient.start();
    try {
      await other.open(URI, text);
      return shown(await other.diagnostics(URI));
    } finally {
      await other.stop();
    }
  }

  it('reads only the edited invoice while an element is typed in it, a character at a time', async () => {
    const start = positionOf(big, '<Description>', 500, '<Description>'.length);
    const lines = big.split('\n');
    let text = big;
    const during: string[][] = [];
    for (let i = 0; i < TYPED.length; i++) {
      const at = { line: start.line, character: start.character + i };
      await client.change(URI, [{ range: { start: at, end: at }, text: TYPED[i] }]);
      during.push(shown(await client.diagnostics(URI)));
      lines[start.line] = lines[start.line].slice(0, at.character) + TYPED[i] + lines[start.line].slice(at.character);
    }
    text = lines.join('\n');
    assert.equal(readInFull(), 0, client.logs.map((l) => l.message).join('\n'));
    // Half typed, the open <Note> is reported; typed in full, the schema's word on <Note> is all that is new.
    assert.ok(during[5].some((d) => d.includes('xml-unclosed-element')), during[5].join('\n'));
    assert.ok(!during.at(-1)!.some((d) => d.includes('xml-unclosed-element')), during.at(-1)!.join('\n'));
    assert.deepEqual(during.at(-1), await afresh(text));
    const halfway = lines.slice();
    halfway[start.line] = lines[start.line].replace(TYPED, TYPED.slice(0, 6));
    assert.deepEqual(during[5], await afresh(halfway.join('\n')));
  });

  it('takes a line break typed between two invoices, and deleted again, without reading anything again', async () => {
    const end = positionOf(big, '</Invoice>', 500, '</Invoice>'.length);
    const before = shown(await client.diagnostics(URI));
    await client.change(URI, [{ range: { start: end, end }, text: '\n  ' }]);
    const typed = shown(await client.diagnostics(URI));
    const lines = big.split('\n');
    lines[end.line] = lines[end.line].slice(0, end.character) + '\n  ' + lines[end.line].slice(end.character);
    assert.deepEqual(typed, await afresh(lines.join('\n')));
    const next = { line: end.line + 1, character: 0 };
    await client.change(URI, [{ range: { start: end, end: { line: next.line, character: 2 } }, text: '' }]);
    assert.deepEqual(shown(await client.diagnostics(URI)), before);
    assert.equal(readInFull(), 0, client.logs.map((l) => l.message).join('\n'));
  });

  it('reads only the invoices around an end tag deleted and typed back', async () => {
    const end = positionOf(big, '</Invoice>', 500);
    const before = shown(await client.diagnostics(URI));
    await client.change(URI, [{ range: { start: end, end: { line: end.line, character: end.character + '</Invoice>'.length } }, text: '' }]);
    const deleted = shown(await client.diagnostics(URI));
    const lines = big.split('\n');
    lines[end.line] = lines[end.line].slice(0, end.character) + lines[end.line].slice(end.character + '</Invoice>'.length);
    assert.deepEqual(deleted, await afresh(lines.join('\n')));
    assert.ok(deleted.some((d) => d.includes('xml-unclosed-element')), deleted.join('\n'));
    for (let i = 0; i < '</Invoice>'.length; i++) {
      const at = { line: end.line, character: end.character + i };
      await client.change(URI, [{ range: { start: at, end: at }, text: '</Invoice>'[i] }]);
      await client.diagnostics(URI);
    }
    assert.deepEqual(shown(await client.diagnostics(URI)), before);
    assert.equal(readInFull(), 0, client.logs.map((l) => l.message).join('\n'));
  });

  it('reads an invoice added between two others with them alone', async () => {
    const end = positionOf(big, '</Invoice>', 500, '</Invoice>'.length);
    const added = '<Invoice><Type>ACCREC</Type></Invoice>';
    await client.change(URI, [{ range: { start: end, end }, text: added }]);
    const after = shown(await client.diagnostics(URI));
    assert.equal(readInFull(), 0, client.logs.map((l) => l.message).join('\n'));
    const lines = big.split('\n');
    lines[end.line] = lines[end.line].slice(0, end.character) + added + lines[end.line].slice(end.character);
    assert.deepEqual(after, await afresh(lines.join('\n')));
  });

  it('reads each cursor\'s edit from its own invoice when several cursors type at once, and a replace-all in one go', async () => {
    const lines = big.split('\n');
    const cursors = [900, 500, 100].map((n) => positionOf(big, '<Description>', n, '<Description>'.length));
    for (const [i, c] of ['a', 'b'].entries()) {
      // As VS Code sends several cursors' keystroke: one change per cursor, the last in the document first.
      await client.change(URI, cursors.map((p) => ({ range: { start: { line: p.line, character: p.character + i }, end: { line: p.line, character: p.character + i } }, text: c })));
      await client.diagnostics(URI);
      for (const p of cursors) lines[p.line] = lines[p.line].slice(0, p.character + i) + c + lines[p.line].slice(p.character + i);
    }
    assert.equal(readInFull(), 0, client.logs.map((l) => l.message).join('\n'));
    assert.deepEqual(shown(await client.diagnostics(URI)), await afresh(lines.join('\n')));
    // Twenty changes at once (more than are applied one by one): the whole document is read again, once.
    const many = Array.from({ length: 20 }, (_, k) => positionOf(big, '<Description>', 950 - k * 40, '<Description>'.length));
    await client.change(URI, many.map((p) => ({ range: { start: p, end: p }, text: 'z' })));
    for (const p of many) lines[p.line] = lines[p.line].slice(0, p.character) + 'z' + lines[p.line].slice(p.character);
    const replaced = shown(await client.diagnostics(URI));
    assert.equal(readInFull(), 1, client.logs.map((l) => l.message).join('\n'));
    assert.deepEqual(replaced, await afresh(lines.join('\n')));
    // A bad change among a few: none of them is applied (the '&' before it would be a problem of its own).
    const p = cursors[0];
    await client.change(URI, [{ range: { start: p, end: p }, text: '&' }, { range: { start: { line: 1e6, character: 0 }, end: { line: 1e6, character: 0 } }, text: 'q' }]);
    assert.deepEqual(shown(await client.diagnostics(URI)), replaced);
    assert.ok(client.logs.some((l) => /Ignored a change to .* beyond/.test(l.message)), client.logs.map((l) => l.message).join('\n'));
  });

  it('reads the whole document again when text and an invoice are added before the first one, all but the new one unread', async () => {
    const end = positionOf(big, '<Invoice>', 0);
    // Text where no text may stand changes the tree around the invoices: everything is read again.
    const added = 'x<Invoice><Type>ACCREC</Type></Invoice>';
    await client.change(URI, [{ range: { start: end, end }, text: added }]);
    const after = shown(await client.diagnostics(URI));
    assert.equal(readInFull(), 1, client.logs.map((l) => l.message).join('\n'));
    assert.ok(client.logs.some((l) => l.message.includes('(version 2, 1001 invoices, 1000 of them unchanged and not read again)')), client.logs.map((l) => l.message).join('\n'));
    const lines = big.split('\n');
    lines[end.line] = lines[end.line].slice(0, end.character) + added + lines[end.line].slice(end.character);
    assert.deepEqual(after, await afresh(lines.join('\n')));
  });
});
