import * as vscode from 'vscode';
import { EndpointError } from '../endpoint/errors';
import { workflowMaxDate, type WorkflowMaxQuery } from '../endpoint/workflowmax';
import type { DocumentKind } from '../endpoint/xero-v2';
import { plural, refusalOf, type Refusal } from '../outcomes';
import type { Services } from '../services';
import { showError, showInfo, withProgress } from '../ui';

const PAGE_SIZE = 100;
const STATUSES = ['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID', 'VOIDED', 'DELETED'];

/** The endpoint's XML in a new untitled editor (language xml): the language server checks it like any document. */
async function openXml(s: Services, xml: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ language: 'xml', content: xml });
  await vscode.window.showTextDocument(doc, { preview: false });
  await s.lc.start();
  return doc;
}

function resourceOfActiveEditor(): vscode.Uri | undefined {
  return vscode.window.activeTextEditor?.document.uri;
}

async function ask(prompt: string, placeHolder: string, validate?: (v: string) => string | undefined, value?: string): Promise<string | undefined> {
  const v = await vscode.window.showInputBox({ prompt, placeHolder, value, ignoreFocusOut: true, validateInput: (x) => (x.trim() ? validate?.(x.trim()) : 'Required') });
  return v?.trim();
}

function parseDate(value: string): Date | undefined {
  const v = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/.test(v)) return undefined;
  const d = new Date(v.length === 10 ? `${v}T00:00:00Z` : `${v}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Fetch one invoice (or credit note) by number or ID into a new editor. Argument: the number or ID. */
export async function fetchOneCommand(s: Services, args: unknown[], kind: DocumentKind): Promise<vscode.TextDocument | Refusal | undefined> {
  const noun = kind === 'invoice' ? 'invoice' : 'credit note';
  let key: string | undefined;
  try {
    key = typeof args[0] === 'string' ? args[0].trim() : await ask(`The ${noun} number (e.g. INV-0042) or ID to fetch`, kind === 'invoice' ? 'INV-0042' : 'CN-0007');
    if (!key) return undefined;
    const resource = resourceOfActiveEditor();
    const family = s.connections.settingsFor(resource).endpoint.apiFamily;
    const k = key;
    const xml = await withProgress(`Fetching ${noun} ${key}`, async (p) => {
      const endpoint = await s.connections.open(resource, { onWait: (w) => p.waiting(w) });
      if (family === '1.0') {
        if (kind !== 'invoice') throw new EndpointError('refused', 'The legacy API 1.0 has no credit notes.');
        return (await endpoint.legacy()).getInvoiceXml(k, p.signal);
      }
      if (family === 'workflowmax-3.0') return endpoint.workflowMax().fetchXml({ kind: 'get', invoiceNumber: k }, p.signal);
      return endpoint.v2().getXml(kind, k, p.signal);
    });
    return await openXml(s, xml);
  } catch (e) {
    if (e instanceof EndpointError && e.kind === 'notFound') {
      const missing = new EndpointError('notFound', `The endpoint has no ${noun} ${key}.`);
      showError(missing);
      return refusalOf(missing);
    }
    showError(e, 'Fetch failed');
    return refusalOf(e);
  }
}

export interface PullOptions {
  kind?: DocumentKind;
  /** YYYY-MM-DD or YYYY-MM-DDTHH:mm(:ss), UTC. */
  since?: string;
  statuses?: string[];
  where?: string;
  page?: number;
}

/**
 * Pull invoices modified since a moment (If-Modified-Since, with Statuses and a where filter; 1.0:
 * modifiedSince) into a new editor, one page of 100 at a time. Argument: PullOptions (skips the prompts).
 */
export async function pullCommand(s: Services, args: unknown[]): Promise<{ document: vscode.TextDocument; count: number } | Refusal | undefined> {
  try {
    const given = (typeof args[0] === 'object' && args[0] ? args[0] : {}) as PullOptions;
    const resource = resourceOfActiveEditor();
    const family = s.connections.settingsFor(resource).endpoint.apiFamily;
    if (family === 'workflowmax-3.0') throw new EndpointError('refused', 'For WorkflowMax, use "WorkflowMax: list invoices between dates".');
    let kind = given.kind;
    if (!kind && family === '2.0') {
      const pick = await vscode.window.showQuickPick(
        [
          { label: 'Invoices', documentKind: 'invoice' as const },
          { label: 'Credit notes', documentKind: 'creditNote' as const },
        ],
        { title: 'Pull modified since: what?' },
      );
      if (!pick) return undefined;
      kind = pick.documentKind;
    }
    kind ??= 'invoice';
    const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    const sinceText = given.since ?? (await ask('Modified since (UTC), YYYY-MM-DD or YYYY-MM-DDTHH:mm:ss', monthAgo, (v) => (parseDate(v) ? undefined : 'Use YYYY-MM-DD or YYYY-MM-DDTHH:mm:ss'), monthAgo));
    if (!sinceText) return undefined;
    const since = parseDate(sinceText);
    if (!since) throw new EndpointError('refused', `"${sinceText}" is not a date (use YYYY-MM-DD).`);
    let statuses = given.statuses;
    let where = given.where;
    if (family === '2.0' && !args[0]) {
      const picked = await vscode.window.showQuickPick(STATUSES.map((label) => ({ label })), { canPickMany: true, title: 'Only these statuses (none picked: all)' });
      if (!picked) return undefined;
      statuses = picked.map((p) => p.label);
      where = await vscode.window.showInputBox({ prompt: 'Optional where filter, e.g. Type=="ACCREC" (empty: none)', ignoreFocusOut: true });
      if (where === undefined) return undefined;
    }
    const page = given.page ?? 1;
    const k = kind;
    const xml = await withProgress(`Pulling ${k === 'invoice' ? 'invoices' : 'credit notes'} modified since ${sinceText}${page > 1 ? ` (page ${page})` : ''}`, async (p) => {
      const endpoint = await s.connections.open(resource, { onWait: (w) => p.waiting(w) });
      if (family === '1.0') return (await endpoint.legacy()).listXml(since, p.signal);
      return endpoint.v2().listXml(k, { modifiedSince: since, statuses, where: where?.trim() || undefined, page }, p.signal);
    });
    const document = await openXml(s, xml);
    // The server reads the answer; its invoice count says whether another page may follow.
    const count = (await s.lc.allInvoices(document.uri)).invoices.length;
    const noun = k === 'invoice' ? 'invoice' : 'credit note';
    if (family === '2.0' && count >= PAGE_SIZE) {
      showInfo(`Page ${page}: ${plural(count, noun)} modified since ${sinceText}. There may be more.`, {
        title: `Fetch page ${page + 1}`,
        run: () => pullCommand(s, [{ kind: k, since: sinceText, statuses, where, page: page + 1 }]),
      });
    } else showInfo(`${plural(count, noun)} modified since ${sinceText}.`);
    return { document, count };
  } catch (e) {
    showError(e, 'Pull failed');
    return refusalOf(e);
  }
}

/** WorkflowMax 3.0 fetches into new editors. Arguments skip the prompts: a number, or { from, to }. */
export async function workflowMaxCommand(s: Services, args: unknown[], kind: WorkflowMaxQuery['kind']): Promise<vscode.TextDocument | undefined> {
  try {
    const resource = resourceOfActiveEditor();
    if (s.connections.settingsFor(resource).endpoint.apiFamily !== 'workflowmax-3.0') {
      throw new EndpointError('refused', 'The endpoint is not set to WorkflowMax 3.0 (setting xeroInvoice.endpoint.apiFamily).');
    }
    let q: WorkflowMaxQuery;
    const arg = args[0];
    if (kind === 'current' || kind === 'draft') q = { kind, detailed: true };
    else if (kind === 'list') {
      const given = (typeof arg === 'object' && arg ? arg : {}) as { from?: string; to?: string };
      const check = (v: string) => (workflowMaxDate(v) ? undefined : 'Use YYYY-MM-DD');
      const from = given.from ?? (await ask('From date (YYYY-MM-DD)', '2026-01-01', check));
      if (!from) return undefined;
      const to = given.to ?? (await ask('To date (YYYY-MM-DD), at most a year after the start', new Date().toISOString().slice(0, 10), check));
      if (!to) return undefined;
      const f = workflowMaxDate(from);
      const t = workflowMaxDate(to);
      if (!f || !t) throw new EndpointError('refused', 'Dates must be YYYY-MM-DD.');
      q = { kind, from: f, to: t, detailed: true };
    } else {
      const label = kind === 'job' ? 'The job number (e.g. J000123)' : 'The invoice number (e.g. I000123)';
      const value = typeof arg === 'string' ? arg : await ask(label, kind === 'job' ? 'J000123' : 'I000123');
      if (!value) return undefined;
      q = kind === 'job' ? { kind, jobNumber: value } : kind === 'payments' ? { kind, invoiceNumber: value } : { kind: 'get', invoiceNumber: value };
    }
    const query = q;
    const xml = await withProgress('Fetching from WorkflowMax', async (p) => (await s.connections.open(resource, { onWait: (w) => p.waiting(w) })).workflowMax().fetchXml(query, p.signal));
    return await openXml(s, xml);
  } catch (e) {
    showError(e, 'WorkflowMax fetch failed');
    return undefined;
  }
}
