// The PDF viewer's page script (bundled by esbuild for the browser into dist/pdf-viewer.js): pdf.js draws each page
// of the PDF the extension posts into a canvas. No network: the worker comes from the extension's own dist folder.
import { getDocument, GlobalWorkerOptions } from 'pdfjs-dist';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

const vscode = acquireVsCodeApi();
const pages = document.getElementById('pages')!;
const status = document.getElementById('status')!;

function bytesOf(base64: string): Uint8Array {
  const raw = atob(base64);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** The worker from a blob: a webview may not start a worker from its resource origin directly. */
async function startWorker(): Promise<void> {
  if (GlobalWorkerOptions.workerPort) return;
  const source = await (await fetch(document.body.dataset.worker!)).text();
  GlobalWorkerOptions.workerPort = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type: 'module' });
}

async function show(data: Uint8Array, name: string): Promise<void> {
  status.textContent = `Opening ${name}…`;
  await startWorker();
  const pdf = await getDocument({ data, isEvalSupported: false, enableXfa: false }).promise;
  pages.replaceChildren();
  const ratio = window.devicePixelRatio || 1;
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const viewport = page.getViewport({ scale: 1.4 });
    const canvas = document.createElement('canvas');
    canvas.width = Math.floor(viewport.width * ratio);
    canvas.height = Math.floor(viewport.height * ratio);
    canvas.style.width = `${Math.floor(viewport.width)}px`;
    canvas.style.height = `${Math.floor(viewport.height)}px`;
    canvas.className = 'page';
    canvas.setAttribute('aria-label', `Page ${n} of ${pdf.numPages}`);
    pages.appendChild(canvas);
    await page.render({ canvas, canvasContext: canvas.getContext('2d')!, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] }).promise;
    // What the page says, for screen readers and for finding text (Ctrl+F in the webview).
    const text = await page.getTextContent();
    canvas.title = text.items.map((i) => ('str' in i ? i.str : '')).join(' ');
  }
  status.textContent = `${name} · ${pdf.numPages} page${pdf.numPages === 1 ? '' : 's'}`;
  document.body.dataset.pages = String(pdf.numPages);
}

window.addEventListener('message', (event: MessageEvent<{ type: string; data: string; name: string }>) => {
  if (event.data?.type !== 'pdf') return;
  show(bytesOf(event.data.data), event.data.name).catch((e: unknown) => {
    status.textContent = `This PDF could not be shown: ${e instanceof Error ? e.message : String(e)}`;
    document.body.dataset.error = 'true';
  });
});
vscode.postMessage({ type: 'ready' });
