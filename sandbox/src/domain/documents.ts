import { randomUUID } from 'node:crypto';
import { Money, isDecimal } from '@engine';
import type { Store } from '../store/store';
import { addContact, contactName, resolveContact, type ResolvedContact } from './contacts';
import { normalizeDay, todayIn, utcStamp } from './dates';
import { cloneFields, groupOf, isGroup, isList, sameValue, textOf, valueOf, without, type Fields } from './fields';
import { Numbering } from './numbering';
import { accountByCode, accountById, currencyOf, itemByCode, type ContactRecord } from './organisation';
import {
  GUID,
  isLocked,
  namesOf,
  numberOf,
  statusOf,
  typeOf,
  ZERO_ID,
  type DocKind,
  type DocRecord,
  type Figures,
  type KindNames,
} from './records';
import { canChange, changeWord, HAS_ALLOCATIONS, isApproved, isCheckable, isClosed, NOT_MODIFIABLE, REAPPROVE_WITH_ALLOCATIONS } from './status';
import type { Validator, Verdict } from './validation';

/** One invoice or credit note of a request body, as sent, with the engine's reading of its purpose. */
export interface SentDocument {
  fields: Fields;
  purpose: Verdict['purpose'];
}

export interface WriteOptions {
  method: 'PUT' | 'POST';
  /** POST /Invoices/{id}: the document the body applies to. */
  target?: DocRecord;
  /** `unitdp=4`: unit amounts keep four decimal places. */
  unitdp4: boolean;
  now: Date;
}

export interface Outcome {
  record?: DocRecord;
  errors: string[];
  warnings: string[];
  /** What an error response echoes: the document as understood, with its ID (all zeros when nothing was created). */
  echo: Fields;
}

/** Records and contacts a request changed: written to disk before the response is sent. */
export class Changes {
  readonly documents = new Set<DocRecord>();
  readonly contacts = new Set<ContactRecord>();

  persist(store: Store): Promise<unknown> {
    return Promise.all([...[...this.documents].map((d) => store.saveDocument(d)), ...[...this.contacts].map((c) => store.saveContact(c))]);
  }
}

/** Response-only and computed fields: never taken from a request (a whole GET payload sent back still works). */
const READ_ONLY = [
  'AmountDue', 'AmountPaid', 'AmountCredited', 'Payments', 'Prepayments', 'Overpayments', 'CreditNotes', 'Allocations',
  'RemainingCredit', 'AppliedAmount', 'UpdatedDateUTC', 'FullyPaidOnDate', 'HasAttachments', 'Attachments', 'IsDiscounted',
  'HasErrors', 'StatusAttributeString', 'ValidationErrors', 'Warnings', 'CISDeduction', 'CISRate', 'RepeatingInvoiceID',
];
/** Stated totals: checked against the computed ones, never stored. */
const STATED = ['SubTotal', 'TotalTax', 'Total', 'TotalDiscount'];
/** What may still change on a document with payments or credit notes allocated to it. */
const FREE_WHEN_LOCKED = ['ExpectedPaymentDate', 'PlannedPaymentDate'];
const DAY_FIELDS = ['Date', 'DueDate', 'ExpectedPaymentDate', 'PlannedPaymentDate'];

function pick(f: Fields, names: string[]): Fields {
  const out: Fields = {};
  for (const n of names) if (f[n] !== undefined) out[n] = f[n];
  return out;
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}

function decimals(v: string): number {
  const i = v.indexOf('.');
  return i < 0 ? 0 : v.length - i - 1;
}

/** Sent lines replace the stored ones; a sent line with the LineItemID of a stored line updates that line. */
function mergeLines(stored: Fields[], sent: Fields[]): Fields[] {
  return sent.map((line) => {
    const id = valueOf(line, 'LineItemID')?.toLowerCase();
    const previous = id ? stored.find((s) => valueOf(s, 'LineItemID') === id) : undefined;
    return previous ? { ...cloneFields(previous), ...cloneFields(line), LineItemID: id! } : cloneFields(line);
  });
}

