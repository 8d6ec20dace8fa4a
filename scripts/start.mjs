// npm start: the extension in a real VS Code against the local sandbox, with the samples open — no account,
// no network. Desktop VS Code when `code` is on PATH (--extensionDevelopmentPath), otherwise code-server in
// the browser (installed on first use by test/harness/install-code-server.sh), printing the URL.
//
//   npm start                 # desktop VS Code if available, else code-server
//   npm start -- --browser    # code-server even when `code` is on PATH
//   npm start -- --reset      # the samples, the sandbox's data, its outbox and the PDFs afresh, together
//   npm start -- --demo-dir DIR   # the demo folder (default ~/.cache/xero-invoice-vscode/xero-invoice-demo)
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { CACHE } = require('../test/harness/paths.js');
const args = process.argv.slice(2);
const browser = args.includes('--browser');
const reset = args.includes('--reset');
const dirArg = args.indexOf('--demo-dir');
const unknown = args.filter((a, i) => !['--browser', '--reset', '--demo-dir'].includes(a) && (dirArg < 0 || i !== dirArg + 1));
if (unknown.length || (dirArg >= 0 && !args[dirArg + 1])) {
  console.error(`Unknown option ${unknown[0] ?? '--demo-dir without a folder'}.\nUsage: npm start [-- --browser] [-- --reset] [-- --demo-dir DIR]`);
  process.exit(2);
}

/** The URL in the user's browser, where there is a desktop to show it on (the URL is printed either way). */
function openBrowser(url) {
  const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim() !== '';
  const [cmd, ...pre] =
    process.platform === 'darwin' ? ['open'] : process.platform === 'win32' ? ['cmd', '/c', 'start', '""'] : (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) && has('xdg-open') ? ['xdg-open'] : [];
  if (!cmd || process.env.XERO_START_NO_BROWSER) return;
  const child = spawn(cmd, [...pre, url], { stdio: 'ignore', detached: true });
  child.on('error', () => {});
  child.unref();
}

function step(message) {
  console.log(`\x1b[36m›\x1b[0m ${message}`);
}

