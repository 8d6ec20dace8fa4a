// Every write lands exactly once (issue 9), with the extension's own endpoint client against the real sandbox:
// a new key per action (A → B → A, two emails, two identical bills, a refusal fixed and approved again), an unknown
// outcome settled by "Retry the same request", emailing a SUBMITTED invoice, batch answers matched by ID and
// number, and the unanswered writes kept across a reload.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { UnknownOutcomeError } from '../../client/src/endpoint/idempotency';
import { XeroV2Client } from '../../client/src/endpoint/xero-v2';
import { PendingWrites, type MementoLike } from '../../client/src/pending-writes';
import { emailProblemsInDocument, markAsSentProblem } from '../../client/src/preconditions';
import { allows, canChangeStatus, isKnownStatus, SETTABLE_STATUSES } from '../../shared/src/status';
import { useTestSandbox, testHttp, v2, type TestSandbox } from './support';

/** The same invoice text every time it is called with the same arguments (no counters). */
function fixedInvoice(opts: { id?: string; type?: 'ACCREC' | 'ACCPAY'; amount?: string; status?: string; dueDate?: string | null; description?: string; contact?: string }): string {
  return [
    '<Invoice>',
    opts.id ? `<InvoiceID>${opts.id}</InvoiceID>` : '',
    `<Type>${opts.type ?? 'ACCREC'}</Type>`,
    `<Contact><Name>${opts.contact ?? 'Exactly Once Ltd'}</Name><EmailAddress>accounts@exactly-once.example</EmailAddress></Contact>`,
    '<Date>2026-11-02</Date>',
    opts.dueDate === null ? '' : `<DueDate>${opts.dueDate ?? '2026-11-30'}</DueDate>`,
    opts.status ? `<Status>${opts.status}</Status>` : '',
    '<LineAmountTypes>Exclusive</LineAmountTypes>',
    `<LineItems><LineItem><Description>${opts.description ?? 'Consulting'}</Description><Quantity>1</Quantity><UnitAmount>${opts.amount ?? '100.00'}</UnitAmount><AccountCode>${opts.type === 'ACCPAY' ? '400' : '200'}</AccountCode><TaxType>${opts.type === 'ACCPAY' ? 'INPUT2' : 'OUTPUT2'}</TaxType></LineItem></LineItems>`,
    '</Invoice>',
  ].join('');
}

