import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, beforeEach } from 'node:test';
import { createInvoices, engineErrors, fixture, invoice, rootName, Sandbox, xmlAll, xmlText, sandboxForSuite } from './support';

/** The text a PDF shows: the literal strings of its (uncompressed) content streams. */
function pdfText(bytes: Buffer): string[] {
  const src = bytes.toString('latin1');
  const out: string[] = [];
  for (const m of src.matchAll(/\(((?:\\.|[^\\)])*)\)\s*Tj/g)) {
    out.push(m[1].replace(/\\([0-7]{3}|.)/g, (_, e: string) => (/^[0-7]{3}$/.test(e) ? String.fromCharCode(parseInt(e, 8)) : e)));
  }
  return out;
}

/** The parts of a multipart MIME message: headers (lower-case names) and body. */
function mimeParts(eml: string): { headers: Record<string, string>; body: string }[] {
  const boundary = /boundary="([^"]+)"/.exec(eml)![1];
  return eml
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const [head, ...rest] = part.replace(/^\r\n/, '').split('\r\n\r\n');
      const headers: Record<string, string> = {};
      for (const line of head.split('\r\n')) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      return { headers, body: rest.join('\r\n\r\n') };
    });
}

describe('sandbox: PDFs, email, online invoices, history, credit notes, organisation', () => {
  const suiteSandbox = sandboxForSuite();
  let sb: Sandbox;
  beforeEach(() => {
    sb = suiteSandbox();
  });

  it('returns a real PDF of an invoice with Accept: application/pdf', async () => {
    const r = await sb.request('GET', '/api.xro/2.0/Invoices/INV-0001', { accept: 'pdf' });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/pdf');
    assert.equal(r.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(r.bytes.includes(Buffer.from('INV-0001')), 'the number is readable in the bytes');
    const text = pdfText(r.bytes);
    for (const expected of ['TAX INVOICE', 'AUTHORISED', 'INV-0001', 'ABC Limited', 'PO 7781', 'Consulting services as agreed', 'Site visit, discounted', '5.00', '120.00', '15%', '600.00', '90.00', '192.38', '792.38', '118.86', '911.24', 'Due Date', 'Amount NZD']) {
      assert.ok(text.includes(expected), `${expected} in ${JSON.stringify(text)}`);
    }
    assert.ok(text.some((t) => /^\d{1,2} [A-Z][a-z]{2} \d{4}$/.test(t)), 'dates as people read them');
    const paid = pdfText((await sb.request('GET', '/api.xro/2.0/Invoices/INV-0003', { accept: 'pdf' })).bytes);
    assert.ok(paid.includes('PAID') && paid.includes('Less Amount Paid'));
    const byId = await sb.request('GET', '/api.xro/2.0/Invoices/INV-0002', { accept: 'json' });
    const draftPdf = await sb.request('GET', `/api.xro/2.0/Invoices/${byId.json.Invoices[0].InvoiceID}`, { accept: 'pdf' });
    assert.ok(pdfText(draftPdf.bytes).includes('DRAFT'));
    assert.equal((await sb.request('GET', '/api.xro/2.0/Invoices/INV-0001/pdf', { accept: 'pdf' })).status, 404, 'a literal /pdf suffix 404s, as in Xero');
  });

  it('refuses to email a draft, a bill, or an invoice whose contact has no email address', async () => {
    const draft = await sb.request('POST', '/api.xro/2.0/Invoices/INV-0002/Email', { json: {}, accept: 'json' });
    assert.equal(draft.status, 400);
    assert.deepEqual([draft.json.ErrorNumber, draft.json.Type], [10, 'ValidationException']);
    assert.match(draft.json.Elements[0].ValidationErrors[0].Message, /submitted or approved; this one is DRAFT/);
    const bill = await sb.request('POST', '/api.xro/2.0/Invoices/PD-20931/Email', { json: {} });
    assert.equal(bill.status, 400);
    assert.match(bill.text, /ACCREC/);
    const [noEmail] = await createInvoices(sb, [invoice({ Contact: { Name: 'Bayside Club' }, Status: 'AUTHORISED' })]);
    const r = await sb.request('POST', `/api.xro/2.0/Invoices/${noEmail.InvoiceID}/Email`, { json: {}, accept: 'json' });
    assert.equal(r.status, 400);
    assert.match(r.json.Elements[0].ValidationErrors[0].Message, /Bayside Club has no email address/);
    assert.equal((await sb.request('GET', '/sandbox/outbox', { auth: false })).json.files.length, 0);
  });

  it('emails an approved invoice into the outbox as an .eml with the PDF attached, and marks it sent', async () => {
    const r = await sb.request('POST', '/api.xro/2.0/Invoices/INV-0001/Email', { json: {} });
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
    const outbox = await sb.request('GET', '/sandbox/outbox', { auth: false });
    assert.equal(outbox.json.dir, sb.ready.outboxDir);
    assert.equal(outbox.json.files.length, 1);
    const file = outbox.json.files[0];
    assert.match(file.name, /^\d{8}T\d{9}Z-INV-0001\.eml$/);
    const eml = readFileSync(join(sb.ready.outboxDir, file.name), 'utf8');
    assert.equal((await sb.request('GET', `/sandbox/outbox/${file.name}`, { auth: false })).text, eml);
    const head = eml.slice(0, eml.indexOf('\r\n\r\n'));
    assert.match(head, /^From: "Sandbox Company \(NZ\)" <accounts@sandbox-company\.example>$/m);
    assert.match(head, /^To: "ABC Limited" <accounts@abc\.example>$/m);
    assert.match(head, /^Subject: Invoice INV-0001 from Sandbox Company \(NZ\)$/m);
    assert.match(head, /^Date: [A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0000$/m);
    assert.match(head, /^MIME-Version: 1\.0$/m);
    assert.match(head, /^Message-ID: <.+@.+>$/m);
    const [text, pdf] = mimeParts(eml);
    assert.match(text.headers['content-type'], /^text\/plain/);
    assert.match(text.body, /NZD 911\.24/);
    assert.match(text.body, /is due on \d{1,2} [A-Z][a-z]{2} \d{4}/);
    assert.match(text.body, new RegExp(`${sb.url}/online/`));
    assert.match(pdf.headers['content-type'], /^application\/pdf/);
    assert.equal(pdf.headers['content-transfer-encoding'], 'base64');
    assert.match(pdf.headers['content-disposition'], /attachment; filename="Invoice INV-0001\.pdf"/);
    assert.ok(pdf.body.split('\r\n').every((l) => l.length <= 76));
    const attached = Buffer.from(pdf.body.replace(/\s+/g, ''), 'base64');
    assert.equal(attached.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(pdfText(attached).includes('INV-0001'));
    const after = await sb.request('GET', '/api.xro/2.0/Invoices/INV-0001', { accept: 'json' });
    assert.equal(after.json.Invoices[0].SentToContact, true);
    const history = await sb.request('GET', '/api.xro/2.0/Invoices/INV-0001/History', { accept: 'json' });
    assert.ok(history.json.HistoryRecords.some((h: { Changes: string; Details: string }) => h.Changes === 'Sent' && h.Details.includes('accounts@abc.example')));
  });

  it('gives an approved sales invoice an online URL on the sandbox itself, which serves a page and the PDF', async () => {
    const r = await sb.request('GET', '/api.xro/2.0/Invoices/INV-0001/OnlineInvoice', { accept: 'json' });
    assert.equal(r.status, 200);
    const url: string = r.json.OnlineInvoices[0].OnlineInvoiceUrl;
    assert.match(url, new RegExp(`^${sb.url}/online/[0-9a-f-]{36}$`));
    const xml = await sb.request('GET', '/api.xro/2.0/Invoices/INV-0001/OnlineInvoice');
    assert.equal(xmlText(xmlAll(xml.text, 'OnlineInvoices/OnlineInvoice')[0], 'OnlineInvoiceUrl'), url);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    const html = await page.text();
    assert.match(html, /INV-0001/);
    assert.match(html, /ABC Limited/);
    const pdf = await fetch(`${url}/pdf`);
    assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 4).toString(), '%PDF');
    const draft = await sb.request('GET', '/api.xro/2.0/Invoices/INV-0002/OnlineInvoice', { accept: 'json' });
    assert.equal(draft.status, 400);
    assert.match(draft.json.Elements[0].ValidationErrors[0].Message, /DRAFT/);
    assert.equal((await sb.request('GET', '/api.xro/2.0/Invoices/PD-20931/OnlineInvoice')).status, 400);
  });

  it('records history for every change and takes notes by PUT (XML or JSON)', async () => {
    const put = await sb.request('PUT', '/api.xro/2.0/Invoices/INV-0002/History', { body: fixture('sandbox/history-note.xml'), contentType: 'xml' });
    assert.equal(put.status, 200, put.text);
    assert.equal(xmlText(xmlAll(put.text, 'HistoryRecords/HistoryRecord')[0], 'Changes'), 'Note');
    const json = await sb.request('PUT', '/api.xro/2.0/Invoices/INV-0002/History', { json: { HistoryRecords: [{ Details: 'Second note' }] }, accept: 'json' });
    assert.equal(json.json.HistoryRecords[0].Details, 'Second note');
    const got = await sb.request('GET', '/api.xro/2.0/Invoices/INV-0002/History', { accept: 'json' });
    const records = got.json.HistoryRecords as { Changes: string; DateUTC: string; User: string; Details: string }[];
    assert.deepEqual(records.map((h) => h.Changes), ['Created', 'Note', 'Note']);
    assert.ok(records.every((h) => /^\/Date\(\d+\+0000\)\/$/.test(h.DateUTC) && h.User && h.Details));
    const paid = await sb.request('GET', '/api.xro/2.0/Invoices/INV-0003/History', { accept: 'json' });
    assert.deepEqual(paid.json.HistoryRecords.map((h: { Changes: string }) => h.Changes), ['Created', 'Approved', 'Payment Received', 'Paid']);
    const empty = await sb.request('PUT', '/api.xro/2.0/Invoices/INV-0002/History', { json: { HistoryRecords: [{ Details: '' }] }, accept: 'json' });
    assert.equal(empty.status, 400);
    assert.equal((await sb.request('GET', '/api.xro/2.0/Invoices/INV-7777/History')).status, 404);
  });

  it('takes XML payments', async () => {
    const r = await sb.request('PUT', '/api.xro/2.0/Payments', { body: fixture('sandbox/payment.xml'), contentType: 'xml' });
    assert.equal(r.status, 200, r.text);
    assert.equal(xmlText(xmlAll(r.text, 'Payments/Payment')[0], 'Amount'), '11.24');
    const json = await sb.request('POST', '/api.xro/2.0/Payments', { body: fixture('sandbox/payment.json'), contentType: 'application/json', accept: 'json' });
    assert.equal(json.status, 200, json.text);
    const inv = (await sb.request('GET', '/api.xro/2.0/Invoices/INV-0001', { accept: 'json' })).json.Invoices[0];
    assert.deepEqual([inv.AmountPaid, inv.AmountDue, inv.Status], [111.24, 800, 'AUTHORISED']);
    const one = await sb.request('GET', `/api.xro/2.0/Payments/${json.json.Payments[0].PaymentID}`, { accept: 'json' });
    assert.equal(one.json.Payments[0].Reference, 'Part payment');
  });

  it('creates, lists, gets, prints and approves credit notes (CN-0002…, no DueDate, RemainingCredit)', async () => {
    const r = await sb.request('PUT', '/api.xro/2.0/CreditNotes', { body: fixture('sandbox/credit-note.xml'), contentType: 'xml' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(engineErrors(r.text), []);
    const cn = xmlAll(r.text, 'CreditNotes/CreditNote')[0];
    assert.equal(xmlText(cn, 'CreditNoteNumber'), 'CN-0002');
    assert.deepEqual(['Type', 'Status', 'Total', 'RemainingCredit'].map((k) => xmlText(cn, k)), ['ACCRECCREDIT', 'AUTHORISED', '138.00', '138.00']);
    assert.equal(xmlText(cn, 'DueDate'), undefined);
    const withDue = await sb.request('PUT', '/api.xro/2.0/CreditNotes', {
      json: { CreditNotes: [{ Type: 'ACCRECCREDIT', Contact: { Name: 'City Agency' }, DueDate: '2026-01-01', LineItems: [{ Description: 'Credit', Quantity: 1, UnitAmount: 10, AccountCode: '200' }] }] },
      accept: 'json',
    });
    assert.equal(withDue.status, 200, withDue.text);
    const draft = withDue.json.CreditNotes[0];
    assert.match(draft.Warnings[0].Message, /no DueDate/);
    assert.equal(draft.DueDate, undefined);
    const list = await sb.request('GET', '/api.xro/2.0/CreditNotes', { accept: 'json' });
    assert.deepEqual(list.json.CreditNotes.map((c: { CreditNoteNumber: string }) => c.CreditNoteNumber), ['CN-0001', 'CN-0002', 'CN-0003']);
    const pdf = await sb.request('GET', '/api.xro/2.0/CreditNotes/CN-0002', { accept: 'pdf' });
    assert.ok(pdfText(pdf.bytes).includes('CREDIT NOTE') && pdfText(pdf.bytes).includes('CN-0002'));
    const approve = await sb.request('POST', `/api.xro/2.0/CreditNotes/${draft.CreditNoteID}`, { json: { CreditNotes: [{ Status: 'AUTHORISED' }] }, accept: 'json' });
    assert.equal(approve.json.CreditNotes[0].Status, 'AUTHORISED');
    const remove = await sb.request('POST', '/api.xro/2.0/CreditNotes', { json: { CreditNotes: [{ CreditNoteNumber: 'CN-0003', Status: 'DELETED' }] }, accept: 'json' });
    assert.equal(remove.json.Elements[0].ValidationErrors[0].Message, 'Invoice not of valid status for modification');
    const voided = await sb.request('POST', '/api.xro/2.0/CreditNotes', { json: { CreditNotes: [{ CreditNoteNumber: 'CN-0003', Status: 'VOIDED' }] }, accept: 'json' });
    assert.equal(voided.json.CreditNotes[0].Status, 'VOIDED');
    const history = await sb.request('GET', '/api.xro/2.0/CreditNotes/CN-0002/History', { accept: 'json' });
    assert.equal(history.json.HistoryRecords[0].Changes, 'Created');
  });

  it('allocates a credit note to an invoice of the same contact: AmountCredited, then neither can be voided', async () => {
    const [inv] = await createInvoices(sb, [invoice({ Status: 'AUTHORISED' })]);
    const bad = await sb.request('PUT', '/api.xro/2.0/CreditNotes/CN-0002/Allocations', { json: { Allocations: [{ Invoice: { InvoiceNumber: 'PD-20931' }, Amount: 10, Date: '2026-06-02' }] }, accept: 'json' });
    assert.equal(bad.status, 400);
    const ok = await sb.request('PUT', '/api.xro/2.0/CreditNotes/CN-0002/Allocations', {
      json: { Allocations: [{ Invoice: { InvoiceID: inv.InvoiceID }, Amount: 138, Date: '2026-06-02' }] },
      accept: 'json',
    });
    assert.equal(ok.status, 200, ok.text);
    const got = (await sb.request('GET', `/api.xro/2.0/Invoices/${inv.InvoiceID}`, { accept: 'json' })).json.Invoices[0];
    assert.deepEqual([got.AmountCredited, got.AmountDue, got.CreditNotes[0].CreditNoteNumber, got.CreditNotes[0].AppliedAmount], [138, 92, 'CN-0002', 138]);
    const cn = (await sb.request('GET', '/api.xro/2.0/CreditNotes/CN-0002', { accept: 'json' })).json.CreditNotes[0];
    assert.deepEqual([cn.RemainingCredit, cn.Status, cn.Allocations.length], [0, 'PAID', 1]);
    const voidInvoice = await sb.request('POST', `/api.xro/2.0/Invoices/${inv.InvoiceID}`, { json: { Status: 'VOIDED' }, accept: 'json' });
    assert.equal(voidInvoice.json.Elements[0].ValidationErrors[0].Message, 'This document cannot be edited as it has a payment or credit note allocated to it.');
  });

  it('serves the seeded organisation: accounts, tax rates, tracking categories, currencies, contacts, items', async () => {
    const get = async (path: string) => (await sb.request('GET', `/api.xro/2.0/${path}`, { accept: 'json' })).json;
    const accounts = (await get('Accounts')).Accounts as { Code: string; Name: string; Type: string }[];
    for (const [code, name] of [['090', 'Business Bank Account'], ['200', 'Sales'], ['260', 'Other Revenue'], ['400', 'Advertising'], ['425', 'Freight & Courier'], ['429', 'General Expenses'], ['610', 'Accounts Receivable']]) {
      assert.ok(accounts.some((a) => a.Code === code && a.Name === name), code);
    }
    assert.equal(accounts.find((a) => a.Code === '090')!.Type, 'BANK');
    const rates = (await get('TaxRates')).TaxRates as { TaxType: string; Name: string; EffectiveRate: number }[];
    assert.deepEqual(rates.find((t) => t.TaxType === 'OUTPUT2'), { ...rates.find((t) => t.TaxType === 'OUTPUT2'), Name: 'GST on Income', EffectiveRate: 15 });
    for (const code of ['INPUT2', 'NONE', 'ZERORATED', 'EXEMPTOUTPUT', 'OUTPUT', 'INPUT']) assert.ok(rates.some((t) => t.TaxType === code), code);
    assert.equal(rates.find((t) => t.TaxType === 'OUTPUT')!.EffectiveRate, 12.5);
    const tracking = (await get('TrackingCategories')).TrackingCategories as { Name: string; Options: { Name: string }[] }[];
    assert.deepEqual(tracking.find((t) => t.Name === 'Region')!.Options.map((o) => o.Name), ['North', 'South', 'East', 'West']);
    assert.deepEqual(tracking.find((t) => t.Name === 'Department')!.Options.map((o) => o.Name), ['Sales', 'Services']);
    assert.deepEqual((await get('Currencies')).Currencies.map((c: { Code: string }) => c.Code), ['NZD', 'AUD', 'USD']);
    const abc = (await get(`Contacts?where=${encodeURIComponent('Name=="ABC Limited"')}`)).Contacts;
    assert.deepEqual(abc.map((c: { EmailAddress: string }) => c.EmailAddress), ['accounts@abc.example']);
    assert.equal((await get(`Contacts/${abc[0].ContactID}`)).Contacts[0].Name, 'ABC Limited');
    assert.equal((await get('Organisation')).Organisations[0].BaseCurrency, 'NZD');
    assert.ok((await get('Items')).Items.some((i: { Code: string }) => i.Code === '2010-SWEATER-RED'));
    const xml = await sb.request('GET', '/api.xro/2.0/TaxRates');
    assert.equal(rootName(xml.text), 'Response');
    assert.equal(xmlAll(xml.text, 'TaxRates/TaxRate').length, rates.length);
  });
});
