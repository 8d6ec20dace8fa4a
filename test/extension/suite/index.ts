// The module the extension host loads (extensionTestsPath): runs every *.test.js beside it with mocha (tdd),
// prints "N passed, N failed" and writes the tally to $XERO_TEST_RESULTS for the runner.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  // The confirmation before voiding or deleting is application-scoped: the workspace's `false` is ignored, so the
  // suites that do not drive the dialog switch it off in the user settings; exactly-once.test.ts switches it on.
  await vscode.workspace.getConfiguration('xeroInvoice').update('confirmDestructive', false, vscode.ConfigurationTarget.Global);
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000 });
  for (const f of fs.readdirSync(__dirname).sort()) if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  return new Promise<void>((resolve, reject) => {
    const failures: { title: string; error: string }[] = [];
    const runner = mocha.run((failed) => {
      const passed = runner.stats?.passes ?? 0;
      console.log(`${passed} passed, ${failed} failed`);
      const out = process.env.XERO_TEST_RESULTS;
      if (out) fs.writeFileSync(out, JSON.stringify({ passed, failed, failures }));
      if (failed > 0) reject(new Error(`${failed} test(s) failed`));
      else resolve();
    });
    runner.on('fail', (t, err: Error) => failures.push({ title: t.fullTitle(), error: String(err?.message ?? err) }));
  });
}
