import { escapeHtml, INVOICE_CSS, invoiceHtml } from '../../../shared/src/render/html';
import type { Mark } from '../../../shared/src/render/invoice-view';
import type { PreviewResult } from '../../../shared/src/protocol';

/** The link of a marked figure: the webview's script turns a click on it into "go to the problem". */
export function markHref(m: Mark): string {
  return `#problem-${m.line}-${m.character}`;
}

/** The preview's content for one answer of the server: the shared invoice HTML, then the invoice's problems. */
export function previewBody(r: PreviewResult | null, fileName: string): string {
  if (!r?.view) return `<p class="empty">${escapeHtml(r?.message ?? `No invoice to preview in ${fileName}.`)}</p>`;
  const where = r.count > 1 ? `${fileName} · invoice ${r.index + 1} of ${r.count}` : fileName;
  const problems = r.problems.length
    ? `<section class="problems" aria-label="Problems"><h2>${r.problems.length === 1 ? '1 problem' : `${r.problems.length} problems`}</h2><ul>${r.problems
        .map((p) => `<li><a href="${markHref(p)}">Line ${p.line + 1}</a> <code>${escapeHtml(p.code)}</code> ${escapeHtml(p.message)}</li>`)
        .join('')}</ul></section>`
    : '<section class="problems ok" aria-label="Problems"><p>No problems: this is what the customer will see.</p></section>';
  return `<p class="where">${escapeHtml(where)}</p>${invoiceHtml(r.view, { markLink: markHref })}${problems}`;
}

/** The preview's content when the server could not answer, after the retries. */
export function previewFailure(why: string): string {
  return `<p class="empty">The preview could not be drawn: ${escapeHtml(why.replace(/\.$/, ''))}. It is drawn again when you edit or move the cursor; "Xero Invoice: Show log" has the details.</p>`;
}

/** The page around it: strict CSP (nonce'd style and script only), content replaced by messages as you type. */
export function previewPage(nonce: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'">
<style nonce="${nonce}">
body { margin: 0; padding: 12px; background: var(--vscode-editor-background); color: var(--vscode-foreground); font-family: var(--vscode-font-family); }
.where, .empty { font-size: 12px; opacity: .8; margin: 0 auto 8px; max-width: 52rem; }
${INVOICE_CSS}
.invoice { box-shadow: 0 1px 4px rgba(0,0,0,.35); }
.problems { max-width: 52rem; margin: 12px auto; font-size: 13px; }
.problems h2 { font-size: 13px; margin: 0 0 4px; }
.problems ul { margin: 0; padding-left: 18px; }
.problems a { color: var(--vscode-textLink-foreground); }
.problems.ok { opacity: .8; }
</style>
</head>
<body>
<main id="content">${body}</main>
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
const content = document.getElementById('content');
window.addEventListener('message', (e) => {
  if (e.data && e.data.type === 'render') {
    content.innerHTML = e.data.html;
    document.body.dataset.version = String(e.data.version);
  }
});
document.addEventListener('click', (e) => {
  const a = e.target instanceof Element ? e.target.closest('a[href^="#problem-"]') : null;
  if (!a) return;
  e.preventDefault();
  const [line, character] = a.getAttribute('href').slice('#problem-'.length).split('-').map(Number);
  vscode.postMessage({ type: 'reveal', line, character });
});
// A render posted before this script listened is lost, and VS Code loads this page anew whenever a hidden preview is
// shown again: ask for the invoice now that the script listens.
vscode.postMessage({ type: 'ready' });
</script>
</body>
</html>`;
}
