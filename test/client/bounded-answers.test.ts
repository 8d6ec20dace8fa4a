// Answers are bounded: an endpoint that streams without end (the sandbox's `endless` fault) costs at most the
// configured cap, for a buffered JSON answer and for a PDF streamed to disk alike; the error says which limit
// and which setting; nothing half-written is left behind.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { EndpointError } from '../../client/src/endpoint/errors';
import { invoiceXml, useTestSandbox, testHttp, v2, type TestSandbox } from './support';

const MB = 1024 * 1024;

function tooLarge(limit: RegExp) {
  return (e: Error) => {
    assert.ok(e instanceof EndpointError, String(e));
    assert.equal(e.kind, 'tooLarge');
    assert.match(e.message, limit);
    assert.match(e.message, /xeroInvoice\.endpoint\.maxResponseMB/);
    return true;
  };
}

describe('Bounded answers (sandbox endless fault)', () => {
  const sandbox = useTestSandbox({ resetAfterEach: true });
  let sb: TestSandbox;
  beforeEach(() => {
    sb = sandbox();
  });

  it('a JSON answer without end stops at the cap with a clear error, and is not retried', async () => {
    await sb.control({ failNext: [{ endless: true }, { endless: true }] });
    const rec = testHttp({ maxResponseBytes: 2 * MB, timeoutMs: 60_000 });
    await assert.rejects(v2(sb, rec.http).get('invoice', 'INV-0001'), tooLarge(/larger than the limit of 2 MB/));
    assert.equal(rec.logs.length, 1, 'one attempt: the same answer would be as large again');
    assert.match(rec.logs[0].error ?? '', /larger than 2 MB/);
    // The second queued fault is still there: nothing was retried behind the error.
    assert.equal(((await sb.control({})) as { failNext: unknown[] }).failNext.length, 1);
  });

  it('a PDF without end is streamed to disk up to the cap, then removed: no partial file is left', async () => {
    const sent = await v2(sb, testHttp().http).send('invoice', 'PUT', [{ key: 0, elementXml: invoiceXml({ status: 'AUTHORISED' }) }]);
    const id = sent.outcomes.get(0)!.id!;
    const dir = mkdtempSync(join(tmpdir(), 'xero-bounded-'));
    await sb.control({ failNext: [{ endless: true }] });
    const rec = testHttp({ maxResponseBytes: 3 * MB, timeoutMs: 60_000 });
    await assert.rejects(v2(sb, rec.http).pdf('invoice', id, join(dir, 'endless.pdf')), tooLarge(/larger than the limit of 3 MB/));
    assert.deepEqual(readdirSync(dir), []);
    // The same download within the cap is written completely.
    const size = await v2(sb, rec.http).pdf('invoice', id, join(dir, 'ok.pdf'));
    assert.ok(size > 500);
    assert.deepEqual(readdirSync(dir), ['ok.pdf']);
  });

  it('an answer that declares a length beyond the cap is refused before its body is read', async () => {
    const rec = testHttp({ maxResponseBytes: 200 });
    await assert.rejects(v2(sb, rec.http).listXml('invoice'), tooLarge(/larger than the limit of 200 bytes/));
    assert.equal(rec.logs.length, 1);
  });
});
