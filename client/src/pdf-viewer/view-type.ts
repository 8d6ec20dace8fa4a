/** The PDF viewer's custom editor id (package.json contributes.customEditors). */
export const PDF_VIEW_TYPE = 'xeroInvoice.pdfViewer';
