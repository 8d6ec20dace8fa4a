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

/** Arguments of the invoice commands when a code lens invokes them: the document and the invoice's index. */
export type InvoiceCommandArguments = [uri: string, invoiceIndex: number];
