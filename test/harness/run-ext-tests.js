// runExtensionTests(): runs an extension's integration tests (a module exporting run(), as for
// @vscode/test-electron) in code-server's extension host, with headless chromium hosting the workbench.
// Resolves to the extension host's exit code (0 = passed), 3 on timeout, 4 on a harness error.
'use strict';
const path = require('path');
const { startCodeServer, launchChromium } = require('./lib');

async function runExtensionTests({ extensionDevelopmentPath, extensionTestsPath, workspace, extensionsDir, env,
  timeoutMs = Number(process.env.EXT_TESTS_TIMEOUT_MS || 300000), log = console }) {
  const devPaths = [].concat(extensionDevelopmentPath).map((p) => path.resolve(p));
  const t0 = Date.now();
  let server, browser, code;
  try {
    server = await startCodeServer({ extensionsDir, env });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => log.error('[pageerror]', e.message));
    // Both hooks must exist before the workbench loads: it looks them up on window.
    const done = new Promise((resolve) => {
      page.exposeFunction('codeAutomationLog', (type, args) => {
        const fn = (typeof log[type] === 'function' ? log[type] : log.log).bind(log);
        fn(...(Array.isArray(args) ? args : [args]));
      });
      page.exposeFunction('codeAutomationExit', (c) => resolve(c));
    });
    const authority = `127.0.0.1:${server.port}`;
    const remote = (p) => `vscode-remote://${authority}${p.split(path.sep).map(encodeURIComponent).join('/')}`;
    const payload = [
      ...devPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
      ['extensionTestsPath', remote(path.resolve(extensionTestsPath))],
      ['skipWelcome', 'true'],
    ];
    let url = `${server.url}?payload=${encodeURIComponent(JSON.stringify(payload))}`;
    if (workspace) {
      const ws = path.resolve(workspace);
      url += (ws.endsWith('.code-workspace') ? '&workspace=' : '&folder=') + encodeURIComponent(ws);
    } else url += '&ew=true';
    await page.goto(url);
    let timer;
    code = await Promise.race([done, new Promise((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); })]);
    clearTimeout(timer);
    if (code === 'timeout') {
      log.error(`[harness] the tests did not finish within ${Math.round(timeoutMs / 1000)} s`);
      code = 3;
    }
    log.log(`[harness] extension host exit code ${code} after ${Date.now() - t0} ms`);
  } catch (e) {
    log.error('[harness]', e);
    code = 4;
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) {
      if (code !== 0) log.log(`[harness] code-server log: ${server.logFile}${process.env.KEEP_STATE ? '' : ' (set KEEP_STATE=1 to keep it)'}`);
      await server.stop();
    }
  }
  return typeof code === 'number' ? code : 1;
}

module.exports = { runExtensionTests };
