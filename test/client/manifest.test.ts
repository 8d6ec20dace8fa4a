// package.json's contributions are generated from the code (client/manifest/contributions.ts): this checks the
// file is up to date, and that every shared command and server setting is contributed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { contributions } from '../../client/manifest/contributions';
import { ClientCommands } from '../../client/src/command-ids';
import { DEFAULT_CLIENT_SETTINGS, APPLICATION_SETTINGS } from '../../client/src/settings';
import { Commands } from '../../shared/src/commands';
import { DEFAULT_SERVER_SETTINGS } from '../../shared/src/settings';
import { ROOT } from './support';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const props = pkg.contributes.configuration.properties as Record<string, { default: unknown; scope?: string }>;

function leaves(prefix: string, value: unknown, out: Record<string, unknown> = {}): Record<string, unknown> {
  // Objects whose keys are data (taxRates) are one setting; nested settings groups are split into their keys.
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length && prefix !== 'taxRates') {
    for (const [k, v] of Object.entries(value)) leaves(prefix ? `${prefix}.${k}` : k, v, out);
  } else out[prefix] = value;
  return out;
}

describe('package.json manifest', () => {
  it('is what client/manifest/update-package-json.ts writes (run it after changing contributions)', () => {
    const c = contributions();
    assert.deepEqual(pkg.activationEvents, c.activationEvents);
    assert.deepEqual(pkg.contributes, JSON.parse(JSON.stringify(c.contributes)));
    assert.deepEqual(pkg.capabilities, c.capabilities);
  });

  it('activates on XML, on *.invoice.xml in the workspace, and on its commands', () => {
    assert.ok(pkg.activationEvents.includes('onLanguage:xml'));
    assert.ok(pkg.activationEvents.includes('workspaceContains:**/*.invoice.xml'));
    assert.ok(pkg.activationEvents.includes(`onCommand:${Commands.send}`));
  });

  it('contributes every shared command id and every client command', () => {
    const ids = pkg.contributes.commands.map((c: { command: string }) => c.command);
    for (const id of Object.values(Commands)) assert.ok(ids.includes(id), id);
    for (const id of Object.values(ClientCommands)) assert.ok(ids.includes(id), id);
  });

  it('contributes every server setting with its default, resource-scoped', () => {
    for (const [key, value] of Object.entries(leaves('', DEFAULT_SERVER_SETTINGS))) {
      const p = props[`xeroInvoice.${key}`];
      assert.ok(p, `xeroInvoice.${key} is contributed`);
      assert.deepEqual(p.default, value, key);
      assert.equal(p.scope, 'resource', key);
    }
  });

  it('contributes the client settings with their defaults and restricts the endpoint ones in untrusted workspaces', () => {
    for (const [key, value] of Object.entries(leaves('', DEFAULT_CLIENT_SETTINGS))) {
      assert.deepEqual(props[`xeroInvoice.${key}`]?.default, value, key);
      // The user's own settings (application scope): a workspace can neither switch off the confirmation before voiding
      // or deleting nor pick the app a user consents to at sign-in.
      assert.equal(props[`xeroInvoice.${key}`]?.scope, key === 'confirmDestructive' || APPLICATION_SETTINGS.includes(key) ? 'application' : 'resource', key);
    }
    const restricted: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
    assert.ok(restricted.includes('xeroInvoice.confirmDestructive'));
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    for (const k of ['endpoint.baseUrl', 'endpoint.tenantId', 'endpoint.apiFamily']) assert.ok(restricted.includes(`xeroInvoice.${k}`), k);
  });

  it('has no credential setting (credentials live in SecretStorage only)', () => {
    assert.ok(!Object.keys(props).some((k) => /token|secret|password|apikey|xerokey/i.test(k)));
  });
});
