// A sandbox left running on a developer's machine: browser-facing pages answer loopback Host names only, control
// refuses cross-site requests, any InvoiceNumber works end to end, a record file of the wrong shape is moved
// aside, bodies over 3.5 MB get a 413, more than 5 calls at once get a 429, a disagreeing Total is a warning.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createInvoices, invoice, removeDir, Sandbox, sandboxForSuite, tempDir } from './support';

/** A raw request with a chosen Host header, as a DNS-rebinding page would send it. */
function withHost(sb: Sandbox, path: string, host: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<{ status: number; text: string }> {
  const url = new URL(sb.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method, headers: { Host: host, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('sandbox safety: loopback hosts and cross-site requests', () => {
  const sb = sandboxForSuite();

  it('control, inspection, online-invoice and consent pages answer only loopback Host names', async () => {
    const [approved] = await createInvoices(sb(), [invoice({ Status: 'AUTHORISED' })]);
    const port = new URL(sb().url).port;
    const paths = ['/sandbox/state', '/sandbox/outbox', '/sandbox/control', `/online/${approved.InvoiceID}`, `/identity/connect/authorize?client_id=${sb().ready.clientId}`];
    for (const path of paths) {
      const foreign = await withHost(sb(), path, `attacker.example:${port}`);
      assert.equal(foreign.status, 403, `${path} with a foreign Host`);
      assert.match(foreign.text, /loopback host name/);
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
        const local = await withHost(sb(), path, host);
        assert.notEqual(local.status, 403, `${path} with Host ${host}`);
      }
    }
    assert.equal((await withHost(sb(), `/online/${approved.InvoiceID}`, `localhost:${port}`)).status, 200);
    // The API itself is guarded by its bearer token, not by the Host.
    const api = await withHost(sb(), '/api.xro/2.0/Invoices', `api.example:${port}`);
    assert.equal(api.status, 401);
  });

  it('control refuses a foreign Origin and "simple" cross-site POSTs; the faults stay as they were', async () => {
    const port = new URL(sb().url).port;
    const json = { 'Content-Type': 'application/json' };
    const body = JSON.stringify({ errorRate: 1 });
    const origin = await withHost(sb(), '/sandbox/control', `127.0.0.1:${port}`, { ...json, Origin: 'https://evil.example' }, 'POST', body);
    assert.equal(origin.status, 403);
    assert.match(origin.text, /Cross-site/);
    const readOutbox = await withHost(sb(), '/sandbox/outbox', `127.0.0.1:${port}`, { Origin: 'https://evil.example' });
    assert.equal(readOutbox.status, 403, 'a foreign page cannot read the outbox');
    const text = await withHost(sb(), '/sandbox/control', `127.0.0.1:${port}`, { 'Content-Type': 'text/plain' }, 'POST', body);
    assert.equal(text.status, 403);
    assert.match(text.text, /application\/json/);
    const form = await withHost(sb(), '/sandbox/control', `127.0.0.1:${port}`, { 'Content-Type': 'application/x-www-form-urlencoded' }, 'POST', 'errorRate=1');
    assert.equal(form.status, 403);
    const site = await withHost(sb(), '/sandbox/control', `127.0.0.1:${port}`, { ...json, 'Sec-Fetch-Site': 'cross-site' }, 'POST', body);
    assert.equal(site.status, 403);
    assert.equal((await sb().request('GET', '/sandbox/control', { auth: false })).json.errorRate, 0, 'nothing was re-configured');
    const same = await withHost(sb(), '/sandbox/control', `127.0.0.1:${port}`, { ...json, Origin: `http://127.0.0.1:${port}` }, 'POST', JSON.stringify({ latencyMs: 0 }));
    assert.equal(same.status, 200, 'the sandbox itself (same origin) and tools without an Origin may');
  });
});

describe('sandbox safety: any InvoiceNumber', () => {
  const sb = sandboxForSuite();
  const numbers = [
    `N-${'x'.repeat(253)}`,
    `Ünïcødé/“quotes” <&> 'apostrophe' ✓ ${'€'.repeat(200)}`.slice(0, 255),
    '../../etc/passwd',
    'CON',
    '.hidden',
  ];

  for (const number of numbers) {
    it(`creates, fetches, emails and prints ${JSON.stringify(number.slice(0, 24))}… (${number.length} characters)`, async () => {
      assert.ok(number.length <= 255);
      const [created] = await createInvoices(sb(), [invoice({ InvoiceNumber: number, Status: 'AUTHORISED' })]);
      assert.equal(created.InvoiceNumber, number);
      const fetched = await sb().request('GET', `/api.xro/2.0/Invoices/${encodeURIComponent(number)}`, { accept: 'json' });
      assert.equal(fetched.status, 200, fetched.text);
      assert.equal(fetched.json.Invoices[0].InvoiceID, created.InvoiceID);
      const before = new Set((await sb().request('GET', '/sandbox/outbox', { auth: false })).json.files.map((f: { name: string }) => f.name));
      const email = await sb().request('POST', `/api.xro/2.0/Invoices/${created.InvoiceID}/Email`, { json: {} });
      assert.equal(email.status, 204, email.text);
      const files = (await sb().request('GET', '/sandbox/outbox', { auth: false })).json.files as { name: string; path: string }[];
      const added = files.filter((f) => !before.has(f.name));
      assert.equal(added.length, 1);
      const name = added[0].name;
      assert.ok(Buffer.byteLength(name) < 255, `${name} fits the file system's limit`);
      assert.match(name, /^[0-9TZ]+-[A-Za-z0-9._-]+\.eml$/);
      assert.equal(readdirSync(sb().ready.outboxDir).includes(name), true, 'written inside the outbox');
      const eml = readFileSync(added[0].path, 'utf8');
      for (const line of eml.split('\r\n')) assert.ok(line.length <= 998, 'RFC 5322 line limit');
      assert.equal((await sb().request('GET', `/sandbox/outbox/${encodeURIComponent(name)}`, { auth: false })).status, 200);
      const pdf = await sb().request('GET', `/api.xro/2.0/Invoices/${created.InvoiceID}`, { accept: 'pdf' });
      assert.equal(pdf.status, 200);
      assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-');
      assert.ok(/^inline; filename="[A-Za-z0-9._-]+\.pdf"$/.test(pdf.headers.get('content-disposition')!), pdf.headers.get('content-disposition')!);
    });
  }

  it('two long numbers that share their first 80 characters get different outbox names', async () => {
    const a = `${'Q'.repeat(200)}-A`;
    const b = `${'Q'.repeat(200)}-B`;
    const created = await createInvoices(sb(), [invoice({ InvoiceNumber: a, Status: 'AUTHORISED' }), invoice({ InvoiceNumber: b, Status: 'AUTHORISED' })]);
    for (const c of created) assert.equal((await sb().request('POST', `/api.xro/2.0/Invoices/${c.InvoiceID}/Email`, { json: {} })).status, 204);
    const names = (await sb().request('GET', '/sandbox/outbox', { auth: false })).json.files.map((f: { name: string }) => f.name.replace(/^[0-9TZ]+-/, '')) as string[];
    const qs = names.filter((n) => n.startsWith('QQQQ'));
    assert.equal(new Set(qs).size, 2, qs.join(', '));
  });
});

describe('sandbox safety: record files of the wrong shape', () => {
  it('are moved aside with a log line; restart, listing and creating go on', async () => {
    const dir = tempDir();
    let sb = await Sandbox.start({ dataDir: dir });
    const [kept] = await createInvoices(sb, [invoice({ Reference: 'kept' })]);
    await sb.stop();
    const bad = {
      'not-an-object.json': '[1, 2, 3]',
      'wrong-fields.json': JSON.stringify({ kind: 'invoice', id: 'x', hello: 'world' }),
      'wrong-kind.json': JSON.stringify({ ...JSON.parse(readFileSync(join(dir, 'invoices', `${kept.InvoiceID}.json`), 'utf8')), id: 'other', kind: 'creditNote' }),
      'null.json': 'null',
    };
    for (const [name, text] of Object.entries(bad)) writeFileSync(join(dir, 'invoices', name), text);
    writeFileSync(join(dir, 'contacts', 'odd.json'), JSON.stringify({ Name: 'Not a record' }));
    sb = await Sandbox.start({ dataDir: dir });
    try {
      for (const name of Object.keys(bad)) {
        assert.ok(existsSync(join(dir, 'invoices', `${name}.rejected`)), `${name} moved aside`);
        assert.ok(!existsSync(join(dir, 'invoices', name)));
        assert.ok(sb.stderr.includes(`${name} is not a record`), `a log line names ${name}: ${sb.stderr}`);
      }
      assert.ok(existsSync(join(dir, 'contacts', 'odd.json.rejected')));
      const list = await sb.request('GET', '/api.xro/2.0/Invoices', { accept: 'json' });
      assert.equal(list.status, 200);
      assert.ok(list.json.Invoices.some((i: { InvoiceID: string }) => i.InvoiceID === kept.InvoiceID));
      const [created] = await createInvoices(sb, [invoice({ Reference: 'after' })]);
      assert.ok(created.InvoiceID);
      assert.equal((await sb.request('GET', '/sandbox/state', { auth: false })).status, 200);
    } finally {
      await sb.stop();
      removeDir(dir);
    }
  });
});

describe('sandbox safety: limits and stated totals', () => {
  const sb = sandboxForSuite({ env: { SANDBOX_CONCURRENT_LIMIT: '5' } });

  it('a body over 3.5 MB is answered 413 with a message, on a connection that stays readable', async () => {
    const big = `<Invoices>${' '.repeat(3.6 * 1024 * 1024)}</Invoices>`;
    const r = await sb().request('PUT', '/api.xro/2.0/Invoices', { body: big, contentType: 'xml' });
    assert.equal(r.status, 413);
    assert.match(r.text, /larger than the 3\.5 MB the API accepts/);
  });

  it('a sixth call while five are in progress gets a 429 naming the concurrent limit', async () => {
    await sb().request('POST', '/sandbox/control', { auth: false, json: { latencyMs: 500 } });
    try {
      const answers = await Promise.all(Array.from({ length: 6 }, () => sb().request('GET', '/api.xro/2.0/Organisation', { accept: 'json' })));
      const statuses = answers.map((a) => a.status).sort();
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
      const refused = answers.find((a) => a.status === 429)!;
      assert.equal(refused.headers.get('x-rate-limit-problem'), 'concurrent');
      assert.match(refused.json.Detail, /more than 5 calls are in progress/);
    } finally {
      await sb().request('POST', '/sandbox/control', { auth: false, json: { latencyMs: 0 } });
    }
    const after = await Promise.all(Array.from({ length: 5 }, () => sb().request('GET', '/api.xro/2.0/Organisation', { accept: 'json' })));
    assert.deepEqual(after.map((a) => a.status), [200, 200, 200, 200, 200], 'the slots are given back');
  });

  it('a stated Total that disagrees with the lines is ignored, with a Warning naming both figures', async () => {
    const r = await sb().request('PUT', '/api.xro/2.0/Invoices', { json: { Invoices: [invoice({ Total: '999.00' })] }, accept: 'json' });
    assert.equal(r.status, 200, r.text);
    const inv = r.json.Invoices[0];
    assert.equal(inv.Total, 230);
    const warnings = inv.Warnings.map((w: { Message: string }) => w.Message);
    assert.ok(warnings.some((m: string) => /Total 999\.00 does not match the computed 230\.00.*ignored/.test(m)), JSON.stringify(warnings));
    const xml = await sb().request('PUT', '/api.xro/2.0/Invoices', {
      body: '<Invoices><Invoice><Type>ACCREC</Type><Contact><Name>ABC Limited</Name></Contact><Date>2026-03-01</Date><DueDate>2026-03-31</DueDate><LineItems><LineItem><Description>x</Description><Quantity>1</Quantity><UnitAmount>10</UnitAmount><AccountCode>200</AccountCode><TaxType>OUTPUT2</TaxType></LineItem></LineItems><Total>12.00</Total></Invoice></Invoices>',
      contentType: 'xml',
    });
    assert.equal(xml.status, 200, xml.text);
    assert.match(xml.text, /<Total>11\.50<\/Total>/);
    assert.match(xml.text, /<Warnings>[\s\S]*Total 12\.00 does not match the computed 11\.50/);
  });
});
