// npm start: the extension in a real VS Code against the local sandbox, with the samples open — no account,
// no network. Desktop VS Code when `code` is on PATH (--extensionDevelopmentPath), otherwise code-server in
// the browser (installed on first use by test/harness/install-code-server.sh), printing the URL.
//
//   npm start                 # desktop VS Code if available, else code-server
//   npm start -- --browser    # code-server even when `code` is on PATH
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { CACHE } = require('../test/harness/paths.js');
const browser = process.argv.slice(2).includes('--browser');

function step(message) {
  console.log(`\x1b[36m›\x1b[0m ${message}`);
}

step('Building the extension, the language server, the CLI and the sandbox');
const build = spawnSync(process.execPath, [join(root, 'esbuild.js')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

// A workspace of its own, so the repository's samples stay as they are. Files are named *.invoice.xml: that
// pattern activates the extension as soon as the folder opens.
const workspace = join(CACHE, 'samples-workspace');
mkdirSync(join(workspace, '.vscode'), { recursive: true });
for (const f of readdirSync(join(root, 'samples'))) {
  if (!f.endsWith('.xml')) continue;
  const target = join(workspace, f.replace(/\.xml$/, '.invoice.xml'));
  if (!existsSync(target)) copyFileSync(join(root, 'samples', f), target);
}
writeFileSync(
  join(workspace, '.vscode', 'settings.json'),
  JSON.stringify(
    {
      'xeroInvoice.sandbox.startOnActivation': true,
      'xeroInvoice.pdf.folder': '${workspaceFolder}/pdf',
      'editor.inlayHints.enabled': 'on',
      'security.workspace.trust.enabled': false,
    },
    null,
    2,
  ) + '\n',
);
const firstFile = join(workspace, 'wrong-totals.invoice.xml');

const code = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).stdout.trim();
if (code && !browser) {
  step(`Opening VS Code (${code}) with the extension from ${root}`);
  const r = spawnSync(code, ['--new-window', `--extensionDevelopmentPath=${root}`, workspace, firstFile], { stdio: 'inherit' });
  process.exit(r.status ?? 0);
}

step('No desktop VS Code on PATH: using code-server in the browser');
const install = spawnSync('bash', [join(root, 'test', 'harness', 'install-code-server.sh')], { stdio: 'inherit' });
if (install.status !== 0) {
  console.error('\nCould not install code-server (see the message above). Install the system packages it names, or run VS Code desktop with `code` on PATH.');
  process.exit(1);
}
const { startCodeServer } = require('../test/harness/lib.js');

// The project folder itself is the extension: code-server loads it from its extensions folder.
const extensions = join(CACHE, 'start-extensions');
rmSync(extensions, { recursive: true, force: true });
mkdirSync(extensions, { recursive: true });
const pkg = require('../package.json');
symlinkSync(root, join(extensions, `${pkg.publisher}.${pkg.name}-${pkg.version}`), 'dir');

const server = await startCodeServer({
  workspace,
  extensionsDir: extensions,
  settings: { 'editor.inlayHints.enabled': 'on', 'workbench.startupEditor': 'none' },
});
const url = `${server.url}?folder=${encodeURIComponent(workspace)}`;
console.log(`\n  VS Code (code-server) is running with the extension and the samples:\n\n    \x1b[1m${url}\x1b[0m\n`);
console.log('  Open wrong-totals.invoice.xml to see diagnostics, computed totals and the code lens; the local sandbox');
console.log('  starts with the extension, so Send, Approve & email, PDF and Void work without an account.');
console.log('  Press Ctrl+C to stop.\n');
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// code-server's child process keeps this script alive until Ctrl+C.
