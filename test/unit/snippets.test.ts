import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkText } from '@engine';
import { ROOT } from '../support/fixtures';

type Snippets = Record<string, { prefix: string[]; body: string[]; description: string }>;
// Lines and tracking are contributed snippets; whole documents are offered by the client where a document can start.
const snippets = {
  ...(JSON.parse(readFileSync(join(ROOT, 'snippets', 'xero-invoice.code-snippets'), 'utf8')) as Snippets),
  ...(JSON.parse(readFileSync(join(ROOT, 'snippets', 'xero-documents.code-snippets'), 'utf8')) as Snippets),
};

/** Expands a VS Code snippet as accepting every default would: choices take their first option, tab stops vanish. */
export function expandSnippet(body: string, today = new Date('2026-11-21T00:00:00Z')): string {
  const vars: Record<string, string> = {
    CURRENT_YEAR: String(today.getUTCFullYear()),
    CURRENT_MONTH: String(today.getUTCMonth() + 1).padStart(2, '0'),
    CURRENT_DATE: String(today.getUTCDate()).padStart(2, '0'),
  };
  let out = body;
  for (let guard = 0; guard < 20 && /\$\{/.test(out); guard++) {
    out = out
      .replace(/\$\{([A-Z_]+)\}/g, (_, v: string) => vars[v] ?? '')
      .replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1')
      .replace(/\$\{\d+:([^${}]*)\}/g, '$1');
  }
  return out.replace(/\$\d+/g, '');
}

/** Fragments go into a document where they belong. */
const HOST_INVOICE = `<Invoice><Type>ACCREC</Type><Contact><Name>Host</Name></Contact><DueDate>2026-12-01</DueDate><LineItems>%LINES%</LineItems></Invoice>`;
const HOSTS: Record<string, (s: string) => string> = {
  'Line item': (s) => HOST_INVOICE.replace('%LINES%', s),
  'Discounted line item': (s) => HOST_INVOICE.replace('%LINES%', s),
  'Tracking category': (s) => HOST_INVOICE.replace('%LINES%', `<LineItem><Description>x</Description><Quantity>1</Quantity><UnitAmount>1.00</UnitAmount><AccountCode>200</AccountCode>${s}</LineItem>`),
};

describe('snippets', () => {
  it('cover every common document', () => {
    for (const name of ['Draft sales invoice (ACCREC)', 'Approved sales invoice (every element approval needs)', 'Bill (ACCPAY)', 'Line item', 'Discounted line item', 'Tracking category', 'Bulk invoices', 'Void an approved invoice', 'Delete a draft invoice', 'Credit note', 'Legacy 1.0 invoice']) {
      assert.ok(snippets[name], name);
    }
  });
  for (const [name, s] of Object.entries(snippets)) {
    it(`${name}: expanded, passes the engine with no error`, () => {
      const expanded = expandSnippet(s.body.join('\n'));
      assert.doesNotMatch(expanded, /\$/, 'every placeholder expands');
      const text = (HOSTS[name] ?? ((x: string) => x))(expanded);
      const r = checkText(text);
      assert.notEqual(r.dialect, 'unknown');
      assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`), []);
      assert.ok(r.documents.length >= 1);
    });
  }
  it('the approved invoice snippet is approved and fully totalled', () => {
    const r = checkText(expandSnippet(snippets['Approved sales invoice (every element approval needs)'].body.join('\n')));
    assert.deepEqual([r.documents[0].status, r.documents[0].subTotal, r.documents[0].totalTax, r.documents[0].total], ['AUTHORISED', '100.00', '15.00', '115.00']);
    assert.deepEqual(r.diagnostics, []);
  });
});
