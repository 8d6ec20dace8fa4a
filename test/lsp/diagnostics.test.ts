import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FIXTURES, expectedFor } from '../support/fixtures';
import { LspClient, positionOf } from '../support/lsp-client';

const read = (p: string) => readFileSync(join(FIXTURES, p), 'utf8');
const uri = (name: string) => `file:///work/${name}`;

describe('diagnostics over the protocol', () => {
  let client: LspClient;
  before(async () => (client = await LspClient.start()));
  after(async () => client.stop());

  it('reports what the engine reports, with codes and ranges, for fixtures of every dialect', async () => {
    for (const f of ['seeds/004-modified-since-response.xml', 'rules/totals/bulk-five.xml', 'seeds/002-get-misc-invoice.xml', 'reference/api_exception.xml']) {
      await client.open(uri(f), read(f));
      const items = await client.diagnostics(uri(f));
      const expected = expectedFor(`test/fixtures/${f}`)!;
      // xml-encoding needs to know the bytes' encoding, which an editor's text does not carry.
      const want = expected.diagnostics.filter((d) => d.code !== 'xml-encoding').map((d) => `${d.code}@${d.line}`).sort();
      assert.deepEqual(items.map((d) => `${d.code}@${d.range.start.line + 1}`).sort(), want, f);
      for (const d of items) assert.equal(d.source, 'xero-invoice');
    }
  });

  it("answers a pull sent before the document's didOpen with that document's problems, not an empty report", async () => {
    // VS Code can send the first pull before didOpen reaches the server; an empty answer would stand until the next edit.
    const f = 'rules/totals/line-amount-mismatch.xml';
    const pulled = client.diagnostics(uri('early.xml'));
    await client.open(uri('early.xml'), read(f));
    const want = expectedFor(`test/fixtures/${f}`)!.diagnostics.map((d) => `${d.code}@${d.line}`).sort();
    assert.ok(want.length > 0);
    assert.deepEqual((await pulled).map((d) => `${d.code}@${d.range.start.line + 1}`).sort(), want);
  });

  it('gives its answers a result id (the client tells them from the empty reports it makes up for unanswered pulls)', async () => {
    const f = 'rules/totals/line-amount-mismatch.xml';
    await client.open(uri('result-id.xml'), read(f));
    const report = await client.diagnosticReport(uri('result-id.xml'));
    assert.equal(report.kind, 'full');
    assert.ok(report.kind === 'full' && report.items.length > 0 && report.resultId, JSON.stringify({ ...report, items: undefined }));
    await client.change(uri('result-id.xml'), [{ text: read(f).replace('<Quantity>', '<Quantity> ') }]);
    const next = await client.diagnosticReport(uri('result-id.xml'));
    assert.ok(next.resultId && next.resultId !== report.resultId, 'a new version, a new result id');
  });

  it('says nothing about XML that is not an invoice document', async () => {
    await client.open(uri('pom.xml'), read('bad-input/maven-pom.xml'));
    assert.deepEqual(await client.diagnostics(uri('pom.xml')), []);
  });

  it('updates after an edit, re-checking the edited invoice', async () => {
    const text = read('rules/totals/line-amount-mismatch.xml');
    await client.open(uri('edit.xml'), text);
    const first = await client.diagnostics(uri('edit.xml'));
    const mismatch = first.find((d) => d.code === 'line-amount-mismatch');
    assert.ok(mismatch);
    const computed = (mismatch.data as { computed: string }).computed;
    await client.change(uri('edit.xml'), [{ range: mismatch.range, text: computed }]);
    const second = await client.diagnostics(uri('edit.xml'));
    const left = second.filter((d) => d.code === 'line-amount-mismatch').map((d) => d.range.start.line);
    assert.deepEqual(left, [first.filter((d) => d.code === 'line-amount-mismatch')[1].range.start.line]);
  });

  it('silences the codes the settings list', async () => {
    const c = await LspClient.start({ settings: { silencedCodes: ['required-line-items'] } });
    try {
      await c.open(uri('draft.xml'), read('seeds/001-minimum-draft.xml'));
      assert.deepEqual(await c.diagnostics(uri('draft.xml')), []);
    } finally {
      await c.stop();
    }
  });

  it('under the onSave trigger, keeps the last saved diagnostics until the next save', async () => {
    const c = await LspClient.start({ settings: { validate: { trigger: 'onSave' } } });
    try {
      const u = uri('save.xml');
      const text = read('../../samples/approved-invoice.xml');
      await c.open(u, text);
      assert.deepEqual(await c.diagnostics(u), []);
      const at = text.indexOf('<Type>ACCREC</Type>');
      const p = { line: text.slice(0, at).split('\n').length - 1, character: 4 };
      await c.change(u, [{ range: { start: p, end: { line: p.line, character: 23 } }, text: '' }]);
      assert.deepEqual(await c.diagnostics(u), [], 'unchanged before saving');
      await c.connection.sendNotification('textDocument/didSave', { textDocument: { uri: u } });
      assert.deepEqual((await c.diagnostics(u)).map((d) => d.code), ['required-type']);
    } finally {
      await c.stop();
    }
  });

  it('pushes diagnostics to a client without pull support', async () => {
    const c = await LspClient.start({ pull: false });
    try {
      const pushed = c.nextPush(uri('push.xml'));
      await c.open(uri('push.xml'), read('seeds/001-minimum-draft.xml'));
      assert.deepEqual((await pushed).map((d) => d.code), ['required-line-items']);
    } finally {
      await c.stop();
    }
  });

  it('with default settings, answers a pull with the newest version after edits sent without waiting', async () => {
    const u = uri('default-pull.xml');
    const text = read('rules/totals/line-amount-mismatch.xml');
    await client.open(u, text);
    const first = await client.diagnostics(u);
    const mismatches = first.filter((d) => d.code === 'line-amount-mismatch');
    assert.equal(mismatches.length, 2);
    // Fix both stated amounts, one edit after the other, and pull at once: no debounce to wait out, no stale answer.
    const [a, b] = mismatches.sort((x, y) => y.range.start.line - x.range.start.line);
    void client.change(u, [{ range: a.range, text: (a.data as { computed: string }).computed }]);
    void client.change(u, [{ range: b.range, text: (b.data as { computed: string }).computed }]);
    const after = await client.diagnostics(u);
    assert.deepEqual(after.filter((d) => d.code === 'line-amount-mismatch'), []);
  });

  it('pushes, with default settings, the diagnostics of the newest version after a burst of edits', async () => {
    const c = await LspClient.start({ pull: false });
    try {
      const u = uri('push-burst.xml');
      const text = read('seeds/001-minimum-draft.xml');
      const opened = c.nextPush(u);
      await c.open(u, text);
      assert.deepEqual((await opened).map((d) => d.code), ['required-line-items']);
      // Three edits in a row: the debounce lets the last one through, with the document as it ends up.
      const at = positionOf(text, '</Invoice>');
      const pushed = c.nextPush(u);
      for (const piece of ['<LineItems><LineItem><Description>A', '</Description><Quantity>1</Quantity><UnitAmount>5.00</UnitAmount>', '<AccountCode>200</AccountCode></LineItem></LineItems>'].reverse()) {
        void c.change(u, [{ range: { start: at, end: at }, text: piece }]);
      }
      assert.deepEqual((await pushed).map((d) => d.code), []);
    } finally {
      await c.stop();
    }
  });

  it('under the onSave trigger, a pushing server keeps the saved diagnostics until the next save', async () => {
    const c = await LspClient.start({ pull: false, settings: { validate: { trigger: 'onSave' } } });
    try {
      const u = uri('push-save.xml');
      const text = read('../../samples/approved-invoice.xml');
      const opened = c.nextPush(u);
      await c.open(u, text);
      assert.deepEqual(await opened, []);
      const at = positionOf(text, '<Type>ACCREC</Type>');
      await c.change(u, [{ range: { start: at, end: { line: at.line, character: at.character + '<Type>ACCREC</Type>'.length } }, text: '' }]);
      // Whatever the server does with the change, it must come before what the save brings.
      const saved = c.nextPush(u);
      await c.save(u);
      assert.deepEqual((await saved).map((d) => d.code), ['required-type']);
      assert.equal(c.pushes.get(u), 2, 'two pushes: on opening and after the save, none after the change');
    } finally {
      await c.stop();
    }
  });
});
