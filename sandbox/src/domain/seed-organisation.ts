import type { Fields } from './fields';
import type { Account, Organisation } from './organisation';

/**
 * The seeded New Zealand organisation. IDs are fixed so that requests written against one sandbox work against
 * another; the Region category and two contacts reuse the IDs of Xero's own examples (seed 001).
 */
function account(id: string, Code: string, Name: string, Type: string, TaxType: string, Class: string, extra: Partial<Account> = {}): Account {
  return { AccountID: id, Code, Name, Type, TaxType, Class, Status: 'ACTIVE', EnablePaymentsToAccount: false, ...extra };
}

export function seedOrganisation(organisationId: string): Organisation {
  return {
    OrganisationID: organisationId,
    Name: 'Sandbox Company (NZ)',
    LegalName: 'Sandbox Company Limited',
    ShortCode: '!sBx42',
    CountryCode: 'NZ',
    BaseCurrency: 'NZD',
    Timezone: 'NEWZEALANDSTANDARDTIME',
    TimeZoneId: 'Pacific/Auckland',
    EmailAddress: 'accounts@sandbox-company.example',
    AddressLines: ['Level 1, 23 Taranaki Street', 'Te Aro', 'Wellington 6011', 'New Zealand'],
    InvoicePrefix: 'INV-',
    CreditNotePrefix: 'CN-',
    Accounts: [
      account('5040915e-8ce7-4177-8d08-fde416232f18', '090', 'Business Bank Account', 'BANK', 'NONE', 'ASSET', { BankAccountNumber: '12-3456-0123456-00', EnablePaymentsToAccount: true }),
      account('ceef66a5-a545-413b-9312-78a53caadbc4', '200', 'Sales', 'REVENUE', 'OUTPUT2', 'REVENUE', { Description: 'Income from any normal business activity' }),
      account('9f8b8b9d-0b8a-4b5e-a1b4-6c8a0f3c2d10', '260', 'Other Revenue', 'REVENUE', 'OUTPUT2', 'REVENUE'),
      account('1a2c7d3e-5f60-4b8c-9d0e-2f3a4b5c6d7e', '310', 'Cost of Goods Sold', 'DIRECTCOSTS', 'INPUT2', 'EXPENSE'),
      account('7d05a53d-613d-4eb2-a2fc-dcb6adb80b80', '400', 'Advertising', 'EXPENSE', 'INPUT2', 'EXPENSE'),
      account('b0f4c5e3-8b6a-4c2d-9e1f-0a2b3c4d5e6f', '425', 'Freight & Courier', 'EXPENSE', 'INPUT2', 'EXPENSE'),
      account('d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6', '429', 'General Expenses', 'EXPENSE', 'INPUT2', 'EXPENSE'),
      account('6b2f8c3a-4d5e-4f60-8a1b-2c3d4e5f6a7b', '610', 'Accounts Receivable', 'CURRENT', 'NONE', 'ASSET', { SystemAccount: 'DEBTORS' }),
      account('8c3a9d4b-5e6f-4a71-9b2c-3d4e5f6a7b8c', '800', 'Accounts Payable', 'CURRLIAB', 'NONE', 'LIABILITY', { SystemAccount: 'CREDITORS' }),
      account('9d4bae5c-6f70-4b82-ac3d-4e5f6a7b8c9d', '820', 'GST', 'CURRLIAB', 'NONE', 'LIABILITY', { SystemAccount: 'GST' }),
      account('ae5cbf6d-7081-4c93-bd4e-5f6a7b8c9dae', '860', 'Rounding', 'CURRLIAB', 'NONE', 'LIABILITY', { SystemAccount: 'ROUNDING' }),
    ],
    TaxRates: [
      { Name: 'GST on Income', TaxType: 'OUTPUT2', Rate: '15', ReportTaxType: 'OUTPUT', Status: 'ACTIVE', CanApplyToRevenue: true, CanApplyToExpenses: false },
      { Name: 'GST on Expenses', TaxType: 'INPUT2', Rate: '15', ReportTaxType: 'INPUT', Status: 'ACTIVE', CanApplyToRevenue: false, CanApplyToExpenses: true },
      { Name: 'No GST', TaxType: 'NONE', Rate: '0', ReportTaxType: 'NONE', Status: 'ACTIVE', CanApplyToRevenue: true, CanApplyToExpenses: true },
      { Name: 'Zero Rated', TaxType: 'ZERORATED', Rate: '0', ReportTaxType: 'OUTPUT', Status: 'ACTIVE', CanApplyToRevenue: true, CanApplyToExpenses: false },
      { Name: 'GST Exempt Income', TaxType: 'EXEMPTOUTPUT', Rate: '0', ReportTaxType: 'EXEMPTOUTPUT', Status: 'ACTIVE', CanApplyToRevenue: true, CanApplyToExpenses: false },
      { Name: 'GST Exempt Expenses', TaxType: 'EXEMPTINPUT', Rate: '0', ReportTaxType: 'EXEMPTINPUT', Status: 'ACTIVE', CanApplyToRevenue: false, CanApplyToExpenses: true },
      // The pre-October-2010 12.5 % codes that Xero's own examples (seeds 001, 003, 004) still use.
      { Name: 'GST on Income (12.5%)', TaxType: 'OUTPUT', Rate: '12.5', ReportTaxType: 'OUTPUT', Status: 'ACTIVE', CanApplyToRevenue: true, CanApplyToExpenses: false },
      { Name: 'GST on Expenses (12.5%)', TaxType: 'INPUT', Rate: '12.5', ReportTaxType: 'INPUT', Status: 'ACTIVE', CanApplyToRevenue: false, CanApplyToExpenses: true },
    ],
    TrackingCategories: [
      {
        TrackingCategoryID: 'e2f2f732-e92a-4f3a-9c4d-ee4da0182a13',
        Name: 'Region',
        Options: [
          { TrackingOptionID: '161fdc4f-8f2d-4f3e-9a2c-5b1e0c7d1001', Name: 'North' },
          { TrackingOptionID: '161fdc4f-8f2d-4f3e-9a2c-5b1e0c7d1002', Name: 'South' },
          { TrackingOptionID: '161fdc4f-8f2d-4f3e-9a2c-5b1e0c7d1003', Name: 'East' },
          { TrackingOptionID: '161fdc4f-8f2d-4f3e-9a2c-5b1e0c7d1004', Name: 'West' },
        ],
      },
      {
        TrackingCategoryID: '3a7e5d12-6b8c-4f0e-9d1a-2b3c4d5e6f70',
        Name: 'Department',
        Options: [
          { TrackingOptionID: '3a7e5d12-6b8c-4f0e-9d1a-2b3c4d5e7001', Name: 'Sales' },
          { TrackingOptionID: '3a7e5d12-6b8c-4f0e-9d1a-2b3c4d5e7002', Name: 'Services' },
        ],
      },
      // The category of Xero's own request examples (seeds 001 and 003), so that they are accepted as written.
      {
        TrackingCategoryID: '5c8f1e2d-3a4b-4c5d-8e6f-7a8b9c0d1e2f',
        Name: 'Activity/Workstream',
        Options: [
          { TrackingOptionID: '5c8f1e2d-3a4b-4c5d-8e6f-7a8b9c0d2001', Name: 'Onsite consultancy' },
          { TrackingOptionID: '5c8f1e2d-3a4b-4c5d-8e6f-7a8b9c0d2002', Name: 'Publications' },
        ],
      },
    ],
    Currencies: [
      { Code: 'NZD', Description: 'New Zealand Dollar', Rate: '1.000000' },
      { Code: 'AUD', Description: 'Australian Dollar', Rate: '0.920000' },
      { Code: 'USD', Description: 'United States Dollar', Rate: '0.600000' },
    ],
    Items: [
      // Seed 001's item-code example prices its line from this item.
      { ItemID: '7e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b', Code: '2010-SWEATER-RED', Name: 'Red Sweater', Description: 'Red Sweater', UnitPrice: '59.95', AccountCode: '200', TaxType: 'OUTPUT2' },
      { ItemID: '8f3e4d5c-6b7a-4899-8b1c-2d3e4f5a6b7c', Code: 'CONSULT-HR', Name: 'Consulting hour', Description: 'Consulting, per hour', UnitPrice: '120.00', AccountCode: '200', TaxType: 'OUTPUT2' },
    ],
  };
}

