/** The invoice engine's public surface: what the language server, the CLI and the sandbox use. */
export { InvoiceEngine, checkText } from './engine';
export { InvoiceDocument, CheckCancelled, STRUCTURAL_PROBLEMS, type CheckResult, type CheckedDocument, type Cancellation, type TextChange, type Located } from './document';
export type { EngineDiagnostic } from './diagnostics';
export { resolveOptions, type EngineOptions, type ResolvedOptions, type OrganisationLists, type TrackingCategoryList } from './invoice/options';
export { checkOnce, checkShare, mergeShares, type ShareOfWork, type ShareResult, type CheckedInvoice } from './one-shot';
export type { DocumentSummary } from './invoice/check';
export { invoiceFigures } from './invoice/check';
export { detectDialect, dialectFrom, invoiceKindAt, findInvoices, invoiceDialect, type Dialect, type DocumentKind, type InvoiceElement } from './invoice/dialect';
export { invoiceModel, type InvoiceModel, type LineModel, type Purpose } from './invoice/model';
export { REGIONS, REGION_TAX_RATES, isRegion, type Region } from './invoice/tax-rates';
export { computeLine, computeTotals, format2, parseAmount, round2, Money, type LineAmountTypes, type LineInput, type InvoiceFigures, type LineFigures } from './invoice/totals';
export { parseXml } from './xml/parse';
export { LineIndex, lineOfOffset, lineStarts, type Position } from './xml/positions';
export { elementAt, type XmlDocument, type XmlElement, type XmlAttribute } from './xml/tree';
export { schemaFor, provideSchemaSource, SCHEMA_FILES, type SchemaSource } from './schema/registry';
export { describeSimpleType, type SchemaModel, type SchemaType, type ElementDecl, type ComplexType, type SimpleType } from './schema/model';
export type { TextSource } from './text-source';
export { isDecimal } from './number-limits';