describe('Every write lands exactly once (the endpoint client against the sandbox)', () => {
  const sandbox = useTestSandbox();
  let sb: TestSandbox;
  beforeEach(() => {
    sb = sandbox();
  });

  const api = () => v2(sb, testHttp().http);

  async function createOne(xml: string): Promise<string> {
    const r = await api().send('invoice', 'PUT', [{ key: 0, elementXml: xml }]);
    const o = r.outcomes.get(0)!;
    assert.ok(o.ok, o.errors.join('; '));
    return o.id!;
  }

  it('case 1: an update A → B → A ends as A (each update is a new action with a new key)', async () => {
    const id = await createOne(fixedInvoice({ status: 'DRAFT' }));
    for (const amount of ['150.00', '200.00', '150.00']) {
      const r = await api().send('invoice', 'POST', [{ key: 0, elementXml: fixedInvoice({ id, status: 'DRAFT', amount }), invoiceId: id }]);
      assert.ok(r.outcomes.get(0)!.ok, r.outcomes.get(0)!.errors.join('; '));
    }
    const state = await api().get('invoice', id);
    assert.equal(state.Total, 172.5, 'the endpoint holds A (150.00 + 15 % GST), not B');
  });

  it('case 2: emailing the same invoice twice writes two messages to the outbox', async () => {
    const id = await createOne(fixedInvoice({ status: 'AUTHORISED', description: 'Emailed twice' }));
    const before = (await sb.outbox()).files.length;
    await api().email(id);
    await api().email(id);
    assert.equal((await sb.outbox()).files.length, before + 2);
  });

  it('case 3: two identical bills from two documents get two InvoiceIDs', async () => {
    const before = await sb.state();
    const bill = fixedInvoice({ type: 'ACCPAY', status: 'DRAFT', description: 'Same bill' });
    const a = await createOne(bill);
    const b = await createOne(bill);
    assert.notEqual(a, b);
    assert.equal((await sb.state()).invoices, before.invoices + 2);
  });

  it('case 4: an approval refused for a missing DueDate, fixed, then approved again succeeds', async () => {
    const id = await createOne(fixedInvoice({ status: 'DRAFT', dueDate: null, description: 'No due date yet' }));
    const refused = await api().changeStatus('invoice', id, 'AUTHORISED');
    assert.equal(refused.ok, false);
    assert.match(refused.errors.join(' '), /DueDate/);
    const fixed = await api().update('invoice', id, { DueDate: '2026-12-15' });
    assert.ok(fixed.ok, fixed.errors.join('; '));
    const approved = await api().changeStatus('invoice', id, 'AUTHORISED');
    assert.ok(approved.ok, approved.errors.join('; '));
    assert.equal(approved.status, 'AUTHORISED');
  });

  it('case 5: a batch whose answer was lost after processing: Retry the same request makes each invoice once; the edited batch then updates them', async () => {
    const before = await sb.state();
    const items = ['One', 'Two', 'Three'].map((d, key) => ({ key, elementXml: fixedInvoice({ status: 'DRAFT', description: `Lost answer ${d}` }) }));
    // Carried out, answer lost; the automatic retry's connection dropped too: the outcome is unknown.
    await sb.control({ failNext: [{ drop: true, afterProcessing: true }, { drop: true }] });
    const first = await v2(sb, testHttp({ maxRetries: 1 }).http).send('invoice', 'PUT', items);
    assert.ok(first.stoppedBy instanceof UnknownOutcomeError);
    assert.deepEqual(first.unknown?.keys, [0, 1, 2]);
    assert.equal(first.outcomes.size, 0);
    assert.equal((await sb.state()).invoices, before.invoices + 3, 'the endpoint had carried it out');
    const client = api();
    assert.ok(client.owns(first.unknown.write.url), 'kept for this endpoint');
    assert.ok(!new XeroV2Client(testHttp().http, new URL('http://127.0.0.1:9/'), '').owns(first.unknown.write.url), 'never resent to another endpoint');
    const res = await client.replay(first.unknown.write);
    assert.equal(res.headers['idempotent-replayed'], 'true');
    const read = client.readBatch('invoice', items, res.json());
    assert.ok('outcomes' in read);
    const ids = [0, 1, 2].map((k) => read.outcomes.get(k)!.id!);
    assert.equal(new Set(ids).size, 3);
    assert.equal((await sb.state()).invoices, before.invoices + 3, 'the retry created nothing more');
    // A typo fixed in one invoice, the batch sent again with the IDs written back: updates, no duplicates.
    const edited = [0, 1, 2].map((k) => ({ key: k, invoiceId: ids[k], elementXml: fixedInvoice({ id: ids[k], status: 'DRAFT', description: k === 1 ? 'Lost answer 2 (typo fixed)' : `Lost answer ${['One', 'Two', 'Three'][k]}` }) }));
    const again = await client.send('invoice', 'POST', edited);
    assert.ok([...again.outcomes.values()].every((o) => o.ok));
    assert.equal((await sb.state()).invoices, before.invoices + 3);
  });

  it('case 8: a SUBMITTED invoice can be emailed (FACTS §4): the client allows it and the endpoint sends it', async () => {
    const r = await api().send('invoice', 'PUT', [{ key: 0, elementXml: fixedInvoice({ status: 'SUBMITTED', description: 'Awaiting approval' }) }]);
    const o = r.outcomes.get(0)!;
    assert.equal(o.status, 'SUBMITTED');
    assert.deepEqual(emailProblemsInDocument({ kind: 'invoice', type: 'ACCREC', status: 'SUBMITTED', invoiceId: o.id!, invoiceNumber: o.number! }), []);
    assert.match(emailProblemsInDocument({ kind: 'invoice', type: 'ACCREC', status: 'DRAFT', invoiceId: o.id!, invoiceNumber: o.number! }).join(), /draft: approve it first/);
    const before = (await sb.outbox()).files.length;
    await api().email(o.id!);
    assert.equal((await sb.outbox()).files.length, before + 1);
  });

  it('case 9: batch answers are matched by InvoiceID / InvoiceNumber and count; a reordered or short answer is not matched', async () => {
    const a = await createOne(fixedInvoice({ status: 'DRAFT', description: 'Match A' }));
    const b = await createOne(fixedInvoice({ status: 'DRAFT', description: 'Match B' }));
    const client = api();
    const [docA, docB] = [await client.get('invoice', a), await client.get('invoice', b)];
    const items = [
      { key: 0, elementXml: '', invoiceId: a },
      { key: 1, elementXml: '', invoiceId: b },
    ];
    const inOrder = client.readBatch('invoice', items, { Invoices: [docA, docB] });
    assert.ok('outcomes' in inOrder && inOrder.outcomes.get(1)!.id === b);
    const reordered = client.readBatch('invoice', items, { Invoices: [docB, docA] });
    assert.ok('unmatched' in reordered);
    assert.match(reordered.unmatched.reason, new RegExp(`answer 1 is for ${b}, not ${a}`));
    assert.match(reordered.unmatched.answer, new RegExp(b), 'the answer is kept to be shown');
    const short = client.readBatch('invoice', items, { Invoices: [docA] });
    assert.ok('unmatched' in short);
    assert.match(short.unmatched.reason, /answered for 1 document, 2 were sent/);
    const byNumber = client.readBatch('invoice', [{ key: 0, elementXml: '', invoiceNumber: docA.InvoiceNumber! }, { key: 1, elementXml: '', invoiceNumber: docB.InvoiceNumber! }], { Invoices: [docB, docA] });
    assert.ok('unmatched' in byNumber, 'numbers are compared too');
  });
});

