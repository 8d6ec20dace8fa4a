import { escapeHtml, INVOICE_CSS, invoiceHtml } from '../../../shared/src/render/html';
import type { Printable } from './printable';

/** HTML escaping for the sandbox's pages: the shared renderer's. */
export const esc = escapeHtml;

/** The page an OnlineInvoiceUrl points at: the invoice as the contact sees it (the editor's preview draws the same), with its PDF. */
export function onlineInvoicePage(p: Printable, pdfUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(p.title)} ${esc(p.number)} from ${esc(p.org?.name ?? '')}</title>
<style>
body { margin: 1rem; background: #f4f4f4; }
${INVOICE_CSS}
.links { max-width: 52rem; margin: 1rem auto; font-family: system-ui, sans-serif; }
</style>
</head>
<body>
${invoiceHtml(p)}
<p class="links"><a href="${esc(pdfUrl)}">Download PDF</a> · <small>Served by the Xero invoice sandbox.</small></p>
</body>
</html>
`;
}
