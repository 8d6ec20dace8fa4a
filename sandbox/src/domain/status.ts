import { CREATABLE_STATUSES, canChangeStatus } from '../../../shared/src/status';

// The transitions and what each status allows live in shared/src/status.ts; here only the sandbox's wording.
export { isApproved, isClosed } from '../../../shared/src/status';

export const NOT_MODIFIABLE = 'Invoice not of valid status for modification';
export const HAS_ALLOCATIONS = 'This document cannot be edited as it has a payment or credit note allocated to it.';
export const REAPPROVE_WITH_ALLOCATIONS = 'The status AUTHORISED cannot be applied to the invoice because it has payments or credit notes allocated to it.';

export function canChange(from: string, to: string): boolean {
  return canChangeStatus(from, to);
}

/** The statuses a document is checked "as" (the engine refuses to create PAID, VOIDED or DELETED documents). */
export function isCheckable(status: string): boolean {
  return (CREATABLE_STATUSES as readonly string[]).includes(status);
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
