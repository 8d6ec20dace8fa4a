import type { ContactRecord } from '../domain/organisation';
import type { DocRecord } from '../domain/records';
import type { StoredResponse } from './store';

/**
 * Shape checks for what the store reads back from disk: a record file that is JSON but not a record (edited by
 * hand, written by another version) is refused here, so it can be moved aside instead of breaking start-up,
 * listing or creating later. Each answers why the value is not a record, or undefined when it is one.
 */

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function missing(v: Obj, checks: Record<string, (x: unknown) => boolean>): string | undefined {
  const bad = Object.entries(checks).filter(([k, ok]) => !ok(v[k])).map(([k]) => k);
  return bad.length ? `missing or wrong ${bad.join(', ')}` : undefined;
}

const str = (x: unknown) => typeof x === 'string';
const id = (x: unknown) => typeof x === 'string' && x.length > 0;
const int = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 0;
const arrayOf = (each: (x: unknown) => boolean) => (x: unknown) => Array.isArray(x) && x.every(each);
const money = (x: unknown) => typeof x === 'string' && /^-?\d+(\.\d+)?$/.test(x);

export function docRecordProblem(v: unknown, kind: 'invoice' | 'creditNote'): string | undefined {
  if (!isObject(v)) return 'not a JSON object';
  if (v.kind !== kind) return `kind is ${JSON.stringify(v.kind)}, not "${kind}"`;
  return missing(v, {
    id,
    seq: int,
    fields: isObject,
    figures: (f) => isObject(f) && money(f.subTotal) && money(f.totalTax) && money(f.total) && arrayOf(isObject)(f.lines),
    payments: arrayOf((p) => isObject(p) && money(p.Amount) && str(p.Status)),
    allocations: arrayOf((a) => isObject(a) && money(a.Amount) && str(a.invoiceId) && str(a.creditNoteId)),
    sentToContact: (x) => typeof x === 'boolean',
    createdDateUTC: str,
    updatedDateUTC: str,
    history: arrayOf(isObject),
  });
}

export function contactRecordProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'not a JSON object';
  return missing(v, { id, seq: int, fields: isObject, updatedDateUTC: str });
}

export function storedResponseProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'not a JSON object';
  return missing(v, { hash: id, status: int, headers: isObject, body: str, createdUTC: str });
}

export type { ContactRecord, DocRecord, StoredResponse };

export function signInsProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'not a JSON object';
  const bool = (x: unknown) => typeof x === 'boolean';
  return missing(v, {
    grants: arrayOf((g) => isObject(g) && id(g.id) && str(g.clientId) && str(g.scope) && bool(g.revoked) && int(g.lastIssuedAt)),
    refreshTokens: arrayOf((r) => isObject(r) && id(r.sha256) && id(r.grantId) && bool(r.consumed) && int(r.issuedAt)),
  });
}