function mergeFields(stored: Fields, sent: Fields): Fields {
  const out = cloneFields(stored);
  for (const [k, v] of Object.entries(sent)) {
    if (k === 'LineItems' && isList(v)) out.LineItems = mergeLines(isList(stored.LineItems) ? stored.LineItems : [], v);
    else out[k] = structuredClone(v);
  }
  return out;
}

/**
 * Creates, updates and changes the status of invoices and credit notes with Xero's rules: the engine's verdict
 * on the document as it will be, plus what only the organisation knows (existing numbers, statuses, payments).
 */
export class Documents {
  readonly numbering: Numbering;

  constructor(
    readonly store: Store,
    readonly validator: Validator,
    readonly user: string,
  ) {
    this.numbering = new Numbering(store);
  }

  list(kind: DocKind): DocRecord[] {
    return [...this.store.documents.values()].filter((d) => d.kind === kind);
  }

  /** By ID, or by number (the live document when a deleted draft had the same number). */
  find(kind: DocKind, key: string): DocRecord | undefined {
    const k = key.trim();
    if (GUID.test(k)) {
      const d = this.store.documents.get(k.toLowerCase());
      return d?.kind === kind ? d : undefined;
    }
    return this.findByNumber(kind, k) ?? this.list(kind).find((d) => numberOf(d)?.toLowerCase() === k.toLowerCase());
  }

  findByNumber(kind: DocKind, number: string): DocRecord | undefined {
    const n = number.trim().toLowerCase();
    const live = this.list(kind).filter((d) => numberOf(d)?.toLowerCase() === n && statusOf(d) !== 'DELETED');
    return live.find((d) => typeOf(d) === namesOf(kind).salesType) ?? live[0];
  }

  /** ACCREC numbers are unique across the organisation; a deleted draft's number may be used again. */
  private numberTaken(number: string, except?: DocRecord): boolean {
    const n = number.trim().toLowerCase();
    return this.list('invoice').some((d) => d !== except && typeOf(d) === 'ACCREC' && statusOf(d) !== 'DELETED' && numberOf(d)?.toLowerCase() === n);
  }

  /** Applies every document of a request in order, then writes what changed before anything is answered. */
  async write(kind: DocKind, sent: SentDocument[], opts: WriteOptions): Promise<Outcome[]> {
    const changes = new Changes();
    const names = namesOf(kind);
    const outcomes = sent.map((s) => this.apply(names, s, opts, changes));
    await changes.persist(this.store);
    return outcomes;
  }

  private apply(names: KindNames, s: SentDocument, opts: WriteOptions, changes: Changes): Outcome {
    const f = cloneFields(s.fields);
    if (opts.target && !valueOf(f, names.idField) && !valueOf(f, names.numberField)) f[names.idField] = opts.target.id;
    const id = valueOf(f, names.idField);
    const number = valueOf(f, names.numberField);
    const type = valueOf(f, 'Type');
    const what = names.label.toLowerCase();
    const fail = (message: string): Outcome => ({ errors: [message], warnings: [], echo: this.echoOf(names, f, null, opts.target?.id) });
    let target = opts.target;
    if (target) {
      if (id && id.toLowerCase() !== target.id) return fail(`The ${names.idField} ${id} in the body is not the ${what} of the URL (${target.id}).`);
    } else if (id) {
      const found = this.store.documents.get(id.toLowerCase());
      const match = found?.kind === names.kind ? found : undefined;
      if (opts.method === 'PUT') {
        return fail(match ? `${names.label} ${id} already exists: PUT only creates; send changes with POST.` : `${names.idField} is generated by Xero and cannot be sent to create a ${what}.`);
      }
      if (!match) return fail(`The ${what} with ${names.idField} ${id} could not be found.`);
      target = match;
    } else if (number && opts.method === 'POST' && (!type || type === names.salesType)) {
      target = this.findByNumber(names.kind, number);
    }
    if (s.purpose === 'statusChange' && !target) {
      if (!id && !number) return { errors: this.validator.check(names.kind, f).errors, warnings: [], echo: this.echoOf(names, f, null) };
      if (opts.method === 'PUT') return fail(`PUT only creates: change the status of ${what} ${number ?? id} with POST.`);
      return fail(`${names.label} ${number ?? id} could not be found.`);
    }
    if (!target) return this.create(names, f, opts, changes);
    const statusOnly = s.purpose === 'statusChange' && Object.keys(f).every((k) => [names.idField, names.numberField, 'Status', 'SentToContact'].includes(k));
    return statusOnly ? this.changeStatus(names, target, f, opts, changes) : this.update(names, target, f, opts, changes);
  }