export interface SeedContact {
  id: string;
  fields: Fields;
}

export function seedContacts(): SeedContact[] {
  return [
    {
      id: '8a0b2f6e-1c3d-4e5f-9a7b-0c1d2e3f4a5b',
      fields: {
        ContactNumber: 'ABC-001', Name: 'ABC Limited', FirstName: 'Anna', LastName: 'Baker', EmailAddress: 'accounts@abc.example',
        Addresses: [{ AddressType: 'POBOX', AddressLine1: 'PO Box 1234', City: 'Wellington', PostalCode: '6140', Country: 'New Zealand' }],
        Phones: [{ PhoneType: 'DEFAULT', PhoneNumber: '4721234', PhoneAreaCode: '04', PhoneCountryCode: '64' }],
      },
    },
    {
      id: '025867f1-d741-4d6b-b1af-9ac774b59ba7',
      fields: {
        Name: 'City Agency', EmailAddress: 'accounts@cityagency.example',
        Addresses: [{ AddressType: 'POBOX', AddressLine1: 'L4, CA House', AddressLine2: '14 Boulevard Quay', City: 'Wellington', PostalCode: '6012' }],
      },
    },
    { id: '06638157-fdfa-47f4-91d0-875b5f5c18c6', fields: { Name: 'Marine Systems', EmailAddress: 'ap@marinesystems.example' } },
    { id: '3f1e9d2c-7b6a-4c5d-8e4f-1a2b3c4d5e6f', fields: { Name: 'Bayside Club' } },
    { id: '4a2f0e3d-8c7b-4d6e-9f50-2b3c4d5e6f70', fields: { Name: 'PowerDirect', EmailAddress: 'accounts@powerdirect.example' } },
  ];
}
