// npm run test:e2e — browser end-to-end tests: the packaged extension (dist/xero-invoice-xml.vsix) installed in
// code-server 4.100.3, driven through Debian's chromium with playwright-core, on a throw-away workspace holding
// copies of samples/ and test/fixtures/e2e/. The sandbox is started by the extension's own "Start local sandbox"
// command from the palette. The scenarios run in order in one browser session; each is caught on its own (scenario 12
// starts `npm start` twice with a code-server of its own).
// Prints one line per scenario and then "N passed, N failed"; exits 0 only when all passed. See README.md here.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCENARIOS, setup } from './scenarios.mjs';
import { Workbench } from './workbench.mjs';

const require = createRequire(import.meta.url);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HERE = join(ROOT, 'test', 'e2e');
const SHOTS = join(HERE, 'screenshots');
const VSIX = process.env.E2E_VSIX ? resolve(process.env.E2E_VSIX) : join(ROOT, 'dist', 'xero-invoice-xml.vsix');
const TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS || 600_000);
const SCENARIO_TIMEOUT_MS = Number(process.env.E2E_SCENARIO_TIMEOUT_MS || 120_000);
const ONLY = process.env.E2E_ONLY ? new Set(process.env.E2E_ONLY.split(',').map((s) => Number(s.trim()))) : null;
// Fixed sandbox credentials, given to code-server's environment: the extension host and the sandbox it spawns
// inherit them, so the runner can call the API with the token the extension keeps in SecretStorage.
const CREDENTIALS = { token: 'e2e-sandbox-token', tenantId: '6b1f0c2e-5a4d-4c3b-8e9f-0a1b2c3d4e5f' };
// User settings seeded into code-server (on top of the harness's defaults).
const USER_SETTINGS = {
  'editor.inlayHints.enabled': 'on',
  // Typing must not pop up suggestions that would swallow Tab/Enter: completion is asked for with Ctrl+Space.
  'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
  // A whole invoice, its lens and the Problems panel in one 1280×800 screenshot.
  'editor.fontSize': 12,
  'editor.lineHeight': 16,
  'breadcrumbs.enabled': false,
  'files.autoSave': 'off',
  // code-server would offer to forward the sandbox's port in a notification.
  'remote.autoForwardPorts': false,
  'extensions.ignoreRecommendations': true,
  'workbench.editor.enablePreview': false,
};
const KEYBINDINGS = [{ key: 'ctrl+shift+alt+s', command: 'editor.action.sourceAction', when: 'editorTextFocus' }];
const WORKSPACE_SETTINGS = {
  'xeroInvoice.pdf.folder': 'pdfs',
  'xeroInvoice.confirmDestructive': true,
};
// What goes into the VSIX: when any of it is newer than the VSIX, it is packaged again.
const PACKAGE_INPUTS = ['package.json', 'esbuild.js', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'client/src', 'server/src', 'sandbox/src', 'shared/src', 'schemas', 'snippets', 'samples', 'walkthrough', 'images'];

const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const log = (what) => console.log(`[e2e] ${what} (+${secs(Date.now() - t0)})`);

const results = []; // { n, name, title, ok, ms, error }
let server;
let browser;
let tmpRoot;
let finished = false;

function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of readdirSync(p)) newest = Math.max(newest, newestMtime(join(p, e)));
  return newest;
}

let child; // the install or package step running now, stopped with the rest on a timeout or an interrupt

