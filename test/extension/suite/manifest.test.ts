/// <reference types="mocha" />
// What package.json contributes is what the running extension registers and reads.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { normalizeServerSettings, SETTINGS_SECTION } from '../../../shared/src/settings';
import { readClientSettings } from '../../../client/src/settings';

const EXTENSION_ID = 'invoice-tools.xero-invoice-xml';

suite('Contributions match the running extension', () => {
  let extension: vscode.Extension<unknown>;

  suiteSetup(async () => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is installed`);
    extension = found;
    await extension.activate();
  });

  test('every contributed command is registered', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed: { command: string }[] = extension.packageJSON.contributes.commands;
    const missing = contributed.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
  });

  test("every contributed setting is read by the extension's code, with the same default", () => {
    const properties: Record<string, { default: unknown }> = extension.packageJSON.contributes.configuration.properties;
    // What the code reads when nothing is set, flattened to setting keys.
    const fromCode = new Map<string, unknown>();
    const flatten = (prefix: string, v: unknown) => {
      if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0 && !(`${prefix}` in properties)) {
        for (const [k, inner] of Object.entries(v)) flatten(`${prefix}.${k}`, inner);
      } else fromCode.set(prefix, v);
    };
    flatten(SETTINGS_SECTION, normalizeServerSettings({}));
    flatten(SETTINGS_SECTION, readClientSettings({ get: () => undefined }));
    // Read by vscode-languageclient itself, not by our code.
    fromCode.set(`${SETTINGS_SECTION}.trace.server`, 'off');
    for (const key of Object.keys(properties)) {
      assert.ok(fromCode.has(key), `${key} is contributed but no code reads it`);
      const inspected = vscode.workspace.getConfiguration().inspect(key);
      assert.ok(inspected, `${key} is known to VS Code`);
      assert.deepEqual(inspected.defaultValue, fromCode.get(key), `${key}: VS Code's default vs the code's`);
    }
    for (const key of fromCode.keys()) assert.ok(key in properties, `the code reads ${key}, which is not contributed`);
  });

  test('the contributed snippets and walkthrough files exist', () => {
    const c = extension.packageJSON.contributes;
    for (const s of c.snippets as { path: string }[]) assert.ok(fs.existsSync(path.join(extension.extensionPath, s.path)), s.path);
    for (const w of c.walkthroughs as { steps: { media: { markdown: string } }[] }[]) {
      for (const step of w.steps) assert.ok(fs.existsSync(path.join(extension.extensionPath, step.media.markdown)), step.media.markdown);
    }
  });

  test('menus name only contributed commands', () => {
    const ids = new Set((extension.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command));
    for (const [menu, items] of Object.entries(extension.packageJSON.contributes.menus as Record<string, { command: string }[]>)) {
      for (const item of items) assert.ok(ids.has(item.command), `${menu}: ${item.command}`);
    }
  });
});