  private create(names: KindNames, sent: Fields, opts: WriteOptions, changes: Changes): Outcome {
    const org = this.store.org;
    const errors: string[] = [];
    const warnings: string[] = [];
    const work = without(sent, [...READ_ONLY, ...STATED, names.idField, 'SentToContact']);
    const stated = pick(sent, STATED);
    const sentToContact = valueOf(sent, 'SentToContact');
    const type = valueOf(work, 'Type') ?? '';
    this.normalizeDates(names, work, errors, warnings);
    if (work.Status === undefined) work.Status = 'DRAFT';
    if (!valueOf(work, 'Date') && !errors.length) work.Date = todayIn(org.TimeZoneId, opts.now);
    if (work.LineAmountTypes === undefined) work.LineAmountTypes = 'Exclusive';
    this.currencyDefaults(work);
    const autoNumbered = type === names.salesType && !valueOf(work, names.numberField);
    if (autoNumbered) work[names.numberField] = this.numbering.peek(names.kind);
    const contact: ResolvedContact = isGroup(work.Contact) ? resolveContact(this.store, work.Contact, opts.now, type) : {};
    if (contact.error) errors.push(contact.error);
    this.roundUnitAmounts(work, opts, warnings);
    this.prepareLines(work, errors);
    const check: Fields = { ...work, ...stated };
    if (contact.ref && isGroup(work.Contact)) check.Contact = { ...work.Contact, ContactID: contact.ref.ContactID as string };
    if (sentToContact !== undefined) check.SentToContact = sentToContact;
    const verdict = this.validator.check(names.kind, check);
    errors.push(...verdict.errors);
    warnings.push(...verdict.warnings);
    const number = valueOf(work, names.numberField);
    if (names.kind === 'invoice' && type === 'ACCREC' && number && this.numberTaken(number)) errors.push('Invoice # must be unique.');
    if (!verdict.figures && errors.length === 0) errors.push(`The totals of this ${names.label.toLowerCase()} cannot be computed: give every line with an amount an AccountCode or a TaxType the organisation has.`);
    // A number handed out for a document that was not created is not its number: the next document gets it.
    if (errors.length) return { errors: dedupe(errors), warnings: dedupe(warnings), echo: this.echoOf(names, autoNumbered ? without(check, [names.numberField]) : check, verdict.figures) };

    if (contact.create) changes.contacts.add(addContact(this.store, contact.create));
    const stamp = utcStamp(opts.now);
    const rec: DocRecord = {
      kind: names.kind,
      id: randomUUID(),
      seq: this.store.nextSeq(),
      fields: this.storedForm(work, contact.ref),
      figures: verdict.figures!,
      payments: [],
      allocations: [],
      sentToContact: sentToContact === 'true' || sentToContact === '1',
      createdDateUTC: stamp,
      updatedDateUTC: stamp,
      history: [],
    };
    this.numbering.taken(names.kind, number);
    this.store.documents.set(rec.id, rec);
    this.addHistory(rec, 'Created', opts.now);
    if (statusOf(rec) !== 'DRAFT') this.addHistory(rec, changeWord(statusOf(rec)), opts.now);
    changes.documents.add(rec);
    return { record: rec, errors: [], warnings: dedupe(warnings), echo: {} };
  }