describe('One set of status rules: the client, the engine and the sandbox agree (shared/src/status.ts)', () => {
  const sandbox = useTestSandbox();
  let sb: TestSandbox;
  beforeEach(() => {
    sb = sandbox();
  });

  it('every status change the module allows the sandbox carries out, and every other it refuses', async () => {
    const api = v2(sb, testHttp().http);
    for (const from of ['DRAFT', 'SUBMITTED', 'AUTHORISED']) {
      for (const to of SETTABLE_STATUSES.filter((x) => x !== from)) {
        const created = (await api.send('invoice', 'PUT', [{ key: 0, elementXml: fixedInvoice({ status: from, description: `${from} to ${to}` }) }])).outcomes.get(0)!;
        assert.ok(created.ok, created.errors.join('; '));
        const changed = await api.changeStatus('invoice', created.id!, to);
        assert.equal(changed.ok, canChangeStatus(from, to), `${from} → ${to}: ${changed.errors.join('; ')}`);
      }
    }
  });

  it("knows Xero's six statuses and nothing else, not even an object's own property names", () => {
    assert.deepEqual(['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID', 'VOIDED', 'DELETED', 'draft', 'constructor', '__proto__', 'toString', '', null].filter((st) => isKnownStatus(st)), ['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID', 'VOIDED', 'DELETED']);
    assert.equal(canChangeStatus('constructor', 'VOIDED'), false);
    assert.equal(canChangeStatus('AUTHORISED', 'VOIDED'), true);
  });

  it('the actions each status allows: email from SUBMITTED (FACTS §4), mark as sent only when approved, void only AUTHORISED, delete only drafts', () => {
    assert.deepEqual(['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID', 'VOIDED', 'DELETED'].filter((st) => allows(st, 'email')), ['SUBMITTED', 'AUTHORISED', 'PAID']);
    assert.match(markAsSentProblem('SUBMITTED')!, /awaiting approval/);
    assert.deepEqual(['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID'].filter((st) => allows(st, 'void')), ['AUTHORISED']);
    assert.deepEqual(['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID'].filter((st) => allows(st, 'delete')), ['DRAFT', 'SUBMITTED']);
    assert.deepEqual(['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID'].filter((st) => allows(st, 'approve')), ['DRAFT', 'SUBMITTED']);
  });
});

describe('Unanswered writes are kept in the extension storage, expire, and are dropped once answered', () => {
  class MapMemento implements MementoLike {
    readonly map = new Map<string, unknown>();
    get<T>(key: string, def: T): T {
      return (this.map.has(key) ? this.map.get(key) : def) as T;
    }
    update(key: string, value: unknown): Thenable<void> {
      this.map.set(key, JSON.parse(JSON.stringify(value)));
      return Promise.resolve();
    }
  }
  const write = (key: string) => ({ method: 'PUT' as const, url: 'http://127.0.0.1:1/api.xro/2.0/Invoices?SummarizeErrors=false', contentType: 'application/xml', body: '<Invoices/>', idempotencyKey: key });
  const record = (key: string) => ({ write: write(key), label: `Send ${key}`, documentUri: 'file:///a.xml', documentVersion: 3, kind: 'invoice' as const, shape: 'batch' as const, items: [{ index: 0, name: 'INV-1' }] });

  it('survives a reload (a new store on the same storage), expires after its lifetime, and is removed once answered', async () => {
    let now = 1_000_000;
    const memento = new MapMemento();
    const first = new PendingWrites(memento, () => now);
    await first.add(record('k1'));
    await first.add(record('k2'));
    const reloaded = new PendingWrites(memento, () => now);
    assert.deepEqual((await reloaded.list()).map((p) => p.write.idempotencyKey), ['k1', 'k2']);
    assert.equal(reloaded.get('k1')?.write.body, '<Invoices/>', 'the same bytes to resend');
    await reloaded.remove('k1');
    assert.deepEqual((await reloaded.list()).map((p) => p.write.idempotencyKey), ['k2']);
    now += reloaded.lifetimeMs;
    assert.deepEqual(await reloaded.list(), [], 'expired');
    assert.equal(reloaded.get('k2'), undefined);
    assert.ok(reloaded.lifetimeMs < 24 * 3600 * 1000, 'shorter than the endpoint keeps keys');
  });
});
