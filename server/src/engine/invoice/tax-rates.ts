export type Region = 'NZ' | 'AU' | 'UK' | 'US';
export const REGIONS: readonly Region[] = ['NZ', 'AU', 'UK', 'US'];

/**
 * Tax rates in percent per TaxType, by organisation region (FACTS.md §1.5). NZ keeps the pre-October-2010
 * 12.5 % OUTPUT/INPUT codes that Xero's own examples use; OUTPUT2/INPUT2 are today's 15 %. Codes whose rate
 * depends on the organisation (US sales tax, custom TAX001…) are absent: they must be configured, never guessed.
 */
export const REGION_TAX_RATES: Record<Region, Readonly<Record<string, string>>> = {
  NZ: {
    OUTPUT: '12.5', INPUT: '12.5', OUTPUT2: '15', INPUT2: '15',
    ZERORATED: '0', EXEMPTOUTPUT: '0', EXEMPTINPUT: '0', NONE: '0',
  },
  AU: {
    OUTPUT: '10', INPUT: '10', CAPEXINPUT: '10',
    EXEMPTOUTPUT: '0', EXEMPTEXPENSES: '0', EXEMPTEXPORT: '0', EXEMPTCAPITAL: '0', INPUTTAXED: '0', BASEXCLUDED: '0',
  },
  UK: {
    OUTPUT2: '20', INPUT2: '20', RROUTPUT: '5', RRINPUT: '5',
    ZERORATEDOUTPUT: '0', ZERORATEDINPUT: '0', EXEMPTOUTPUT: '0', EXEMPTINPUT: '0', NONE: '0',
    ECZROUTPUT: '0', ECZROUTPUTSERVICES: '0', ECZRINPUT: '0',
  },
  US: { NONE: '0' },
};

export function isRegion(value: string): value is Region {
  return (REGIONS as readonly string[]).includes(value);
}

/** The rate table in force: the region preset with per-code overrides on top. */
export function taxRateTable(region: Region, overrides: Readonly<Record<string, string>> = {}): ReadonlyMap<string, string> {
  return new Map(Object.entries({ ...REGION_TAX_RATES[region], ...overrides }));
}
