/** Command ids the server's code lenses and code actions invoke, and the client registers. */
export const Commands = {
  send: 'xeroInvoice.send',
  approve: 'xeroInvoice.approve',
  approveAndEmail: 'xeroInvoice.approveAndEmail',
  email: 'xeroInvoice.email',
  markAsSent: 'xeroInvoice.markAsSent',
  void: 'xeroInvoice.void',
  deleteDraft: 'xeroInvoice.deleteDraft',
  downloadPdf: 'xeroInvoice.downloadPdf',
  /** Inserts a snippet (with tab stops) at a position: used by quick fixes that add missing elements. */
  insertSnippet: 'xeroInvoice.insertSnippet',
} as const;

/** Who a code lens was shown on: its InvoiceID or number, and the fingerprint of its text (shared/src/fingerprint.ts). */
export interface LensIdentity {
  invoiceId: string | null;
  invoiceNumber: string | null;
  fingerprint: string;
}

/** Arguments of the invoice commands when a code lens invokes them: the document, the invoice's index, and who it is. */
export type InvoiceCommandArguments = [uri: string, invoiceIndex: number, identity: LensIdentity];
