// Starts code-server (the real VS Code workbench and Node extension host) on a loopback port with throw-away
// state, and Debian's chromium (through playwright-core) to host the workbench. Adapted from the shared
// vscode-harness; see test/harness/README.md.
'use strict';
const cp = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { CODE_SERVER, CHROMIUM } = require('./paths');

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
  // Resolve nothing but loopback (127.0.0.1, and localhost for the sign-in redirect): the workbench must not reach out anywhere.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost'];

const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
};

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
    srv.on('error', reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// opts: { workspace, extensionsDir, env, settings }
async function startCodeServer(opts = {}) {
  if (!fs.existsSync(CODE_SERVER)) throw new Error(`code-server is not installed at ${CODE_SERVER}: run test/harness/install-code-server.sh`);
  const port = await freePort();
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'xero-cs-state-'));
  const dataDir = path.join(state, 'data');
  fs.mkdirSync(path.join(dataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...(opts.settings || {}) }, null, 2));
  const extDir = opts.extensionsDir || path.join(state, 'extensions');
  fs.mkdirSync(extDir, { recursive: true });
  const config = path.join(state, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = ['--config', config, '--user-data-dir', dataDir, '--extensions-dir', extDir,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--ignore-last-opened'];
  if (opts.workspace) args.push(opts.workspace);
  const env = { ...process.env,
    XDG_CONFIG_HOME: path.join(state, 'xdg-config'), XDG_DATA_HOME: path.join(state, 'xdg-data'),
    // No extension marketplace: code-server would otherwise query Open VSX.
    EXTENSIONS_GALLERY: '{"serviceUrl":""}',
    ...(opts.env || {}) };
  const logFile = path.join(state, 'server.log');
  const out = fs.openSync(logFile, 'a');
  // detached: its own process group, so stop() ends the extension host and language servers with it.
  const proc = cp.spawn(CODE_SERVER, args, { env, stdio: ['ignore', out, out], detached: true });
  const url = `http://127.0.0.1:${port}/`;
  const t0 = Date.now();
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`code-server exited early (${proc.exitCode}); see ${logFile}`);
    try { const r = await fetch(url + 'healthz'); if (r.ok) break; } catch { /* not listening yet */ }
    if (Date.now() - t0 > 60000) throw new Error('code-server did not listen within 60 s');
    await sleep(100); // polling a port that is not open yet: there is no event to wait for
  }
  return {
    proc, port, url, state, logFile,
    async stop() {
      const alive = () => proc.exitCode === null && proc.signalCode === null;
      try { process.kill(-proc.pid, 'SIGTERM'); } catch { /* gone */ }
      const deadline = Date.now() + 5000;
      while (alive() && Date.now() < deadline) await sleep(100);
      try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* nothing left */ }
      if (!process.env.KEEP_STATE) fs.rmSync(state, { recursive: true, force: true });
    },
  };
}

async function launchChromium() {
  const { chromium } = require('playwright-core');
  // Chromium writes 'Crash Reports' under $XDG_CONFIG_HOME even with a fresh profile: a throw-away folder.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'xero-chromium-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
    env: { ...process.env, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home } });
  browser.on('disconnected', () => fs.rmSync(home, { recursive: true, force: true }));
  return browser;
}

module.exports = { startCodeServer, launchChromium, freePort };
