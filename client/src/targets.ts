import * as vscode from 'vscode';
import type { LensIdentity } from '../../shared/src/commands';
import { invoiceFingerprint } from '../../shared/src/fingerprint';
import type { InvoiceInfo, InvoicesResult } from '../../shared/src/protocol';
import type { InvoiceLanguageClient } from './language-client';

/** The invoices a command acts on, with the document version the server read them at. */
export interface InvoiceTargets {
  document: vscode.TextDocument;
  version: number;
  dialect: InvoicesResult['dialect'];
  invoices: InvoiceInfo[];
}

/** `INV-0042`, or a description when the invoice has no number yet. */
export function invoiceName(inv: InvoiceInfo): string {
  const noun = inv.kind === 'creditNote' ? 'Credit note' : 'Invoice';
  if (inv.invoiceNumber) return inv.invoiceNumber;
  return `${noun} ${inv.index + 1}${inv.contact ? ` (${inv.contact})` : ''}`;
}

export function invoiceTotal(inv: InvoiceInfo): string {
  return inv.total ? `${inv.total}${inv.currency ? ` ${inv.currency}` : ''}` : 'unknown total';
}

function isLensArguments(args: unknown[]): args is [string, number, LensIdentity?] {
  return typeof args[0] === 'string' && typeof args[1] === 'number';
}

function isIdentity(v: unknown): v is LensIdentity {
  return typeof v === 'object' && v !== null && typeof (v as LensIdentity).fingerprint === 'string';
}

function describeIdentity(id: LensIdentity): string {
  return id.invoiceNumber ?? id.invoiceId ?? 'the invoice it was shown on';
}

/**
 * The invoice a code lens was shown on, by its identity: the one at the lens's index if it still has the same
 * text and names, else the only one in the document that does. Refuses (throws) when there is none.
 */
export function invoiceForLens(document: { getText(range?: vscode.Range): string }, invoices: InvoiceInfo[], index: number, identity: LensIdentity): InvoiceInfo {
  const same = (inv: InvoiceInfo | undefined): inv is InvoiceInfo =>
    !!inv &&
    inv.invoiceId === identity.invoiceId &&
    inv.invoiceNumber === identity.invoiceNumber &&
    invoiceFingerprint(document.getText(toRange(inv.range))) === identity.fingerprint;
  if (same(invoices[index])) return invoices[index];
  const found = invoices.filter(same);
  if (found.length === 1) return found[0];
  const now = invoices[index] ? ` (the lens's place now holds ${invoiceName(invoices[index])})` : '';
  throw new Error(`Refused: the code lens was for ${describeIdentity(identity)}, which is no longer where the lens was or has changed since${now}. Nothing was sent; use the lens shown on the invoice now.`);
}

/** A keybinding's or another extension's way to skip the picker: `{ scope: 'all' }`, optionally with a uri. */
export interface TargetOptions {
  uri?: string;
  scope: 'cursor' | 'selection' | 'all';
}

function isTargetOptions(a: unknown): a is TargetOptions {
  return typeof a === 'object' && a !== null && ['cursor', 'selection', 'all'].includes((a as TargetOptions).scope);
}

function toRange(r: InvoiceInfo['range']): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

async function documentFor(uri: string): Promise<vscode.TextDocument> {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri) ?? vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
}

interface Pick extends vscode.QuickPickItem {
  invoices?: InvoiceInfo[];
}

/**
 * A lens passes `[uri, index]`: that invoice. Otherwise the active XML editor: its only invoice, or the user
 * chooses between the invoice at the cursor, those in the selection, all of them, or any single one.
 */
export async function resolveTargets(lc: InvoiceLanguageClient, args: unknown[], verb: string): Promise<InvoiceTargets | undefined> {
  if (isLensArguments(args)) {
    const document = await documentFor(args[0]);
    const all = await lc.allInvoices(document.uri);
    const identity = args[2];
    const inv = isIdentity(identity) ? invoiceForLens(document, all.invoices, args[1], identity) : all.invoices[args[1]];
    if (!inv) throw new Error('That invoice is no longer in the document (it changed since the code lens was shown).');
    return { document, version: all.version, dialect: all.dialect, invoices: [inv] };
  }
  const options = isTargetOptions(args[0]) ? args[0] : undefined;
  const given = options?.uri ? await documentFor(options.uri) : undefined;
  const active = vscode.window.activeTextEditor;
  const editor = given ? vscode.window.visibleTextEditors.find((e) => e.document === given) : active;
  const document = given ?? active?.document;
  if (!document || document.languageId !== 'xml') throw new Error('Open an invoice XML document first.');
  const all = await lc.allInvoices(document.uri);
  if (all.dialect === 'unknown' || all.invoices.length === 0) throw new Error('This document has no invoice or credit note the extension recognises.');
  const targets = (invoices: InvoiceInfo[]) => ({ document, version: all.version, dialect: all.dialect, invoices });
  if (all.invoices.length === 1 || options?.scope === 'all') return targets(all.invoices);

  const sel = editor?.selection;
  const at = sel ? await lc.invoiceAt(document.uri, sel.active) : { invoice: null };
  const inSelection = !sel || sel.isEmpty ? [] : all.invoices.filter((i) => !!sel.intersection(toRange(i.range)));
  if (options?.scope === 'cursor') {
    if (!at.invoice) throw new Error('The cursor is not in an invoice.');
    return targets([at.invoice]);
  }
  if (options?.scope === 'selection') {
    if (!inSelection.length) throw new Error('The selection holds no invoice.');
    return targets(inSelection);
  }
  const items: Pick[] = [];
  if (at.invoice) items.push({ label: `$(location) At the cursor: ${invoiceName(at.invoice)}`, description: invoiceTotal(at.invoice), invoices: [at.invoice] });
  if (inSelection.length > 1) items.push({ label: `$(selection) The ${inSelection.length} invoices in the selection`, invoices: inSelection });
  items.push({ label: `$(files) All ${all.invoices.length} invoices in the document`, invoices: all.invoices });
  items.push({ label: 'One invoice', kind: vscode.QuickPickItemKind.Separator });
  for (const inv of all.invoices) {
    items.push({
      label: invoiceName(inv),
      description: [inv.type, inv.status, inv.contact].filter(Boolean).join(' · '),
      detail: `Total ${invoiceTotal(inv)} · line ${inv.range.start.line + 1}`,
      invoices: [inv],
    });
  }
  const picked = await vscode.window.showQuickPick(items, { title: `${verb}: which invoices?`, placeHolder: 'The invoice at the cursor, the selection, or the whole document' });
  if (!picked?.invoices) return undefined;
  return targets(picked.invoices);
}
