import assert from 'node:assert/strict';
import { describe, it, beforeEach } from 'node:test';
import { engineErrors, fixture, Sandbox, xmlAll, xmlText, sandboxForSuite } from './support';

/**
 * Every request example of Xero's documentation (seeds 001 and 003, kept verbatim as fixtures) is accepted as Xero
 * accepts it, with the figures the documentation gives.
 */
describe('sandbox conformance: the request examples of seeds 001 and 003', () => {
  const suiteSandbox = sandboxForSuite();
  let sb: Sandbox;
  beforeEach(() => {
    sb = suiteSandbox();
  });

  async function send(method: 'PUT' | 'POST', path: string, body: string) {
    const r = await sb.request(method, path, { body, contentType: 'xml' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(engineErrors(r.text), []);
    return xmlAll(r.text, 'Invoices/Invoice');
  }

  const creates: [string, Record<string, string>][] = [
    ['001-minimum-draft', { Status: 'DRAFT', Total: '0.00' }],
    ['001-draft-approvable', { Status: 'DRAFT', SubTotal: '600.00', Total: '690.00' }],
    ['001-minimum-approved', { Status: 'AUTHORISED', DueDate: '2011-07-20T00:00:00', Total: '460.00' }],
    ['001-inclusive-usd-tracking', { Status: 'DRAFT', CurrencyCode: 'USD', Total: '495.00', TotalTax: '64.57' }],
    ['001-item-code-draft', { Status: 'DRAFT', Total: '344.71' }],
    ['001-every-element', { Status: 'SUBMITTED', InvoiceNumber: 'OIT:01065', Reference: 'Ref:SMITHK', SubTotal: '87.11', TotalTax: '10.89', Total: '98.00' }],
  ];
  for (const [name, expected] of creates) {
    it(`${name}: created with PUT`, async () => {
      const [inv] = await send('PUT', '/api.xro/2.0/Invoices', fixture(`seeds/${name}.xml`));
      for (const [k, v] of Object.entries(expected)) assert.equal(xmlText(inv, k), v, k);
      assert.equal(xmlText(inv, 'Contact/Name'), name === '001-every-element' ? 'Ariki Properties' : 'ABC Limited');
    });
  }

  it('001-every-element: the new contact keeps what was sent for it', async () => {
    const r = await sb.request('GET', '/api.xro/2.0/Contacts', { accept: 'json' });
    const ariki = r.json.Contacts.find((c: { Name: string }) => c.Name === 'Ariki Properties');
    assert.deepEqual([ariki.ContactNumber, ariki.EmailAddress, ariki.Addresses.length, ariki.Phones.length], ['0006841301', 'emailaddress@yourdomain.com', 2, 4]);
  });

  it('001-item-code-draft: the line is priced from the item', async () => {
    const r = await sb.request('GET', `/api.xro/2.0/Invoices?where=${encodeURIComponent('Total==344.71')}&page=1`, { accept: 'json' });
    const line = r.json.Invoices[0].LineItems[0];
    assert.deepEqual([line.ItemCode, line.UnitAmount, line.AccountCode, line.LineAmount], ['2010-SWEATER-RED', 59.95, '200', 299.75]);
  });

  it('001-void: voids INV-123 once it exists as an approved invoice', async () => {
    const approved = fixture('seeds/001-minimum-approved.xml').replace('<Type>ACCREC</Type>', '<Type>ACCREC</Type> <InvoiceNumber>INV-123</InvoiceNumber>');
    await send('PUT', '/api.xro/2.0/Invoices', approved);
    const [voided] = await send('POST', '/api.xro/2.0/Invoices', fixture('seeds/001-void.xml'));
    assert.deepEqual([xmlText(voided, 'InvoiceNumber'), xmlText(voided, 'Status')], ['INV-123', 'VOIDED']);
  });

  it('001-delete: deletes INV-239 once it exists as a draft', async () => {
    const draft = fixture('seeds/001-draft-approvable.xml').replace('<Type>ACCREC</Type>', '<Type>ACCREC</Type><InvoiceNumber>INV-239</InvoiceNumber>');
    await send('PUT', '/api.xro/2.0/Invoices', draft);
    const [deleted] = await send('POST', '/api.xro/2.0/Invoices', fixture('seeds/001-delete.xml'));
    assert.deepEqual([xmlText(deleted, 'InvoiceNumber'), xmlText(deleted, 'Status')], ['INV-239', 'DELETED']);
  });

  it('003-put-request: the legacy 1.0 PUT is accepted with its figures (379.53 / 47.44 / 426.97)', async () => {
    const keys = `apiKey=${sb.ready.clientId}&xeroKey=${sb.ready.tenantId}`;
    const r = await sb.request('PUT', `/api.xro/1.0/invoice?${keys}`, { auth: false, body: fixture('seeds/003-put-request.xml'), contentType: 'xml' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(engineErrors(r.text), []);
    const inv = xmlAll(r.text, 'Invoice')[0];
    assert.deepEqual(['InvoiceNumber', 'SubTotal', 'TotalTax', 'Total'].map((k) => xmlText(inv, k)), ['OIT00535', '379.5300', '47.4400', '426.9700']);
    assert.deepEqual(xmlAll(r.text, 'Invoice/LineItems/LineItem').map((l) => xmlText(l, 'TaxAmount')), ['49.9400', '-2.5000']);
  });
});
