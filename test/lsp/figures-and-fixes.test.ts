import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Commands } from '../../shared/src/commands';
import { FIXTURES } from '../support/fixtures';
import { LspClient, applyEdits, hintLabel, positionOf } from '../support/lsp-client';

const read = (p: string) => readFileSync(join(FIXTURES, p), 'utf8');
const WHOLE = { start: { line: 0, character: 0 }, end: { line: 100000, character: 0 } };

describe('inlay hints, code lenses and quick fixes over the protocol', () => {
  let client: LspClient;
  before(async () => (client = await LspClient.start()));
  after(async () => client.stop());

  it('shows computed figures after lines and totals, in the requested range only', async () => {
    const uri = 'file:///w/wrong.xml';
    const text = read('../../samples/wrong-totals.xml');
    await client.open(uri, text);
    const hints = await client.inlayHints(uri, WHOLE);
    const labels = hints.map((h) => `${h.position.line + 1}: ${hintLabel(h)}`);
    assert.deepEqual(labels, ['20: tax 19.67', '28: tax -8.78', '30: = 87.11', '31: = 10.89', '32: = 98.00']);
    const some = await client.inlayHints(uri, { start: { line: 29, character: 0 }, end: { line: 30, character: 100 } });
    assert.deepEqual(some.map((h) => h.position.line + 1), [30, 31]);
  });

  it('puts one hint with all three figures at the end of an invoice that states no totals', async () => {
    const uri = 'file:///w/bulk.xml';
    await client.open(uri, read('../../samples/bulk-invoices.xml'));
    const labels = (await client.inlayHints(uri, WHOLE)).map(hintLabel);
    assert.ok(labels.includes('Subtotal 179.40 · Tax 26.91 · Total 206.31'), labels.join('\n'));
    assert.ok(labels.includes('Subtotal 240.00 · Tax 0.00 · Total 240.00'), labels.join('\n'));
  });

  it('puts a summary lens and the actions the status allows on each invoice', async () => {
    const uri = 'file:///w/seed.xml';
    await client.open(uri, read('seeds/001-every-element.xml'));
    const lenses = await client.codeLenses(uri);
    assert.deepEqual(lenses.map((l) => l.command?.title), ['Subtotal 87.11 · Tax 10.89 · Total 98.00 NZD · SUBMITTED', 'Send', 'Approve', 'Approve & email']);
    const [argUri, index, identity] = lenses[1].command?.arguments as [string, number, { invoiceId: string | null; invoiceNumber: string | null; fingerprint: string }];
    assert.deepEqual([argUri, index], [uri, 0]);
    // The lens names its invoice: number (or ID) and a fingerprint of its text.
    assert.equal(identity.invoiceNumber, 'OIT:01065');
    assert.match(identity.fingerprint, /^[0-9a-f]{16}$/);
    assert.equal(lenses[3].command?.command, Commands.approveAndEmail);
    const state = 'file:///w/state.xml';
    await client.open(state, read('seeds/001-get-single.xml'));
    const titles = (await client.codeLenses(state)).map((l) => l.command?.title);
    assert.deepEqual(titles, ['Subtotal 1800.00 · Tax 225.00 · Total 2025.00 NZD · AUTHORISED', 'Send update', 'PDF', 'Void']);
  });

  it('fixes a wrong total with the computed value, and recalculates a whole document', async () => {
    const uri = 'file:///w/fix.xml';
    const text = read('../../samples/wrong-totals.xml');
    await client.open(uri, text);
    const diags = await client.diagnostics(uri);
    const subtotal = diags.find((d) => d.code === 'subtotal-mismatch')!;
    const actions = await client.codeActions(uri, subtotal.range, [subtotal]);
    const set = actions.find((a) => a.title === 'Set SubTotal to 87.11')!;
    assert.ok(set, actions.map((a) => a.title).join(', '));
    const fixed = applyEdits(text, set.edit!.changes![uri]);
    assert.match(fixed, /<SubTotal>87\.11<\/SubTotal>/);
    const source = await client.codeActions(uri, WHOLE, [], ['source.recalculateTotals']);
    assert.deepEqual(source.map((a) => a.title), ['Recalculate all totals']);
    const all = applyEdits(text, source[0].edit!.changes![uri]);
    await client.change(uri, [{ text: all }]);
    assert.deepEqual((await client.diagnostics(uri)).map((d) => d.code), []);
  });

  it('offers to insert what approval needs, as a snippet with tab stops', async () => {
    const uri = 'file:///w/missing.xml';
    const text = read('../../samples/bulk-invoices.xml');
    await client.open(uri, text);
    const due = (await client.diagnostics(uri)).find((d) => d.code === 'required-due-date')!;
    const [action] = await client.codeActions(uri, due.range, [due]);
    assert.equal(action.title, 'Insert <DueDate>');
    assert.equal(action.command?.command, Commands.insertSnippet);
    const [argUri, position, snippet] = action.command.arguments as [string, { line: number; character: number }, string];
    assert.equal(argUri, uri);
    assert.deepEqual(position, positionOf(text, '</LineItems>', 1, '</LineItems>'.length));
    assert.match(snippet, /^\n {4}<DueDate>\$\{1:\d{4}-\d{2}-\d{2}\}<\/DueDate>$/);
  });

  it('fixes an enumeration written in the wrong case, a compact date and a third tracking category', async () => {
    const uri = 'file:///w/values.xml';
    const text = `<Invoice>
  <Type>accrec</Type>
  <Contact><Name>A</Name></Contact>
  <Date>20100510</Date>
  <LineItems>
    <LineItem>
      <Description>x</Description>
      <Tracking>
        <TrackingCategory><Name>Region</Name><Option>North</Option></TrackingCategory>
        <TrackingCategory><Name>Department</Name><Option>Sales</Option></TrackingCategory>
        <TrackingCategory><Name>Extra</Name><Option>X</Option></TrackingCategory>
      </Tracking>
    </LineItem>
  </LineItems>
</Invoice>`;
    await client.open(uri, text);
    const diags = await client.diagnostics(uri);
    let fixedText = text;
    const titles: string[] = [];
    for (const d of diags) {
      const [a] = await client.codeActions(uri, d.range, [d]);
      if (!a?.edit) continue;
      titles.push(a.title);
      fixedText = applyEdits(fixedText, a.edit.changes![uri]);
    }
    assert.deepEqual(titles.sort(), ["Change to 'ACCREC'", 'Remove this <TrackingCategory>', 'Write the date as 2010-05-10'].sort());
    assert.match(fixedText, /<Type>ACCREC<\/Type>/);
    assert.match(fixedText, /<Date>2010-05-10<\/Date>/);
    assert.doesNotMatch(fixedText, /Extra/);
  });

  it('writes a date sent with a UTC offset as the plain date it was meant to be', async () => {
    const uri = 'file:///w/date-time-offset.xml';
    const text = read('rules/dates/date-time-offset.xml');
    await client.open(uri, text);
    const offsets = (await client.diagnostics(uri)).filter((d) => d.code === 'date-time-offset');
    assert.equal(offsets.length, 4);
    let fixedText = text;
    const titles: string[] = [];
    for (const d of offsets) {
      const [a] = await client.codeActions(uri, d.range, [d]);
      titles.push(a.title);
      fixedText = applyEdits(fixedText, a.edit!.changes![uri]);
    }
    assert.deepEqual(titles, ['Write the date as 2024-03-01', 'Write the date as 2024-03-31', 'Write the date as 2024-03-01', 'Write the date as 2024-03-01']);
    assert.deepEqual([...fixedText.matchAll(/<(Date|DueDate)>([^<]*)</g)].map((m) => m[2]), [
      '2024-03-01', '2024-03-31', '2024-03-01', '2024-03-31T00:00:00', '2024-03-01', '2024-03-31T00:00:00Z',
    ]);
    await client.change(uri, [{ text: fixedText }]);
    assert.deepEqual((await client.diagnostics(uri)).filter((d) => d.code === 'date-time-offset'), []);
  });
});

