// Sign in to Xero, as a user does it: the palette command, the consent page in a browser tab, Allow, the
// organisation picked by name, then a send with the token that sign-in got; and a token that runs out, renewed
// without any prompt at the next send. The sandbox's /sandbox/identity counters tell a silent refresh from a new
// sign-in.
import { readFileSync } from 'node:fs';
import { Checks } from './scenarios.mjs';
import { Workbench } from './workbench.mjs';

function requireSandbox(ctx) {
  if (!ctx.sandbox) throw new Error(`the sandbox is not running (setup failed: ${ctx.setupError ?? 'unknown'})`);
  return ctx.sandbox;
}

async function identity(sandbox, body) {
  const r = await fetch(`${sandbox.url}/sandbox/identity`, body ? { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {});
  if (!r.ok) throw new Error(`/sandbox/identity → ${r.status} ${await r.text()}`);
  return r.json();
}

/** Lens Send on a new draft: returns the number the sandbox gave it. */
async function sendDraft(ctx, file, c) {
  const { wb } = ctx;
  await wb.openFile(file);
  await wb.waitCodeLens(/· DRAFT \| Send \| Approve \| Approve & email$/);
  await wb.clickCodeLens('Send');
  const sent = await wb.waitToast(/^Sent |rejected|failed|Not signed in|refused/);
  c.match(sent, /^Sent INV-\d{4} \(DRAFT\)\.$/, 'the send notification');
  return /^Sent (INV-\d{4})/.exec(sent)?.[1];
}

// ---- 7 ----------------------------------------------------------------------------------------------------------------

async function signInInBrowser(ctx) {
  const { wb, page } = ctx;
  const sandbox = requireSandbox(ctx);
  const c = new Checks();
  const org = (await sandbox.state()).organisation;
  await wb.runCommand('Xero Invoice: Sign out of Xero');
  c.match(await wb.waitToast(/^Signed out of |^Not signed in/), /^Signed out of 127\.0\.0\.1:\d+\.$/, 'the sign-out notification');
  const before = await identity(sandbox);

  // The extension opens the consent page in the browser (a new tab of this browser, as code-server does it).
  const tab = page.context().waitForEvent('page', { timeout: 30_000 });
  await wb.runCommand('Xero Invoice: Sign in to Xero');
  const consent = await tab;
  // Opened at the loopback root (code-server routes it through its port proxy), redirected to the authorize URL.
  await consent.waitForURL(/\/identity\/connect\/authorize\?/, { timeout: 20_000 }).catch(() => undefined);
  await consent.waitForLoadState('domcontentloaded');
  c.match(consent.url(), /\/identity\/connect\/authorize\?.*code_challenge_method=S256/, 'the consent page is the sandbox authorize endpoint with PKCE');
  c.match(await consent.locator('body').innerText(), new RegExp(org.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'the consent page names the organisation');
  await consent.screenshot({ path: `${wb.screenshotsDir}/7-consent.png` });
  if (!(await consent.locator('#allow').count())) c.throwIfFailed();
  await consent.locator('#allow').click();
  await consent.locator('#result').waitFor().catch(async () => {
    c.ok(false, `after Allow the tab shows ${consent.url()}: ${(await consent.locator('body').innerText().catch(() => '')).slice(0, 200)}`);
    c.throwIfFailed();
  });
  c.equal(await consent.locator('#result').innerText(), 'Signed in', 'the loopback page after Allow');
  await consent.close();

  // Back in VS Code: the organisations from GET /connections, by name.
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await page.locator('.quick-input-list .monaco-list-row', { hasText: org }).first().waitFor();
  await wb.screenshot('7-pick-organisation', { settle: false });
  await input.fill(org);
  await page.keyboard.press('Enter');
  c.equal(await wb.waitToast(/^Signed in to Xero|Sign-in failed/), `Signed in to Xero: ${org}.`, 'the sign-in notification');
  await page.locator('.statusbar-item', { hasText: org }).first().waitFor().catch(() => c.ok(false, `the status bar shows ${org}`));
  const after = await identity(sandbox);
  c.equal(after.codesRedeemed - before.codesRedeemed, 1, 'one authorization code exchanged');

  const number = await sendDraft(ctx, 'sign-in-send-1.xml', c);
  if (number) c.equal((await sandbox.invoice(number))?.Reference, 'Sign-in check 1', 'the sandbox has the invoice');
  await wb.screenshot('7-sign-in');
  c.throwIfFailed();
}

// ---- 8 ----------------------------------------------------------------------------------------------------------------

async function expiredTokenRefreshed(ctx) {
  const { wb, page } = ctx;
  const sandbox = requireSandbox(ctx);
  const c = new Checks();
  const lifetime = 3;
  await identity(sandbox, { accessTokenLifetimeSeconds: lifetime });
  try {
    // A new sign-in (through the sandbox's consent, as Start local sandbox does it) gets a 3-second token.
    await wb.runCommand('Xero Invoice: Forget stored credentials');
    await wb.waitToast(/^Credentials for .* forgotten\.$/);
    await wb.runCommand('Xero Invoice: Start local sandbox');
    await wb.waitToast(/^Local sandbox already running at /);
    const signedIn = Date.now();
    // Let it run out: real time has to pass for a real expiry.
    await new Promise((r) => setTimeout(r, (lifetime + 1) * 1000 - (Date.now() - signedIn)));
    const before = await identity(sandbox);
    let prompted = false;
    const onPage = () => (prompted = true);
    page.context().on('page', onPage);
    const number = await sendDraft(ctx, 'sign-in-send-2.xml', c);
    page.context().off('page', onPage);
    const after = await identity(sandbox);
    c.ok(after.refreshes > before.refreshes, `the send renewed the token (refreshes ${before.refreshes} → ${after.refreshes})`);
    c.equal(after.codesIssued, before.codesIssued, 'no new sign-in (no authorization code issued)');
    c.ok(!prompted, 'no browser tab was opened');
    c.equal(await page.locator('.quick-input-widget:visible').count(), 0, 'no quick pick was shown');
    if (number) c.equal((await sandbox.invoice(number))?.Reference, 'Sign-in check 2', 'the sandbox has the invoice');
    await wb.screenshot('8-token-refreshed');
  } finally {
    await identity(sandbox, { accessTokenLifetimeSeconds: 1800 });
  }
  c.throwIfFailed();
}

// ---- 9 ----------------------------------------------------------------------------------------------------------------

/** The endpoint keys in the user's settings file, as VS Code wrote it (JSON with comments). */
function endpointUserSettings(file) {
  let text = '{}';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // no user settings file: nothing was written
  }
  const settings = JSON.parse(text.split('\n').filter((l) => !/^\s*\/\//.test(l)).join('\n') || '{}');
  return Object.keys(settings).filter((k) => k.startsWith('xeroInvoice.endpoint.'));
}

async function sandboxInEmptyWindow(ctx) {
  const c = new Checks();
  // One sandbox per data folder: the first window's is stopped (it puts its workspace settings back) before the
  // empty window starts its own. No scenario after this one sends to the first window's sandbox.
  await ctx.wb.runCommand('Xero Invoice: Stop local sandbox');
  await ctx.wb.waitToast(/^Local sandbox stopped|was not running/);
  ctx.sandbox = undefined;
  const before = endpointUserSettings(ctx.userSettingsFile);
  // A second window with no folder (code-server's empty window), as a user opens one to try the extension.
  const page = await ctx.page.context().browser().newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(`${ctx.serverUrl}?ew=true`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const wb = new Workbench(page, { screenshotsDir: ctx.wb.screenshotsDir });
    await wb.runCommandOnceListed('Xero Invoice: Start local sandbox');
    const toast = await wb.waitToast(/^Local sandbox (already )?running at |could not be started/, 60_000);
    c.match(toast, /this window \(your settings are unchanged\) is signed in and sends to it/, 'the notification says the window only is pointed at it');
    await page.locator('.statusbar-item', { hasText: /Xero sandbox/ }).first().waitFor().catch(() => c.ok(false, 'the status bar shows the sandbox'));
    c.equal(JSON.stringify(endpointUserSettings(ctx.userSettingsFile)), JSON.stringify(before), 'the user settings keep their endpoint keys');
    await wb.screenshot('9-empty-window');
    await wb.runCommand('Xero Invoice: Stop local sandbox');
    await wb.waitToast(/^Local sandbox stopped/);
    c.equal(JSON.stringify(endpointUserSettings(ctx.userSettingsFile)), JSON.stringify(before), 'still nothing in the user settings after the stop');
  } catch (e) {
    await page.screenshot({ path: `${ctx.wb.screenshotsDir}/9-empty-window.second.failed.png` }).catch(() => undefined);
    throw e;
  } finally {
    await page.close();
  }
  c.throwIfFailed();
}

export const SIGN_IN_SCENARIOS = [
  { n: 7, name: 'sign-in', title: 'Sign in to Xero: consent page in the browser, Allow, organisation by name, send with that token', run: signInInBrowser },
  { n: 8, name: 'token-refresh', title: 'an expired access token is renewed at the next send, without a prompt', run: expiredTokenRefreshed },
  { n: 9, name: 'empty-window', title: 'Start local sandbox in a window with no folder: this window only, no user setting written', run: sandboxInEmptyWindow },
];
