import type { InvoiceInfo } from '../../../shared/src/protocol';
import { EndpointError } from '../endpoint/errors';
import type { XeroDocumentJson } from '../endpoint/xero-json';
import { namesOf as apiNames, type XeroV2Client } from '../endpoint/xero-v2';
import { invoiceName } from '../targets';

export interface CurrentState {
  id: string;
  state: XeroDocumentJson;
}

/** The invoice as the endpoint has it now, found by its InvoiceID, else its number. */
export async function currentState(api: XeroV2Client, inv: InvoiceInfo, action: string, signal?: AbortSignal): Promise<CurrentState> {
  const key = inv.invoiceId ?? inv.invoiceNumber;
  if (!key) throw new EndpointError('refused', `${invoiceName(inv)} can't be ${action}: it has no ${inv.kind === 'invoice' ? 'InvoiceID or InvoiceNumber' : 'CreditNoteID or CreditNoteNumber'} yet — send it first.`);
  let state: XeroDocumentJson;
  try {
    state = await api.get(inv.kind, key, signal);
  } catch (e) {
    if (e instanceof EndpointError && e.kind === 'notFound') throw new EndpointError('notFound', `${invoiceName(inv)} can't be ${action}: the endpoint has no ${inv.kind === 'invoice' ? 'invoice' : 'credit note'} ${key}.`, { status: 404 });
    throw e;
  }
  const id = (state as Record<string, unknown>)[apiNames(inv.kind).id] as string | undefined;
  if (!id) throw new EndpointError('malformed', `The endpoint's answer for ${key} has no identifier.`);
  return { id, state };
}

/** The id to address an invoice by: its InvoiceID, or (one lookup) the ID behind its number. */
export async function idOf(api: XeroV2Client, inv: InvoiceInfo, action: string, signal?: AbortSignal): Promise<string> {
  if (inv.invoiceId) return inv.invoiceId;
  return (await currentState(api, inv, action, signal)).id;
}
