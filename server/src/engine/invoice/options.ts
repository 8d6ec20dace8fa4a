import { isRegion, taxRateTable, type Region } from './tax-rates';

export interface TrackingCategoryList {
  name: string;
  options: string[];
}

/** Lists of an organisation's codes; when a list is given, codes outside it are errors. */
export interface OrganisationLists {
  accounts?: string[];
  taxTypes?: string[];
  trackingCategories?: TrackingCategoryList[];
  currencies?: string[];
}

export interface EngineOptions {
  region?: Region;
  /** Tax rate overrides in percent, by TaxType: { TAX001: '9' }. */
  taxRates?: Readonly<Record<string, string>>;
  organisation?: OrganisationLists;
  /** Report documents of no known dialect (the CLI does; the editor keeps quiet about unrelated XML). */
  reportUnknownDocuments?: boolean;
  /** The encoding the text was decoded from, to compare with the XML declaration's. */
  sourceEncoding?: string;
}

export interface ResolvedOptions {
  region: Region;
  rates: ReadonlyMap<string, string>;
  organisation: OrganisationLists;
  reportUnknownDocuments: boolean;
  sourceEncoding?: string;
}

export function resolveOptions(options: EngineOptions = {}): ResolvedOptions {
  const region = options.region && isRegion(options.region) ? options.region : 'NZ';
  return {
    region,
    rates: taxRateTable(region, options.taxRates),
    organisation: options.organisation ?? {},
    reportUnknownDocuments: options.reportUnknownDocuments ?? false,
    sourceEncoding: options.sourceEncoding,
  };
}
