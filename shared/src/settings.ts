/**
 * Settings, typed once for the client (which contributes them in package.json) and the server (which reads them
 * per document). Section `xeroInvoice`.
 */
export const SETTINGS_SECTION = 'xeroInvoice';

export type RegionSetting = 'NZ' | 'AU' | 'UK' | 'US';
export type ValidationTrigger = 'onType' | 'onSave';

export interface TrackingCategorySetting {
  name: string;
  options: string[];
}

/** The organisation's own lists: completion offers them, and when a list is set, codes outside it are errors. */
export interface OrganisationSettings {
  accounts: string[];
  taxTypes: string[];
  trackingCategories: TrackingCategorySetting[];
  currencies: string[];
  contacts: string[];
}

export interface ServerSettings {
  region: RegionSetting;
  /** Tax rate overrides in percent by TaxType, e.g. { "TAX001": "9" }. */
  taxRates: Record<string, string>;
  organisation: OrganisationSettings;
  /** Diagnostic codes not to report. */
  silencedCodes: string[];
  validate: { trigger: ValidationTrigger; debounceMs: number };
  /** Above this many characters a document gets diagnostics only (no hints, lenses, symbols or folding). */
  maxDocumentSize: number;
}

export const DEFAULT_SERVER_SETTINGS: ServerSettings = {
  region: 'NZ',
  taxRates: {},
  organisation: { accounts: [], taxTypes: [], trackingCategories: [], currencies: [], contacts: [] },
  silencedCodes: [],
  validate: { trigger: 'onType', debounceMs: 150 },
  maxDocumentSize: 16_000_000,
};

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : [];
}

function record(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Whatever the client sends (a user's settings.json can hold anything), as well-typed settings. */
export function normalizeServerSettings(raw: unknown): ServerSettings {
  const r = record(raw);
  const d = DEFAULT_SERVER_SETTINGS;
  const region = typeof r.region === 'string' && ['NZ', 'AU', 'UK', 'US'].includes(r.region.toUpperCase()) ? (r.region.toUpperCase() as RegionSetting) : d.region;
  const taxRates: Record<string, string> = {};
  for (const [code, percent] of Object.entries(record(r.taxRates))) {
    const p = typeof percent === 'number' ? String(percent) : typeof percent === 'string' ? percent.trim() : '';
    if (/^\d+(\.\d{1,4})?$/.test(p)) taxRates[code.trim()] = p;
  }
  const org = record(r.organisation);
  const tracking = Array.isArray(org.trackingCategories)
    ? org.trackingCategories
        .map((t) => record(t))
        .filter((t) => typeof t.name === 'string' && t.name.trim() !== '')
        .map((t) => ({ name: String(t.name).trim(), options: strings(t.options) }))
    : [];
  const validate = record(r.validate);
  const debounce = typeof validate.debounceMs === 'number' && validate.debounceMs >= 0 ? Math.min(validate.debounceMs, 5000) : d.validate.debounceMs;
  const max = typeof r.maxDocumentSize === 'number' && r.maxDocumentSize > 0 ? r.maxDocumentSize : d.maxDocumentSize;
  return {
    region,
    taxRates,
    organisation: {
      accounts: strings(org.accounts),
      taxTypes: strings(org.taxTypes),
      trackingCategories: tracking,
      currencies: strings(org.currencies),
      contacts: strings(org.contacts),
    },
    silencedCodes: strings(r.silencedCodes),
    validate: { trigger: validate.trigger === 'onSave' ? 'onSave' : 'onType', debounceMs: debounce },
    maxDocumentSize: max,
  };
}
