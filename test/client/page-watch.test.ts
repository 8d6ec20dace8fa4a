// How the preview and the PDF viewer recover a page that does not load: its HTML loaded again, then a new panel (a
// new frame, for a webview whose frame failed, as code-server's sometimes does), then a word in the log; an answer
// starts over.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PageWatch } from '../../client/src/page-watch';

function timeouts(watch: PageWatch, n: number): string[] {
  return Array.from({ length: n }, () => watch.timedOut());
}

describe("a webview's page watch", () => {
  it('loads the HTML again, then opens a new panel, twice, then gives up after six loads', () => {
    const watch = new PageWatch();
    assert.deepEqual(timeouts(watch, 6), ['reload', 'renew', 'reload', 'renew', 'reload', 'give-up']);
    assert.equal(watch.attempts, 6, 'the first load, two reloads of the HTML, two new panels and a reload of the last');
    assert.equal(watch.timedOut(), 'give-up', 'and stays given up until the page answers');
  });

  it('starts over when the page answers: a webview hidden and shown again gets every attempt again', () => {
    const watch = new PageWatch();
    assert.deepEqual(timeouts(watch, 2), ['reload', 'renew']);
    watch.reset();
    assert.equal(watch.attempts, 1);
    assert.deepEqual(timeouts(watch, 6), ['reload', 'renew', 'reload', 'renew', 'reload', 'give-up']);
  });

  it('says each step in the log and takes it: reload, renew, then gives up with the number of loads', () => {
    const watch = new PageWatch(1, 1);
    const log: string[] = [];
    const done: string[] = [];
    const act = { reload: () => done.push('reload'), renew: () => done.push('renew') };
    for (let i = 0; i < 4; i++) watch.recover("The preview's page", 'the preview', (m) => log.push(m), act);
    assert.deepEqual(done, ['reload', 'renew', 'reload']);
    assert.deepEqual(log, [
      "The preview's page did not answer within 5 s: loading it again.",
      "The preview's page did not answer within 5 s: opening the preview anew.",
      "The preview's page did not answer within 5 s: loading it again.",
      "The preview's page did not load: no answer from it within 5 s, 4 times.",
    ]);
  });

  it('takes its counts: without reloads each timeout opens a new panel', () => {
    assert.deepEqual(timeouts(new PageWatch(0, 2), 3), ['renew', 'renew', 'give-up']);
    assert.deepEqual(timeouts(new PageWatch(2, 0), 3), ['reload', 'reload', 'give-up']);
  });
});