describe('custom requests over the protocol', () => {
  let client: LspClient;
  before(async () => (client = await LspClient.start()));
  after(async () => client.stop());

  it('gives the invoice at a position with its identity and a standalone request body', async () => {
    const uri = 'file:///w/bulk2.xml';
    const text = read('../../samples/bulk-invoices.xml');
    await client.open(uri, text);
    const r = await client.connection.sendRequest<{ version: number; invoice: Record<string, unknown> }>('xeroInvoice/invoiceAt', { textDocument: { uri }, position: positionOf(text, 'Tui Cafe') });
    assert.equal(r.version, 1);
    assert.equal(r.invoice.index, 1);
    assert.equal(r.invoice.invoiceNumber, 'INV-0051');
    assert.equal(r.invoice.status, 'AUTHORISED');
    assert.equal(r.invoice.errors, 1);
    assert.match(r.invoice.requestXml as string, /^<Invoices>\n<Invoice>[\s\S]*Tui Cafe[\s\S]*<\/Invoice>\n<\/Invoices>\n$/);
    assert.doesNotMatch(r.invoice.requestXml as string, /Kauri/);
    assert.equal(r.invoice.elementXml, (r.invoice.requestXml as string).replace(/^<Invoices>\n/, '').replace(/\n<\/Invoices>\n$/, ''));
    const all = await client.connection.sendRequest<{ invoices: { invoiceNumber: string; total: string }[] }>('xeroInvoice/allInvoices', { textDocument: { uri } });
    assert.deepEqual(all.invoices.map((i) => [i.invoiceNumber, i.total]), [['INV-0050', '206.31'], ['INV-0051', '425.50'], ['PI-3391', '240.00']]);
  });

  it('writes back identifiers and statuses only for the version sent, and shows per-invoice errors until the invoice is edited', async () => {
    const uri = 'file:///w/send.xml';
    const text = read('../../samples/bulk-invoices.xml');
    await client.open(uri, text);
    const r = await client.connection.sendRequest<{ applicable: boolean; edits: never[] }>('xeroInvoice/applyServerResults', {
      textDocument: { uri, version: 1 },
      results: [
        { index: 0, invoiceId: '297c2dc5-cc47-4afd-8ec8-74990b8761e9', invoiceNumber: 'INV-0050', status: 'AUTHORISED' },
        { index: 1, errors: ['The document DueDate field must be specified.'] },
      ],
    });
    assert.equal(r.applicable, true);
    const written = applyEdits(text, r.edits);
    assert.match(written, /<Type>ACCREC<\/Type>\n {4}<InvoiceID>297c2dc5-cc47-4afd-8ec8-74990b8761e9<\/InvoiceID>\n/);
    const diags = await client.diagnostics(uri);
    const verdict = diags.filter((d) => d.message.startsWith('The endpoint rejected this invoice'));
    assert.equal(verdict.length, 1);
    assert.equal(verdict[0].range.start.line, positionOf(text, '<Invoice>', 1).line);
    const stale = await client.connection.sendRequest<{ applicable: boolean }>('xeroInvoice/applyServerResults', { textDocument: { uri, version: 7 }, results: [{ index: 0, status: 'VOIDED' }] });
    assert.equal(stale.applicable, false);
    await client.change(uri, [{ range: { start: positionOf(text, 'Tui Cafe'), end: positionOf(text, 'Tui Cafe', 0, 3) }, text: 'Kea' }]);
    assert.equal((await client.diagnostics(uri)).some((d) => d.message.startsWith('The endpoint rejected')), false);
  });
});
