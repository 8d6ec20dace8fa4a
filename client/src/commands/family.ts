import { EndpointError } from '../endpoint/errors';
import type { ApiFamily } from '../settings';
import type { Services } from '../services';
import type { InvoiceTargets } from '../targets';

const LABEL: Record<ApiFamily, string> = { '2.0': 'the Accounting API 2.0', '1.0': 'the legacy API 1.0', 'workflowmax-3.0': 'WorkflowMax 3.0' };

/** Refuses, before any request, a document whose dialect the configured endpoint does not speak. */
export function requireFamily(s: Services, t: InvoiceTargets, family: ApiFamily, action: string): void {
  if (t.dialect === 'workflowmax-3.0') throw new EndpointError('refused', `${action} is not possible for WorkflowMax invoices: its invoice API is read-only.`);
  const configured = s.connections.settingsFor(t.document.uri).endpoint.apiFamily;
  if (configured !== family) {
    throw new EndpointError(
      'refused',
      `${action} needs ${LABEL[family]}, but the endpoint is set to ${LABEL[configured]} (setting xeroInvoice.endpoint.apiFamily).`,
    );
  }
}

export function requireV2(s: Services, t: InvoiceTargets, action: string): void {
  if (t.dialect === 'xero-1.0') throw new EndpointError('refused', `${action} is not available in the legacy API 1.0 (it only creates and reads invoices).`);
  requireFamily(s, t, '2.0', action);
}