step('Building the extension, the language server, the CLI and the sandbox');
const build = spawnSync(process.execPath, [join(root, 'esbuild.js')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

// The demo is one folder: the samples (named *.invoice.xml: that pattern activates the extension as soon as the
// folder opens), the sandbox's data with its email outbox, and downloaded PDFs. Kept from one start to the next,
// so the invoices the samples were sent as are still there; `--reset` starts all of it afresh, together.
const workspace = resolve(dirArg >= 0 ? args[dirArg + 1] : join(CACHE, 'xero-invoice-demo'));
const sandboxData = join(workspace, 'sandbox');
if (reset && existsSync(workspace)) {
  step(`Resetting the demo: removing ${workspace} (samples, sandbox data, outbox and PDFs)`);
  rmSync(workspace, { recursive: true, force: true });
}
const again = existsSync(join(sandboxData, 'organisation.json'));
mkdirSync(join(workspace, '.vscode'), { recursive: true });
for (const f of readdirSync(join(root, 'samples'))) {
  if (!f.endsWith('.xml')) continue;
  const target = join(workspace, f.replace(/\.xml$/, '.invoice.xml'));
  if (!existsSync(target)) copyFileSync(join(root, 'samples', f), target);
}
if (!again) {
  // Samples that name InvoiceIDs of a sandbox whose data is gone would fail to update: say so rather than guess.
  const sent = readdirSync(workspace).filter((f) => {
    if (!f.endsWith('.invoice.xml')) return false;
    const text = readFileSync(join(workspace, f), 'utf8');
    const sample = join(root, 'samples', f.replace(/\.invoice\.xml$/, '.xml'));
    return /<InvoiceID>/.test(text) && (!existsSync(sample) || readFileSync(sample, 'utf8') !== text);
  });
  if (sent.length) console.warn(`  ${sent.join(', ')} name invoices of a sandbox whose data is gone: \`npm start -- --reset\` starts afresh.`);
}
const settingsFile = join(workspace, '.vscode', 'settings.json');
let kept = {};
try {
  kept = JSON.parse(readFileSync(settingsFile, 'utf8'));
} catch {
  /* first start, or not JSON: written afresh */
}
writeFileSync(
  settingsFile,
  JSON.stringify(
    {
      ...kept,
      'xeroInvoice.sandbox.startOnActivation': true,
      'xeroInvoice.sandbox.dataFolder': '${workspaceFolder}/sandbox',
      'xeroInvoice.pdf.folder': '${workspaceFolder}/pdf',
      'editor.inlayHints.enabled': 'on',
      'security.workspace.trust.enabled': false,
    },
    null,
    2,
  ) + '\n',
);
const firstFile = join(workspace, 'wrong-totals.invoice.xml');
// Where the cursor lands: the stated TotalTax that the lines contradict.
const totalTaxLine = readFileSync(firstFile, 'utf8').split('\n').findIndex((l) => l.includes('<TotalTax>')) + 1;
const where = () =>
  [
    `  The demo folder: ${workspace}`,
    `    samples        *.invoice.xml (your edits are kept)`,
    `    sandbox data   ${sandboxData}`,
    `    email outbox   ${join(sandboxData, 'outbox')} (one .eml per email, kept after you stop)`,
    `    PDFs           ${join(workspace, 'pdf')}`,
    `  ${again ? 'Started again with the samples and the sandbox data of last time' : 'A fresh demo'}; \`npm start -- --reset\` starts afresh.`,
  ].join('\n');

const code = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).stdout.trim();
if (code && !browser) {
  step(`Opening VS Code (${code}) with the extension from ${root}`);
  console.log(where());
  const r = spawnSync(code, ['--new-window', `--extensionDevelopmentPath=${root}`, workspace, '--goto', `${firstFile}:${totalTaxLine}:15`], { stdio: 'inherit' });
  process.exit(r.status ?? 0);
}

step('No desktop VS Code on PATH: using code-server in the browser');
const install = spawnSync('bash', [join(root, 'test', 'harness', 'install-code-server.sh')], { stdio: 'inherit' });
if (install.status !== 0) {
  console.error('\nCould not install code-server (see the message above). Install the system packages it names, or run VS Code desktop with `code` on PATH.');
  process.exit(1);
}
const { startCodeServer } = require('../test/harness/lib.js');

// The project folder itself is the extension: code-server loads it from an extensions folder of this run's own.
const extensions = mkdtempSync(join(tmpdir(), 'xero-start-extensions-'));
const pkg = require('../package.json');
symlinkSync(root, join(extensions, `${pkg.publisher}.${pkg.name}-${pkg.version}`), 'dir');

const server = await startCodeServer({
  workspace,
  extensionsDir: extensions,
  settings: { 'editor.inlayHints.enabled': 'on', 'workbench.startupEditor': 'none' },
});
// The workbench opens the folder and, through its URL payload, wrong-totals at the TotalTax that is wrong.
const open = `vscode-remote://127.0.0.1:${server.port}${firstFile}:${totalTaxLine}:15`;
const payload = JSON.stringify([['openFile', open], ['gotoLineMode', 'true']]);
const url = `${server.url}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;
console.log(`\n  VS Code (code-server) is running with the extension and the samples:\n\n    \x1b[1m${url}\x1b[0m\n`);
console.log('  It opens on wrong-totals.invoice.xml: try the walkthrough step beside it (or Help → Get Started →');
console.log('  "Get started with Xero invoice XML" → "Try this"). The local sandbox starts with the extension, so Send,');
console.log('  Approve & email, PDF and Void work without an account.\n');
console.log(where());
console.log('\n  Press Ctrl+C to stop.\n');
openBrowser(url);
const stop = async () => {
  await server.stop();
  rmSync(extensions, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// code-server's child process keeps this script alive until Ctrl+C.
