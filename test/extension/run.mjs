// npm run test:extension — builds the extension, installs the code-server harness if needed, and runs the
// mocha suite in suite/ inside a real VS Code (code-server 4.100.3 + headless chromium) through the stock
// @vscode/test-electron runTests(), pointed at the project's code-server shim. Prints "N passed, N failed";
// exits non-zero on failure. A harness timeout (EXT_TESTS_TIMEOUT_MS, default 240 s) bounds a hang.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'dist', 'test-extension');
const TIMEOUT_MS = Number(process.env.EXT_TESTS_TIMEOUT_MS || 240_000);
const t0 = Date.now();
const stamp = (what) => console.log(`[test:extension] ${what} (+${((Date.now() - t0) / 1000).toFixed(1)} s)`);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.log(`0 passed, 1 failed (${[cmd, ...args].join(' ')} exited ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

// 1. Build the extension, server and sandbox, and the suite (TypeScript → dist/test-extension/*.js).
run(process.execPath, ['esbuild.js']);
for (const f of ['extension.js', 'server.js', 'sandbox.js']) {
  if (!existsSync(join(ROOT, 'dist', f))) {
    console.log(`0 passed, 1 failed (dist/${f} was not built)`);
    process.exit(1);
  }
}
const esbuild = require('esbuild');
rmSync(OUT, { recursive: true, force: true });
const suiteDir = join(ROOT, 'test', 'extension', 'suite');
await esbuild.build({
  entryPoints: readdirSync(suiteDir).filter((f) => f === 'index.ts' || f.endsWith('.test.ts')).map((f) => join(suiteDir, f)),
  outdir: OUT,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
stamp('built');

// 2. The harness (code-server, chromium), installed once into a cache outside the repository.
run('bash', [join(ROOT, 'test', 'harness', 'install-code-server.sh')]);
stamp('harness ready');

// 3. A throw-away workspace: the fixtures, and settings that make dialogs skippable.
const ws = mkdtempSync(join(tmpdir(), 'xero-ext-ws-'));
const pdfDir = join(ws, 'pdfs');
cpSync(join(ROOT, 'test', 'fixtures', 'extension'), ws, { recursive: true });
mkdirSync(join(ws, '.vscode'), { recursive: true });
writeFileSync(
  join(ws, '.vscode', 'settings.json'),
  JSON.stringify({ 'xeroInvoice.confirmDestructive': false, 'xeroInvoice.pdf.folder': 'pdfs' }, null, 2),
);
const results = join(ws, '.test-results.json');

// 4. Stock runTests(), with the shim as the "VS Code executable".
const { runTests } = require('@vscode/test-electron');
let code;
try {
  code = await runTests({
    vscodeExecutablePath: join(ROOT, 'test', 'harness', 'code-shim.js'),
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: join(OUT, 'index.js'),
    launchArgs: [ws, '--disable-extensions'],
    extensionTestsEnv: {
      EXT_TESTS_TIMEOUT_MS: String(TIMEOUT_MS),
      // Fixed sandbox credentials: the tests can read the sandbox's state without the extension's secrets.
      SANDBOX_TOKEN: 'extension-test-token',
      SANDBOX_TENANT_ID: '3f5a2b7e-1c4d-4e8f-9a0b-6c7d8e9f0a1b',
      SANDBOX_CLIENT_ID: 'EXTENSIONTESTCLIENT',
      SANDBOX_CLIENT_SECRET: 'extension-test-client-secret',
      XERO_TEST_RESULTS: results,
      XERO_TEST_PDF_DIR: pdfDir,
    },
  });
} catch (e) {
  code = typeof e?.code === 'number' ? e.code : 1;
  if (!existsSync(results)) console.error(`[test:extension] ${e?.message ?? e}`);
}
stamp(`extension host exit code ${code}`);

let tally = { passed: 0, failed: 1, failures: [{ title: 'the suite', error: code === 3 ? 'timed out' : `did not report (exit code ${code})` }] };
if (existsSync(results)) tally = JSON.parse(readFileSync(results, 'utf8'));
for (const f of tally.failures) console.log(`  ✗ ${f.title}: ${f.error}`);
if (!process.env.KEEP_STATE) rmSync(ws, { recursive: true, force: true });
console.log(`${tally.passed} passed, ${tally.failed} failed`);
process.exit(code === 0 && tally.failed === 0 ? 0 : 1);
