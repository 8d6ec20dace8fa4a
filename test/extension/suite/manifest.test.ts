/// <reference types="mocha" />
// What package.json contributes is what the running extension registers and reads.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

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

  test('every contributed setting has its default in effect', () => {
    const properties: Record<string, { default: unknown }> = extension.packageJSON.contributes.configuration.properties;
    for (const [key, p] of Object.entries(properties)) {
      const inspected = vscode.workspace.getConfiguration().inspect(key);
      assert.ok(inspected, `${key} is known to VS Code`);
      assert.deepEqual(inspected.defaultValue, p.default, key);
    }
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
