import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseXml } from '@engine';
import { invoice, removeDir, request, Sandbox, tempDir } from './support';

async function count(sb: Sandbox): Promise<number> {
  return (await sb.request('GET', '/sandbox/state', { auth: false })).json.invoices;
}

describe('sandbox: idempotency, persistence and crashes', () => {
  const dir = tempDir();
  let sb: Sandbox;
  before(async () => {
    sb = await Sandbox.start({ dataDir: dir });
  });
  after(async () => {
    await sb.stop();
    removeDir(dir);
  });

  it('answers a repeated Idempotency-Key with the first response and creates nothing new', async () => {
    const before = await count(sb);
    const send = () => sb.request('PUT', '/api.xro/2.0/Invoices', { json: { Invoices: [invoice({ Reference: 'idempotent' })] }, accept: 'json', headers: { 'Idempotency-Key': 'key-create-1' } });
    const first = await send();
    const second = await send();
    assert.equal(first.status, 200);
    assert.equal(second.status, first.status);
    assert.equal(second.text, first.text);
    assert.equal(second.headers.get('content-type'), first.headers.get('content-type'));
    assert.equal(first.headers.get('idempotent-replayed'), null);
    assert.equal(second.headers.get('idempotent-replayed'), 'true', 'a replay says so');
    assert.equal(await count(sb), before + 1);
    const [a, b] = await Promise.all([
      sb.request('PUT', '/api.xro/2.0/Invoices', { json: { Invoices: [invoice()] }, headers: { 'Idempotency-Key': 'key-concurrent' } }),
      sb.request('PUT', '/api.xro/2.0/Invoices', { json: { Invoices: [invoice()] }, headers: { 'Idempotency-Key': 'key-concurrent' } }),
    ]);
    assert.equal(a.text, b.text, 'a repeat that arrives while the first is answered waits for it');
    assert.equal(await count(sb), before + 2);
    const elsewhere = await sb.request('POST', '/api.xro/2.0/Invoices', { json: { Invoices: [invoice()] }, headers: { 'Idempotency-Key': 'key-create-1' } });
    assert.equal(elsewhere.status, 422, 'a known key on another endpoint is refused, not carried out');
    assert.match(elsewhere.json.Detail, /first used for PUT \/api\.xro\/2\.0\/Invoices/);
    const otherBody = await sb.request('PUT', '/api.xro/2.0/Invoices', { json: { Invoices: [invoice({ Reference: 'another body' })] }, accept: 'json', headers: { 'Idempotency-Key': 'key-create-1' } });
    assert.equal(otherBody.status, 422, 'the same key with another body is refused, never replayed');
    assert.match(otherBody.json.Detail, /with another body/);
    assert.equal(otherBody.headers.get('idempotent-replayed'), null);
    assert.equal(await count(sb), before + 2);
    const long = await sb.request('PUT', '/api.xro/2.0/Invoices', { json: { Invoices: [invoice()] }, accept: 'json', headers: { 'Idempotency-Key': 'k'.repeat(129) } });
    assert.equal(long.status, 400);
    assert.match(long.json.Message, /128/);
  });

  it('does not keep a 4xx that changed nothing: the request fixed and sent again with the same key is carried out', async () => {
    const before = await count(sb);
    const noDue = invoice({ Status: 'AUTHORISED', Reference: 'fixed later' });
    delete noDue.DueDate;
    const refused = await sb.request('PUT', '/api.xro/2.0/Invoices', { json: { Invoices: [noDue] }, accept: 'json', headers: { 'Idempotency-Key': 'fix-then-retry' } });
    assert.equal(refused.status, 400);
    assert.match(refused.text, /DueDate/);
    const fixed = await sb.request('PUT', '/api.xro/2.0/Invoices', { json: { Invoices: [{ ...noDue, DueDate: '2026-12-31' }] }, accept: 'json', headers: { 'Idempotency-Key': 'fix-then-retry' } });
    assert.equal(fixed.status, 200, fixed.text);
    assert.equal(fixed.headers.get('idempotent-replayed'), null);
    assert.equal(fixed.json.Invoices[0].Status, 'AUTHORISED');
    assert.equal(await count(sb), before + 1);
  });

  it('keeps an emailed invoice to one email under a repeated key', async () => {
    const email = () => sb.request('POST', '/api.xro/2.0/Invoices/INV-0001/Email', { json: {}, headers: { 'Idempotency-Key': 'email-once' } });
    assert.equal((await email()).status, 204);
    assert.equal((await email()).status, 204);
    assert.equal((await sb.request('GET', '/sandbox/outbox', { auth: false })).json.files.length, 1);
  });

  it('keeps everything across a restart, idempotency keys included', async () => {
    const created = await sb.request('PUT', '/api.xro/2.0/Invoices', { json: { Invoices: [invoice({ Reference: 'survives' })] }, accept: 'json', headers: { 'Idempotency-Key': 'restart-key' } });
    const id = created.json.Invoices[0].InvoiceID;
    await sb.request('POST', `/api.xro/2.0/Invoices/${id}`, { json: { Status: 'AUTHORISED' } });
    await sb.request('PUT', `/api.xro/2.0/Invoices/${id}/History`, { json: { HistoryRecords: [{ Details: 'kept' }] } });
    const beforeRestart = await sb.request('GET', `/api.xro/2.0/Invoices/${id}`, { accept: 'json' });
    const total = await count(sb);
    assert.equal(await sb.stop(), 0);
    sb = await Sandbox.start({ dataDir: dir });
    const afterRestart = await sb.request('GET', `/api.xro/2.0/Invoices/${id}`, { accept: 'json' });
    const strip = (j: { Invoices: unknown[] }) => JSON.stringify(j.Invoices);
    assert.equal(strip(afterRestart.json), strip(beforeRestart.json));
    assert.equal(await count(sb), total);
    const replay = await sb.request('PUT', '/api.xro/2.0/Invoices', { json: { Invoices: [invoice({ Reference: 'survives' })] }, accept: 'json', headers: { 'Idempotency-Key': 'restart-key' } });
    assert.equal(replay.text, created.text);
    assert.equal(await count(sb), total);
    const history = await sb.request('GET', `/api.xro/2.0/Invoices/${id}/History`, { accept: 'json' });
    assert.deepEqual(history.json.HistoryRecords.map((h: { Changes: string }) => h.Changes), ['Created', 'Approved', 'Note']);
    const next = await sb.request('PUT', '/api.xro/2.0/Invoices', { json: { Invoices: [invoice()] }, accept: 'json' });
    const numbers = (await sb.request('GET', '/api.xro/2.0/Invoices', { accept: 'json' })).json.Invoices.map((i: { InvoiceNumber: string }) => i.InvoiceNumber);
    assert.equal(numbers.filter((n: string) => n === next.json.Invoices[0].InvoiceNumber).length, 1, 'numbering continues after a restart');
  });

  it('commits the key and the invoice it created in one step: killed between them, a retry replays and creates nothing', async () => {
    const crashDir = tempDir();
    const first = await Sandbox.start({ dataDir: crashDir, args: ['--empty'], env: { SANDBOX_TEST_KILL_AFTER_KEY_COMMIT: '1' } });
    const body = { Invoices: [invoice({ Reference: 'killed after commit' })] };
    try {
      await assert.rejects(first.request('PUT', '/api.xro/2.0/Invoices', { json: body, accept: 'json', headers: { 'Idempotency-Key': 'kill-9-key' } }));
    } finally {
      await first.kill9();
    }
    const revived = await Sandbox.start({ dataDir: crashDir });
    try {
      const retry = await revived.request('PUT', '/api.xro/2.0/Invoices', { json: body, accept: 'json', headers: { 'Idempotency-Key': 'kill-9-key' } });
      assert.equal(retry.status, 200);
      assert.equal(retry.headers.get('idempotent-replayed'), 'true');
      const id = retry.json.Invoices[0].InvoiceID;
      const stored = await revived.request('GET', `/api.xro/2.0/Invoices/${id}`, { accept: 'json' });
      assert.equal(stored.status, 200, 'the invoice the key answered with exists');
      assert.equal(stored.json.Invoices[0].Reference, 'killed after commit');
      assert.equal(await count(revived), 1, 'one invoice, not two');
      await revived.stop();
      const again = await Sandbox.start({ dataDir: crashDir });
      assert.equal((await again.request('GET', `/api.xro/2.0/Invoices/${id}`)).status, 200, 'its own file was written at the restart');
      await again.stop();
    } finally {
      await revived.stop();
      removeDir(crashDir);
    }
  });

  it('forgets a key after its lifetime (--idempotency-key-lifetime): the same request is then a new one', async () => {
    const short = await Sandbox.start({ args: ['--empty', '--idempotency-key-lifetime', '1'] });
    try {
      const send = () => short.request('PUT', '/api.xro/2.0/Invoices', { json: { Invoices: [invoice({ Reference: 'short-lived' })] }, accept: 'json', headers: { 'Idempotency-Key': 'short-lived' } });
      assert.equal((await send()).status, 200);
      assert.equal((await send()).headers.get('idempotent-replayed'), 'true');
      // The clock has to pass the lifetime: re-check until the key is forgotten (bounded).
      const deadline = Date.now() + 5000;
      let later = await send();
      while (later.headers.get('idempotent-replayed') === 'true' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        later = await send();
      }
      assert.equal(later.status, 200);
      assert.equal(later.headers.get('idempotent-replayed'), null, 'expired');
      assert.equal(await count(short), 2);
    } finally {
      await short.stop();
      removeDir(short.ready.dataDir);
    }
  });

  it('keeps every acknowledged create when killed with SIGKILL in the middle of a burst', async () => {
    const crashDir = tempDir();
    const victim = await Sandbox.start({ dataDir: crashDir, args: ['--empty'] });
    const acknowledged: { id: string; number: string; total: number; reference: string }[] = [];
    let sent = 0;
    let answered = 0;
    let killed: Promise<void> | undefined;
    // Ten clients keep requests in flight until 50 have been sent; the process is killed after the 25th answer,
    // with creates still on their way in.
    const client = async () => {
      while (sent < 50) {
        const i = sent++;
        const body = { Invoices: [invoice({ Reference: `burst ${i}`, LineItems: [{ Description: `Item ${i}`, Quantity: 1, UnitAmount: 10 + i, AccountCode: '200' }] })] };
        try {
          const r = await victim.request('PUT', '/api.xro/2.0/Invoices', { json: body, accept: 'json' });
          if (r.status === 200) {
            const inv = r.json.Invoices[0];
            acknowledged.push({ id: inv.InvoiceID, number: inv.InvoiceNumber, total: inv.Total, reference: inv.Reference });
          }
          if (++answered === 25) killed = victim.kill9();
        } catch {
          // the connection died with the process
        }
      }
    };
    await Promise.all(Array.from({ length: 10 }, client));
    await killed;
    assert.ok(acknowledged.length >= 25 && acknowledged.length < 50, `${acknowledged.length} of 50 acknowledged`);
    const revived = await Sandbox.start({ dataDir: crashDir });
    try {
      for (const a of acknowledged) {
        const r = await revived.request('GET', `/api.xro/2.0/Invoices/${a.id}`, { accept: 'json' });
        assert.equal(r.status, 200, `${a.reference} was acknowledged but is gone`);
        assert.deepEqual([r.json.Invoices[0].InvoiceNumber, r.json.Invoices[0].Total, r.json.Invoices[0].Reference], [a.number, a.total, a.reference]);
      }
      const list = (await revived.request('GET', '/api.xro/2.0/Invoices', { accept: 'json' })).json.Invoices as { InvoiceNumber: string }[];
      assert.equal(new Set(list.map((i) => i.InvoiceNumber)).size, list.length, 'no number was handed out twice');
      const fresh = await revived.request('PUT', '/api.xro/2.0/Invoices', { json: { Invoices: [invoice()] }, accept: 'json' });
      assert.equal(fresh.status, 200);
      assert.ok(!list.some((i) => i.InvoiceNumber === fresh.json.Invoices[0].InvoiceNumber));
    } finally {
      await revived.stop();
      removeDir(crashDir);
    }
  });
});

