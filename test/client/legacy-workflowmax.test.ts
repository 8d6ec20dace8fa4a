// The legacy API 1.0 (apiKey/xeroKey, PUT /invoice, modifiedSince) and WorkflowMax 3.0 (read-only invoice.api).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EndpointError } from '../../client/src/endpoint/errors';
import { LegacyV1Client } from '../../client/src/endpoint/legacy-v1';
import { WorkflowMaxClient, workflowMaxDate, workflowMaxPath } from '../../client/src/endpoint/workflowmax';
import { ROOT, startTestSandbox, testHttp, v2, invoiceXml, TENANT, type TestSandbox } from './support';

describe('legacy API 1.0 against the sandbox', () => {
  let sb: TestSandbox;
  before(async () => {
    sb = await startTestSandbox();
  });
  after(async () => {
    await sb?.stop();
  });

  const legacyInvoice = (number: string) => readFileSync(join(ROOT, 'samples', 'legacy-1.0-invoice.xml'), 'utf8').replace('OIT00535', number);

  it('PUT /invoice with apiKey and xeroKey creates the invoice; GET /invoice and /invoices?modifiedSince read it; keys never reach the log', async () => {
    const rec = testHttp({ authHeaders: undefined, secrets: () => [sb.ready.clientId] });
    const api = new LegacyV1Client(rec.http, sb.url, { apiKey: sb.ready.clientId, xeroKey: TENANT });
    const before = await sb.state();
    const r = await api.putInvoice(legacyInvoice('OIT-L1'));
    assert.equal(r.status, 200);
    assert.match(r.xml, /<Status>OK<\/Status>/);
    assert.match(r.xml, /<InvoiceNumber>OIT-L1<\/InvoiceNumber>/);
    assert.equal((await sb.state()).invoices, before.invoices + 1);
    assert.match(await api.getInvoiceXml('OIT-L1'), /<InvoiceNumber>OIT-L1<\/InvoiceNumber>/);
    const since = await api.listXml(new Date(Date.now() - 86_400_000));
    assert.match(since, /OIT-L1/);
    assert.equal(rec.logs[0].path, '/api.xro/1.0/invoice?apiKey=***&xeroKey=***');
    assert.ok(!JSON.stringify(rec.logs).includes(sb.ready.clientId));
  });

  it('a rejected 1.0 invoice comes back as the XML answer (400) for the editor, and a wrong apiKey is an auth error', async () => {
    const rec = testHttp({ authHeaders: undefined });
    const api = new LegacyV1Client(rec.http, sb.url, { apiKey: sb.ready.clientId, xeroKey: TENANT });
    const r = await api.putInvoice('<Invoice><InvoiceType>ACCREC</InvoiceType></Invoice>');
    assert.equal(r.status, 400);
    assert.match(r.xml, /<Errors>/);
    const wrong = new LegacyV1Client(testHttp({ authHeaders: undefined }).http, sb.url, { apiKey: 'not-the-key', xeroKey: TENANT });
    await assert.rejects(wrong.getInvoiceXml('OIT-L1'), (e: Error) => {
      assert.ok(e instanceof EndpointError && e.kind === 'auth');
      assert.match(e.message, /not valid/);
      assert.ok(!e.message.includes('not-the-key'), 'the key is redacted from the message');
      return true;
    });
  });

  it('a 1.0 PUT whose answer is lost is not repeated (API 1.0 has no idempotency): one invoice, and a re-send is refused as a duplicate', async () => {
    const before = await sb.state();
    await sb.control({ failNext: [{ drop: true, afterProcessing: true }] });
    const rec = testHttp({ authHeaders: undefined });
    const api = new LegacyV1Client(rec.http, sb.url, { apiKey: sb.ready.clientId, xeroKey: TENANT });
    await assert.rejects(api.putInvoice(legacyInvoice('OIT-L2')), (e: Error) => e instanceof EndpointError && e.kind === 'network');
    assert.deepEqual(rec.logs.map((l) => l.status), [null], 'not retried');
    assert.equal((await sb.state()).invoices, before.invoices + 1);
    const again = await api.putInvoice(legacyInvoice('OIT-L2'));
    assert.equal(again.status, 400);
    assert.equal((await sb.state()).invoices, before.invoices + 1, 'still one');
  });
});

describe('WorkflowMax 3.0 against the sandbox', () => {
  let sb: TestSandbox;
  let number: string;
  let uuid: string;
  before(async () => {
    sb = await startTestSandbox();
    const r = await v2(sb, testHttp().http).send('invoice', 'PUT', [{ key: 0, elementXml: invoiceXml({ status: 'AUTHORISED', extra: '<Reference>J000777</Reference>' }) }]);
    number = r.outcomes.get(0)!.number!;
    uuid = r.outcomes.get(0)!.id!;
  });
  after(async () => {
    await sb?.stop();
  });

  it('builds the invoice.api paths', () => {
    assert.equal(workflowMaxPath({ kind: 'current', detailed: true }), 'current?detailed=true');
    assert.equal(workflowMaxPath({ kind: 'list', from: '20260101', to: '20261231' }), 'list?from=20260101&to=20261231');
    assert.equal(workflowMaxPath({ kind: 'job', jobNumber: 'J000123' }), 'job/J000123');
    assert.equal(workflowMaxDate('2026-11-02'), '20261102');
    assert.equal(workflowMaxDate('2.11.2026'), undefined);
  });

  it('fetches current, draft, list (from/to), by number, by job and payments, as XML', async () => {
    const rec = testHttp();
    const api = new WorkflowMaxClient(rec.http, sb.url, TENANT);
    assert.match(await api.fetchXml({ kind: 'current', detailed: true }), new RegExp(uuid));
    assert.match(await api.fetchXml({ kind: 'draft' }), /^<Response/);
    const year = new Date().getUTCFullYear();
    assert.match(await api.fetchXml({ kind: 'list', from: `${year - 1}1201`, to: `${year}1130` }), /<Response/);
    assert.match(await api.fetchXml({ kind: 'get', invoiceNumber: number }), /<Status>Approved<\/Status>/);
    assert.match(await api.fetchXml({ kind: 'job', jobNumber: 'J000777' }), new RegExp(uuid));
    assert.match(await api.fetchXml({ kind: 'payments', invoiceNumber: number }), /<Payments/);
    assert.ok(rec.logs.every((l) => l.path.startsWith('/workflowmax/3.0/invoice.api/')));
    await assert.rejects(api.fetchXml({ kind: 'get', invoiceNumber: 'I999999' }), (e: Error) => e instanceof EndpointError && e.kind === 'notFound');
  });
});
