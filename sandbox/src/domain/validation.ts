import {
  computeLine,
  InvoiceEngine,
  LineIndex,
  type CheckResult,
  type EngineDiagnostic,
  type LineAmountTypes,
  type XmlElement,
} from '@engine';
import { requestDocument } from '../render/xml';
import { fieldsOf, textOf, type Fields } from './fields';
import { engineOptions, type Organisation } from './organisation';
import { namesOf, type DocKind, type Figures } from './records';

export interface Verdict {
  errors: string[];
  warnings: string[];
  /** Null when the engine could not compute every figure. */
  figures: Figures | null;
  purpose: 'create' | 'statusChange' | 'state' | null;
}

/** A request body the engine has read: its documents (one per Invoice/CreditNote element) and what is wrong with it. */
export interface CheckedBody {
  result: CheckResult;
  root: XmlElement | null;
  documents: { fields: Fields; purpose: Verdict['purpose']; kind: DocKind }[];
  /** Why the body cannot be read at all (not well-formed, a value of the wrong type): ErrorNumber 14. */
  unreadable: string | null;
}

/**
 * Elements Xero deserialises into typed values (dates, numbers, flags, enumerations, GUIDs): a value of the wrong
 * form fails the whole request with ErrorNumber 14 before any rule runs. Other schema problems (lengths, decimal
 * places, unknown codes) are validation errors of their invoice.
 */
const TYPED = new Set([
  'Date', 'DueDate', 'ExpectedPaymentDate', 'PlannedPaymentDate', 'FullyPaidOnDate', 'UpdatedDateUTC', 'Quantity', 'UnitAmount',
  'LineAmount', 'TaxAmount', 'DiscountRate', 'DiscountAmount', 'SubTotal', 'TotalTax', 'Total', 'TotalDiscount', 'CurrencyRate',
  'AmountDue', 'AmountPaid', 'AmountCredited', 'RemainingCredit', 'Amount', 'SentToContact', 'HasAttachments', 'IsDiscounted',
  'IsSupplier', 'IsCustomer', 'LineAmountTypes', 'Type', 'Status', 'CurrencyCode', 'DefaultCurrency', 'ContactStatus', 'AddressType',
  'PhoneType', 'InvoiceID', 'CreditNoteID', 'ContactID', 'LineItemID', 'BrandingThemeID', 'TrackingCategoryID', 'TrackingOptionID',
  'AccountID', 'RepeatingInvoiceID', 'ItemID',
]);
const DATES = new Set(['Date', 'DueDate', 'ExpectedPaymentDate', 'PlannedPaymentDate', 'FullyPaidOnDate', 'UpdatedDateUTC', 'InvoiceDate']);

function typedValueProblem(d: EngineDiagnostic): string | null {
  if (d.code !== 'schema-invalid-value' || !d.data) return null;
  const { kind, element, value } = d.data as { kind?: string; element?: string; value?: string };
  if (!element || !TYPED.has(element) || !value) return null;
  if (kind !== 'format' && kind !== 'enumeration' && kind !== 'pattern') return null;
  // Xero's own words for a date it cannot read (FACTS §1.6).
  if (DATES.has(element)) return `The string '${value}' is not a valid AllXsd value.`;
  return d.message;
}

/**
 * The sandbox's only way into the engine: documents are checked by the same engine, rules and organisation lists
 * as in the editor. Fields (from JSON bodies, merged updates, documents with their defaults filled in) are written
 * back to XML first, so there is one validation path.
 */
/**
 * SubTotal, TotalTax and Total are read-only in the Accounting API; the OAS says of Total "This will be ignored if
 * it doesn't equal the sum of the LineAmounts" (FACTS §1.1). A disagreeing stated figure is a warning naming both.
 */
const IGNORED_STATED_TOTALS = new Set(['subtotal-mismatch', 'total-tax-mismatch', 'total-mismatch']);

export class Validator {
  private readonly engine: InvoiceEngine;
  private readonly rates: ReadonlyMap<string, string>;

  constructor(org: Organisation) {
    this.engine = new InvoiceEngine(engineOptions(org));
    this.rates = this.engine.options.rates;
  }

  /** Reads a request body: well-formedness, its dialect, typed values, and its invoices or credit notes as fields. */
  readBody(text: string): CheckedBody {
    // open(): the invoices' elements are read below (each parsed again from its slice of the text).
    const doc = this.engine.open(text);
    const result = doc.result();
    const root = result.xml.root;
    const lines = new LineIndex(text);
    const at = (d: EngineDiagnostic) => {
      const p = lines.positionAt(d.start);
      return `line ${p.line + 1}, column ${p.character + 1}`;
    };
    let unreadable: string | null = null;
    const malformed = result.diagnostics.find((d) => d.code.startsWith('xml-') && d.severity === 'error');
    if (malformed) unreadable = `The request body is not well-formed XML: ${malformed.message} (${at(malformed)})`;
    else {
      for (const d of result.diagnostics) {
        const problem = typedValueProblem(d);
        if (problem) {
          unreadable = problem;
          break;
        }
      }
    }
    const documents: CheckedBody['documents'] = [];
    if (root && result.dialect !== 'unknown') {
      for (let i = 0; i < doc.invoiceCount; i++) {
        const { target } = doc.invoice(i);
        documents.push({ fields: fieldsOf(target.element), purpose: result.documents[i]?.purpose ?? null, kind: target.kind });
      }
    }
    return { result, root, documents, unreadable };
  }

  /** The engine's verdict on one invoice or credit note, and the figures it computes for it. */
  check(kind: DocKind, fields: Fields): Verdict {
    const text = requestDocument(namesOf(kind).collection, [fields]);
    const result = this.engine.check(text);
    const errors: string[] = [];
    const warnings: string[] = [];
    for (const d of result.diagnostics) {
      if (IGNORED_STATED_TOTALS.has(d.code)) warnings.push(`${d.message.replace(/\.$/, '')}; the stated figure is ignored and the computed one kept.`);
      else if (d.severity === 'error') errors.push(d.message);
      else if (d.severity === 'warning') warnings.push(d.message);
    }
    const doc = result.documents[0];
    let figures: Figures | null = null;
    if (doc && doc.subTotal !== null && doc.totalTax !== null && doc.total !== null && doc.lines.every((l) => l.lineAmount !== null && l.taxAmount !== null)) {
      figures = {
        subTotal: doc.subTotal,
        totalTax: doc.totalTax,
        total: doc.total,
        lines: doc.lines.map((l) => ({ lineAmount: l.lineAmount!, taxAmount: l.taxAmount! })),
      };
    }
    return { errors: dedupe(errors), warnings: dedupe(warnings), figures, purpose: doc?.purpose ?? null };
  }

  /** The tax the engine computes for a line without a stated TaxAmount, to tell an override from a restatement. */
  computedTax(line: Fields, lineAmountTypes: string): string | null {
    const types: LineAmountTypes = lineAmountTypes === 'Inclusive' || lineAmountTypes === 'NoTax' ? lineAmountTypes : 'Exclusive';
    const f = computeLine(
      {
        quantity: textOf(line, 'Quantity'),
        unitAmount: textOf(line, 'UnitAmount'),
        discountRate: textOf(line, 'DiscountRate'),
        discountAmount: textOf(line, 'DiscountAmount'),
        lineAmount: textOf(line, 'LineAmount'),
        taxType: textOf(line, 'TaxType'),
        hasItemCode: !!textOf(line, 'ItemCode'),
      },
      types,
      this.rates,
    );
    return f.computedTaxAmount ? f.computedTaxAmount.toFixed(2) : null;
  }
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}