describe('sandbox: rate limits (per tenant, fixed windows)', () => {
  it('answers 429 with Retry-After and X-Rate-Limit-Problem: minute, and reports what is left on every response', async () => {
    const sb = await Sandbox.start({ args: ['--rate-limit-per-minute', '5'] });
    try {
      const answers = [];
      // At most one minute boundary can pass during the loop, so 12 calls always meet the limit of 5.
      for (let i = 0; i < 12; i++) {
        const r = await sb.request('GET', i % 3 === 2 ? '/api.xro/2.0/Invoices/INV-9999' : '/api.xro/2.0/Invoices');
        answers.push(r);
        if (r.status === 429) break;
      }
      const limited = answers.at(-1)!;
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('x-rate-limit-problem'), 'minute');
      const retry = Number(limited.headers.get('retry-after'));
      assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
      for (const r of answers) {
        for (const h of ['x-minlimit-remaining', 'x-daylimit-remaining', 'x-appminlimit-remaining']) assert.ok(r.headers.get(h) !== null, `${h} on a ${r.status}`);
      }
      assert.ok(answers.some((r) => r.status === 404), 'on errors too');
      assert.equal(limited.headers.get('x-minlimit-remaining'), '0');
      assert.ok(answers.every((r) => Number(r.headers.get('x-minlimit-remaining')) <= 4));
    } finally {
      await sb.stop();
      removeDir(sb.ready.dataDir);
    }
  });

  it('has a daily limit too (X-Rate-Limit-Problem: day), set from the environment', async () => {
    const sb = await Sandbox.start({ env: { SANDBOX_RATE_LIMIT_PER_DAY: '3' } });
    try {
      const answers = [];
      // Bounded: a UTC midnight passing during the loop resets the day once at most.
      for (let i = 0; i < 8; i++) {
        answers.push(await sb.request('GET', '/api.xro/2.0/Invoices'));
        if (answers.at(-1)!.status === 429) break;
      }
      const limited = answers.at(-1)!;
      assert.equal(limited.status, 429);
      assert.ok(answers.length >= 4);
      assert.equal(limited.headers.get('x-rate-limit-problem'), 'day');
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      assert.equal(answers.at(-2)!.headers.get('x-daylimit-remaining'), '0');
    } finally {
      await sb.stop();
      removeDir(sb.ready.dataDir);
    }
  });
});

