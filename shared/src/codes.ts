/**
 * Every diagnostic the engine can produce. The code is the rule id, the diagnostic `code`, the key of its
 * quick fixes and what users list to silence it. Codes are a public contract (CLI JSON): add, never rename.
 */
export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface CodeInfo {
  severity: Severity;
  summary: string;
}

export const CODES = {
  // Well-formedness: the tolerant parser reports one diagnostic at each root cause.
  'xml-empty-document': { severity: 'error', summary: 'The document is empty.' },
  'xml-binary-content': { severity: 'error', summary: 'The document holds characters XML does not allow (binary data).' },
  'xml-unclosed-element': { severity: 'error', summary: 'An element is never closed.' },
  'xml-mismatched-end-tag': { severity: 'error', summary: 'An end tag does not match the element it closes.' },
  'xml-stray-end-tag': { severity: 'error', summary: 'An end tag has no matching start tag.' },
  'xml-malformed-tag': { severity: 'error', summary: 'A tag or attribute is not written as XML requires.' },
  'xml-duplicate-attribute': { severity: 'error', summary: 'An attribute appears twice on one element.' },
  'xml-unterminated': { severity: 'error', summary: 'A comment, CDATA section or processing instruction is never closed.' },
  'xml-doctype': { severity: 'error', summary: 'A DOCTYPE declaration: it is neither processed nor expanded.' },
  'xml-undefined-entity': { severity: 'error', summary: 'An entity reference other than the five predefined ones.' },
  'xml-invalid-character-reference': { severity: 'error', summary: 'A character reference to a character XML does not allow.' },
  'xml-unescaped-ampersand': { severity: 'error', summary: 'A bare & in text or an attribute value.' },
  'xml-multiple-roots': { severity: 'error', summary: 'More than one root element.' },
  'xml-text-outside-root': { severity: 'error', summary: 'Text outside the root element.' },
  'xml-too-deep': { severity: 'error', summary: 'Elements nested deeper than any invoice document needs.' },
  'xml-encoding': { severity: 'warning', summary: 'The declared encoding differs from the one the file was read with.' },
  'diagnostics-capped': { severity: 'information', summary: 'More problems of one kind than are listed; the first ones are shown (the summary takes their severity).' },
  'unknown-document': { severity: 'warning', summary: 'Not a Xero invoice document: nothing was checked.' },

  // Schema (from the XSDs in schemas/).
  'schema-unknown-element': { severity: 'error', summary: 'An element the API does not accept here.' },
  'schema-too-many': { severity: 'error', summary: 'An element appears more often than allowed.' },
  'schema-missing-element': { severity: 'error', summary: 'A required element is missing.' },
  'schema-invalid-value': { severity: 'error', summary: 'A value does not match its type (enumeration, date, decimal, pattern, length).' },
  'schema-unknown-attribute': { severity: 'error', summary: 'An attribute the API does not accept.' },
  'schema-text-not-allowed': { severity: 'error', summary: 'Text inside an element that only holds elements.' },

  // Approval rules, by the status the document is headed to.
  'required-type': { severity: 'error', summary: 'Type is required.' },
  'required-contact': { severity: 'error', summary: 'A Contact with ContactID, ContactNumber or Name is required.' },
  'required-line-items': { severity: 'error', summary: 'At least one line item (an error for approval, a warning for drafts).' },
  'required-due-date': { severity: 'error', summary: 'DueDate is required to approve an invoice.' },
  'required-description': { severity: 'error', summary: 'Each line needs a Description of at least one character.' },
  'required-account': { severity: 'error', summary: 'A line with a quantity or amount needs AccountCode or AccountID for approval.' },
  'required-quantity': { severity: 'error', summary: 'A line with an amount needs a Quantity for approval.' },
  'required-unit-amount': { severity: 'error', summary: 'A line with a quantity needs a UnitAmount or LineAmount for approval.' },
  'required-identifier': { severity: 'error', summary: 'A status change needs InvoiceID or InvoiceNumber.' },
  'status-not-creatable': { severity: 'error', summary: 'Invoices cannot be created as PAID, VOIDED or DELETED.' },
  'status-change-invalid': { severity: 'error', summary: 'A status the API will not set through a status change.' },
  'sent-to-contact-not-approved': { severity: 'error', summary: 'SentToContact can only be set on approved invoices.' },

  // Line rules.
  'quantity-negative': { severity: 'error', summary: 'Quantity must be zero or more; use a negative UnitAmount for a credit line.' },
  'accrec-only': { severity: 'error', summary: 'Reference, DiscountRate and DiscountAmount are for sales invoices (ACCREC) only.' },
  'discount-both': { severity: 'warning', summary: 'A line states both DiscountRate and DiscountAmount.' },

  // Numbers.
  'duplicate-invoice-number': { severity: 'error', summary: 'ACCREC invoice numbers must be unique.' },

  // Totals (decimal arithmetic with Xero's rounding).
  'line-amount-mismatch': { severity: 'error', summary: 'The stated LineAmount differs from Quantity × UnitAmount less discount.' },
  'tax-amount-override': { severity: 'information', summary: 'A stated TaxAmount overrides the computed one.' },
  'subtotal-mismatch': { severity: 'error', summary: 'The stated SubTotal differs from the computed one.' },
  'total-tax-mismatch': { severity: 'error', summary: 'The stated TotalTax differs from the sum of line taxes.' },
  'total-mismatch': { severity: 'error', summary: 'The stated Total differs from the computed one.' },
  'tax-rate-unknown': { severity: 'warning', summary: 'No rate is known for a TaxType, so its tax cannot be computed.' },
  'amount-due-mismatch': { severity: 'warning', summary: 'AmountDue differs from Total − AmountPaid − AmountCredited.' },

  // Organisation lists (from settings or the endpoint).
  'unknown-account-code': { severity: 'error', summary: 'An account code the organisation does not have.' },
  'unknown-tax-type': { severity: 'error', summary: 'A tax type the organisation does not have.' },
  'unknown-tracking-category': { severity: 'error', summary: 'A tracking category or option the organisation does not have.' },
  'unknown-currency': { severity: 'error', summary: 'A currency the organisation is not subscribed to.' },

  // Responses from the API.
  'response-validation-error': { severity: 'error', summary: 'The API rejected this invoice (ValidationErrors in a response).' },

  // WorkflowMax 3.0.
  'wfm-amount-mismatch': { severity: 'error', summary: 'Amount + AmountTax differs from AmountIncludingTax.' },
  'wfm-outstanding-mismatch': { severity: 'error', summary: 'AmountIncludingTax − AmountPaid differs from AmountOutstanding.' },
  'wfm-detail-mismatch': { severity: 'error', summary: 'Task and cost amounts do not add up to the invoice amounts.' },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof CODES;

export function isDiagnosticCode(value: string): value is DiagnosticCode {
  return Object.prototype.hasOwnProperty.call(CODES, value);
}
