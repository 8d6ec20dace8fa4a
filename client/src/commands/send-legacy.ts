import * as vscode from 'vscode';
import type { ServerInvoiceResult } from '../../../shared/src/protocol';
import { EndpointError } from '../endpoint/errors';
import { namesOf, plural, type CommandResult, type InvoiceOutcome } from '../outcomes';
import type { Services } from '../services';
import { invoiceName, type InvoiceTargets } from '../targets';
import { withProgress } from '../ui';
import { writeBack } from '../write-back';
import { requireFamily } from './family';
import { reportSend } from './report';

/**
 * Legacy API 1.0: one PUT /invoice per invoice. The answer is XML, so it opens beside the document and the
 * language server reads the new InvoiceID and number from it (the client never parses XML).
 */
export async function sendLegacy(s: Services, t: InvoiceTargets): Promise<CommandResult> {
  requireFamily(s, t, '1.0', 'Sending a legacy 1.0 invoice');
  const updates = t.invoices.filter((i) => i.invoiceId);
  if (updates.length) throw new EndpointError('refused', `${invoiceName(updates[0])} already has an InvoiceID: the legacy API 1.0 can only create invoices, not update them.`);
  const r = await withProgress(`Sending ${plural(t.invoices.length, 'invoice')} (API 1.0)`, async (p) => {
    const endpoint = await s.connections.open(t.document.uri, { onWait: (w) => p.waiting(w) });
    const api = await endpoint.legacy();
    const results: ServerInvoiceResult[] = [];
    const outcomes: InvoiceOutcome[] = [];
    let notSent = 0;
    for (const inv of t.invoices) {
      if (p.signal.aborted) {
        notSent++;
        continue;
      }
      p.step(invoiceName(inv));
      let answer: { status: number; xml: string };
      try {
        answer = await api.putInvoice(inv.requestXml, p.signal);
      } catch (e) {
        if (e instanceof EndpointError && (e.kind === 'network' || e.kind === 'timeout' || e.kind === 'malformed' || e.kind === 'server')) {
          throw new EndpointError(
            e.kind,
            `${e.message} ${invoiceName(inv)} may have been created all the same: API 1.0 cannot recognise a repeated request, so fetch it by number before sending it again.`,
            { causeText: e.causeText },
          );
        }
        throw e;
      }
      const doc = await vscode.workspace.openTextDocument({ language: 'xml', content: answer.xml });
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
      const read = (await s.lc.allInvoices(doc.uri)).invoices.find((i) => i.invoiceId);
      if (read) {
        const res: ServerInvoiceResult = { index: inv.index, invoiceId: read.invoiceId! };
        if (read.invoiceNumber) res.invoiceNumber = read.invoiceNumber;
        if (read.status) res.status = read.status;
        results.push(res);
        outcomes.push({ index: inv.index, name: invoiceName(inv), ok: true, invoiceId: read.invoiceId!, ...(read.invoiceNumber ? { invoiceNumber: read.invoiceNumber } : {}), errors: [] });
      } else {
        const why = answer.status === 400 ? 'The endpoint rejected it; its answer, opened beside, lists the errors.' : "The endpoint's answer (opened beside) holds no invoice: it was not created.";
        outcomes.push({ index: inv.index, name: invoiceName(inv), ok: false, errors: [why] });
      }
    }
    const wb = await writeBack(s.lc, t.document, t.version, results, namesOf(t.invoices));
    return { outcomes, notSent, cancelled: p.signal.aborted, writeBack: wb };
  });
  reportSend('Sent', r);
  return r;
}
