import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { InvoiceLanguageClient } from '../language-client';
import { showInfo } from '../ui';
import { previewBody, previewFailure, previewPage } from './page';
import { PAGE_READY_MS, PageWatch } from '../page-watch';

const VIEW_TYPE = 'xeroInvoice.preview';
/** Typing re-renders this long after the last keystroke (the request itself takes milliseconds). */
const RENDER_DELAY_MS = 100;
/**
 * A render whose request failed (the server restarting, a request it cancelled) is tried again after these delays;
 * then the page says so, and the next edit or cursor move tries again.
 */
const RETRY_DELAYS_MS = [250, 1_000, 3_000];

/**
 * "Open Preview to the Side": the invoice at the cursor as its customer will see it, drawn by the shared renderer
 * from the language server's answer (PreviewRequest), following the cursor and the text as you type. A marked
 * figure or a listed problem takes the cursor to its diagnostic.
 */
export class InvoicePreview implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private editor: vscode.TextEditor | undefined;
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  /** Failed renders in a row: indexes RETRY_DELAYS_MS. */
  private failures = 0;
  private pageTimer: NodeJS.Timeout | undefined;
  private readonly pageWatch = new PageWatch();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly lc: InvoiceLanguageClient,
    private readonly channel: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e && e.document.languageId === 'xml') this.follow(e);
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor === this.editor) this.schedule();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.editor?.document) this.schedule();
      }),
    );
  }

  /** Opens (or reveals) the preview beside the active XML editor. */
  open(): void {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'xml') {
      showInfo('Open an invoice XML file to preview it.');
      return;
    }
    if (!this.panel) {
      this.pageWatch.reset();
      this.create(vscode.ViewColumn.Beside);
    } else this.panel.reveal(vscode.ViewColumn.Beside, true);
    this.follow(editor);
  }

  private create(column: vscode.ViewColumn): void {
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Invoice preview', { viewColumn: column, preserveFocus: true }, { enableScripts: true, localResourceRoots: [] });
    this.panel = panel;
    panel.webview.onDidReceiveMessage((m: { type?: string; line?: number; character?: number }) => {
      if (m?.type === 'ready') {
        clearTimeout(this.pageTimer);
        this.pageWatch.reset();
        this.schedule(0);
      } else if (m?.type === 'reveal' && typeof m.line === 'number' && typeof m.character === 'number') {
        this.reveal(m.line, m.character).catch((e: unknown) => this.channel.warn(`The preview could not go to the problem: ${String(e)}`));
      }
    });
    // Shown again after being hidden, the page is loaded anew (VS Code drops a hidden webview's page); the view state
    // also changes as the panel gains or loses focus, which reloads nothing.
    let visible = true;
    panel.onDidChangeViewState(() => {
      if (this.panel !== panel) return;
      if (panel.visible && !visible) this.watchPage(panel);
      else if (!panel.visible) clearTimeout(this.pageTimer);
      visible = panel.visible;
    });
    panel.onDidDispose(() => {
      // A panel made anew in its place is the preview now.
      if (this.panel !== panel) return;
      this.panel = undefined;
      clearTimeout(this.timer);
      clearTimeout(this.pageTimer);
    });
    this.load(panel);
  }

  private load(panel: vscode.WebviewPanel): void {
    panel.webview.html = previewPage(randomBytes(16).toString('base64'), '<p class="empty">Loading…</p>');
    this.watchPage(panel);
  }

  /** Recovers a page that does not say it listens in time (a webview that failed to load stays blank). */
  private watchPage(panel: vscode.WebviewPanel): void {
    clearTimeout(this.pageTimer);
    this.pageTimer = setTimeout(() => {
      if (this.panel !== panel || !panel.visible) return;
      this.pageWatch.recover("The preview's page", 'the preview', (m) => this.channel.warn(m), {
        reload: () => this.load(panel),
        renew: () => this.renew(panel),
      });
    }, PAGE_READY_MS);
  }

  /** A new panel in place of one whose webview does not load (its frame is new too), showing what it showed. */
  private renew(panel: vscode.WebviewPanel): void {
    const column = panel.viewColumn ?? vscode.ViewColumn.Beside;
    const title = panel.title;
    this.create(column);
    this.panel!.title = title;
    panel.dispose();
  }

  private follow(editor: vscode.TextEditor): void {
    if (!this.panel) return;
    this.editor = editor;
    this.panel.title = `Preview ${path.basename(editor.document.uri.path)}`;
    this.schedule(0);
  }

  private schedule(delay = RENDER_DELAY_MS, retry = false): void {
    if (!this.panel || !this.editor) return;
    if (!retry) this.failures = 0;
    clearTimeout(this.timer);
    // render() reports its own failures in the log.
    this.timer = setTimeout(() => {
      this.render().catch(() => undefined);
    }, delay);
  }

  private async render(): Promise<void> {
    const editor = this.editor;
    const panel = this.panel;
    if (!editor || !panel) return;
    const generation = ++this.generation;
    try {
      const r = await this.lc.preview(editor.document.uri, editor.selection.active);
      // A later render (the user typed on) supersedes this one.
      if (generation !== this.generation || this.panel !== panel) return;
      this.failures = 0;
      const html = previewBody(r, path.basename(editor.document.uri.path));
      await panel.webview.postMessage({ type: 'render', html, version: r?.version ?? editor.document.version });
    } catch (e) {
      if (generation !== this.generation || this.panel !== panel) return;
      const delay = RETRY_DELAYS_MS[this.failures++];
      const why = e instanceof Error ? e.message : String(e);
      this.channel.warn(`The preview could not be updated${delay === undefined ? '' : `; trying again in ${delay} ms`}: ${why}`);
      if (delay !== undefined) this.schedule(delay, true);
      else await panel.webview.postMessage({ type: 'render', html: previewFailure(why), version: editor.document.version }).then(undefined, () => false);
    }
  }

  private async reveal(line: number, character: number): Promise<void> {
    const doc = this.editor?.document;
    if (!doc) return;
    const at = new vscode.Position(line, character);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: this.editor?.viewColumn, selection: new vscode.Range(at, at) });
    editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    await vscode.commands.executeCommand('editor.action.showHover');
  }

  dispose(): void {
    clearTimeout(this.timer);
    clearTimeout(this.pageTimer);
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
