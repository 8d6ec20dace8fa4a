import { askModal } from '../confirm';
import type { InvoiceInfo } from '../../../shared/src/protocol';
import { EndpointError } from '../endpoint/errors';
import { money, type XeroDocumentJson } from '../endpoint/xero-json';
import type { XeroV2Client } from '../endpoint/xero-v2';
import { refusalReason, withCurrency, type DestructiveAction } from '../preconditions';
import { plural, refusalOf, type CommandResult, type Refusal } from '../outcomes';
import type { Services } from '../services';
import { invoiceName, resolveTargets } from '../targets';
import { showError, showInfo, showWarning, withProgress, type ProgressReporter } from '../ui';
import { eachInvoice } from './each';
import { requireV2 } from './family';
import { currentState } from './lookup';
import { finishRun } from './send';

type Action = DestructiveAction;

const VERB: Record<Action, { past: string; title: string; status: string }> = {
  void: { past: 'voided', title: 'Void', status: 'VOIDED' },
  delete: { past: 'deleted', title: 'Delete', status: 'DELETED' },
};

export interface Checked {
  inv: InvoiceInfo;
  id: string;
  state: XeroDocumentJson;
}

/**
 * The invoices' current state at the endpoint, each checked for the action (a status that does not allow it is
 * refused with the reason, before anything changes).
 */
export async function checkDestructive(api: XeroV2Client, action: Action, invoices: InvoiceInfo[], p: ProgressReporter): Promise<Checked[]> {
  const out: Checked[] = [];
  for (const inv of invoices) {
    p.step(invoiceName(inv));
    const { id, state } = await currentState(api, inv, VERB[action].past, p.signal);
    const reason = refusalReason(action, state);
    if (reason) throw new EndpointError('refused', `${state.InvoiceNumber ?? state.CreditNoteNumber ?? invoiceName(inv)} can't be ${VERB[action].past}: ${reason}.`);
    out.push({ inv, id, state });
  }
  return out;
}

/** The one confirmation of a void or delete, however it is reached: names each invoice, its contact and total. */
export async function confirmDestructive(action: Action, items: { inv: InvoiceInfo; state: XeroDocumentJson }[], via?: string): Promise<boolean> {
  const describe = ({ inv, state }: { inv: InvoiceInfo; state: XeroDocumentJson }) => {
    const total = money(state.Total) ?? inv.total;
    const who = state.Contact?.Name ?? inv.contact;
    return `${state.InvoiceNumber ?? state.CreditNoteNumber ?? invoiceName(inv)}${who ? ` (${who})` : ''}, total ${total ? withCurrency(state, total) : 'unknown'}`;
  };
  const list = items.slice(0, 10).map(describe).join('; ') + (items.length > 10 ? ` and ${items.length - 10} more` : '');
  const detail = action === 'void' ? 'A voided invoice stays in Xero with a zero balance; this cannot be undone.' : 'The draft is removed from Xero; this cannot be undone.';
  const button = `${VERB[action].title} ${items.length === 1 ? '' : plural(items.length, 'invoice')}`.trim();
  const pick = await askModal(`${VERB[action].title} ${list}?`, via ? `${via} ${detail}` : detail, button);
  return pick === button;
}

/**
 * Void (AUTHORISED, no payments or credits) and Delete (DRAFT, SUBMITTED): the current state is fetched first,
 * a status that does not allow it is refused with the reason, then a confirmation names the invoice and total.
 */
export async function voidOrDeleteCommand(s: Services, args: unknown[], action: Action): Promise<CommandResult | Refusal | undefined> {
  const v = VERB[action];
  try {
    const t = await resolveTargets(s.lc, args, v.title);
    if (!t) return undefined;
    requireV2(s, t, action === 'void' ? 'Voiding' : 'Deleting');
    const endpoint = await s.connections.open(t.document.uri);
    const api = endpoint.v2();
    const checked = await withProgress(`Checking ${plural(t.invoices.length, 'invoice')} before ${action === 'void' ? 'voiding' : 'deleting'}`, (p) =>
      checkDestructive(api, action, t.invoices, p),
    );
    if (endpoint.settings.confirmDestructive && !(await confirmDestructive(action, checked))) return undefined;
    const r = await withProgress(`${action === 'void' ? 'Voiding' : 'Deleting'} ${plural(checked.length, 'invoice')}`, async (p) => {
      const ids = new Map(checked.map((c) => [c.inv.index, c.id]));
      const run = await eachInvoice(
        checked.map((c) => c.inv),
        p,
        action === 'void' ? 'voiding' : 'deleting',
        (inv) => api.changeStatus(inv.kind, ids.get(inv.index)!, v.status, p.signal),
      );
      return finishRun(s, t, run.outcomes, { notSent: run.notSent, cancelled: run.cancelled, stoppedBy: run.stoppedBy, unknown: run.unknown, verb: v.title });
    });
    const ok = r.outcomes.filter((o) => o.ok).map((o) => o.invoiceNumber ?? o.name);
    const bad = r.outcomes.filter((o) => !o.ok);
    const text = [ok.length ? `${v.title === 'Void' ? 'Voided' : 'Deleted'} ${ok.join(', ')}.` : '', ...bad.map((b) => `${b.name} was not ${v.past}: ${b.errors.join('; ')}`)]
      .filter(Boolean)
      .join(' ');
    const rest = r.stoppedBy ? ` Stopped: ${r.stoppedBy}` : r.notSent ? ` ${plural(r.notSent, 'invoice')} not ${v.past} (cancelled).` : '';
    if (bad.length || r.notSent) showWarning(text + rest);
    else showInfo(text);
    return r;
  } catch (e) {
    showError(e, `${v.title} failed`);
    return refusalOf(e);
  }
}
