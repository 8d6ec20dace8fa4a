/** Status changes an existing invoice or credit note accepts (FACTS §2.4); the same status is no change. */
const NEXT: Readonly<Record<string, readonly string[]>> = {
  DRAFT: ['SUBMITTED', 'AUTHORISED', 'DELETED'],
  SUBMITTED: ['AUTHORISED', 'DELETED'],
  AUTHORISED: ['VOIDED'],
  PAID: [],
  VOIDED: [],
  DELETED: [],
};

export const NOT_MODIFIABLE = 'Invoice not of valid status for modification';
export const HAS_ALLOCATIONS = 'This document cannot be edited as it has a payment or credit note allocated to it.';
export const REAPPROVE_WITH_ALLOCATIONS = 'The status AUTHORISED cannot be applied to the invoice because it has payments or credit notes allocated to it.';

export function canChange(from: string, to: string): boolean {
  return (NEXT[from] ?? []).includes(to);
}

/** VOIDED and DELETED documents take no change at all. */
export function isClosed(status: string): boolean {
  return status === 'VOIDED' || status === 'DELETED';
}

/** Approved: what SentToContact and emailing need. */
export function isApproved(status: string): boolean {
  return status === 'AUTHORISED' || status === 'PAID';
}

/** The statuses a document is checked "as" (the engine refuses to create PAID, VOIDED or DELETED documents). */
export function isCheckable(status: string): boolean {
  return status === 'DRAFT' || status === 'SUBMITTED' || status === 'AUTHORISED';
}

/** The history entry a status change writes. */
export function changeWord(status: string): string {
  switch (status) {
    case 'SUBMITTED':
      return 'Submitted';
    case 'AUTHORISED':
      return 'Approved';
    case 'VOIDED':
      return 'Voided';
    case 'DELETED':
      return 'Deleted';
    case 'PAID':
      return 'Paid';
    default:
      return 'Edited';
  }
}