  private update(names: KindNames, target: DocRecord, sent: Fields, opts: WriteOptions, changes: Changes): Outcome {
    const errors: string[] = [];
    const warnings: string[] = [];
    const current = statusOf(target);
    const work = without(sent, [...READ_ONLY, ...STATED, names.idField, 'SentToContact']);
    const stated = pick(sent, STATED);
    const sentToContact = valueOf(sent, 'SentToContact');
    const fail = (message: string): Outcome => ({ errors: [message], warnings: [], echo: this.echoOf(names, { ...target.fields, ...work }, null, target.id) });
    if (isClosed(current)) return fail(NOT_MODIFIABLE);
    if (valueOf(work, names.numberField)?.toLowerCase() === numberOf(target)?.toLowerCase()) delete work[names.numberField];
    const next = valueOf(work, 'Status') ?? current;
    if (next === current) delete work.Status;

    if (isLocked(target) || current === 'PAID') {
      const changed = Object.keys(work).filter((k) => !FREE_WHEN_LOCKED.includes(k) && !sameValue(work[k], target.fields[k]));
      if (changed.length > 0 || next !== current) return fail(valueOf(sent, 'Status') === 'AUTHORISED' ? REAPPROVE_WITH_ALLOCATIONS : HAS_ALLOCATIONS);
      this.normalizeDates(names, work, errors, warnings);
      if (errors.length) return fail(errors[0]);
      const edited = FREE_WHEN_LOCKED.some((k) => work[k] !== undefined && !sameValue(work[k], target.fields[k]));
      Object.assign(target.fields, pick(work, FREE_WHEN_LOCKED));
      if (sentToContact !== undefined) target.sentToContact = sentToContact === 'true' || sentToContact === '1';
      if (edited) {
        target.updatedDateUTC = utcStamp(opts.now);
        this.addHistory(target, 'Edited', opts.now);
      }
      changes.documents.add(target);
      return { record: target, errors: [], warnings: [], echo: {} };
    }
    if (next !== current && !canChange(current, next)) return fail(NOT_MODIFIABLE);

    this.normalizeDates(names, work, errors, warnings);
    this.roundUnitAmounts(work, opts, warnings);
    const merged = mergeFields(target.fields, work);
    if (work.CurrencyCode !== undefined && work.CurrencyRate === undefined) delete merged.CurrencyRate;
    this.currencyDefaults(merged);
    const type = valueOf(merged, 'Type') ?? '';
    let contact: ResolvedContact = {};
    let contactCheck = groupOf(target.fields, 'Contact');
    if (isGroup(work.Contact)) {
      contact = resolveContact(this.store, work.Contact, opts.now, type);
      if (contact.error) errors.push(contact.error);
      contactCheck = contact.ref ? { ...work.Contact, ContactID: contact.ref.ContactID as string } : work.Contact;
    }
    if (type === names.salesType && !valueOf(merged, names.numberField)) merged[names.numberField] = this.numbering.peek(names.kind);
    this.prepareLines(merged, errors);
    const check: Fields = { ...merged, Status: isCheckable(next) ? next : current, ...stated };
    if (contactCheck) check.Contact = contactCheck;
    if (sentToContact !== undefined) check.SentToContact = sentToContact;
    const verdict = this.validator.check(names.kind, check);
    errors.push(...verdict.errors);
    warnings.push(...verdict.warnings);
    const number = valueOf(merged, names.numberField);
    if (names.kind === 'invoice' && type === 'ACCREC' && number && number.toLowerCase() !== numberOf(target)?.toLowerCase() && this.numberTaken(number, target)) {
      errors.push('Invoice # must be unique.');
    }
    if (!verdict.figures && errors.length === 0) errors.push(`The totals of this ${names.label.toLowerCase()} cannot be computed.`);
    if (errors.length) return { errors: dedupe(errors), warnings: dedupe(warnings), echo: this.echoOf(names, check, verdict.figures, target.id) };

    if (contact.create) changes.contacts.add(addContact(this.store, contact.create));
    const edited = Object.keys(work).some((k) => k !== 'Status');
    target.fields = this.storedForm({ ...merged, Status: next }, contact.ref ?? groupOf(target.fields, 'Contact'));
    target.figures = verdict.figures!;
    if (sentToContact !== undefined) target.sentToContact = sentToContact === 'true' || sentToContact === '1';
    target.updatedDateUTC = utcStamp(opts.now);
    this.numbering.taken(names.kind, number);
    if (edited) this.addHistory(target, 'Edited', opts.now);
    if (next !== current) this.addHistory(target, changeWord(next), opts.now);
    changes.documents.add(target);
    return { record: target, errors: [], warnings: dedupe(warnings), echo: {} };
  }