describe('sandbox: fault injection', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await Sandbox.start({ env: { SANDBOX_FAULTS: JSON.stringify({ failNext: [{ status: 503 }] }) } });
  });
  after(async () => {
    await sb.stop();
    removeDir(sb.ready.dataDir);
  });

  const control = (body: unknown) => sb.request('POST', '/sandbox/control', { auth: false, json: body });

  it('applies SANDBOX_FAULTS from the environment at start', async () => {
    const r = await sb.request('GET', '/api.xro/2.0/Invoices');
    assert.equal(r.status, 503);
    assert.equal((await sb.request('GET', '/api.xro/2.0/Invoices')).status, 200);
  });

  it('adds latency', async () => {
    assert.equal((await control({ latencyMs: 300 })).status, 200);
    const started = Date.now();
    assert.equal((await sb.request('GET', '/api.xro/2.0/Organisation')).status, 200);
    assert.ok(Date.now() - started >= 290, `${Date.now() - started} ms`);
    await control({ reset: true });
  });

  it('answers a share of requests with 500 or 503 (errorRate), and the next ones as queued (failNext)', async () => {
    await control({ errorRate: 1, errorStatus: 503 });
    assert.equal((await sb.request('GET', '/api.xro/2.0/Invoices')).status, 503);
    await control({ errorRate: 0, failNext: [{ status: 500 }, { status: 503 }] });
    assert.deepEqual([(await sb.request('GET', '/api.xro/2.0/Invoices')).status, (await sb.request('GET', '/api.xro/2.0/Invoices')).status, (await sb.request('GET', '/api.xro/2.0/Invoices')).status], [500, 503, 200]);
    const before = (await sb.request('GET', '/sandbox/state', { auth: false })).json.invoices;
    await control({ failNext: [{ status: 500 }] });
    const failed = await sb.request('PUT', '/api.xro/2.0/Invoices', { json: { Invoices: [invoice()] } });
    assert.equal(failed.status, 500);
    assert.equal((await sb.request('GET', '/sandbox/state', { auth: false })).json.invoices, before, 'an injected error happens before anything is done');
  });

  it('drops the connection before answering', async () => {
    await control({ failNext: [{ drop: true }] });
    await assert.rejects(sb.request('GET', '/api.xro/2.0/Invoices'));
    await control({ dropRate: 1 });
    await assert.rejects(request(sb.ready, 'GET', '/api.xro/2.0/Invoices'));
    await control({ reset: true });
    assert.equal((await sb.request('GET', '/api.xro/2.0/Invoices')).status, 200);
  });

  it('loses the answer after the work is done (afterProcessing); a retry with the same Idempotency-Key gets it', async () => {
    const before = (await sb.request('GET', '/sandbox/state', { auth: false })).json.invoices;
    await control({ failNext: [{ drop: true, afterProcessing: true }] });
    const send = () => sb.request('PUT', '/api.xro/2.0/Invoices', { json: { Invoices: [invoice({ Reference: 'lost answer' })] }, accept: 'json', headers: { 'Idempotency-Key': 'lost-answer' } });
    await assert.rejects(send());
    const retry = await send();
    assert.equal(retry.status, 200);
    assert.equal(retry.json.Invoices[0].Reference, 'lost answer');
    assert.equal((await sb.request('GET', '/sandbox/state', { auth: false })).json.invoices, before + 1);
  });

  it('truncates bodies (malformedRate, or malformed in failNext)', async () => {
    await control({ malformedRate: 1 });
    const r = await sb.request('GET', '/api.xro/2.0/Invoices');
    assert.equal(r.status, 200);
    assert.ok(parseXml(r.text).problems.length > 0, 'the XML does not parse');
    await control({ malformedRate: 0, failNext: [{ malformed: true }] });
    const json = await sb.request('GET', '/api.xro/2.0/Invoices', { accept: 'json' });
    assert.equal(json.json, undefined, 'the JSON does not parse');
    const whole = await sb.request('GET', '/api.xro/2.0/Invoices', { accept: 'json' });
    assert.ok(whole.json.Invoices);
  });

  it('holds a request unanswered until released (hold in failNext), and counts it as held meanwhile', async () => {
    await control({ failNext: [{ hold: true }] });
    let answered = false;
    const held = sb.request('GET', '/api.xro/2.0/Invoices', { accept: 'json' }).then((r) => {
      answered = true;
      return r;
    });
    for (let asked = 1; ; asked++) {
      const settings = await sb.request('GET', '/sandbox/control', { auth: false });
      if (settings.json.held === 1) break;
      assert.ok(asked < 1000, 'the request reaches the sandbox');
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(answered, false, 'still unanswered while held');
    const released = await control({ release: true });
    assert.equal(released.json.held, 0);
    const r = await held;
    assert.equal(r.status, 200);
    assert.ok(r.json.Invoices, 'answered as usual once released');
  });

  it('validates control requests and reports the settings and the store', async () => {
    const bad = await control({ errorStatus: 404 });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error, /errorStatus/);
    assert.equal((await control({ errorRate: 2 })).status, 400);
    const settings = await sb.request('GET', '/sandbox/control', { auth: false });
    assert.deepEqual(settings.json, { latencyMs: 0, errorRate: 0, errorStatus: 500, dropRate: 0, malformedRate: 0, failNext: [], held: 0 });
    const state = await sb.request('GET', '/sandbox/state', { auth: false });
    assert.equal(state.status, 200);
    assert.ok(state.json.invoices >= 5 && state.json.creditNotes >= 1 && state.json.contacts >= 5);
    assert.equal(state.json.byStatus.invoice.VOIDED, 1);
  });
});
