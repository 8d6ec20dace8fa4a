// Workspace settings that change where work goes: a base URL with user info is refused; an endpoint host or
// tenant a workspace sets in place of the user's own is asked about once per workspace; a PDF folder outside the
// workspace folders is asked about once; an existing PDF is never replaced without asking.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EndpointError } from '../../client/src/endpoint/errors';
import { checkedEndpointUrl } from '../../client/src/endpoint/url-policy';
import { isInsideAny, placeFile, uniquePath, type ExistingFileChoice } from '../../client/src/file-placement';
import { approveEndpoint, SettingsConsent, type ConsentStore } from '../../client/src/settings-consent';

/** A workspaceState as VS Code keeps it: a key-value store of JSON values. */
function memento(): ConsentStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: <T>(k: string) => data.get(k) as T | undefined,
    update: (k: string, v: unknown) => Promise.resolve(void data.set(k, JSON.parse(JSON.stringify(v)))),
  };
}

function asker(answers: boolean[]) {
  const questions: string[] = [];
  return {
    questions,
    ask: (q: string) => {
      questions.push(q);
      return Promise.resolve(answers.shift() ?? false);
    },
  };
}

const refused = (what: RegExp) => (e: Error) => {
  assert.ok(e instanceof EndpointError && e.kind === 'refused', String(e));
  assert.match(e.message, what);
  return true;
};

describe('baseUrl with user info', () => {
  for (const raw of ['https://user:pass@api.xero.com', 'https://apikey@api.xero.com/api.xro/2.0', 'http://a:b@127.0.0.1:8080']) {
    it(`${raw} is refused, without echoing the credentials`, () => {
      assert.throws(() => checkedEndpointUrl(raw), (e: Error) => {
        refused(/must not contain a user name or password/)(e);
        assert.ok(!/user:pass|apikey|a:b/.test(e.message), e.message);
        return true;
      });
    });
  }
  it('an address without user info is still accepted', () => {
    assert.equal(checkedEndpointUrl('https://api.xero.com').host, 'api.xero.com');
  });
});

describe('endpoint settings from the workspace', () => {
  const url = new URL('https://evil.example');
  const fromRepo = { baseUrl: { globalValue: 'https://api.xero.com', workspaceValue: 'https://evil.example' } };

  it("the user's own settings are never asked about", async () => {
    const a = asker([]);
    await new SettingsConsent(memento(), a.ask).confirmEndpoint(url, 't-1', { baseUrl: { globalValue: 'https://evil.example' }, tenantId: { globalValue: 't-1' } });
    assert.deepEqual(a.questions, []);
  });

  it('a workspace value equal to the user\'s own is not a redirection', async () => {
    const a = asker([]);
    await new SettingsConsent(memento(), a.ask).confirmEndpoint(url, '', { baseUrl: { globalValue: 'https://evil.example', workspaceValue: 'https://evil.example' } });
    assert.deepEqual(a.questions, []);
  });

  it('a host set by the workspace is asked about; a refusal sends nothing and says why', async () => {
    const a = asker([false]);
    const consent = new SettingsConsent(memento(), a.ask);
    await assert.rejects(consent.confirmEndpoint(url, '', fromRepo), refused(/Nothing was sent: this workspace's settings point at the endpoint evil\.example/));
    assert.equal(a.questions.length, 1);
    assert.match(a.questions[0], /evil\.example/);
  });

  it('allowed once, remembered for the workspace: not asked again; another workspace asks again', async () => {
    const store = memento();
    const a = asker([true]);
    await new SettingsConsent(store, a.ask).confirmEndpoint(url, '', fromRepo);
    await new SettingsConsent(store, a.ask).confirmEndpoint(url, '', fromRepo);
    assert.equal(a.questions.length, 1);
    const other = asker([false]);
    await assert.rejects(new SettingsConsent(memento(), other.ask).confirmEndpoint(url, '', fromRepo));
    assert.equal(other.questions.length, 1);
  });

  it('a tenant set by the workspace is asked about, per tenant', async () => {
    const store = memento();
    const a = asker([true, false]);
    const consent = new SettingsConsent(store, a.ask);
    const api = new URL('https://api.xero.com');
    await consent.confirmEndpoint(api, 'tenant-a', { tenantId: { workspaceFolderValue: 'tenant-a' } });
    await assert.rejects(consent.confirmEndpoint(api, 'tenant-b', { tenantId: { workspaceFolderValue: 'tenant-b' } }), refused(/organisation \(tenant\) tenant-b/));
    assert.equal(a.questions.length, 2);
  });

  it('an endpoint the user chose (the local sandbox) is approved without a question', async () => {
    const store = memento();
    await approveEndpoint(store, 'http://127.0.0.1:4567', 'sandbox-tenant');
    const a = asker([]);
    await new SettingsConsent(store, a.ask).confirmEndpoint(new URL('http://127.0.0.1:4567'), 'sandbox-tenant', {
      baseUrl: { workspaceValue: 'http://127.0.0.1:4567' },
      tenantId: { workspaceValue: 'sandbox-tenant' },
    });
    assert.deepEqual(a.questions, []);
  });
});

describe('PDF folder and existing files', () => {
  const ws = mkdtempSync(join(tmpdir(), 'xero-ws-'));

  it('inside the workspace folders is fine; `..` and absolute paths elsewhere are outside', () => {
    assert.ok(isInsideAny(join(ws, 'pdfs'), [ws]));
    assert.ok(isInsideAny(ws, [ws]));
    assert.ok(!isInsideAny(join(ws, '..'), [ws]));
    assert.ok(!isInsideAny(join(ws, 'pdfs', '..', '..', 'elsewhere'), [ws]));
    assert.ok(!isInsideAny(`${ws}-sibling`, [ws]));
    assert.ok(!isInsideAny('/etc', [ws]));
  });

  it('a folder outside the workspace is asked about once per workspace; refused, nothing is saved', async () => {
    const store = memento();
    const a = asker([false, true]);
    const consent = new SettingsConsent(store, a.ask);
    await consent.confirmFolder(join(ws, 'pdfs'), [ws]);
    assert.equal(a.questions.length, 0, 'inside: no question');
    const outside = join(ws, '..', 'outside');
    await assert.rejects(consent.confirmFolder(outside, [ws]), refused(/No PDF was saved: .*outside the workspace/));
    await consent.confirmFolder(outside, [ws]);
    await consent.confirmFolder(outside, [ws]);
    assert.equal(a.questions.length, 2, 'asked until allowed, then remembered');
  });

  it('an existing file is replaced only when the user says so; "keep both" gets a unique name; no answer saves nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xero-pdfs-'));
    const target = join(dir, 'INV-0001.pdf');
    const asked: string[] = [];
    const answer = (choice: ExistingFileChoice) => (f: string) => (asked.push(f), Promise.resolve(choice));
    assert.equal(await placeFile(target, answer('replace')), target, 'a free name is used without asking');
    assert.deepEqual(asked, []);
    writeFileSync(target, 'earlier PDF');
    assert.equal(await placeFile(target, answer(undefined)), undefined);
    assert.equal(await placeFile(target, answer('replace')), target);
    assert.equal(await placeFile(target, answer('keepBoth')), join(dir, 'INV-0001 (2).pdf'));
    writeFileSync(join(dir, 'INV-0001 (2).pdf'), 'another');
    assert.equal(uniquePath(target), join(dir, 'INV-0001 (3).pdf'));
    assert.deepEqual(asked, [target, target, target]);
  });
});