  /** `<InvoiceNumber>INV-123</InvoiceNumber><Status>VOIDED</Status>`, or SentToContact: approve, void, delete, mark sent. */
  private changeStatus(names: KindNames, target: DocRecord, sent: Fields, opts: WriteOptions, changes: Changes): Outcome {
    const current = statusOf(target);
    const sentStatus = valueOf(sent, 'Status');
    const sentToContact = valueOf(sent, 'SentToContact');
    const next = sentStatus ?? current;
    const fail = (errors: string[]): Outcome => ({ errors, warnings: [], echo: this.echoOf(names, { ...target.fields, ...sent }, null, target.id) });
    const own = this.validator.check(names.kind, sent);
    if (own.errors.length) return fail(own.errors);
    if (isClosed(current)) return fail([NOT_MODIFIABLE]);
    if (sentStatus && (isLocked(target) || current === 'PAID')) return fail([sentStatus === 'AUTHORISED' ? REAPPROVE_WITH_ALLOCATIONS : HAS_ALLOCATIONS]);
    if (next !== current && !canChange(current, next)) return fail([NOT_MODIFIABLE]);
    const marking = sentToContact === 'true' || sentToContact === '1';
    if (marking && !isApproved(next)) return fail([`SentToContact can only be set on an approved invoice; this one is ${next}.`]);
    let warnings: string[] = [];
    if (next !== current && (next === 'SUBMITTED' || next === 'AUTHORISED')) {
      const check = { ...target.fields, Status: next };
      const verdict = this.validator.check(names.kind, check);
      if (verdict.errors.length || !verdict.figures) {
        return { errors: verdict.errors.length ? verdict.errors : ['The totals cannot be computed.'], warnings: verdict.warnings, echo: this.echoOf(names, check, verdict.figures, target.id) };
      }
      target.figures = verdict.figures;
      warnings = verdict.warnings;
    }
    if (sentToContact !== undefined) target.sentToContact = marking;
    if (next !== current) {
      target.fields.Status = next;
      // Marking as sent alone leaves UpdatedDateUTC as it was, as Xero does (an If-Modified-Since poll misses it).
      target.updatedDateUTC = utcStamp(opts.now);
      this.addHistory(target, changeWord(next), opts.now);
    } else if (sentToContact !== undefined) {
      this.addHistory(target, 'Edited', opts.now, marking ? 'Marked as sent.' : 'Marked as not sent.');
    }
    changes.documents.add(target);
    return { record: target, errors: [], warnings, echo: {} };
  }

  /** Dates as stored days; `<Date></Date>` is Xero's "The Date field must be specified." */
  private normalizeDates(names: KindNames, work: Fields, errors: string[], warnings: string[]): void {
    for (const k of DAY_FIELDS) {
      const v = work[k];
      if (typeof v !== 'string') continue;
      if (v.trim() === '') {
        if (k === 'Date') errors.push('The Date field must be specified.');
        delete work[k];
        continue;
      }
      const day = normalizeDay(v);
      if (day) work[k] = day;
    }
    if (names.kind === 'creditNote' && work.DueDate !== undefined) {
      delete work.DueDate;
      warnings.push('A credit note has no DueDate; it was ignored.');
    }
  }

