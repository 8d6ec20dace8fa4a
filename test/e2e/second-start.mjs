// The demo a new user meets: `npm start` (scripts/start.mjs --browser) in a demo folder of its own, used, stopped
// with Ctrl+C, and started again. The second start must give the same working demo: the samples as they were left,
// the sandbox's data with them (the invoice sent in the first start can be updated), the outbox kept after a stop,
// and the browser opening on wrong-totals with the walkthrough beside it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Checks } from './scenarios.mjs';
import { Sandbox } from './sandbox-client.mjs';
import { Workbench } from './workbench.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs `npm start -- --browser --demo-dir DIR` as a user does; resolves with the URL it prints and a stop(). */
function npmStart(demoDir, log) {
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), '--browser', '--demo-dir', demoDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, XERO_START_NO_BROWSER: '1' } });
  const output = [];
  const stop = () =>
    new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGINT'); // Ctrl+C: start.mjs stops code-server's process group (extension host, sandbox)
    });
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no URL within 120 s: ${output.slice(-10).join(' | ')}`)), 120_000);
    createInterface({ input: child.stderr }).on('line', (l) => output.push(l));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const plain = line.replace(/\x1b\[[0-9;]*m/g, '');
      output.push(plain);
      const url = /^\s+(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)$/.exec(plain)?.[1];
      if (url) {
        clearTimeout(timer);
        log(`npm start: ${url.slice(0, 40)}…`);
        resolveStart({ url, output, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before printing a URL: ${output.slice(-10).join(' | ')}`));
    });
  });
}

/** Opens the printed URL and waits for what it promises: wrong-totals active, its lens, the walkthrough. */
async function openDemo(page, url, c) {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  const wb = new Workbench(page, { screenshotsDir: join(ROOT, 'test', 'e2e', 'screenshots') });
  await page.locator('.part.editor .tabs-container .tab[aria-label^="wrong-totals.invoice.xml"]').waitFor({ timeout: 60_000 });
  await page.locator('.statusbar-item', { hasText: /Xero sandbox/ }).first().waitFor({ timeout: 60_000 });
  const walkthrough = await page
    .locator('.part.editor .tabs-container .tab', { hasText: /Walkthrough|Welcome|Get Started/ })
    .first()
    .waitFor({ timeout: 30_000 })
    .then(() => true, () => false);
  c.ok(walkthrough, 'the getting-started walkthrough opens beside wrong-totals');
  // The walkthrough may take the active tab: wrong-totals is brought back to the front the way a user does.
  await page.locator('.part.editor .tabs-container .tab[aria-label^="wrong-totals.invoice.xml"]').first().click();
  await wb.waitCodeLens(/^Subtotal 87\.11 · Tax 10\.89 · Total 98\.00 · SUBMITTED/);
  // The walkthrough beside leaves a 1280-pixel window's editor too narrow for the whole lens: hide the side bar.
  await page.keyboard.press('Control+b');
  return wb;
}

/** The demo's sandbox, read from what the extension wrote into the demo folder (settings) and the data folder (token). */
function demoSandbox(demoDir) {
  const settings = JSON.parse(readFileSync(join(demoDir, '.vscode', 'settings.json'), 'utf8'));
  const credentials = JSON.parse(readFileSync(join(demoDir, 'sandbox', 'credentials.json'), 'utf8'));
  return new Sandbox({ url: settings['xeroInvoice.endpoint.baseUrl'], tenantId: settings['xeroInvoice.endpoint.tenantId'], token: credentials.token });
}

export async function secondStart(ctx) {
  const { browser, log } = ctx;
  const c = new Checks();
  const demoDir = mkdtempSync(join(tmpdir(), 'xero-demo-'));
  let run;
  try {
    // First start: fresh demo. Send wrong-totals from its lens (the sandbox accepts it: SUBMITTED), then Approve & email.
    run = await npmStart(demoDir, log);
    let page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(20_000);
    let wb = await openDemo(page, run.url, c);
    c.ok(run.output.some((l) => l.includes('A fresh demo')), 'the first start says it is a fresh demo');
    await wb.screenshot('12-first-start');
    // The walkthrough's "Try this": the cursor is on the wrong TotalTax; Ctrl+. recalculates the invoice; Send.
    await wb.waitSelection(31, 0);
    await page.locator('.part.editor .tabs-container .tab[aria-label^="wrong-totals.invoice.xml"]').first().click();
    await wb.openActionMenuAt('Control+.', 'Recalculate every figure of INV-0043');
    await wb.applyFocusedAction();
    await wb.waitLine(/^\s*<TotalTax>10\.89<\/TotalTax>$/);
    // Send from the palette: a lens clicked before it is redrawn after the edit is refused as stale (by design).
    await wb.runCommand('Xero Invoice: Send to Xero (create or update)');
    const sent = await wb.waitToast(/^Sent |rejected|failed/);
    const number = /^Sent (INV-\d{4})/.exec(sent)?.[1];
    if (!number) throw new Error(`wrong-totals was not sent: ${sent}`);
    // The top of the document in view: the InvoiceID written back, and the lens above <Invoice>.
    await page.locator('.part.editor .editor-instance .view-lines').first().click();
    await page.keyboard.press('Control+Home');
    await wb.waitLine(/^\s*<InvoiceID>[0-9a-f-]{36}<\/InvoiceID>$/);
    await wb.save();
    await wb.waitCodeLens(/Send update/);
    const sandbox = demoSandbox(demoDir);
    c.ok(!!(await sandbox.invoice(number)), `the sandbox has ${number}`);
    await page.close();
    await run.stop();
    run = undefined;
    c.ok(existsSync(join(demoDir, 'sandbox', 'outbox')), 'the outbox folder is kept after the stop');
    c.ok(readdirSync(join(demoDir, 'sandbox', 'invoices')).length > 0, 'the sandbox data is kept after the stop');

    // Second start: the same demo, with the sandbox's data of the first one.
    run = await npmStart(demoDir, log);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(20_000);
    wb = await openDemo(page, run.url, c);
    c.ok(run.output.some((l) => l.includes('Started again with the samples and the sandbox data of last time')), 'the second start says it kept the demo');
    await page.keyboard.press('Control+Home');
    await wb.waitCodeLens(/Send update/);
    await wb.clickCodeLens('Send update');
    const updated = await wb.waitToast(/^(Sent|Updated) |could not be found|rejected|failed/);
    c.match(updated, new RegExp(`^(Sent|Updated) ${number}`), 'Send update after the second start');
    const again = demoSandbox(demoDir);
    c.equal((await again.invoice(number))?.InvoiceNumber, number, `the sandbox of the second start still has ${number}`);
    await wb.screenshot('12-second-start');
    await page.close();
  } finally {
    if (run) await run.stop();
    if (!process.env.KEEP_STATE) rmSync(demoDir, { recursive: true, force: true });
  }
  c.throwIfFailed();
}
