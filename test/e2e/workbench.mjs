// What a user does and sees in the VS Code workbench (code-server in chromium), as playwright calls on its DOM.
// Every wait is on a DOM state (locators, waitForFunction); the only fixed pause is the one before a screenshot,
// which lets a notification finish sliding in.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Text of an element with VS Code's non-breaking spaces made plain. */
const plain = (s) => (s ?? '').replace(/\u00a0/g, ' ');

export class Workbench {
  /** @param {import('playwright-core').Page} page */
  constructor(page, { screenshotsDir }) {
    this.page = page;
    this.screenshotsDir = screenshotsDir;
  }

  /** An attribute of the first element matching `selector` now (null when there is none): no waiting. */
  async attrNow(selector, name) {
    return this.page.$eval(selector, (e, n) => e.getAttribute(n), name).catch(() => null);
  }

  // ---- palette, quick open, files ------------------------------------------------------------------------------

  /**
   * runCommand, asked again (up to `attempts` times) until the palette offers the command: on a busy machine the
   * remote extension host may list the extension's commands only some seconds after the workbench shows, and a
   * palette opened before that never lists them, so each attempt waits `listedWithin` ms, not the default 30 s.
   */
  async runCommandOnceListed(title, attempts = 10, listedWithin = 8_000) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.runCommand(title, listedWithin);
      } catch (e) {
        if (attempt === attempts) throw e;
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /**
   * F1, type the command's title, choose that row (its aria-label is the title, maybe with ", keybinding"); the
   * palette must offer it within `listedWithin` ms (playwright's default timeout when not given).
   */
  async runCommand(title, listedWithin) {
    const { page } = this;
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    await page
      .waitForFunction(
        (t) => [...document.querySelectorAll('.quick-input-list .monaco-list-row')].some((r) => {
          const a = r.getAttribute('aria-label') ?? '';
          return a === t || a.startsWith(`${t},`);
        }),
        title,
        listedWithin === undefined ? undefined : { timeout: listedWithin },
      )
      .catch(async (e) => {
        const rows = await page.$$eval('.quick-input-list .monaco-list-row', (rs) => rs.map((r) => r.getAttribute('aria-label'))).catch(() => []);
        throw new Error(`the palette does not offer "${title}" (it shows ${JSON.stringify(rows.slice(0, 5))}): ${e.message.split('\n')[0]}`);
      });
    // Exactly that command (not a longer title that starts the same), chosen the way a user would: Enter on it.
    for (let i = 0; i < 20; i++) {
      const focused = await this.attrNow('.quick-input-list .monaco-list-row.focused', 'aria-label');
      if (focused === title || focused?.startsWith(`${title},`)) break;
      await page.keyboard.press('ArrowDown');
    }
    const focused = await this.attrNow('.quick-input-list .monaco-list-row.focused', 'aria-label');
    if (focused !== title && !focused?.startsWith(`${title},`)) throw new Error(`the command "${title}" could not be chosen in the palette (focused: ${focused})`);
    await page.keyboard.press('Enter');
  }

  /** Ctrl+P, the file's name, click that file in the list; resolves when its tab is active and its text is shown. */
  async openFile(name) {
    const { page } = this;
    await page.keyboard.press('Control+p');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(name);
    await page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(name)}$`) }) }).first().click();
    await this.waitActiveTab(name);
    await page.waitForFunction(() => (document.querySelector('.part.editor .editor-instance .view-lines')?.textContent ?? '').length > 0);
  }

  async waitActiveTab(name) {
    await this.page.locator(`.part.editor .tabs-container .tab.active[aria-label^="${name}"]`).waitFor();
  }

  /** The language shown in the status bar ("XML"). */
  async waitLanguage(name) {
    await this.page.waitForFunction((n) => (document.querySelector('[id="status.editor.mode"]')?.textContent ?? '').trim() === n, name);
  }

  // ---- the editor ----------------------------------------------------------------------------------------------

  /**
   * The lines the editor shows, top to bottom, without inlay hints (injected text is rendered as spans with
   * `dyn-rule-*` classes; the document's own tokens are `mtk*` spans).
   */
  async visibleLines() {
    return this.page.$$eval('.part.editor .editor-instance .view-lines .view-line', (lines) =>
      lines
        .map((l) => ({
          top: parseFloat(l.style.top) || 0,
          text: [...l.querySelectorAll(':scope > span > span')]
            .filter((s) => !/dyn-rule|inlay/.test(s.className))
            .map((s) => s.textContent)
            .join('')
            .replace(/\u00a0/g, ' '),
        }))
        .sort((a, b) => a.top - b.top)
        .map((x) => x.text),
    );
  }

  /** Waits until a shown line matches `re` (a RegExp source and flags cross into the page). */
  async waitLine(re, timeout) {
    await this.page.waitForFunction(
      ([src, flags]) => {
        const rx = new RegExp(src, flags);
        return [...document.querySelectorAll('.part.editor .editor-instance .view-lines .view-line')].some((l) =>
          rx.test([...l.querySelectorAll(':scope > span > span')].filter((s) => !/dyn-rule|inlay/.test(s.className)).map((s) => s.textContent).join('').replace(/\u00a0/g, ' ')),
        );
      },
      [re.source, re.flags],
      timeout ? { timeout } : undefined,
    );
  }

  /** Inlay hints as the editor renders them: each with the text of the line it sits on. */
  async inlayHints() {
    return this.page.$$eval('.part.editor .editor-instance .view-lines .view-line', (lines) =>
      lines.flatMap((l) => {
        const spans = [...l.querySelectorAll(':scope > span > span')];
        const line = spans.filter((s) => !/dyn-rule|inlay/.test(s.className)).map((s) => s.textContent).join('').replace(/\u00a0/g, ' ');
        return spans
          .filter((s) => /dyn-rule|inlay/.test(s.className))
          .map((s) => s.textContent.replace(/\u00a0/g, ' ').trim())
          .filter(Boolean)
          .map((hint) => ({ hint, line: line.trim() }));
      }),
    );
  }

  /** Waits for an inlay hint with that text. */
  async waitInlayHint(text) {
    await this.page.waitForFunction(
      (t) => [...document.querySelectorAll('.part.editor .editor-instance .view-lines [class*="dyn-rule"]')].some((s) => s.textContent.replace(/\u00a0/g, ' ').trim() === t),
      text,
    );
  }

  /** The code lens lines, as shown ("Subtotal … | Send | Approve"). */
  async codeLenses() {
    return (await this.page.$$eval('.part.editor .codelens-decoration', (ds) => ds.map((d) => d.textContent))).map(plain);
  }

  async waitCodeLens(re) {
    await this.page.waitForFunction(
      ([src, flags]) => [...document.querySelectorAll('.part.editor .codelens-decoration')].some((d) => new RegExp(src, flags).test(d.textContent.replace(/\u00a0/g, ' '))),
      [re.source, re.flags],
    );
  }

  /** Clicks the code lens action with exactly this title (e.g. "Approve & email"). */
  async clickCodeLens(title) {
    const link = this.page.locator('.part.editor .codelens-decoration a', { hasText: new RegExp(`^${escapeRe(title)}$`) }).first();
    await link.click();
  }

  /** Status bar: "Ln 14, Col 27 (3 selected)". Waits until the cursor is on `line` with `selected` characters selected (0: none). */
  async waitSelection(line, selected) {
    await this.page.waitForFunction(
      ([ln, sel]) => {
        const t = (document.querySelector('[id="status.editor.selection"]')?.textContent ?? '').trim();
        const m = /^Ln (\d+), Col \d+(?: \((\d+) selected\))?$/.exec(t);
        return !!m && Number(m[1]) === ln && Number(m[2] ?? 0) === sel;
      },
      [line, selected],
    );
  }

  // ---- widgets: suggest, code actions, dialogs ------------------------------------------------------------------

  /** Waits for the suggest widget, moves to the row whose aria-label matches `re`, accepts it with Enter. */
  async acceptSuggestion(re) {
    const { page } = this;
    await page.waitForFunction(
      ([src, flags]) => {
        const w = document.querySelector('.editor-widget.suggest-widget.visible');
        return !!w && [...w.querySelectorAll('.monaco-list-row')].some((r) => new RegExp(src, flags).test(r.getAttribute('aria-label') ?? ''));
      },
      [re.source, re.flags],
    );
    for (let i = 0; i < 30; i++) {
      const focused = await this.attrNow('.editor-widget.suggest-widget.visible .monaco-list-row.focused', 'aria-label');
      if (re.test(focused ?? '')) {
        await page.keyboard.press('Enter');
        await page.locator('.editor-widget.suggest-widget.visible').waitFor({ state: 'hidden' });
        return focused;
      }
      await page.keyboard.press('ArrowDown');
    }
    throw new Error(`no suggestion matching ${re} could be focused`);
  }

  async suggestionLabels() {
    return this.page.$$eval('.editor-widget.suggest-widget.visible .monaco-list-row', (rs) => rs.map((r) => r.getAttribute('aria-label')));
  }

  /** The code action menu (Ctrl+. or Source Action…): its action titles, once it is open. */
  async actionMenu() {
    await this.page.locator('.action-widget .monaco-list-row.action').first().waitFor();
    return this.page.$$eval('.action-widget .monaco-list-row.action', (rs) => rs.map((r) => r.getAttribute('aria-label')));
  }

  /**
   * Opens the code action menu with `keys` (Ctrl+., Source Action…) and returns its action titles. A marker change
   * while the request is out (the diagnostics of the last edit arriving, an organisation refresh) makes VS Code start
   * an automatic request that replaces the one the key asked for; the editor then says "No … actions available"
   * although the server answered (see README, pitfalls). Asking again is what a user does; at most three times.
   */
  async openActionMenu(keys) {
    const { page } = this;
    const menu = page.locator('.action-widget .monaco-list-row.action');
    const none = page.locator('.monaco-editor-overlaymessage', { hasText: /No .*actions? (for .* )?available/ });
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press(keys);
      await menu.or(none).first().waitFor();
      if (await menu.count()) return this.actionMenu();
      if (attempt === 3) throw new Error(`the code action menu stayed empty after ${attempt} attempts: ${await none.first().innerText()}`);
      // The message stays until the cursor moves or Escape closes it.
      await page.keyboard.press('Escape');
      await none.first().waitFor({ state: 'hidden' });
    }
  }

  /** Opens the code action menu with `keys` (see openActionMenu) and moves to the action titled `title`. */
  async openActionMenuAt(keys, title) {
    await this.openActionMenu(keys);
    await this.focusAction(title);
  }

  /** Moves to the action titled `title` in the open code action menu (keyboard: the menu blocks the pointer). */
  async focusAction(title) {
    const { page } = this;
    await this.actionMenu();
    for (let i = 0; i < 20; i++) {
      const focused = await this.attrNow('.action-widget .monaco-list-row.action.focused', 'aria-label');
      if (focused === title) return;
      await page.keyboard.press('ArrowDown');
    }
    throw new Error(`the action "${title}" is not in the menu: ${(await this.actionMenu()).join(' / ')}`);
  }

  async applyFocusedAction() {
    await this.page.keyboard.press('Enter');
    await this.page.locator('.action-widget').waitFor({ state: 'hidden' });
  }

  /** A modal dialog (showWarningMessage with modal: true): its text, once shown. */
  async dialogText() {
    const box = this.page.locator('.monaco-dialog-box');
    await box.waitFor();
    return plain(await box.innerText());
  }

  async clickDialogButton(label) {
    await this.page.locator('.monaco-dialog-box .monaco-button', { hasText: new RegExp(`^${escapeRe(label)}$`) }).click();
    await this.page.locator('.monaco-dialog-box').waitFor({ state: 'hidden' });
  }

  // ---- webviews (the PDF viewer, the preview) ---------------------------------------------------------------------

  /** The frame of the webview whose document has `selector` with attribute `name`, once it has one. */
  async #webviewFrame(selector, name, timeout = 30_000) {
    const deadline = Date.now() + timeout;
    for (;;) {
      for (const f of this.page.frames()) {
        const v = await f.$eval(selector, (e, n) => (n ? e.getAttribute(n) : e.textContent), name).catch(() => null);
        if (v !== null && v !== '') return f;
      }
      if (Date.now() > deadline) throw new Error(`no webview has ${selector}${name ? `[${name}]` : ''} within ${timeout / 1000} s; the webviews show ${JSON.stringify(await this.webviewTexts())}`);
      await this.page.waitForTimeout(200); // frames appear without an event this page can wait on
    }
  }

  /** What each webview's page shows (its body's version mark and the start of its text), for a failure's message. */
  async webviewTexts() {
    const shown = [];
    for (const f of this.page.frames()) {
      if (f === this.page.mainFrame() || /webWorkerExtensionHost/i.test(f.url())) continue;
      const t = await f.evaluate(() => (document.body ? `${document.body.dataset.version ? `v${document.body.dataset.version}: ` : ''}${document.body.innerText.replace(/\s+/g, ' ').trim().slice(0, 160)}` : '')).catch(() => '');
      if (t) shown.push(t);
    }
    return shown;
  }

  /** An attribute of an element inside a webview (VS Code nests them two iframes deep). */
  async webviewAttribute(selector, name, timeout) {
    const f = await this.#webviewFrame(selector, name, timeout);
    return f.$eval(selector, (e, n) => e.getAttribute(n), name);
  }

  async webviewText(selector, timeout) {
    const f = await this.#webviewFrame(selector, null, timeout);
    return plain(await f.$eval(selector, (e) => e.textContent));
  }

  /** The frame of a webview holding `selector`, to read or click in it. */
  async webviewFrame(selector, timeout) {
    return this.#webviewFrame(selector, null, timeout);
  }

  // ---- notifications ----------------------------------------------------------------------------------------------

  /**
   * Waits for a notification whose message matches `re`, shown as a toast or listed in the notification center;
   * returns its message. (VS Code shows at most 3 new toasts within 800 ms and lists the rest only in the center,
   * so a scenario that runs two commands back to back opens the center first: see showNotificationCenter.)
   */
  async waitToast(re, timeout = 30_000) {
    const handle = await this.page.waitForFunction(
      ([src, flags]) => {
        const rx = new RegExp(src, flags);
        for (const m of document.querySelectorAll('.notifications-toasts .notification-list-item-message, .notifications-center.visible .notification-list-item-message')) {
          if (rx.test(m.textContent)) return m.textContent;
        }
        return false;
      },
      [re.source, re.flags],
      { timeout },
    ).catch(async (e) => {
      const shown = await this.toasts().catch(() => []);
      throw new Error(`no notification matching ${re} within ${timeout / 1000} s; notifications shown: ${JSON.stringify(shown)} (${e.message.split('\n')[0]})`);
    });
    return plain(await handle.jsonValue());
  }

  /** Opens the notification center (new notifications are then listed there, none as toasts). */
  async showNotificationCenter() {
    await this.runCommand('Notifications: Show Notifications');
    await this.page.locator('.notifications-center.visible').waitFor();
  }

  /** The messages of the toasts shown and of the notification center, when it is open. */
  async toasts() {
    return (await this.page.$$eval('.notifications-toasts .notification-list-item-message, .notifications-center.visible .notification-list-item-message', (ts) => ts.map((t) => t.textContent))).map(plain);
  }

  // ---- the Problems panel ------------------------------------------------------------------------------------------

  async showProblems() {
    if (!(await this.page.locator('.markers-panel').isVisible().catch(() => false))) await this.page.keyboard.press('Control+Shift+M');
    await this.page.locator('.markers-panel').waitFor();
  }

  /**
   * The Problems panel's rows: a file row ("2 problems in file wrong-totals.xml of folder .") and its markers
   * ("Error: … at line 30 and character 13. generated by xero-invoice", with the code in the row's text).
   */
  async problems() {
    await this.showProblems();
    const rows = await this.page.$$eval('.markers-panel .monaco-list-row', (rs) => rs.map((r) => ({ label: r.getAttribute('aria-label') ?? '', text: r.innerText })));
    const out = [];
    let file = null;
    for (const r of rows) {
      const m = /^\d+ problems? in file (.+?) of folder /.exec(r.label);
      if (m) {
        file = m[1];
        continue;
      }
      out.push({ file, label: plain(r.label), text: plain(r.text).replace(/\n/g, ' ') });
    }
    return out;
  }

  /**
   * Waits until the Problems panel's markers of `file` match `want`: `count` markers exactly (0: the file has no
   * row), some marker containing each of `has`, none containing any of `lacks` (in the aria-label or the row's
   * text, which shows the code).
   */
  async waitProblems(file, want, timeout = 20_000) {
    await this.showProblems();
    const t0 = Date.now();
    await this.page
      .waitForFunction(
        ([f, w]) => {
          const rows = [...document.querySelectorAll('.markers-panel .monaco-list-row')].map((r) => `${r.getAttribute('aria-label') ?? ''} ${r.innerText.replace(/\n/g, ' ')}`);
          const mine = [];
          let cur = null;
          for (const r of rows) {
            const m = /^\d+ problems? in file (.+?) of folder /.exec(r);
            if (m) cur = m[1];
            else if (cur === f) mine.push(r);
          }
          if (typeof w.count === 'number' && mine.length !== w.count) return false;
          if ((w.has ?? []).some((h) => !mine.some((r) => r.includes(h)))) return false;
          if ((w.lacks ?? []).some((h) => mine.some((r) => r.includes(h)))) return false;
          return true;
        },
        [file, want],
        { timeout },
      )
      .catch(async (e) => {
        const now = (await this.problems()).filter((p) => p.file === file).map((p) => p.label);
        throw new Error(`timed out after ${Date.now() - t0} ms waiting for ${JSON.stringify(want)} on ${file} in the Problems panel, which shows ${JSON.stringify(now)} (${e.message.split('\n')[0]})`);
      });
  }

  /** The status bar's problem counts ("Errors: 2, Warnings: 1" or "No Problems"). */
  async problemCounts() {
    return this.page.$eval('[id="status.problems"]', (e) => e.getAttribute('aria-label'));
  }

  // ---- layout, screenshots, reset ----------------------------------------------------------------------------------

  /** Makes the bottom panel low enough that a whole invoice, its lens and the Problems panel fit in 1280×800. */
  async lowerPanelTo(y) {
    const { page } = this;
    const sash = await page.$$eval('.monaco-sash.horizontal:not(.disabled)', (ss) =>
      ss.map((s) => s.getBoundingClientRect()).filter((b) => b.width > 300).map((b) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 })),
    );
    if (!sash.length) return false;
    const { x, y: from } = sash[sash.length - 1];
    await page.mouse.move(x, from);
    await page.mouse.down();
    await page.mouse.move(x, (from + y) / 2, { steps: 4 });
    await page.mouse.move(x, y, { steps: 4 });
    await page.mouse.up();
    return true;
  }

  async screenshot(name, { settle = true } = {}) {
    mkdirSync(this.screenshotsDir, { recursive: true });
    // The one fixed pause: a toast slides in for about 300 ms, and a screenshot taken mid-way shows it cut off.
    if (settle) await this.page.waitForTimeout(500);
    const file = join(this.screenshotsDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Ctrl+S in the active editor; resolves when its tab is no longer dirty (the file is on disk). */
  async save() {
    await this.page.keyboard.press('Control+s');
    await this.page.locator('.part.editor .tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
  }

  /** Between scenarios: no dialog, menu or widget open, everything saved and closed, no notifications. */
  async reset() {
    const { page } = this;
    const dialog = page.locator('.monaco-dialog-box');
    if (await dialog.isVisible().catch(() => false)) await this.clickDialogButton('Cancel').catch(() => page.keyboard.press('Escape'));
    for (let i = 0; i < 2; i++) await page.keyboard.press('Escape');
    await this.runCommand('File: Save All Files');
    // Saving is asynchronous: closing before it is done asks "Do you want to save…?".
    await page.locator('.part.editor .tabs-container .tab.dirty').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
    await this.runCommand('View: Close All Editors');
    const closed = page.locator('.part.editor .tabs-container .tab').first().waitFor({ state: 'detached', timeout: 10_000 }).then(() => 'closed', () => 'open');
    const asked = dialog.waitFor({ timeout: 10_000 }).then(() => 'asked', () => 'not asked');
    if ((await Promise.race([closed, asked])) === 'asked') {
      await this.clickDialogButton("Don't Save");
      await page.locator('.part.editor .tabs-container .tab').first().waitFor({ state: 'detached', timeout: 10_000 });
    }
    await this.runCommand('Notifications: Clear All Notifications');
    await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
  }
}

export function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