  private currencyDefaults(work: Fields): void {
    const org = this.store.org;
    if (!valueOf(work, 'CurrencyCode')) work.CurrencyCode = org.BaseCurrency;
    if (!valueOf(work, 'CurrencyRate')) {
      const c = currencyOf(org, valueOf(work, 'CurrencyCode'));
      if (c && c.Code !== org.BaseCurrency) work.CurrencyRate = c.Rate;
    }
  }

  /** Without unitdp=4, unit amounts are rounded to 2 decimal places, as the API does. */
  private roundUnitAmounts(work: Fields, opts: WriteOptions, warnings: string[]): void {
    if (opts.unitdp4 || !isList(work.LineItems)) return;
    work.LineItems.forEach((line, i) => {
      const u = valueOf(line, 'UnitAmount');
      if (!u || !isDecimal(u) || decimals(u) <= 2) return;
      const rounded = new Money(u).toFixed(2);
      if (new Money(u).eq(rounded)) return;
      warnings.push(`Line ${i + 1}: UnitAmount ${u} was rounded to ${rounded}; send unitdp=4 to keep four decimal places.`);
      line.UnitAmount = rounded;
    });
  }

  /**
   * What Xero fills in on each line: a LineItemID, the item's price, account and tax for an ItemCode, the
   * account's default TaxType, the code of an AccountID, tracking IDs and names.
   */
  private prepareLines(work: Fields, errors: string[]): void {
    if (!isList(work.LineItems)) return;
    const org = this.store.org;
    work.LineItems = work.LineItems.map((line, i) => {
      const n = i + 1;
      const id = valueOf(line, 'LineItemID');
      const l: Fields = { LineItemID: id && GUID.test(id) ? id.toLowerCase() : randomUUID(), ...without(line, ['LineItemID', 'ValidationErrors', 'Warnings']) };
      const code = valueOf(l, 'ItemCode');
      if (code) {
        const item = itemByCode(org, code);
        if (!item) errors.push(`Item code '${code}' is not valid.`);
        else {
          l.ItemCode = item.Code;
          if (!valueOf(l, 'Description')) l.Description = item.Description;
          if (l.UnitAmount === undefined && l.LineAmount === undefined) l.UnitAmount = item.UnitPrice;
          if (!valueOf(l, 'AccountCode') && !valueOf(l, 'AccountID')) l.AccountCode = item.AccountCode;
          if (!valueOf(l, 'TaxType')) l.TaxType = item.TaxType;
        }
      }
      const accountId = valueOf(l, 'AccountID');
      if (accountId) {
        const a = accountById(org, accountId);
        const code = valueOf(l, 'AccountCode');
        if (!a || (code && code.toLowerCase() !== a.Code.toLowerCase())) errors.push(`Account must be valid. (line ${n}: AccountID ${accountId})`);
        else {
          l.AccountCode = a.Code;
          l.AccountID = a.AccountID;
        }
      }
      if (l.Quantity === undefined && l.UnitAmount === undefined && valueOf(l, 'LineAmount')) {
        l.Quantity = '1';
        l.UnitAmount = textOf(l, 'LineAmount')!;
      }
      const priced = ['Quantity', 'UnitAmount', 'LineAmount', 'AccountCode'].some((k) => valueOf(l, k) !== undefined);
      if (!valueOf(l, 'TaxType') && priced) l.TaxType = accountByCode(org, valueOf(l, 'AccountCode'))?.TaxType ?? 'NONE';
      if (isList(l.Tracking)) l.Tracking = l.Tracking.map((tc) => this.tracking(tc, n, errors));
      return l;
    });
  }

