import assert from 'node:assert/strict';
import { describe, it, beforeEach } from 'node:test';
import { engineErrors, fixture, rootName, Sandbox, xmlAll, xmlText, sandboxForSuite } from './support';

const ZERO = '00000000-0000-0000-0000-000000000000';

describe('sandbox: error shapes (FACTS §4)', () => {
  const suiteSandbox = sandboxForSuite();
  let sb: Sandbox;
  beforeEach(() => {
    sb = suiteSandbox();
  });

  async function references(): Promise<string[]> {
    const r = await sb.request('GET', '/api.xro/2.0/Invoices', { accept: 'json' });
    return r.json.Invoices.map((i: { Reference?: string }) => i.Reference).filter(Boolean);
  }

  it('summarized (default), XML: 400 ApiException with the failed invoice echoed; the valid ones are still created', async () => {
    const r = await sb.request('PUT', '/api.xro/2.0/Invoices', { body: fixture('sandbox/batch-one-bad.xml'), contentType: 'xml' });
    assert.equal(r.status, 400);
    assert.equal(rootName(r.text), 'ApiException');
    const root = xmlAll(r.text, '')[0];
    assert.deepEqual(['ErrorNumber', 'Type', 'Message'].map((k) => xmlText(root, k)), ['10', 'ValidationException', 'A validation exception occurred']);
    const elements = xmlAll(r.text, 'Elements/DataContractBase');
    assert.equal(elements.length, 1);
    assert.equal(elements[0].attributes.find((a) => a.name === 'xsi:type')?.value, 'Invoice');
    assert.match(xmlText(elements[0], 'ValidationErrors/ValidationError/Message')!, /^The document DueDate field must be specified/);
    assert.equal(xmlText(elements[0], 'Reference'), 'batch bad');
    assert.equal(xmlText(elements[0], 'InvoiceID'), ZERO);
    // The echo is an ApiException document the editor reads: it reports the API's message on the invoice.
    assert.deepEqual(engineErrors(r.text).map((e) => e.split(':')[0]), ['response-validation-error']);
    const refs = await references();
    assert.ok(refs.includes('batch good 1') && refs.includes('batch good 2') && !refs.includes('batch bad'));
  });

  it('summarized, JSON: ErrorNumber 10 with Elements[].ValidationErrors[].Message', async () => {
    const r = await sb.request('PUT', '/api.xro/2.0/Invoices', { body: fixture('sandbox/batch-one-bad.json'), contentType: 'application/json', accept: 'json' });
    assert.equal(r.status, 400);
    assert.deepEqual([r.json.ErrorNumber, r.json.Type, r.json.Message], [10, 'ValidationException', 'A validation exception occurred']);
    assert.equal(r.json.Elements.length, 1);
    assert.equal(r.json.Elements[0].Reference, 'json bad');
    assert.match(r.json.Elements[0].ValidationErrors[0].Message, /Account code '999'/);
    const refs = await references();
    assert.ok(refs.includes('json good 1') && refs.includes('json good 2'));
  });

  it('SummarizeErrors=false, XML: 200, one <Invoice status="OK|ERROR"> per invoice in order, zero InvoiceID on the failed one', async () => {
    const body = fixture('sandbox/batch-one-bad.xml').replaceAll('batch ', 'unsummarized ');
    const r = await sb.request('POST', '/api.xro/2.0/Invoices?SummarizeErrors=false', { body, contentType: 'xml' });
    assert.equal(r.status, 200);
    assert.equal(xmlText(xmlAll(r.text, '')[0], 'Status'), 'OK');
    const invoices = xmlAll(r.text, 'Invoices/Invoice');
    assert.deepEqual(invoices.map((i) => i.attributes.find((a) => a.name === 'status')?.value), ['OK', 'ERROR', 'OK']);
    assert.deepEqual(invoices.map((i) => xmlText(i, 'Reference')), ['unsummarized good 1', 'unsummarized bad', 'unsummarized good 2']);
    assert.equal(xmlText(invoices[1], 'InvoiceID'), ZERO);
    assert.notEqual(xmlText(invoices[0], 'InvoiceID'), ZERO);
    assert.match(xmlText(invoices[1], 'ValidationErrors/ValidationError/Message')!, /DueDate/);
    assert.equal(xmlText(invoices[0], 'ValidationErrors'), undefined);
  });

  it('SummarizeErrors=false, JSON (the parameter in any case): StatusAttributeString, HasErrors, ValidationErrors', async () => {
    const body = fixture('sandbox/batch-one-bad.json').replaceAll('json ', 'lower ');
    const r = await sb.request('PUT', '/api.xro/2.0/Invoices?summarizeerrors=False', { body, contentType: 'application/json', accept: 'json' });
    assert.equal(r.status, 200);
    assert.equal(r.json.Status, 'OK');
    const [a, b, c] = r.json.Invoices;
    assert.deepEqual([a.StatusAttributeString, b.StatusAttributeString, c.StatusAttributeString], ['OK', 'ERROR', 'OK']);
    assert.deepEqual([a.HasErrors, b.HasErrors, c.HasErrors], [false, true, false]);
    assert.equal(b.InvoiceID, ZERO);
    assert.match(b.ValidationErrors[0].Message, /999/);
    assert.equal(a.ValidationErrors, undefined);
    assert.equal(c.DateString, '2018-10-20T00:00:00');
  });

  it('reports engine warnings as Warnings and keeps the invoice', async () => {
    const r = await sb.request('PUT', '/api.xro/2.0/Invoices', { body: fixture('seeds/001-minimum-draft.xml'), contentType: 'xml' });
    assert.equal(r.status, 200);
    assert.match(xmlText(xmlAll(r.text, 'Invoices/Invoice')[0], 'Warnings/Warning/Message')!, /One or more line items must be specified/);
  });

  it('refuses an update the rules refuse, and says why, per invoice', async () => {
    const r = await sb.request('POST', '/api.xro/2.0/Invoices?SummarizeErrors=false', {
      json: { Invoices: [{ InvoiceNumber: 'INV-0001', Status: 'DELETED' }, { InvoiceNumber: 'INV-0002', Status: 'AUTHORISED' }, { InvoiceNumber: 'INV-9999', Status: 'VOIDED' }] },
      accept: 'json',
    });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.Invoices.map((i: { StatusAttributeString: string }) => i.StatusAttributeString), ['ERROR', 'OK', 'ERROR']);
    assert.equal(r.json.Invoices[0].ValidationErrors[0].Message, 'Invoice not of valid status for modification');
    assert.match(r.json.Invoices[2].ValidationErrors[0].Message, /INV-9999 could not be found/);
  });
});
