// Each command's requests against the real sandbox: create, update, approve, email, mark sent, void, delete,
// PDF bytes, fetch, modified-since, credit notes, bulk batches with partial failures.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { emailProblemsAtEndpoint, refusalReason } from '../../client/src/preconditions';
import { useTestSandbox, testHttp, v2, invoiceXml, creditNoteXml, type TestSandbox } from './support';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Xero 2.0 client against the sandbox', () => {
  const sandbox = useTestSandbox();
  let sb: TestSandbox;
  beforeEach(() => {
    sb = sandbox();
  });

  async function create(xml: string) {
    const { http } = testHttp();
    const r = await v2(sb, http).send('invoice', 'PUT', [{ key: 0, elementXml: xml }]);
    const o = r.outcomes.get(0)!;
    assert.ok(o.ok, o.errors.join('; '));
    return o;
  }

  it('creates an invoice with PUT …/Invoices?SummarizeErrors=false, an Idempotency-Key, and reads back ID, number, status, UpdatedDateUTC', async () => {
    const rec = testHttp();
    const r = await v2(sb, rec.http).send('invoice', 'PUT', [{ key: 7, elementXml: invoiceXml({ status: 'DRAFT' }) }]);
    const o = r.outcomes.get(7)!;
    assert.equal(o.ok, true);
    assert.match(o.id!, GUID);
    assert.match(o.number!, /^INV-\d+$/);
    assert.equal(o.status, 'DRAFT');
    assert.match(o.updatedDateUTC!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/, 'an XML dateTime, not /Date(…)/');
    assert.equal(rec.logs.length, 1);
    assert.equal(rec.logs[0].method, 'PUT');
    assert.equal(rec.logs[0].path, '/api.xro/2.0/Invoices?SummarizeErrors=false');
    assert.equal(rec.logs[0].status, 200);
    assert.ok(rec.logs[0].rateLimit.minuteRemaining !== undefined, 'rate-limit headers are logged');
  });

  it('updates an invoice by ID with POST (same InvoiceID, new figures)', async () => {
    const o = await create(invoiceXml({ status: 'DRAFT' }));
    const { http } = testHttp();
    const api = v2(sb, http);
    const updated = invoiceXml({ status: 'DRAFT', amount: '250.00' }).replace('<Invoice>', `<Invoice><InvoiceID>${o.id}</InvoiceID>`);
    const r = await api.send('invoice', 'POST', [{ key: 0, elementXml: updated }]);
    assert.equal(r.outcomes.get(0)!.id, o.id);
    const state = await api.get('invoice', o.id!);
    assert.equal(state.Total, 287.5);
  });

  it('approves (status change), emails (204 + .eml in the outbox), marks as sent', async () => {
    const o = await create(invoiceXml({ status: 'DRAFT', email: 'ap@approve.example' }));
    const { http } = testHttp();
    const api = v2(sb, http);
    const approved = await api.changeStatus('invoice', o.id!, 'AUTHORISED');
    assert.equal(approved.ok, true);
    assert.equal(approved.status, 'AUTHORISED');
    const state = await api.get('invoice', o.id!);
    assert.deepEqual(emailProblemsAtEndpoint(state, await api.contact(state.Contact!.ContactID!)), []);
    const outboxBefore = (await sb.outbox()).files.length;
    await api.email(o.id!);
    const files = (await sb.outbox()).files;
    assert.equal(files.length, outboxBefore + 1);
    const eml = files.find((f) => f.name.includes(o.number!))!;
    assert.match(readFileSync(eml.path, 'utf8'), /ap@approve\.example/);
    const sent = await api.markAsSent(o.id!);
    assert.equal(sent.ok, true);
    assert.equal(sent.sentToContact, true);
  });

  it('refuses to email a draft (400 with the reason) and reports a contact without an email address', async () => {
    const draft = await create(invoiceXml({ status: 'DRAFT', email: '' }));
    const { http } = testHttp();
    const api = v2(sb, http);
    await assert.rejects(api.email(draft.id!), (e: Error & { kind?: string; details?: string[] }) => {
      assert.equal(e.kind, 'validation');
      assert.match([e.message, ...(e.details ?? [])].join(' '), /submitted or approved/);
      return true;
    });
    await api.changeStatus('invoice', draft.id!, 'AUTHORISED');
    const state = await api.get('invoice', draft.id!);
    const contact = await api.contact(state.Contact!.ContactID!);
    const problems = emailProblemsAtEndpoint(state, contact);
    assert.ok(problems.some((p) => /has no email address/.test(p)), problems.join('; '));
  });

  it('voids an approved invoice; refuses locally when it has a payment ("… can\'t be voided: it has a payment of 100.00 NZD")', async () => {
    const { http } = testHttp();
    const api = v2(sb, http);
    const a = await create(invoiceXml({ status: 'AUTHORISED' }));
    assert.equal(refusalReason('void', await api.get('invoice', a.id!)), undefined);
    const voided = await api.changeStatus('invoice', a.id!, 'VOIDED');
    assert.equal(voided.status, 'VOIDED');
    assert.match(refusalReason('void', await api.get('invoice', a.id!))!, /already voided/);

    const b = await create(invoiceXml({ status: 'AUTHORISED', amount: '200.00' }));
    const pay = await http.request({
      method: 'PUT',
      url: new URL('/api.xro/2.0/Payments', sb.url),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'xero-tenant-id': sb.ready.tenantId },
      body: JSON.stringify({ Payments: [{ Invoice: { InvoiceID: b.id }, Account: { Code: '090' }, Date: '2026-11-10', Amount: 100 }] }),
      expect: 'json',
    });
    assert.equal(pay.status, 200);
    assert.equal(refusalReason('void', await api.get('invoice', b.id!)), 'it has a payment of 100.00 NZD (remove the payment first)');
    // The endpoint agrees: the status change is rejected with its own message.
    const refused = await api.changeStatus('invoice', b.id!, 'VOIDED');
    assert.equal(refused.ok, false);
    assert.ok(refused.errors.length > 0);
  });

  it('deletes a draft; refuses to delete an approved invoice', async () => {
    const { http } = testHttp();
    const api = v2(sb, http);
    const d = await create(invoiceXml({ status: 'SUBMITTED' }));
    assert.equal(refusalReason('delete', await api.get('invoice', d.id!)), undefined);
    const deleted = await api.changeStatus('invoice', d.id!, 'DELETED');
    assert.equal(deleted.status, 'DELETED');
    const a = await create(invoiceXml({ status: 'AUTHORISED' }));
    assert.match(refusalReason('delete', await api.get('invoice', a.id!))!, /approved \(AUTHORISED\): void it instead/);
    const r = await api.changeStatus('invoice', a.id!, 'DELETED');
    assert.equal(r.ok, false);
    assert.deepEqual(r.errors, ['Invoice not of valid status for modification']);
  });

  it('downloads the PDF (Accept: application/pdf) streamed into a file, never into the answer', async () => {
    const o = await create(invoiceXml({ status: 'AUTHORISED' }));
    const rec = testHttp();
    const file = join(mkdtempSync(join(tmpdir(), 'xero-pdf-')), 'invoice.pdf');
    const size = await v2(sb, rec.http).pdf('invoice', o.id!, file);
    const bytes = readFileSync(file);
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal(size, bytes.length);
    assert.ok(bytes.length > 500);
    assert.match(rec.logs.at(-1)!.responseBody ?? '', new RegExp(`^<${size} bytes of application/pdf written to `));
  });

  it('fetches one invoice by number or ID as XML (for an editor) and as JSON (state)', async () => {
    const o = await create(invoiceXml({ status: 'DRAFT' }));
    const { http } = testHttp();
    const api = v2(sb, http);
    const byNumber = await api.getXml('invoice', o.number!);
    assert.match(byNumber, /^<Response/);
    assert.ok(byNumber.includes(`<InvoiceID>${o.id}</InvoiceID>`));
    assert.equal((await api.get('invoice', o.id!)).InvoiceNumber, o.number);
    await assert.rejects(api.get('invoice', 'INV-9999999'), (e: Error & { kind?: string }) => e.kind === 'notFound');
  });

  it('pulls invoices modified since a moment (If-Modified-Since) with Statuses and where filters', async () => {
    const { http } = testHttp();
    const api = v2(sb, http);
    const since = new Date(Date.now() - 1000);
    const fresh = await create(invoiceXml({ status: 'SUBMITTED' }));
    const xml = await api.listXml('invoice', { modifiedSince: since, statuses: ['SUBMITTED'], where: 'Type=="ACCREC"' });
    assert.ok(xml.includes(`<InvoiceNumber>${fresh.number}</InvoiceNumber>`));
    const future = await api.listXml('invoice', { modifiedSince: new Date(Date.now() + 3600_000) });
    assert.ok(!future.includes('<Invoice>'), 'nothing modified after a future moment');
    const none = await api.listXml('invoice', { modifiedSince: since, statuses: ['PAID'] });
    assert.ok(!none.includes(`<InvoiceNumber>${fresh.number}</InvoiceNumber>`));
  });

  it('credit notes: create, approve, PDF, void — on /CreditNotes', async () => {
    const rec = testHttp();
    const api = v2(sb, rec.http);
    const r = await api.send('creditNote', 'PUT', [{ key: 0, elementXml: creditNoteXml('DRAFT') }]);
    const o = r.outcomes.get(0)!;
    assert.ok(o.ok, o.errors.join('; '));
    assert.match(o.number!, /^CN-/);
    assert.equal(rec.logs[0].path, '/api.xro/2.0/CreditNotes?SummarizeErrors=false');
    assert.equal((await api.changeStatus('creditNote', o.id!, 'AUTHORISED')).status, 'AUTHORISED');
    const file = join(mkdtempSync(join(tmpdir(), 'xero-pdf-')), 'credit-note.pdf');
    await api.pdf('creditNote', o.id!, file);
    assert.equal(readFileSync(file).subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal(refusalReason('void', await api.get('creditNote', o.id!)), undefined);
    assert.equal((await api.changeStatus('creditNote', o.id!, 'VOIDED')).status, 'VOIDED');
  });

  it('bulk: 120 invoices go in batches of ≤ 50; per-invoice errors come back on the right invoice; the others are created', async () => {
    const rec = testHttp();
    const api = v2(sb, rec.http);
    const before = await sb.state();
    const items = Array.from({ length: 120 }, (_, i) => ({
      key: i,
      // Every 25th invoice has no contact: the endpoint rejects that one only.
      elementXml: i % 25 === 3 ? invoiceXml({ status: 'DRAFT' }).replace(/<Contact>.*?<\/Contact>/, '') : invoiceXml({ status: 'DRAFT' }),
    }));
    const progress: number[] = [];
    const r = await api.send('invoice', 'PUT', items, { onProgress: (p) => void progress.push(p.done) });
    assert.equal(rec.logs.length, 3, '120 invoices → 3 requests');
    assert.deepEqual(r.notSent, []);
    const failed = [...r.outcomes].filter(([, o]) => !o.ok).map(([k]) => k);
    assert.deepEqual(failed, [3, 28, 53, 78, 103]);
    assert.match(r.outcomes.get(28)!.errors.join(' '), /Contact/);
    assert.equal((await sb.state()).invoices, before.invoices + 115);
    assert.equal(Math.max(...progress), 120);
  });

  it('bulk: cancelling stops before the next batch and says which were not sent', async () => {
    const rec = testHttp();
    const api = v2(sb, rec.http);
    const abort = new AbortController();
    const items = Array.from({ length: 60 }, (_, i) => ({ key: i, elementXml: invoiceXml({ status: 'DRAFT' }) }));
    const r = await api.send('invoice', 'PUT', items, {
      signal: abort.signal,
      onProgress: (p) => {
        if (p.done === 50) abort.abort();
      },
    });
    assert.equal(r.cancelled, true);
    assert.equal(rec.logs.length, 1);
    assert.equal(r.outcomes.size, 50);
    assert.deepEqual(r.notSent, Array.from({ length: 10 }, (_, i) => 50 + i));
  });

  it("reads the organisation's accounts, tax types, currencies, tracking categories and contact names", async () => {
    const { http } = testHttp();
    const lists = await v2(sb, http).organisationLists();
    assert.ok(lists.accounts?.includes('200'));
    assert.ok(lists.taxTypes?.includes('OUTPUT2'));
    assert.ok(lists.currencies?.includes('NZD'));
    assert.ok(lists.trackingCategories?.some((t) => t.name === 'Region' && t.options.includes('North')));
    assert.ok(lists.contacts?.includes('ABC Limited') && lists.contacts.length > 100, `contacts from more than one page: ${lists.contacts?.length}`);
  });
});