/** Runs a step in its own process group (so a timeout can stop all of it) and rejects unless it exits 0. */
function run(cmd, args, opts = {}) {
  return new Promise((resolvePromise, reject) => {
    child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], detached: true, ...opts });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      child = undefined;
      if (code === 0) resolvePromise();
      else reject(new Error(`${[cmd, ...args].join(' ')} exited ${code ?? signal}`));
    });
  });
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** Prints the per-scenario lines (once) and the closing tally; returns the exit code. */
function report(extra) {
  const selected = SCENARIOS.filter((s) => !ONLY || ONLY.has(s.n));
  for (const s of selected) {
    if (!results.some((r) => r.n === s.n)) results.push({ ...s, ok: false, ms: 0, error: extra ?? 'not run' });
  }
  results.sort((a, b) => a.n - b.n);
  console.log('');
  for (const r of results) {
    console.log(`${r.ok ? '✓' : '✗'} ${r.n} ${r.name}: ${r.title} (${secs(r.ms)})`);
    if (!r.ok) console.log(`      ${r.error}`);
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  if (failed) {
    console.log('');
    console.log(`[e2e] screenshots: ${SHOTS} (a failed scenario's last state is <n>-<name>.failed.png)`);
    if (server) {
      console.log(`[e2e] code-server log: ${server.logFile}`);
      console.log(`[e2e] extension host and extension logs: ${join(server.state, 'data', 'logs')}`);
      const warnings = extensionWarnings(join(server.state, 'data', 'logs'));
      if (warnings.length) console.log(`[e2e] the extension's last warnings and errors:\n${warnings.map((l) => `      ${l}`).join('\n')}`);
    }
    if (tmpRoot) console.log(`[e2e] workspace: ${join(tmpRoot, 'ws')}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

/** The extension's log lines at warning or error level (every window's), the last 20: a failure's first clue. */
function extensionWarnings(logs) {
  const lines = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (dir.endsWith('.xero-invoice-xml') && e.name.endsWith('.log')) lines.push(...readFileSync(p, 'utf8').split('\n').filter((l) => /^\S+ \S+ \[(warning|error)\]/.test(l)));
    }
  };
  try {
    walk(logs);
  } catch {
    return [];
  }
  return lines.sort().slice(-20).map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l));
}

/** Stops chromium and code-server (its whole process group: extension host, language server, sandbox). */
async function cleanup(keep) {
  if (keep) process.env.KEEP_STATE = '1'; // the harness keeps code-server's state (and its logs) then
  if (child?.pid) killGroup(child.pid);
  if (browser) await browser.close().catch(() => {});
  browser = undefined;
  if (server) await server.stop().catch((e) => console.error(`[e2e] stopping code-server: ${e.message}`));
  if (tmpRoot && !process.env.KEEP_STATE) rmSync(tmpRoot, { recursive: true, force: true });
}

async function finish(extra) {
  if (finished) return;
  finished = true;
  const code = report(extra);
  await cleanup(code !== 0);
  process.exit(code);
}

const globalTimer = setTimeout(() => {
  console.error(`[e2e] the run did not finish within ${secs(TIMEOUT_MS)} (E2E_TIMEOUT_MS): stopping`);
  void finish('not finished: global timeout (E2E_TIMEOUT_MS)');
}, TIMEOUT_MS);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    // playwright's own handler exits the process right after this one: end code-server's process group now,
    // synchronously (extension host, language server and sandbox are in it), then report.
    if (server?.proc?.pid) killGroup(server.proc.pid);
    if (child?.pid) killGroup(child.pid);
    void finish(`interrupted (${sig})`);
  });
}

/** An error as one or more report lines: playwright's call log is cut to the locator it waited for. */
function describe(e) {
  const [head, log = ''] = String(e?.message ?? e).split(/\n\s*Call log:\s*\n/);
  const waited = /waiting for (.+)/.exec(log.replace(/\x1b\[[0-9;]*m/g, ''))?.[1];
  return [...head.split('\n').map((l, i) => (i ? `      ${l.trim()}` : l)), ...(waited ? [`      (waiting for ${waited.trim()})`] : [])].join('\n');
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${secs(ms)}`)), ms);
    }),
  ]);
}

