import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { engineErrors, fixture, invoice, createInvoices, removeDir, rootName, Sandbox, xmlAll, xmlText } from './support';

describe('sandbox: legacy API 1.0 and WorkflowMax 3.0 over the same store', () => {
  let sb: Sandbox;
  let keys: string;
  before(async () => {
    sb = await Sandbox.start();
    keys = `apiKey=${sb.ready.clientId}&xeroKey=${sb.ready.tenantId}`;
  });
  after(async () => {
    await sb.stop();
    removeDir(sb.ready.dataDir);
  });

  it('1.0: PUT /invoice takes seed 003 as an XML body and answers in the 1.0 element names, 4 decimal places', async () => {
    const r = await sb.request('PUT', `/api.xro/1.0/invoice?${keys}`, { auth: false, body: fixture('seeds/003-put-request.xml'), contentType: 'xml' });
    assert.equal(r.status, 200, r.text);
    const root = xmlAll(r.text, '')[0];
    assert.equal(root.name, 'Response');
    assert.deepEqual(root.children.slice(0, 4).map((c) => c.name), ['ID', 'Status', 'ProviderName', 'DateTimeUTC']);
    assert.equal(xmlText(root, 'Status'), 'OK');
    const inv = xmlAll(r.text, 'Invoice')[0];
    assert.deepEqual(
      ['InvoiceType', 'InvoiceNumber', 'IncludesTax', 'InvoiceStatus', 'SubTotal', 'TotalTax', 'Total', 'InvoiceDate'].map((k) => xmlText(inv, k)),
      ['ACCREC', 'OIT00535', 'true', 'DRAFT', '379.5300', '47.4400', '426.9700', '2008-02-25T00:00:00'],
    );
    assert.equal(xmlText(inv, 'Contact/EmailAddress'), 'accounts@redhousereads.co.nz');
    assert.deepEqual(engineErrors(r.text), []);
    const v2 = await sb.request('GET', '/api.xro/2.0/Invoices/OIT00535', { accept: 'json' });
    assert.equal(v2.json.Invoices[0].Total, 426.97, 'one store for every API');
  });

  it('1.0: PUT takes a form-encoded xml= body too, and refuses what the rules refuse in the 1.0 error shape', async () => {
    const form = `xml=${encodeURIComponent(fixture('sandbox/legacy-1.0-minimal.xml'))}`;
    const r = await sb.request('PUT', `/api.xro/1.0/invoice?${keys}`, { auth: false, body: form, contentType: 'application/x-www-form-urlencoded' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(['IncludesTax', 'TotalTax', 'Total'].map((k) => xmlText(xmlAll(r.text, 'Invoice')[0], k)), ['false', '0.0000', '90.0000']);
    const again = await sb.request('PUT', `/api.xro/1.0/invoice?${keys}`, { auth: false, body: form, contentType: 'application/x-www-form-urlencoded' });
    assert.equal(again.status, 400);
    const err = xmlAll(again.text, 'Errors/Error')[0];
    assert.equal(xmlText(err, 'Description'), 'Invoice # must be unique.');
    assert.match(xmlText(err, 'Exception/ExceptionType')!, /^Xero\.API\.Library\.Exceptions\./);
    assert.equal(xmlText(xmlAll(again.text, '')[0], 'Status'), 'BadRequest');
    const wrongTotals = fixture('seeds/003-put-request.xml').replace('<Total>426.97</Total>', '<Total>426.99</Total>').replace('OIT00535', 'OIT00536');
    const bad = await sb.request('PUT', `/api.xro/1.0/invoice?${keys}`, { auth: false, body: wrongTotals, contentType: 'xml' });
    assert.equal(bad.status, 400);
    assert.match(xmlText(xmlAll(bad.text, 'Errors/Error')[0], 'Description')!, /Total 426\.99 does not match the computed 426\.97/);
  });

  it('1.0: apiKey and xeroKey are required and checked', async () => {
    for (const query of ['', `apiKey=${sb.ready.clientId}`, `apiKey=wrong&xeroKey=${sb.ready.tenantId}`, `apiKey=${sb.ready.clientId}&xeroKey=00000000-0000-0000-0000-000000000000`]) {
      const r = await sb.request('GET', `/api.xro/1.0/invoices?${query}`, { auth: false });
      assert.equal(r.status, 401, query);
      assert.equal(rootName(r.text), 'Response');
      assert.ok(xmlText(xmlAll(r.text, 'Errors/Error')[0], 'Description'));
    }
  });

  it('1.0: GET /invoices?modifiedSince= and GET /invoice?invoiceNumber=|invoiceID=', async () => {
    const all = await sb.request('GET', `/api.xro/1.0/invoices?${keys}&modifiedSince=2008-11-20`, { auth: false });
    assert.equal(all.status, 200);
    const numbers = xmlAll(all.text, 'Invoices/Invoice').map((i) => xmlText(i, 'InvoiceNumber'));
    assert.ok(numbers.includes('OIT00535') && numbers.includes('INV-0001'));
    assert.ok(!engineErrors(all.text).some((e) => /mismatch/.test(e)), engineErrors(all.text).join('\n'));
    const none = await sb.request('GET', `/api.xro/1.0/invoices?${keys}&modifiedSince=2999-01-01`, { auth: false });
    assert.equal(xmlAll(none.text, 'Invoices/Invoice').length, 0);
    const one = await sb.request('GET', `/api.xro/1.0/invoice?${keys}&invoiceNumber=OIT00535`, { auth: false });
    const id = xmlText(xmlAll(one.text, 'Invoice')[0], 'InvoiceID')!;
    const byId = await sb.request('GET', `/api.xro/1.0/invoice?${keys}&invoiceID=${id}`, { auth: false });
    assert.equal(xmlText(xmlAll(byId.text, 'Invoice')[0], 'InvoiceNumber'), 'OIT00535');
    const missing = await sb.request('GET', `/api.xro/1.0/invoice?${keys}&invoiceNumber=123`, { auth: false });
    assert.equal(missing.status, 404);
    assert.equal(xmlText(xmlAll(missing.text, 'Errors/Error')[0], 'Description'), 'Invoice with invoice number 123 does not exist for this organisation');
    assert.equal(xmlText(xmlAll(missing.text, '')[0], 'Status'), 'InternalServerError');
    assert.equal((await sb.request('DELETE', `/api.xro/1.0/invoice?${keys}`, { auth: false })).status, 405);
  });

  it('WorkflowMax: current, draft, get/{n} (detailed), job/{n}, list?from&to, payments/{n}, in the shape of seed 002', async () => {
    const current = await sb.request('GET', '/workflowmax/3.0/invoice.api/current');
    assert.equal(current.status, 200);
    assert.deepEqual(engineErrors(current.text), []);
    const byId = new Map(xmlAll(current.text, 'Invoices/Invoice').map((i) => [xmlText(i, 'ID'), i]));
    const paid = byId.get('I000003')!;
    assert.deepEqual(
      ['Type', 'Status', 'JobText', 'Amount', 'AmountTax', 'AmountIncludingTax', 'AmountPaid', 'AmountOutstanding', 'Client/Name'].map((k) => xmlText(paid, k)),
      ['Progress Invoice', 'Paid', 'J000123', '200.00', '30.00', '230.00', '230.00', '0.00', 'Marine Systems'],
    );
    assert.equal(xmlText(byId.get('I000001'), 'Status'), 'Approved');
    assert.ok(![...byId.values()].some((i) => ['Draft', 'Cancelled'].includes(xmlText(i, 'Status')!)));
    const drafts = await sb.request('GET', '/workflowmax/3.0/invoice.api/draft?detailed=true');
    assert.ok(xmlAll(drafts.text, 'Invoices/Invoice').every((i) => xmlText(i, 'Status') === 'Draft'));
    assert.ok(xmlAll(drafts.text, 'Invoices/Invoice/Costs/Cost').length > 0);
    assert.deepEqual(engineErrors(drafts.text), []);
    const get = await sb.request('GET', '/workflowmax/3.0/invoice.api/get/I000003');
    assert.deepEqual(engineErrors(get.text), []);
    const job = xmlAll(get.text, 'Invoice/Jobs/Job')[0];
    assert.equal(xmlText(job, 'ID'), 'J000123');
    assert.deepEqual(xmlAll(get.text, 'Invoice/Jobs/Job/Costs/Cost').map((c) => xmlText(c, 'AmountIncludingTax')), ['172.50', '57.50']);
    const forJob = await sb.request('GET', '/workflowmax/3.0/invoice.api/job/J000123');
    assert.deepEqual(xmlAll(forJob.text, 'Invoices/Invoice').map((i) => xmlText(i, 'ID')), ['I000003']);
    const payments = await sb.request('GET', '/workflowmax/3.0/invoice.api/payments/I000003');
    const p = xmlAll(payments.text, 'Payments/Payment')[0];
    assert.deepEqual([xmlText(p, 'Amount'), xmlText(p, 'Reference')], ['230.00', 'Direct credit']);
    assert.equal(xmlText(xmlAll(payments.text, '')[0], 'Status'), 'OK');
  });

  it('WorkflowMax: list by date range includes cancelled ones; bad parameters and unknown numbers are errors', async () => {
    const [old] = await createInvoices(sb, [invoice({ Date: '2009-08-15', DueDate: '2009-08-30', Status: 'AUTHORISED', Reference: 'J000777' })]);
    await sb.request('POST', `/api.xro/2.0/Invoices/${old.InvoiceID}`, { json: { Status: 'VOIDED' } });
    const list = await sb.request('GET', '/workflowmax/3.0/invoice.api/list?from=20090801&to=20090901');
    const found = xmlAll(list.text, 'Invoices/Invoice');
    assert.deepEqual(found.map((i) => [xmlText(i, 'JobText'), xmlText(i, 'Status')]), [['J000777', 'Cancelled']]);
    const missing = await sb.request('GET', '/workflowmax/3.0/invoice.api/list?from=20090801');
    assert.equal(missing.status, 400);
    assert.deepEqual(['Status', 'ErrorDescription'].map((k) => !!xmlText(xmlAll(missing.text, '')[0], k)), [true, true]);
    assert.equal((await sb.request('GET', '/workflowmax/3.0/invoice.api/get/I999999')).status, 404);
    assert.equal((await sb.request('GET', '/workflowmax/3.0/invoice.api/current', { auth: false })).status, 401);
    assert.equal((await sb.request('POST', '/workflowmax/3.0/invoice.api/current')).status, 405);
  });
});
