// Error answers as the sandbox writes them, read by the client into a type, a message and the details.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { readErrorBody } from '../../client/src/endpoint/error-body';
import { fixture, Sandbox, sandboxForSuite, TENANT } from '../sandbox/support';

describe('reading error answers', () => {
  const suiteSandbox = sandboxForSuite();
  let sb: Sandbox;
  beforeEach(() => {
    sb = suiteSandbox();
  });

  it('2.0 XML ApiException: its Type and Message, and each echoed invoice validation message as a detail', async () => {
    const r = await sb.request('PUT', '/api.xro/2.0/Invoices', { body: fixture('sandbox/batch-one-bad.xml'), contentType: 'xml' });
    assert.equal(r.status, 400);
    const body = readErrorBody(r.text);
    assert.equal(body.type, 'ValidationException');
    assert.equal(body.message, 'A validation exception occurred');
    assert.equal(body.details.length, 1);
    assert.match(body.details[0], /^The document DueDate field must be specified/);
  });

  it('2.0 JSON ApiException: the same type and message, the echoed messages as details', async () => {
    const r = await sb.request('PUT', '/api.xro/2.0/Invoices', { body: fixture('sandbox/batch-one-bad.json'), contentType: 'application/json', accept: 'json' });
    const body = readErrorBody(r.text);
    assert.equal(body.type, 'ValidationException');
    assert.deepEqual(body.details, [r.json.Elements[0].ValidationErrors[0].Message]);
  });

  it('legacy 1.0 <Response><Errors>: the first Description is the message, the Status the type', async () => {
    const r = await sb.request('GET', `/api.xro/1.0/invoice?apiKey=wrong-key&xeroKey=${TENANT}&invoiceNumber=X`, { auth: false });
    assert.equal(r.status, 401);
    const body = readErrorBody(r.text);
    assert.equal(body.type, 'Unauthorized');
    assert.equal(body.message, 'The apiKey wrong-key is not valid.');
    assert.deepEqual(body.details, []);
  });

  it('WorkflowMax <Response><ErrorDescription>: the description is the message', async () => {
    const r = await sb.request('GET', '/workflowmax/3.0/invoice.api/get/NO-SUCH-INVOICE');
    assert.equal(r.status, 404);
    const body = readErrorBody(r.text);
    assert.equal(body.type, 'ERROR');
    assert.equal(body.message, 'Invoice NO-SUCH-INVOICE not found');
  });

  it('an answer with a DOCTYPE is never parsed: its text only, entities not expanded', () => {
    const body = readErrorBody('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><Response><ErrorDescription>&b;</ErrorDescription></Response>');
    assert.equal(body.type, undefined);
    assert.doesNotMatch(body.message ?? '', /aaaa/);
  });

  it('an HTML error page from a proxy: its text, cut to a readable length', () => {
    const body = readErrorBody(`<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>${'x'.repeat(500)}</body></html>`);
    assert.match(body.message ?? '', /^502 Bad Gateway 502 Bad Gateway x+…$/);
    assert.ok((body.message ?? '').length <= 300);
  });
});
