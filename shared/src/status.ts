// Xero's status rules for invoices and credit notes, in one place (FACTS.md §2.4 transitions, §4 email
// preconditions): the client's preconditions, the code lenses, the engine's rules and the sandbox all ask here.

export type DocumentStatus = 'DRAFT' | 'SUBMITTED' | 'AUTHORISED' | 'PAID' | 'VOIDED' | 'DELETED';
export type StatusAction = 'send' | 'approve' | 'email' | 'markAsSent' | 'void' | 'delete';

/** Status changes an existing document accepts (FACTS §2.4); the same status is no change. PAID is reached by payments only. */
const TRANSITIONS: Readonly<Record<string, readonly DocumentStatus[]>> = {
  DRAFT: ['SUBMITTED', 'AUTHORISED', 'DELETED'],
  SUBMITTED: ['AUTHORISED', 'DELETED'],
  AUTHORISED: ['VOIDED'],
  PAID: [],
  VOIDED: [],
  DELETED: [],
};

/** The statuses, for membership tests: exactly the six (an object's keys also answer for `constructor` and the like). */
const KNOWN: ReadonlySet<string> = new Set(Object.keys(TRANSITIONS));

/** Whether a Status value is one of Xero's (any other value is the schema's to report, once). */
export function isKnownStatus(status: string | null | undefined): status is DocumentStatus {
  return !!status && KNOWN.has(status);
}

/** What a new document may be created as (PUT/POST /Invoices). */
export const CREATABLE_STATUSES: readonly DocumentStatus[] = ['DRAFT', 'SUBMITTED', 'AUTHORISED'];
/** What a status-change request (identifier + Status) can set. */
export const SETTABLE_STATUSES: readonly DocumentStatus[] = ['SUBMITTED', 'AUTHORISED', 'VOIDED', 'DELETED'];

/** The statuses each action needs the document to be in at the endpoint. */
const ALLOWED: Readonly<Record<StatusAction, readonly DocumentStatus[]>> = {
  // An update of an approved invoice without payments is accepted (Xero-Net#339); PAID is locked.
  send: ['DRAFT', 'SUBMITTED', 'AUTHORISED'],
  approve: ['DRAFT', 'SUBMITTED'],
  // FACTS §4: SUBMITTED, AUTHORISED or PAID; a DRAFT fails (xero-node#209).
  email: ['SUBMITTED', 'AUTHORISED', 'PAID'],
  // SentToContact: approved invoices only (FACTS §4 "Mark sent").
  markAsSent: ['AUTHORISED', 'PAID'],
  void: ['AUTHORISED'],
  delete: ['DRAFT', 'SUBMITTED'],
};

export function canChangeStatus(from: string, to: string): boolean {
  return KNOWN.has(from) && TRANSITIONS[from].includes(to as DocumentStatus);
}

/** Whether a document with this status allows the action (a document the endpoint does not have yet is a DRAFT to be). */
export function allows(status: string | null | undefined, action: StatusAction): boolean {
  return (ALLOWED[action] as readonly string[]).includes(status ?? 'DRAFT');
}

/** VOIDED and DELETED documents take no change at all. */
export function isClosed(status: string | null | undefined): boolean {
  return status === 'VOIDED' || status === 'DELETED';
}

export function isApproved(status: string | null | undefined): boolean {
  return status === 'AUTHORISED' || status === 'PAID';
}

/** What a status request does that cannot be undone: VOIDED voids, DELETED deletes. */
export function destructiveEffect(status: string | null | undefined): 'void' | 'delete' | undefined {
  return status === 'VOIDED' ? 'void' : status === 'DELETED' ? 'delete' : undefined;
}

/** Why a document with this status does not allow the action, in a sentence; undefined when it does. */
export function statusRefusal(status: string | null | undefined, action: StatusAction): string | undefined {
  if (allows(status, action)) return undefined;
  if (!status) return 'its status is not known: approve it first';
  switch (action) {
    case 'email':
    case 'markAsSent':
      if (status === 'DRAFT') return 'it is a draft: approve it first';
      if (status === 'SUBMITTED') return 'it is awaiting approval (SUBMITTED): approve it first';
      return `it is ${status}`;
    case 'approve':
      return isApproved(status) ? `it is already approved (${status})` : `it is ${status}`;
    case 'void':
      if (status === 'DRAFT' || status === 'SUBMITTED') return `it is not approved yet (${status}): delete the draft instead`;
      if (status === 'VOIDED') return 'it is already voided';
      if (status === 'DELETED') return 'it was deleted';
      return status === 'PAID' ? 'it is paid (remove the payment first)' : `it is ${status}`;
    case 'delete':
      if (status === 'DELETED') return 'it is already deleted';
      return isApproved(status) ? `it is approved (${status}): void it instead` : `it is ${status}`;
    default:
      return status === 'PAID' ? 'it is paid: a paid invoice cannot be edited' : `it is ${status}`;
  }
}
