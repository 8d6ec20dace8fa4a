import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { InvoiceInfo } from '../../../shared/src/protocol';
import { placeFile, type ExistingFileChoice } from '../file-placement';
import { resolveFolderSetting } from '../settings';
import { plural } from '../outcomes';
import type { Services } from '../services';
import { invoiceName, resolveTargets } from '../targets';
import { showError, showInfo, withProgress } from '../ui';
import { requireV2 } from './family';
import { PDF_VIEW_TYPE } from '../pdf-viewer/view-type';

function fileNameFor(inv: InvoiceInfo, id: string): string {
  const base = inv.invoiceNumber ?? id;
  return `${base.replace(/[^\w.\- ]+/g, '_').trim() || 'invoice'}.pdf`;
}

/** The folder of `xeroInvoice.pdf.folder` for a document: absolute, or relative to its workspace folder; undefined when unset. */
export function pdfFolder(setting: string, document: vscode.TextDocument): vscode.Uri | undefined {
  const ws = vscode.workspace.getWorkspaceFolder(document.uri) ?? vscode.workspace.workspaceFolders?.[0];
  const folder = resolveFolderSetting(setting, ws?.uri.fsPath);
  return folder === undefined ? undefined : vscode.Uri.file(folder);
}

/** Opens a saved PDF: the system viewer on a desktop, the extension's PDF viewer otherwise (remote, web). */
async function openPdf(file: vscode.Uri): Promise<void> {
  if (vscode.env.remoteName === undefined && vscode.env.uiKind === vscode.UIKind.Desktop) await vscode.env.openExternal(file);
  else await vscode.commands.executeCommand('vscode.openWith', file, PDF_VIEW_TYPE, { preview: true, preserveFocus: true });
}

/** Asks before replacing an existing file; dismissing the question saves nothing. */
async function askExisting(file: string): Promise<ExistingFileChoice> {
  const pick = await vscode.window.showWarningMessage(`${path.basename(file)} already exists in ${path.dirname(file)}.`, { modal: true }, 'Replace', 'Keep both');
  return pick === 'Replace' ? 'replace' : pick === 'Keep both' ? 'keepBoth' : undefined;
}

/** GET with Accept: application/pdf, streamed to the configured folder (or where the save dialog says), then opened. */
export async function downloadPdfCommand(s: Services, args: unknown[]): Promise<{ files: string[] } | undefined> {
  try {
    const t = await resolveTargets(s.lc, args, 'Download PDF');
    if (!t) return undefined;
    requireV2(s, t, 'Downloading a PDF');
    const missing = t.invoices.find((i) => !i.invoiceId && !i.invoiceNumber);
    if (missing) throw new Error(`${invoiceName(missing)} has no PDF yet: send it first (it has no InvoiceID).`);
    const endpoint = await s.connections.open(t.document.uri);
    let folder = pdfFolder(endpoint.settings.pdf.folder, t.document);
    if (folder) await s.consent.confirmFolder(folder.fsPath, (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
    const files: string[] = [];
    await withProgress(`Downloading ${plural(t.invoices.length, 'PDF')}`, async (p) => {
      const api = (await s.connections.open(t.document.uri, { onWait: (w) => p.waiting(w) })).v2();
      for (const inv of t.invoices) {
        if (p.signal.aborted) break;
        p.step(invoiceName(inv));
        const key = inv.invoiceId ?? inv.invoiceNumber!;
        let target: string | undefined;
        if (folder) target = await placeFile(vscode.Uri.joinPath(folder, fileNameFor(inv, key)).fsPath, askExisting);
        else {
          const suggested = vscode.workspace.getWorkspaceFolder(t.document.uri)?.uri ?? vscode.Uri.file(path.dirname(t.document.uri.fsPath));
          // The save dialog asks itself before replacing a file.
          const picked = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(suggested, fileNameFor(inv, key)), filters: { PDF: ['pdf'] }, title: `Save the PDF of ${invoiceName(inv)}` });
          if (!picked) return false;
          target = picked.fsPath;
          // Further PDFs of this run go next to the first one.
          if (t.invoices.length > 1) folder = vscode.Uri.joinPath(picked, '..');
        }
        if (!target) continue;
        await mkdir(path.dirname(target), { recursive: true });
        // Streamed into a file of its own beside the target, renamed once complete: a failed download leaves
        // neither a half PDF nor a damaged earlier one.
        const part = path.join(path.dirname(target), `.${path.basename(target)}.${randomUUID().slice(0, 8)}.part`);
        try {
          await api.pdf(inv.kind, key, part, p.signal);
          await rename(part, target);
        } finally {
          await rm(part, { force: true });
        }
        files.push(target);
      }
      return true;
    });
    if (files.length === 0) return undefined;
    if (files.length === 1) await openPdf(vscode.Uri.file(files[0]));
    showInfo(
      files.length === 1 ? `Saved ${path.basename(files[0])} to ${path.dirname(files[0])}.` : `Saved ${plural(files.length, 'PDF')} to ${path.dirname(files[0] ?? '')}.`,
      { title: 'Reveal', run: () => vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(files[0])) },
    );
    return { files };
  } catch (e) {
    showError(e, 'PDF download failed');
    return undefined;
  }
}
