import { Commands } from '../../shared/src/commands';

/** Every command the extension registers: the shared ones the server's lenses and quick fixes invoke, and the client's own. */
export const ClientCommands = {
  ...Commands,
  fetchInvoice: 'xeroInvoice.fetchInvoice',
  fetchCreditNote: 'xeroInvoice.fetchCreditNote',
  pullModifiedSince: 'xeroInvoice.pullModifiedSince',
  wfmCurrent: 'xeroInvoice.workflowMax.current',
  wfmDraft: 'xeroInvoice.workflowMax.draft',
  wfmList: 'xeroInvoice.workflowMax.list',
  wfmGet: 'xeroInvoice.workflowMax.get',
  wfmJob: 'xeroInvoice.workflowMax.job',
  wfmPayments: 'xeroInvoice.workflowMax.payments',
  startSandbox: 'xeroInvoice.startSandbox',
  stopSandbox: 'xeroInvoice.stopSandbox',
  setAccessToken: 'xeroInvoice.setAccessToken',
  connectClientCredentials: 'xeroInvoice.connectClientCredentials',
  setLegacyKeys: 'xeroInvoice.setLegacyKeys',
  forgetCredentials: 'xeroInvoice.forgetCredentials',
  refreshOrganisation: 'xeroInvoice.refreshOrganisation',
  showLog: 'xeroInvoice.showLog',
  restartServer: 'xeroInvoice.restartServer',
  connectionMenu: 'xeroInvoice.connectionMenu',
  signIn: 'xeroInvoice.signIn',
  signOut: 'xeroInvoice.signOut',
  pickOrganisation: 'xeroInvoice.pickOrganisation',
  retryUnanswered: 'xeroInvoice.retryUnanswered',
} as const;

export type ClientCommandId = (typeof ClientCommands)[keyof typeof ClientCommands];
