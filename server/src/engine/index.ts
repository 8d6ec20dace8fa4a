/** The invoice engine's public surface: what the language server, the CLI and the sandbox use. */
export { InvoiceEngine, checkText, CheckCancelled, type CheckResult, type CheckedDocument, type Cancellation } from './engine';
export type { EngineDiagnostic } from './diagnostics';
export type { EngineOptions, OrganisationLists, TrackingCategoryList } from './invoice/options';
export type { DocumentSummary } from './invoice/check';
export { invoiceFigures } from './invoice/check';
export { detectDialect, findInvoices, type Dialect, type DocumentKind } from './invoice/dialect';
export { invoiceModel, type InvoiceModel, type LineModel, type Purpose } from './invoice/model';
export { REGIONS, REGION_TAX_RATES, isRegion, type Region } from './invoice/tax-rates';
export { computeLine, computeTotals, format2, parseAmount, round2, Money, type LineAmountTypes, type LineInput, type InvoiceFigures, type LineFigures } from './invoice/totals';
export { parseXml } from './xml/parse';
export { LineIndex, type Position } from './xml/positions';
export { elementAt, type XmlDocument, type XmlElement, type XmlAttribute } from './xml/tree';
export { schemaFor, findSchemasDirectory } from './schema/registry';
export type { SchemaModel, ElementDecl, ComplexType, SimpleType } from './schema/model';