  private tracking(tc: Fields, line: number, errors: string[]): Fields {
    const org = this.store.org;
    const categoryId = valueOf(tc, 'TrackingCategoryID');
    const name = valueOf(tc, 'Name');
    const category = categoryId
      ? org.TrackingCategories.find((c) => c.TrackingCategoryID === categoryId.toLowerCase())
      : name
        ? org.TrackingCategories.find((c) => c.Name.toLowerCase() === name.toLowerCase())
        : undefined;
    if (categoryId && !category) {
      errors.push(`Line ${line}: TrackingCategoryID ${categoryId} is not a tracking category of this organisation.`);
      return tc;
    }
    if (!category) return tc;
    if (name && name.toLowerCase() !== category.Name.toLowerCase()) {
      errors.push(`Line ${line}: tracking category ${category.TrackingCategoryID} is '${category.Name}', not '${name}'.`);
      return tc;
    }
    const optionId = valueOf(tc, 'TrackingOptionID');
    const optionName = valueOf(tc, 'Option');
    const option = optionId
      ? category.Options.find((o) => o.TrackingOptionID === optionId.toLowerCase())
      : optionName
        ? category.Options.find((o) => o.Name.toLowerCase() === optionName.toLowerCase())
        : undefined;
    if (optionId && !option) {
      errors.push(`Line ${line}: TrackingOptionID ${optionId} is not an option of tracking category '${category.Name}'.`);
      return tc;
    }
    const out: Fields = { TrackingCategoryID: category.TrackingCategoryID };
    if (option) out.TrackingOptionID = option.TrackingOptionID;
    out.Name = category.Name;
    if (option) out.Option = option.Name;
    else if (optionName) out.Option = optionName;
    return out;
  }

  /** Fields as kept: the contact as a reference, and no line figure that is only a restatement of the computed one. */
  private storedForm(work: Fields, contactRef: Fields | undefined): Fields {
    const out = without(work, ['SentToContact', ...STATED]);
    if (contactRef) out.Contact = contactRef;
    const types = valueOf(out, 'LineAmountTypes') ?? 'Exclusive';
    if (isList(out.LineItems)) {
      out.LineItems = out.LineItems.map((line) => {
        const l = { ...line };
        if (valueOf(l, 'Quantity') !== undefined && valueOf(l, 'UnitAmount') !== undefined) delete l.LineAmount;
        const stated = valueOf(l, 'TaxAmount');
        if (stated !== undefined) {
          const computed = this.validator.computedTax(without(l, ['TaxAmount']), types);
          if (computed !== null && sameValue(stated, computed)) delete l.TaxAmount;
        }
        return l;
      });
    }
    return out;
  }

  /** A document as an error response echoes it: with its ID (all zeros when none was created) and any figures computed. */
  echoOf(names: KindNames, fields: Fields, figures: Figures | null, id?: string): Fields {
    const echo = without(fields, [names.idField]);
    const out: Fields = { [names.idField]: id ?? ZERO_ID, ...echo };
    if (figures) {
      if (isList(out.LineItems)) {
        out.LineItems = out.LineItems.map((l, i) => {
          const f = figures.lines[i];
          return f ? { ...l, TaxAmount: valueOf(l, 'TaxAmount') ?? f.taxAmount, LineAmount: f.lineAmount } : l;
        });
      }
      out.SubTotal = figures.subTotal;
      out.TotalTax = figures.totalTax;
      out.Total = figures.total;
    }
    return out;
  }

  describe(rec: DocRecord): string {
    const contact = groupOf(rec.fields, 'Contact');
    const name = (contact && valueOf(contact, 'ContactID') && this.store.contacts.get(valueOf(contact, 'ContactID')!)) || undefined;
    const who = name ? contactName(name) : (valueOf(contact, 'Name') ?? '');
    const bill = typeOf(rec).startsWith('ACCPAY');
    return `${numberOf(rec) ?? 'No number'} ${bill ? 'from' : 'to'} ${who} for ${rec.figures.total}.`;
  }

  addHistory(rec: DocRecord, changes: string, now: Date, details?: string): void {
    rec.history.push({ Changes: changes, DateUTC: utcStamp(now), User: this.user, Details: details ?? this.describe(rec) });
  }
}
