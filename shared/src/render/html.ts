import { tableColumns, totalRows, type InvoiceView, type Mark } from './invoice-view';

export function escapeHtml(v: string): string {
  return v.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface HtmlOptions {
  /** The link a marked figure points at (the preview: a command that shows the diagnostic); none: no link. */
  markLink?: (mark: Mark) => string;
}

/** The stylesheet of invoiceHtml: plain CSS, no external resources (the preview's webview allows nothing else). */
export const INVOICE_CSS = `
.invoice { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; background: #fff; max-width: 52rem; margin: 0 auto; padding: 1.5rem 2rem; box-sizing: border-box; }
.invoice header { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; }
.invoice h1 { font-size: 1.6rem; margin: 0; letter-spacing: .02em; }
.invoice .status { color: #666; font-weight: bold; }
.invoice .parties { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: 1rem; margin: 1.2rem 0; font-size: .9rem; }
.invoice .parties p { margin: 0 0 .2rem; }
.invoice dt { font-weight: bold; font-size: .75rem; }
.invoice dd { margin: 0 0 .5rem; }
.invoice table { border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: .9rem; }
.invoice th, .invoice td { padding: .35rem .5rem; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
.invoice th { border-bottom: 2px solid #333; }
.invoice th.n { white-space: normal; }
.invoice .n { text-align: right; white-space: nowrap; }
.invoice tfoot td { border-bottom: none; }
.invoice .strong { font-weight: bold; }
.invoice .due { font-size: 1.2rem; font-weight: bold; }
.invoice .small { color: #666; font-size: .8rem; }
.invoice .wrong { background: #fde7e9; outline: 1px solid #e51400; border-radius: 2px; }
.invoice .wrong a, .invoice a.mark { color: #a1260d; text-decoration: none; }
.invoice .missing { color: #a1260d; font-style: italic; }
.invoice sup.mark { color: #e51400; font-weight: bold; margin-left: .15rem; }
@media (max-width: 44rem) { .invoice { padding: .75rem; font-size: 12px; } .invoice th, .invoice td { padding: .25rem .2rem; } .invoice h1 { font-size: 1.3rem; } }
`;

/** A figure, marked when a diagnostic is about it: red, with the diagnostic's message as its title, and a link. */
function cell(value: string, marks: Mark[] | undefined, o: HtmlOptions, missing = '—'): string {
  const shown = value ? escapeHtml(value) : marks?.length ? `<span class="missing">${missing}</span>` : '';
  if (!marks?.length) return shown;
  const title = escapeHtml(marks.map((m) => `${m.message} (${m.code})`).join('\n'));
  const link = o.markLink ? o.markLink(marks[0]) : undefined;
  const inner = link ? `<a class="mark" href="${escapeHtml(link)}" title="${title}">${shown}<sup class="mark">!</sup></a>` : `${shown}<sup class="mark" title="${title}">!</sup>`;
  return `<span class="wrong" title="${title}" data-code="${escapeHtml(marks[0].code)}">${inner}</span>`;
}

/** The invoice as an `<article class="invoice">`: the same sections and columns as the PDF (tableColumns, totalRows). */
export function invoiceHtml(v: InvoiceView, o: HtmlOptions = {}): string {
  const m = v.marks ?? {};
  const cols = tableColumns(v);
  const head = cols.map((c) => `<th${c.align === 'right' ? ' class="n"' : ''}>${escapeHtml(c.header)}</th>`).join('');
  const rows = v.lines
    .map((l) => `<tr>${cols.map((c) => `<td${c.align === 'right' ? ' class="n"' : ''}>${cell(l[c.key], l.marks?.[c.key], o)}</td>`).join('')}</tr>`)
    .join('\n');
  const span = cols.length - 1;
  const totals = totalRows(v)
    .map((r) => `<tr class="${r.bold ? 'strong' : ''}"><td colspan="${span}" class="n">${escapeHtml(r.label)}</td><td class="n">${cell(r.value, r.field ? m[r.field] : undefined, o)}</td></tr>`)
    .join('\n');
  const meta: [string, string, Mark[] | undefined][] = [
    [v.title === 'CREDIT NOTE' ? 'Credit Note Date' : 'Invoice Date', v.date, m.date],
    [v.title === 'CREDIT NOTE' ? 'Credit Note Number' : 'Invoice Number', v.number, m.number],
  ];
  if (v.reference) meta.push(['Reference', v.reference, undefined]);
  if (v.dueDate || m.dueDate) meta.push(['Due Date', v.dueDate, m.dueDate]);
  const org = v.org ? `<div><p class="strong">${escapeHtml(v.org.name)}</p>${[...v.org.addressLines, v.org.email].filter(Boolean).map((l) => `<p>${escapeHtml(l)}</p>`).join('')}</div>` : '<div></div>';
  return `<article class="invoice">
<header><h1>${escapeHtml(v.title)}</h1><span class="status">${cell(v.status, m.status, o)}</span></header>
<section class="parties">
<div><p class="strong">${cell(v.contact.name, m.contact, o, 'no contact')}</p>${v.contact.addressLines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}${v.contact.email ? `<p>${escapeHtml(v.contact.email)}</p>` : ''}</div>
<dl>${meta.map(([k, val, mk]) => `<dt>${escapeHtml(k)}</dt><dd>${cell(val, mk, o)}</dd>`).join('')}</dl>
${org}
</section>
<table>
<thead><tr>${head}</tr></thead>
<tbody>
${rows}
</tbody>
<tfoot>
${totals}
</tfoot>
</table>
${v.dueDate && v.title !== 'CREDIT NOTE' ? `<p class="due">Due Date: ${cell(v.dueDate, m.dueDate, o)}</p>` : ''}
<p class="small">${escapeHtml(v.amountsAre)}</p>
</article>`;
}
