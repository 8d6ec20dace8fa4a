import assert from 'node:assert/strict';
import { describe, it, beforeEach } from 'node:test';
import { createInvoices, engineErrors, fixture, invoice, rootName, Sandbox, xmlAll, xmlText, sandboxForSuite } from './support';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('sandbox: invoices (Accounting API 2.0)', () => {
  const suiteSandbox = sandboxForSuite();
  let sb: Sandbox;
  beforeEach(() => {
    sb = suiteSandbox();
  });

  it('creates a batch from XML with totals computed by the engine, new contacts and tracking IDs', async () => {
    const r = await sb.request('PUT', '/api.xro/2.0/Invoices', { body: fixture('sandbox/two-invoices.xml'), contentType: 'xml' });
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type') ?? '', /xml/);
    assert.equal(rootName(r.text), 'Response');
    assert.deepEqual(engineErrors(r.text), []);
    const [cafe, bill] = xmlAll(r.text, 'Invoices/Invoice');
    assert.match(xmlText(cafe, 'InvoiceID')!, GUID);
    assert.equal(xmlText(cafe, 'InvoiceNumber'), 'INV-0005');
    assert.equal(xmlText(cafe, 'Status'), 'DRAFT');
    // Inclusive 15 %: 177.00 → tax 23.09; -79.00 → tax -10.30 (FACTS §3 rounding, per line).
    assert.deepEqual(['SubTotal', 'TotalTax', 'Total', 'AmountDue', 'AmountPaid'].map((k) => xmlText(cafe, k)), ['85.21', '12.79', '98.00', '98.00', '0.00']);
    const lines = xmlAll(r.text, 'Invoices/Invoice/LineItems/LineItem').slice(0, 2);
    assert.deepEqual(lines.map((l) => [xmlText(l, 'LineAmount'), xmlText(l, 'TaxAmount'), xmlText(l, 'Quantity')]), [['177.00', '23.09', '3.0000'], ['-79.00', '-10.30', '1.0000']]);
    assert.match(xmlText(lines[0], 'LineItemID')!, GUID);
    assert.equal(xmlText(lines[0], 'Tracking/TrackingCategory/TrackingCategoryID'), 'e2f2f732-e92a-4f3a-9c4d-ee4da0182a13');
    assert.equal(xmlText(lines[0], 'Tracking/TrackingCategory/Option'), 'South');
    assert.equal(xmlText(cafe, 'Contact/Name'), 'Harbour Cafe');
    assert.equal(xmlText(cafe, 'Contact/EmailAddress'), 'owner@harbourcafe.example');
    // A bill: its number is its own; no TaxType, so the account's (429: INPUT2, 15 %): 240.50 → 36.08.
    assert.equal(xmlText(bill, 'InvoiceNumber'), 'PD-1001');
    assert.deepEqual(['Status', 'TotalTax', 'Total'].map((k) => xmlText(bill, k)), ['AUTHORISED', '36.08', '276.58']);
    assert.equal(xmlText(bill, 'LineItems/LineItem/TaxType'), 'INPUT2');
    const contacts = await sb.request('GET', '/api.xro/2.0/Contacts', { accept: 'json' });
    assert.ok(contacts.json.Contacts.some((c: { Name: string; EmailAddress?: string }) => c.Name === 'Harbour Cafe' && c.EmailAddress === 'owner@harbourcafe.example'));
  });

  it('takes a single <Invoice> root and numbers ACCREC invoices in sequence', async () => {
    const one = await sb.request('PUT', '/api.xro/2.0/Invoices', { body: fixture('sandbox/single-invoice.xml'), contentType: 'xml' });
    assert.equal(one.status, 200, one.text);
    const two = await sb.request('POST', '/api.xro/2.0/Invoices', { body: fixture('sandbox/single-invoice.xml'), contentType: 'text/xml' });
    assert.equal(two.status, 200);
    assert.deepEqual([one, two].map((r) => xmlText(xmlAll(r.text, 'Invoices/Invoice')[0], 'InvoiceNumber')), ['INV-0006', 'INV-0007']);
  });

  it('creates from JSON and answers JSON with Xero dates (/Date(ms+0000)/ and DateString)', async () => {
    const r = await sb.request('PUT', '/api.xro/2.0/Invoices', { json: { Invoices: [invoice({ Date: '2018-10-20', Reference: 'json dates' })] }, accept: 'json' });
    assert.equal(r.status, 200, r.text);
    const inv = r.json.Invoices[0];
    assert.equal(r.json.Status, 'OK');
    assert.equal(inv.Date, '/Date(1539993600000+0000)/');
    assert.equal(inv.DateString, '2018-10-20T00:00:00');
    assert.match(inv.UpdatedDateUTC, /^\/Date\(\d+\+0000\)\/$/);
    assert.equal(inv.Total, 230);
    assert.match(r.text, /"Total":230\.00/);
    assert.equal(inv.SentToContact, false);
    assert.equal(inv.LineItems[0].LineAmount, 200);
  });

  it('gets one invoice by ID or number, with its lines and full contact', async () => {
    const byNumber = await sb.request('GET', '/api.xro/2.0/Invoices/INV-0001', { accept: 'json' });
    assert.equal(byNumber.status, 200);
    const inv = byNumber.json.Invoices[0];
    assert.ok(inv.LineItems.length > 0);
    assert.equal(inv.Contact.EmailAddress, 'accounts@abc.example');
    const byId = await sb.request('GET', `/api.xro/2.0/Invoices/${inv.InvoiceID}`);
    assert.equal(xmlText(xmlAll(byId.text, 'Invoices/Invoice')[0], 'InvoiceNumber'), 'INV-0001');
    assert.deepEqual(engineErrors(byId.text), []);
    assert.equal((await sb.request('GET', '/api.xro/2.0/Invoices/INV-9999')).status, 404);
    assert.equal((await sb.request('GET', '/api.xro/2.0/invoices/inv-0001')).status, 200, 'routes and numbers are case-insensitive');
  });

  it('lists summaries without lines, and whole invoices 100 a page with pagination', async () => {
    const summary = await sb.request('GET', '/api.xro/2.0/Invoices', { accept: 'json' });
    assert.ok(summary.json.Invoices.length >= 8);
    assert.ok(summary.json.Invoices.every((i: Record<string, unknown>) => i.LineItems === undefined && i.InvoiceID && i.AmountDue !== undefined));
    assert.equal(summary.json.pagination, undefined);
    const page = await sb.request('GET', '/api.xro/2.0/Invoices?page=1', { accept: 'json' });
    assert.ok(page.json.Invoices.every((i: Record<string, unknown>) => Array.isArray(i.LineItems)));
    assert.deepEqual(page.json.pagination, { page: 1, pageSize: 100, pageCount: 1, itemCount: page.json.Invoices.length });
    const small = await sb.request('GET', '/api.xro/2.0/Invoices?page=2&pageSize=3', { accept: 'json' });
    assert.equal(small.json.Invoices.length, 3);
    assert.equal(small.json.pagination.page, 2);
    const xml = await sb.request('GET', '/api.xro/2.0/Invoices?page=1');
    assert.deepEqual(engineErrors(xml.text), []);
  });

  it('filters with where (==, AND, &&, guid(…)), comma lists and If-Modified-Since, and orders', async () => {
    const get = async (query: string, headers: Record<string, string> = {}) => {
      const r = await sb.request('GET', `/api.xro/2.0/Invoices?${query}`, { accept: 'json', headers });
      assert.equal(r.status, 200, `${query}: ${r.text}`);
      return r.json.Invoices as { InvoiceID: string; InvoiceNumber?: string; Status: string; Type: string; Contact: { ContactID: string } }[];
    };
    const drafts = await get(`where=${encodeURIComponent('Status=="DRAFT"')}`);
    assert.ok(drafts.length > 0 && drafts.every((i) => i.Status === 'DRAFT'));
    const bills = await get(`where=${encodeURIComponent('Type=="ACCPAY" AND Status=="AUTHORISED"')}`);
    assert.deepEqual([...new Set(bills.map((i) => i.Type))], ['ACCPAY']);
    const abc = '8a0b2f6e-1c3d-4e5f-9a7b-0c1d2e3f4a5b';
    const mine = await get(`where=${encodeURIComponent(`Contact.ContactID==guid("${abc}") && Type=="ACCREC"`)}`);
    assert.ok(mine.length > 0 && mine.every((i) => i.Contact.ContactID === abc));
    assert.deepEqual((await get(`ContactIDs=${abc}`)).map((i) => i.InvoiceID).sort(), (await get(`where=${encodeURIComponent(`Contact.ContactID==guid("${abc}")`)}`)).map((i) => i.InvoiceID).sort());
    const two = await get('InvoiceNumbers=INV-0001,INV-0002');
    assert.deepEqual(two.map((i) => i.InvoiceNumber), ['INV-0001', 'INV-0002']);
    assert.deepEqual((await get(`IDs=${two[1].InvoiceID}`)).map((i) => i.InvoiceNumber), ['INV-0002']);
    assert.ok((await get('Statuses=PAID,VOIDED')).every((i) => ['PAID', 'VOIDED'].includes(i.Status)));
    const desc = await get(`order=${encodeURIComponent('InvoiceNumber DESC')}&where=${encodeURIComponent('InvoiceNumber.StartsWith("INV-000")')}`);
    assert.deepEqual(desc.map((i) => i.InvoiceNumber), [...desc.map((i) => i.InvoiceNumber!)].sort().reverse());
    const future = await get('', { 'If-Modified-Since': '2999-01-01T00:00:00' });
    assert.deepEqual(future, []);
    const past = await get('', { 'If-Modified-Since': '2009-11-12T00:00:00' });
    assert.ok(past.length > 0);
    const bad = await sb.request('GET', `/api.xro/2.0/Invoices?where=${encodeURIComponent('Status=="DRAFT" AND')}`, { accept: 'json' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.ErrorNumber, 16);
  });

  it('merges an update into the stored invoice (only the changed fields are sent) and re-checks it', async () => {
    const [created] = await createInvoices(sb, [invoice({ Reference: 'before' })]);
    const r = await sb.request('POST', `/api.xro/2.0/Invoices/${created.InvoiceID}`, { json: { Invoices: [{ Reference: 'after' }] }, accept: 'json' });
    assert.equal(r.status, 200, r.text);
    const updated = r.json.Invoices[0];
    assert.equal(updated.Reference, 'after');
    assert.equal(updated.LineItems.length, 1);
    assert.equal(updated.Total, created.Total);
    assert.equal(updated.DueDateString, '2026-03-31T00:00:00');
    const lineId = updated.LineItems[0].LineItemID;
    const relined = await sb.request('POST', '/api.xro/2.0/Invoices', {
      json: { Invoices: [{ InvoiceNumber: created.InvoiceNumber, LineItems: [{ LineItemID: lineId, Quantity: 3 }] }] },
      accept: 'json',
    });
    assert.equal(relined.status, 200, relined.text);
    const line = relined.json.Invoices[0].LineItems[0];
    assert.deepEqual([line.LineItemID, line.Description, line.LineAmount, relined.json.Invoices[0].Total], [lineId, 'Consulting', 300, 345]);
    const emptied = await sb.request('POST', `/api.xro/2.0/Invoices/${created.InvoiceID}`, { json: { Contact: { ContactID: '11111111-2222-3333-4444-555555555555' } }, accept: 'json' });
    assert.equal(emptied.status, 400);
    assert.match(emptied.json.Elements[0].ValidationErrors[0].Message, /does not exist/);
    const history = await sb.request('GET', `/api.xro/2.0/Invoices/${created.InvoiceID}/History`, { accept: 'json' });
    assert.deepEqual(history.json.HistoryRecords.map((h: { Changes: string }) => h.Changes), ['Created', 'Edited', 'Edited']);
  });

  it('accepts a whole GET payload sent back as an update (read-only fields are ignored)', async () => {
    const got = await sb.request('GET', '/api.xro/2.0/Invoices/INV-0002');
    const r = await sb.request('POST', '/api.xro/2.0/Invoices', { body: got.text.replace('<Response', '<Ignored').replace('</Response>', '</Ignored>'), contentType: 'xml' });
    assert.equal(r.status, 400, 'a <Response> body is not a request');
    const inner = got.text.slice(got.text.indexOf('<Invoices>'), got.text.indexOf('</Invoices>') + '</Invoices>'.length);
    const back = await sb.request('POST', '/api.xro/2.0/Invoices', { body: inner, contentType: 'xml' });
    assert.equal(back.status, 200, back.text);
  });

  it('keeps ACCREC numbers unique across the organisation, lets ACCPAY numbers repeat', async () => {
    const dup = await sb.request('PUT', '/api.xro/2.0/Invoices', { body: fixture('sandbox/duplicate-number.xml'), contentType: 'xml', accept: 'json' });
    assert.equal(dup.status, 400);
    assert.deepEqual(dup.json.Elements[0].ValidationErrors, [{ Message: 'Invoice # must be unique.' }]);
    const bills = await createInvoices(sb, [
      invoice({ Type: 'ACCPAY', Contact: { Name: 'PowerDirect' }, InvoiceNumber: 'PD-2000', LineItems: [{ Description: 'Power', Quantity: 1, UnitAmount: 10, AccountCode: '429' }] }),
      invoice({ Type: 'ACCPAY', Contact: { Name: 'PowerDirect' }, InvoiceNumber: 'PD-2000', LineItems: [{ Description: 'Power', Quantity: 1, UnitAmount: 10, AccountCode: '429' }] }),
    ]);
    assert.equal(bills.length, 2);
  });

  it('rounds unit amounts to 2 places unless unitdp=4, and says so', async () => {
    const line = { Description: 'Four places', Quantity: 3, UnitAmount: 12.3456, AccountCode: '200' };
    const rounded = await sb.request('PUT', '/api.xro/2.0/Invoices', { json: { Invoices: [invoice({ LineItems: [line] })] }, accept: 'json' });
    assert.equal(rounded.json.Invoices[0].LineItems[0].UnitAmount, 12.35);
    assert.match(rounded.json.Invoices[0].Warnings[0].Message, /rounded to 12\.35/);
    const kept = await sb.request('PUT', '/api.xro/2.0/Invoices?unitdp=4', { json: { Invoices: [invoice({ LineItems: [line] })] }, accept: 'json' });
    assert.match(kept.text, /"UnitAmount":12\.3456/);
    assert.equal(kept.json.Invoices[0].LineItems[0].LineAmount, 37.04);
  });

  it('answers 400 ErrorNumber 14 for bodies it cannot read', async () => {
    const cases: [string, string | undefined, RegExp][] = [
      [fixture('sandbox/malformed.xml'), 'xml', /not well-formed XML/],
      [fixture('sandbox/bad-date.xml'), 'xml', /The string '20100510' is not a valid AllXsd value\./],
      [fixture('sandbox/bad-enum.json'), 'application/json', /NO_TAX/],
      ['{"Invoices":[{"Type":"ACCREC",}]}', 'application/json', /JSON request body could not be read/],
      ['', 'xml', /No data has been processed/],
      ['Just some words', 'text/plain', /neither XML nor JSON/],
      [fixture('sandbox/credit-note.xml'), 'xml', /must be <Invoices> as application\/xml/],
      [fixture('seeds/003-put-request.xml'), 'xml', /legacy 1\.0/],
      ['{"CreditNotes":[{"Type":"ACCRECCREDIT"}]}', 'application/json', /takes \{"Invoices":\[…\]\}/],
    ];
    for (const [body, contentType, message] of cases) {
      const r = await sb.request('PUT', '/api.xro/2.0/Invoices', { body, contentType, accept: 'json' });
      assert.equal(r.status, 400, body.slice(0, 40));
      assert.deepEqual([r.json.ErrorNumber, r.json.Type], [14, 'PostDataInvalidException']);
      assert.match(r.json.Message, message);
    }
    const binary = await sb.request('PUT', '/api.xro/2.0/Invoices', { body: new Uint8Array([0, 1, 2, 3, 255, 254, 0]), contentType: 'application/octet-stream' });
    assert.equal(binary.status, 400);
    assert.match(xmlText(xmlAll(binary.text, '')[0], 'Message')!, /neither XML nor JSON \(it is binary data/);
  });

  it('answers 413 for a body over 3.5 MB', async () => {
    const big = `<Invoices>${' '.repeat(3.6 * 1024 * 1024)}</Invoices>`;
    const r = await sb.request('PUT', '/api.xro/2.0/Invoices', { body: big, contentType: 'xml' });
    assert.equal(r.status, 413);
    assert.match(r.text, /3\.5 MB/);
  });

  it('answers HTTP DELETE with 404 and other unsupported methods with ErrorNumber 20 (501)', async () => {
    assert.equal((await sb.request('DELETE', '/api.xro/2.0/Invoices/INV-0002')).status, 404);
    const patch = await sb.request('PATCH', '/api.xro/2.0/Invoices/INV-0002', { accept: 'json' });
    assert.equal(patch.status, 501);
    assert.deepEqual([patch.json.ErrorNumber, patch.json.Type], [20, 'ApiMethodNotImplementedException']);
    const put = await sb.request('PUT', '/api.xro/2.0/Invoices/INV-0002');
    assert.equal(put.status, 501);
    assert.equal(rootName(put.text), 'ApiException');
    assert.equal(xmlText(xmlAll(put.text, '')[0], 'ErrorNumber'), '20');
  });
});
