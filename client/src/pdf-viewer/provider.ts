import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';

import { PAGE_READY_MS, PageWatch } from '../page-watch';
import { PDF_VIEW_TYPE } from './view-type';

export { PDF_VIEW_TYPE };

class PdfFile implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

/**
 * A read-only PDF editor for code-server and remote windows, where VS Code would show a PDF as text: pdf.js
 * (bundled into dist/pdf-viewer.js) draws the pages in a webview whose content security policy allows only the
 * extension's own scripts, its worker (as a blob) and the canvases it draws.
 */
export class PdfViewerProvider implements vscode.CustomReadonlyEditorProvider<PdfFile> {
  /** Per file, the watch of a viewer being opened anew in place of one whose page did not answer: the attempts go on. */
  private readonly handedOver = new Map<string, PageWatch>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly channel: vscode.LogOutputChannel,
  ) {}

  static register(context: vscode.ExtensionContext, channel: vscode.LogOutputChannel): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(PDF_VIEW_TYPE, new PdfViewerProvider(context.extensionUri, channel), {
      webviewOptions: { retainContextWhenHidden: false },
      supportsMultipleEditorsPerDocument: true,
    });
  }

  openCustomDocument(uri: vscode.Uri): PdfFile {
    return new PdfFile(uri);
  }

  resolveCustomEditor(file: PdfFile, panel: vscode.WebviewPanel): void {
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: [dist] };
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'pdf-viewer.js')).toString();
    const worker = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'pdf.worker.min.mjs')).toString();
    // A new nonce for each load: the page's HTML then differs from the last, which is what makes VS Code load it again.
    const page = (nonce = randomBytes(16).toString('base64')) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp(nonce, webview.cspSource)}">
<style nonce="${nonce}">
body { margin: 0; padding: 12px 0 24px; background: var(--vscode-editor-background); color: var(--vscode-foreground); font-family: var(--vscode-font-family); }
#status { text-align: center; font-size: 12px; opacity: .8; margin-bottom: 8px; }
#pages { display: flex; flex-direction: column; align-items: center; gap: 12px; }
.page { background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.35); }
</style>
</head>
<body data-worker="${worker}">
<div id="status" role="status">Opening ${escape(path.basename(file.uri.path))}…</div>
<div id="pages"></div>
<script nonce="${nonce}" type="module" src="${script}"></script>
</body>
</html>`;
    const key = file.uri.toString();
    const watch = this.handedOver.get(key) ?? new PageWatch();
    this.handedOver.delete(key);
    const name = path.basename(file.uri.path);
    let timer: NodeJS.Timeout | undefined;
    // A page that does not answer (a blank webview, as code-server now and then gives) is loaded again, then the
    // viewer is opened anew in a new frame (see PageWatch).
    const watchPage = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (!panel.visible) return;
        watch.recover(`The PDF viewer's page for ${name}`, name, (m) => this.channel.warn(m), {
          reload: () => {
            webview.html = page();
            watchPage();
          },
          renew: () => {
            this.handedOver.set(key, watch);
            this.reopen(file.uri, panel).catch((e: unknown) => {
              this.handedOver.delete(key);
              this.channel.warn(`The PDF viewer could not open ${name} anew: ${String(e)}`);
            });
          },
        });
      }, PAGE_READY_MS);
    };
    webview.onDidReceiveMessage(async (m: { type?: string }) => {
      if (m?.type !== 'ready') return;
      clearTimeout(timer);
      watch.reset();
      const bytes = await vscode.workspace.fs.readFile(file.uri);
      await webview.postMessage({ type: 'pdf', data: Buffer.from(bytes).toString('base64'), name });
    });
    // Hidden, the viewer's page is dropped (retainContextWhenHidden is off); shown again, it is loaded anew. The view
    // state also changes as the viewer gains or loses focus, which loads nothing.
    let visible = panel.visible;
    panel.onDidChangeViewState(() => {
      if (panel.visible && !visible) watchPage();
      else if (!panel.visible) clearTimeout(timer);
      visible = panel.visible;
    });
    panel.onDidDispose(() => clearTimeout(timer));
    webview.html = page();
    watchPage();
  }

  /** Closes the viewer's tab and opens the file in a new viewer in the same place (a new webview, a new frame). */
  private async reopen(uri: vscode.Uri, panel: vscode.WebviewPanel): Promise<void> {
    const column = panel.viewColumn;
    for (const group of vscode.window.tabGroups.all) {
      if (column !== undefined && group.viewColumn !== column) continue;
      const tab = group.tabs.find((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === PDF_VIEW_TYPE && t.input.uri.toString() === uri.toString());
      if (tab) {
        await vscode.window.tabGroups.close(tab, true);
        break;
      }
    }
    await vscode.commands.executeCommand('vscode.openWith', uri, PDF_VIEW_TYPE, column ?? vscode.ViewColumn.Active);
  }
}

/** The viewer's content security policy: its own scripts, its worker (as a blob) and the canvases it draws. */
function csp(nonce: string, source: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `connect-src ${source}`,
    'worker-src blob:',
    `style-src 'nonce-${nonce}'`,
    'img-src blob: data:',
    'font-src data:',
  ].join('; ');
}

function escape(v: string): string {
  return v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