async function main() {
  // 1. The harness (code-server 4.100.3, chromium), installed once into a cache outside the repository.
  await run('bash', [join(ROOT, 'test', 'harness', 'install-code-server.sh')]);
  const { startCodeServer, launchChromium } = require('../harness/lib.js');
  const { CODE_SERVER } = require('../harness/paths.js');
  log('harness ready');

  // 2. The VSIX, packaged again when a source is newer (unless E2E_VSIX names one to test as it is).
  if (process.env.E2E_VSIX && !existsSync(VSIX)) throw new Error(`E2E_VSIX: ${VSIX} does not exist`);
  const built = existsSync(VSIX) ? statSync(VSIX).mtimeMs : 0;
  const newest = Math.max(...PACKAGE_INPUTS.map((p) => newestMtime(join(ROOT, p))));
  if (!process.env.E2E_VSIX && newest > built) {
    log(built ? 'dist/xero-invoice-xml.vsix is older than its sources: npm run package' : 'npm run package');
    await run('npm', ['run', '--silent', 'package'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (!existsSync(VSIX)) throw new Error('npm run package did not produce dist/xero-invoice-xml.vsix');
    log('packaged');
  }

  // 3. A throw-away workspace: the samples and the e2e fixtures, and workspace settings.
  tmpRoot = mkdtempSync(join(tmpdir(), 'xero-e2e-'));
  const ws = join(tmpRoot, 'ws');
  mkdirSync(join(ws, '.vscode'), { recursive: true });
  for (const f of readdirSync(join(ROOT, 'samples'))) if (f.endsWith('.xml')) cpSync(join(ROOT, 'samples', f), join(ws, f));
  const fixtures = join(ROOT, 'test', 'fixtures', 'e2e');
  for (const f of readdirSync(fixtures)) if (f.endsWith('.xml')) cpSync(join(fixtures, f), join(ws, f));
  writeFileSync(join(ws, '.vscode', 'settings.json'), `${JSON.stringify(WORKSPACE_SETTINGS, null, 2)}\n`);

  // 4. The packaged extension, installed the way a user installs a VSIX.
  const ext = join(tmpRoot, 'extensions');
  const xdg = join(tmpRoot, 'xdg'); // code-server writes a default config under $XDG_CONFIG_HOME otherwise
  await run(CODE_SERVER, ['--extensions-dir', ext, '--install-extension', VSIX], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: xdg, EXTENSIONS_GALLERY: '{"serviceUrl":""}' },
  });
  if (!readdirSync(ext).some((d) => d.startsWith('invoice-tools.xero-invoice-xml-'))) throw new Error(`the extension is not in ${ext} after --install-extension`);
  log('extension installed');

  // 5. code-server (its own process group) and chromium.
  server = await startCodeServer({
    workspace: ws,
    extensionsDir: ext,
    settings: { ...USER_SETTINGS, ...JSON.parse(process.env.E2E_USER_SETTINGS || '{}') },
    env: { SANDBOX_TOKEN: CREDENTIALS.token, SANDBOX_TENANT_ID: CREDENTIALS.tenantId },
  });
  // Source Action… from the palette races with the automatic code action request VS Code makes when the palette
  // hands focus back to the editor (the menu then says "No source actions available" although the server answered):
  // a keybinding invokes it from the focused editor, as users who use it often do.
  writeFileSync(join(server.state, 'data', 'User', 'keybindings.json'), `${JSON.stringify(KEYBINDINGS, null, 2)}\n`);
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(20_000);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  log(`code-server on ${server.url}`);

  mkdirSync(SHOTS, { recursive: true });
  for (const f of readdirSync(SHOTS)) if (f.endsWith('.failed.png')) rmSync(join(SHOTS, f));
  const wb = new Workbench(page, { screenshotsDir: SHOTS });
  const ctx = { wb, page, browser, ws, serverUrl: server.url, userSettingsFile: join(server.state, 'data', 'User', 'settings.json'), credentials: CREDENTIALS, sandbox: undefined, setupError: undefined, log };

  // 6. Setup: the workbench, the layout, and the sandbox through the palette.
  try {
    await withTimeout(setup(ctx), 120_000, 'setup');
    log('workbench loaded, sandbox started from the palette');
  } catch (e) {
    ctx.setupError = e.message.split('\n')[0];
    console.error(`[e2e] setup failed: ${e.message}`);
    await wb.screenshot('0-setup.failed', { settle: false }).catch(() => {});
    await wb.reset().catch(() => {});
  }

  // 7. The scenarios, each caught on its own, then put back to a clean workbench.
  for (const s of SCENARIOS) {
    if (ONLY && !ONLY.has(s.n)) continue;
    const start = Date.now();
    let error;
    try {
      await withTimeout(s.run(ctx), SCENARIO_TIMEOUT_MS, `scenario ${s.n}`);
    } catch (e) {
      error = describe(e);
      await wb.screenshot(`${s.n}-${s.name}.failed`, { settle: false }).catch(() => {});
    }
    results.push({ ...s, ok: !error, ms: Date.now() - start, error });
    log(`${error ? '✗' : '✓'} ${s.n} ${s.name} (${secs(Date.now() - start)})`);
    try {
      await withTimeout(wb.reset(), 30_000, 'resetting the workbench');
    } catch (e) {
      console.error(`[e2e] after scenario ${s.n}: ${e.message.split('\n')[0]}`);
    }
  }
  if (pageErrors.length && results.some((r) => !r.ok)) console.log(`[e2e] errors in the page: ${[...new Set(pageErrors)].slice(0, 5).join(' | ')}`);
}

main()
  .then(() => {
    clearTimeout(globalTimer);
    return finish();
  })
  .catch((e) => {
    clearTimeout(globalTimer);
    console.error(`[e2e] ${e.stack ?? e}`);
    return finish(`not run: ${e.message.split('\n')[0]}`);
  });
