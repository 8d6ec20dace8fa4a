import type { EngineOptions } from '@engine';
import type { Fields } from './fields';

export interface Account {
  AccountID: string;
  Code: string;
  Name: string;
  Type: string;
  TaxType: string;
  Class: string;
  Status: 'ACTIVE' | 'ARCHIVED';
  SystemAccount?: string;
  BankAccountNumber?: string;
  EnablePaymentsToAccount: boolean;
  Description?: string;
}

export interface TaxRate {
  Name: string;
  TaxType: string;
  /** Percent, as the engine's rate tables hold it. */
  Rate: string;
  ReportTaxType: string;
  Status: 'ACTIVE' | 'DELETED';
  CanApplyToRevenue: boolean;
  CanApplyToExpenses: boolean;
}

export interface TrackingOption {
  TrackingOptionID: string;
  Name: string;
}

export interface TrackingCategory {
  TrackingCategoryID: string;
  Name: string;
  Options: TrackingOption[];
}

export interface Currency {
  Code: string;
  Description: string;
  /** Units of this currency per unit of the base currency, used when an invoice states no CurrencyRate. */
  Rate: string;
}

export interface Item {
  ItemID: string;
  Code: string;
  Name: string;
  Description: string;
  UnitPrice: string;
  AccountCode: string;
  TaxType: string;
}

export interface Organisation {
  OrganisationID: string;
  Name: string;
  LegalName: string;
  ShortCode: string;
  CountryCode: string;
  BaseCurrency: string;
  /** Xero's own time zone name, and the IANA zone the sandbox computes "today" in. */
  Timezone: string;
  TimeZoneId: string;
  EmailAddress: string;
  AddressLines: string[];
  InvoicePrefix: string;
  CreditNotePrefix: string;
  Accounts: Account[];
  TaxRates: TaxRate[];
  TrackingCategories: TrackingCategory[];
  Currencies: Currency[];
  Items: Item[];
}

/** A contact: its ID and everything sent or seeded for it (Name, EmailAddress, Addresses, Phones, …). */
export interface ContactRecord {
  id: string;
  seq: number;
  fields: Fields;
  updatedDateUTC: string;
}

/** What the engine needs to check documents against this organisation: its region and code lists. */
export function engineOptions(org: Organisation): EngineOptions {
  return {
    region: 'NZ',
    taxRates: Object.fromEntries(org.TaxRates.map((t) => [t.TaxType, t.Rate])),
    organisation: {
      accounts: org.Accounts.filter((a) => a.Status === 'ACTIVE').map((a) => a.Code),
      taxTypes: org.TaxRates.filter((t) => t.Status === 'ACTIVE').map((t) => t.TaxType),
      trackingCategories: org.TrackingCategories.map((c) => ({ name: c.Name, options: c.Options.map((o) => o.Name) })),
      currencies: org.Currencies.map((c) => c.Code),
    },
  };
}

export function accountByCode(org: Organisation, code: string | undefined): Account | undefined {
  if (!code) return undefined;
  const c = code.trim().toLowerCase();
  return org.Accounts.find((a) => a.Code.toLowerCase() === c);
}

export function accountById(org: Organisation, id: string | undefined): Account | undefined {
  if (!id) return undefined;
  const c = id.trim().toLowerCase();
  return org.Accounts.find((a) => a.AccountID === c);
}

export function taxRateOf(org: Organisation, taxType: string | undefined): TaxRate | undefined {
  if (!taxType) return undefined;
  return org.TaxRates.find((t) => t.TaxType === taxType.trim());
}

export function itemByCode(org: Organisation, code: string | undefined): Item | undefined {
  if (!code) return undefined;
  const c = code.trim().toLowerCase();
  return org.Items.find((i) => i.Code.toLowerCase() === c);
}

export function currencyOf(org: Organisation, code: string | undefined): Currency | undefined {
  if (!code) return undefined;
  return org.Currencies.find((c) => c.Code === code.trim().toUpperCase());
}
