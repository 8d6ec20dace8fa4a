import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createInvoices, invoice, removeDir, Sandbox } from './support';

const MODIFICATION = /^Invoice not of valid status for modification/;
const ALLOCATED = 'This document cannot be edited as it has a payment or credit note allocated to it.';
const REAPPROVE = 'The status AUTHORISED cannot be applied to the invoice because it has payments or credit notes allocated to it.';

describe('sandbox: status transitions (FACTS §2.4)', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await Sandbox.start({ args: ['--empty'] });
  });
  after(async () => {
    await sb.stop();
    removeDir(sb.ready.dataDir);
  });

  async function setStatus(id: string, Status: string) {
    return sb.request('POST', '/api.xro/2.0/Invoices', { json: { Invoices: [{ InvoiceID: id, Status }] }, accept: 'json' });
  }

  async function pay(id: string, amount: number) {
    return sb.request('PUT', '/api.xro/2.0/Payments', { json: { Payments: [{ Invoice: { InvoiceID: id }, Account: { Code: '090' }, Date: '2026-03-10', Amount: amount }] }, accept: 'json' });
  }

  /** A new invoice in the given status, made the way a client would get it there. */
  async function make(status: string): Promise<{ InvoiceID: string; Total: number }> {
    const initial = ['DRAFT', 'SUBMITTED', 'AUTHORISED'].includes(status) ? status : status === 'DELETED' ? 'DRAFT' : 'AUTHORISED';
    const [inv] = await createInvoices(sb, [invoice({ Status: initial })]);
    if (status === 'PAID') assert.equal((await pay(inv.InvoiceID, inv.Total)).status, 200);
    if (status === 'VOIDED' || status === 'DELETED') assert.equal((await setStatus(inv.InvoiceID, status)).status, 200);
    const got = await sb.request('GET', `/api.xro/2.0/Invoices/${inv.InvoiceID}`, { accept: 'json' });
    assert.equal(got.json.Invoices[0].Status, status);
    return inv;
  }

  it('starts with the organisation but no contacts or documents under --empty', async () => {
    const state = await sb.request('GET', '/sandbox/state', { auth: false });
    assert.deepEqual([state.json.invoices, state.json.creditNotes, state.json.contacts], [0, 0, 0]);
    assert.equal((await sb.request('GET', '/api.xro/2.0/Accounts', { accept: 'json' })).json.Accounts.length > 5, true);
  });

  const table: [string, string, true | RegExp | string][] = [
    ['DRAFT', 'SUBMITTED', true],
    ['DRAFT', 'AUTHORISED', true],
    ['DRAFT', 'DELETED', true],
    ['DRAFT', 'VOIDED', MODIFICATION],
    ['DRAFT', 'PAID', MODIFICATION],
    ['DRAFT', 'DRAFT', MODIFICATION],
    ['SUBMITTED', 'AUTHORISED', true],
    ['SUBMITTED', 'DELETED', true],
    ['SUBMITTED', 'VOIDED', MODIFICATION],
    ['SUBMITTED', 'DRAFT', MODIFICATION],
    ['AUTHORISED', 'VOIDED', true],
    ['AUTHORISED', 'AUTHORISED', true],
    ['AUTHORISED', 'DELETED', MODIFICATION],
    ['AUTHORISED', 'SUBMITTED', MODIFICATION],
    ['AUTHORISED', 'PAID', MODIFICATION],
    ['PAID', 'VOIDED', ALLOCATED],
    ['PAID', 'DELETED', ALLOCATED],
    ['PAID', 'AUTHORISED', REAPPROVE],
    ['VOIDED', 'AUTHORISED', MODIFICATION],
    ['VOIDED', 'DELETED', MODIFICATION],
    ['DELETED', 'AUTHORISED', MODIFICATION],
    ['DELETED', 'DRAFT', MODIFICATION],
  ];
  for (const [from, to, expected] of table) {
    it(`${from} → ${to}: ${expected === true ? 'allowed' : 'refused'}`, async () => {
      const inv = await make(from);
      const r = await setStatus(inv.InvoiceID, to);
      if (expected === true) {
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.Invoices[0].Status, to);
      } else {
        assert.equal(r.status, 400, r.text);
        const message = r.json.Elements[0].ValidationErrors[0].Message;
        if (typeof expected === 'string') assert.equal(message, expected);
        else assert.match(message, expected);
        const after = await sb.request('GET', `/api.xro/2.0/Invoices/${inv.InvoiceID}`, { accept: 'json' });
        assert.equal(after.json.Invoices[0].Status, from, 'a refused change leaves the invoice as it was');
      }
    });
  }

  it('refuses to create PAID, VOIDED or DELETED invoices', async () => {
    for (const Status of ['PAID', 'VOIDED', 'DELETED']) {
      const r = await sb.request('PUT', '/api.xro/2.0/Invoices', { json: { Invoices: [invoice({ Status })] }, accept: 'json' });
      assert.equal(r.status, 400);
      assert.match(r.json.Elements[0].ValidationErrors[0].Message, /^Invoice not of valid status for creation/);
    }
  });

  it('checks an approval with the approval rules (a DueDate is needed)', async () => {
    const [draft] = await createInvoices(sb, [invoice({ DueDate: undefined })]);
    const r = await setStatus(draft.InvoiceID, 'AUTHORISED');
    assert.equal(r.status, 400);
    assert.match(r.json.Elements[0].ValidationErrors[0].Message, /^The document DueDate field must be specified/);
    const fixed = await sb.request('POST', `/api.xro/2.0/Invoices/${draft.InvoiceID}`, { json: { DueDate: '2026-04-30', Status: 'AUTHORISED' }, accept: 'json' });
    assert.equal(fixed.status, 200, fixed.text);
    assert.equal(fixed.json.Invoices[0].Status, 'AUTHORISED');
  });

  it('approves with the body of the MCP example: {"Invoices":[{"Status":"AUTHORISED"}]} on POST /Invoices/{id}', async () => {
    const inv = await make('DRAFT');
    const r = await sb.request('POST', `/api.xro/2.0/Invoices/${inv.InvoiceID}`, { json: { Invoices: [{ Status: 'AUTHORISED' }] }, accept: 'json' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.Invoices[0].Status, 'AUTHORISED');
  });

  it('lets an approved invoice without payments be edited, and refuses edits once a payment is applied', async () => {
    const inv = await make('AUTHORISED');
    const edit = await sb.request('POST', `/api.xro/2.0/Invoices/${inv.InvoiceID}`, { json: { Reference: 'edited while approved' }, accept: 'json' });
    assert.equal(edit.status, 200, edit.text);
    assert.equal((await pay(inv.InvoiceID, 10)).status, 200);
    for (const change of [{ Reference: 'again' }, { LineItems: [{ Description: 'new line', Quantity: 1, UnitAmount: 5, AccountCode: '200' }] }, { Status: 'VOIDED' }]) {
      const r = await sb.request('POST', `/api.xro/2.0/Invoices/${inv.InvoiceID}`, { json: change, accept: 'json' });
      assert.equal(r.status, 400, JSON.stringify(change));
      assert.equal(r.json.Elements[0].ValidationErrors[0].Message, ALLOCATED);
    }
    const planned = await sb.request('POST', `/api.xro/2.0/Invoices/${inv.InvoiceID}`, { json: { ExpectedPaymentDate: '2026-05-01' }, accept: 'json' });
    assert.equal(planned.status, 200, planned.text);
    const reapprove = await setStatus(inv.InvoiceID, 'AUTHORISED');
    assert.equal(reapprove.json.Elements[0].ValidationErrors[0].Message, REAPPROVE);
  });

  it('voids once the payment is deleted', async () => {
    const inv = await make('AUTHORISED');
    const payment = await pay(inv.InvoiceID, inv.Total);
    assert.equal(payment.json.Payments[0].Invoice.Status, 'PAID');
    assert.equal((await setStatus(inv.InvoiceID, 'VOIDED')).json.Elements[0].ValidationErrors[0].Message, ALLOCATED);
    const removed = await sb.request('POST', `/api.xro/2.0/Payments/${payment.json.Payments[0].PaymentID}`, { json: { Status: 'DELETED' }, accept: 'json' });
    assert.equal(removed.status, 200, removed.text);
    assert.equal(removed.json.Payments[0].Status, 'DELETED');
    const voided = await setStatus(inv.InvoiceID, 'VOIDED');
    assert.equal(voided.status, 200, voided.text);
    assert.equal(voided.json.Invoices[0].AmountPaid, 0);
  });

  it('sets SentToContact on approved invoices only', async () => {
    const approved = await make('AUTHORISED');
    const ok = await sb.request('POST', '/api.xro/2.0/Invoices', { json: { Invoices: [{ InvoiceID: approved.InvoiceID, SentToContact: true }] }, accept: 'json' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.Invoices[0].SentToContact, true);
    const paid = await make('PAID');
    assert.equal((await sb.request('POST', `/api.xro/2.0/Invoices/${paid.InvoiceID}`, { json: { SentToContact: true }, accept: 'json' })).status, 200);
    const draft = await make('DRAFT');
    const refused = await sb.request('POST', '/api.xro/2.0/Invoices', { json: { Invoices: [{ InvoiceID: draft.InvoiceID, SentToContact: true }] }, accept: 'json' });
    assert.equal(refused.status, 400);
    assert.match(refused.json.Elements[0].ValidationErrors[0].Message, /SentToContact can only be set on an approved invoice/);
    const onCreate = await sb.request('PUT', '/api.xro/2.0/Invoices', { json: { Invoices: [invoice({ SentToContact: true })] }, accept: 'json' });
    assert.equal(onCreate.status, 400);
  });

  it('takes payments on approved invoices only, up to the amount due; PAID when fully paid', async () => {
    const draft = await make('DRAFT');
    const onDraft = await pay(draft.InvoiceID, 1);
    assert.equal(onDraft.status, 400);
    assert.match(onDraft.json.Elements[0].ValidationErrors[0].Message, /AUTHORISED/);
    const inv = await make('AUTHORISED');
    const tooMuch = await pay(inv.InvoiceID, inv.Total + 1);
    assert.equal(tooMuch.status, 400);
    assert.match(tooMuch.json.Elements[0].ValidationErrors[0].Message, /more than the amount due/);
    const notBank = await sb.request('PUT', '/api.xro/2.0/Payments', { json: { Payments: [{ Invoice: { InvoiceID: inv.InvoiceID }, Account: { Code: '200' }, Date: '2026-03-10', Amount: 1 }] }, accept: 'json' });
    assert.equal(notBank.status, 400);
    const part = await pay(inv.InvoiceID, 30);
    assert.equal(part.status, 200);
    let got = (await sb.request('GET', `/api.xro/2.0/Invoices/${inv.InvoiceID}`, { accept: 'json' })).json.Invoices[0];
    assert.deepEqual([got.Status, got.AmountPaid, got.AmountDue, got.Payments.length], ['AUTHORISED', 30, 200, 1]);
    const rest = await pay(inv.InvoiceID, 200);
    assert.equal(rest.status, 200);
    got = (await sb.request('GET', `/api.xro/2.0/Invoices/${inv.InvoiceID}`, { accept: 'json' })).json.Invoices[0];
    assert.deepEqual([got.Status, got.AmountPaid, got.AmountDue, got.FullyPaidOnDateString], ['PAID', 230, 0, '2026-03-10T00:00:00']);
    const list = await sb.request('GET', '/api.xro/2.0/Payments', { accept: 'json' });
    assert.ok(list.json.Payments.length >= 2);
  });
});
