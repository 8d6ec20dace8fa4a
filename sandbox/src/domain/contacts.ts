import { randomUUID } from 'node:crypto';
import { utcStamp } from './dates';
import { valueOf, without, type Fields } from './fields';
import type { ContactRecord } from './organisation';
import { GUID } from './records';
import type { Store } from '../store/store';

export interface ResolvedContact {
  /** What the stored document keeps: ContactID and Name. */
  ref?: Fields;
  /** A contact to create when the document is accepted ("Contacts referenced by Name that do not exist are created"). */
  create?: ContactRecord;
  error?: string;
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

export function contactName(c: ContactRecord): string {
  return valueOf(c.fields, 'Name') ?? '';
}

export function findContactByName(store: Store, name: string): ContactRecord | undefined {
  const n = name.trim().toLowerCase();
  for (const c of store.contacts.values()) {
    if (contactName(c).toLowerCase() === n && (valueOf(c.fields, 'ContactStatus') ?? 'ACTIVE') === 'ACTIVE') return c;
  }
  return undefined;
}

function findByNumber(store: Store, number: string): ContactRecord | undefined {
  for (const c of store.contacts.values()) if (valueOf(c.fields, 'ContactNumber') === number) return c;
  return undefined;
}

function refOf(c: ContactRecord): Fields {
  return { ContactID: c.id, Name: contactName(c) };
}

/**
 * The contact a document refers to: by ContactID, else ContactNumber, else Name (case-insensitive, active
 * contacts). A Name nobody has yet makes a new contact with the details sent, as Xero does.
 */
export function resolveContact(store: Store, sent: Fields, now: Date, type: string): ResolvedContact {
  const id = valueOf(sent, 'ContactID');
  if (id) {
    const c = GUID.test(id) ? store.contacts.get(id.toLowerCase()) : undefined;
    return c ? { ref: refOf(c) } : { error: `The contact with ContactID ${id} does not exist in this organisation.` };
  }
  const number = valueOf(sent, 'ContactNumber');
  if (number) {
    const c = findByNumber(store, number);
    if (c) return { ref: refOf(c) };
  }
  const name = valueOf(sent, 'Name');
  if (!name) {
    return { error: number ? `No contact has the ContactNumber ${number}; send a Name to create one.` : 'A contact needs a ContactID, ContactNumber or Name.' };
  }
  const existing = findContactByName(store, name);
  if (existing) return { ref: refOf(existing) };
  const email = valueOf(sent, 'EmailAddress');
  if (email && !EMAIL.test(email)) return { error: 'Email address must be valid.' };
  const contactId = randomUUID();
  const fields: Fields = { ContactID: contactId, ContactStatus: 'ACTIVE', ...without(sent, ['ContactID', 'ContactStatus', 'UpdatedDateUTC', 'IsSupplier', 'IsCustomer', 'ValidationErrors', 'Warnings']) };
  fields.IsSupplier = type.startsWith('ACCPAY') ? 'true' : 'false';
  fields.IsCustomer = type.startsWith('ACCREC') ? 'true' : 'false';
  const record: ContactRecord = { id: contactId, seq: 0, fields, updatedDateUTC: utcStamp(now) };
  return { ref: { ContactID: contactId, Name: name.trim() }, create: record };
}

export function primaryEmail(c: ContactRecord | undefined): string | undefined {
  return c ? valueOf(c.fields, 'EmailAddress') : undefined;
}

/** The contact persons who get invoice emails too (IncludeInEmails). */
export function ccPeople(c: ContactRecord): { name: string; email: string }[] {
  const people = c.fields.ContactPersons;
  if (!Array.isArray(people)) return [];
  return people
    .filter((p) => valueOf(p, 'IncludeInEmails') === 'true' && valueOf(p, 'EmailAddress'))
    .map((p) => ({ name: [valueOf(p, 'FirstName'), valueOf(p, 'LastName')].filter(Boolean).join(' '), email: valueOf(p, 'EmailAddress')! }));
}

export function newContactRecord(id: string, fields: Fields, now: Date): ContactRecord {
  return { id, seq: 0, fields: { ContactID: id, ContactStatus: 'ACTIVE', ...fields }, updatedDateUTC: utcStamp(now) };
}

/** A created contact gets its place in the store. */
export function addContact(store: Store, c: ContactRecord): ContactRecord {
  c.seq = store.nextSeq();
  store.contacts.set(c.id, c);
  return c;
}
