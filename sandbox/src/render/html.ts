import type { Printable } from './printable';

export function esc(v: string): string {
  return v.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The page an OnlineInvoiceUrl points at: the invoice as the contact sees it, with its PDF. */
export function onlineInvoicePage(p: Printable, pdfUrl: string): string {
  const rows = p.lines
    .map((l) => `<tr><td>${esc(l.description)}</td><td class="n">${esc(l.quantity)}</td><td class="n">${esc(l.unitAmount)}</td><td class="n">${esc(l.tax)}</td><td class="n">${esc(l.amount)}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(p.title)} ${esc(p.number)} from ${esc(p.org.name)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 52rem; color: #222; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { padding: .4rem .6rem; border-bottom: 1px solid #ddd; text-align: left; }
.n { text-align: right; }
.status { color: #666; font-weight: bold; }
.due { font-size: 1.3rem; font-weight: bold; }
</style>
</head>
<body>
<h1>${esc(p.title)} ${esc(p.number)} <span class="status">${esc(p.status)}</span></h1>
<p>From <strong>${esc(p.org.name)}</strong> to <strong>${esc(p.contact.name)}</strong></p>
<p>Date ${esc(p.date)}${p.dueDate ? ` · Due ${esc(p.dueDate)}` : ''}${p.reference ? ` · Reference ${esc(p.reference)}` : ''}</p>
<table>
<thead><tr><th>Description</th><th class="n">Quantity</th><th class="n">Unit Price</th><th class="n">Tax</th><th class="n">Amount ${esc(p.currency)}</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot>
<tr><td colspan="4" class="n">Subtotal</td><td class="n">${esc(p.subTotal)}</td></tr>
<tr><td colspan="4" class="n">Total Tax</td><td class="n">${esc(p.totalTax)}</td></tr>
<tr><td colspan="4" class="n"><strong>Total ${esc(p.currency)}</strong></td><td class="n"><strong>${esc(p.total)}</strong></td></tr>
</tfoot>
</table>
<p class="due">${esc(p.dueLabel)}: ${esc(p.currency)} ${esc(p.due)}</p>
<p><a href="${esc(pdfUrl)}">Download PDF</a></p>
<p><small>${esc(p.amountsAre)}. Served by the Xero invoice sandbox.</small></p>
</body>
</html>
`;
}
