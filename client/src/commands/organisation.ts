import * as vscode from 'vscode';
import type { OrganisationSettings } from '../../../shared/src/settings';
import type { Services } from '../services';
import { showError, showInfo } from '../ui';

/** Sent when the endpoint changes: the previous organisation's lists must not judge the next one's documents. */
export const EMPTY_LISTS: Partial<OrganisationSettings> = { accounts: [], taxTypes: [], currencies: [], trackingCategories: [], contacts: [] };

/**
 * Fetches the organisation's accounts, tax types, currencies, tracking categories and contact names and hands them
 * to the language server (`xeroInvoice/organisation`), which checks codes against them and completes from them
 * (kept there until the next refresh: on connecting, or "Refresh organisation lists").
 */
export async function refreshOrganisation(s: Services, quiet: boolean): Promise<void> {
  const endpoint = await s.connections.open(vscode.window.activeTextEditor?.document.uri);
  if (endpoint.settings.endpoint.apiFamily !== '2.0') return;
  const lists = await endpoint.v2().organisationLists();
  await s.lc.sendOrganisation(lists);
  if (!quiet) s.log.channel.info(`Organisation lists: ${lists.accounts?.length ?? 0} accounts, ${lists.taxTypes?.length ?? 0} tax types, ${lists.currencies?.length ?? 0} currencies, ${lists.contacts?.length ?? 0} contacts.`);
}

export async function refreshOrganisationCommand(s: Services): Promise<void> {
  try {
    await refreshOrganisation(s, false);
    showInfo('Organisation lists refreshed from the endpoint.');
  } catch (e) {
    showError(e, 'Refreshing the organisation lists failed');
  }
}
