import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';

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
  constructor(private readonly extensionUri: vscode.Uri) {}

  static register(context: vscode.ExtensionContext): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(PDF_VIEW_TYPE, new PdfViewerProvider(context.extensionUri), {
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
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'pdf-viewer.js')).toString();
    const worker = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'pdf.worker.min.mjs')).toString();
    const csp = [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `connect-src ${webview.cspSource}`,
      'worker-src blob:',
      `style-src 'nonce-${nonce}'`,
      'img-src blob: data:',
      'font-src data:',
    ].join('; ');
    webview.html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
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
    webview.onDidReceiveMessage(async (m: { type?: string }) => {
      if (m?.type !== 'ready') return;
      const bytes = await vscode.workspace.fs.readFile(file.uri);
      await webview.postMessage({ type: 'pdf', data: Buffer.from(bytes).toString('base64'), name: path.basename(file.uri.path) });
    });
  }
}

function escape(v: string): string {
  return v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
