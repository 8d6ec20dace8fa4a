/** Dates as the API writes them: `2009-08-30T00:00:00` for days, `2009-08-15T00:18:43.473` for UTC timestamps. */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const MS_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

/**
 * A request date as the stored day `YYYY-MM-DDT00:00:00`. A timestamp with an offset is taken in UTC first,
 * which is why a positive offset lands a day early, as it does in Xero (calcinai/xero-php#177).
 */
export function normalizeDay(raw: string): string | null {
  const v = raw.trim();
  const day = v.slice(0, 10);
  const check = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(check.getTime()) || !check.toISOString().startsWith(day)) return null;
  if (DAY.test(v)) return `${v}T00:00:00`;
  const m = DATE_TIME.exec(v);
  if (!m) return null;
  if (!m[8] || m[8] === 'Z') return `${m[1]}-${m[2]}-${m[3]}T00:00:00`;
  const utc = new Date(v);
  if (Number.isNaN(utc.getTime())) return null;
  return `${utc.toISOString().slice(0, 10)}T00:00:00`;
}

/** `/Date(1539993600000+0000)/` (JSON input) as `2018-10-20T00:00:00`. */
export function fromMsDate(raw: string): string | null {
  const m = MS_DATE.exec(raw.trim());
  if (!m) return null;
  const d = new Date(Number(m[1]));
  return Number.isNaN(d.getTime()) ? null : d.toISOString().slice(0, 19);
}

/** Milliseconds since the epoch of a stored day or timestamp (taken as UTC). */
export function epochMs(value: string): number {
  const v = value.trim();
  const iso = DAY.test(v) ? `${v}T00:00:00Z` : /Z$|[+-]\d{2}:\d{2}$/.test(v) ? v : `${v}Z`;
  return new Date(iso).getTime();
}

/** `/Date(1539993600000+0000)/`, the JSON form of a date. */
export function msDate(value: string): string {
  return `/Date(${epochMs(value)}+0000)/`;
}

/** A UTC timestamp as the XML API writes it: no zone designator, milliseconds. */
export function utcStamp(d: Date): string {
  return d.toISOString().replace(/Z$/, '');
}

/** Today in the organisation's time zone, as a stored day. */
export function todayIn(timeZone: string, now = new Date()): string {
  try {
    const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
    if (DAY.test(day)) return `${day}T00:00:00`;
  } catch {
    // an unknown zone falls back to UTC
  }
  return `${now.toISOString().slice(0, 10)}T00:00:00`;
}

/** A day shifted by whole days. */
export function addDays(day: string, days: number): string {
  const d = new Date(epochMs(day) + days * 86_400_000);
  return `${d.toISOString().slice(0, 10)}T00:00:00`;
}

/** `20 Oct 2018`, for documents people read (PDF, email, online invoice): one definition, shared with the preview. */
export { displayDay } from '../../../shared/src/render/invoice-view';

/** `10/20/2020 04:58:49`, the way Xero's identity service writes an expiry in its messages. */
export function usDateTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** Parses an If-Modified-Since value: `2009-11-12T00:00:00` (UTC), ISO with a zone, or an HTTP date. */
export function parseSince(raw: string | undefined): number | null {
  if (!raw) return null;
  const v = raw.trim();
  if (DAY.test(v) || DATE_TIME.test(v)) {
    const ms = epochMs(v);
    return Number.isNaN(ms) ? null : ms;
  }
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : ms;
}

/** `20090801` (WorkflowMax list parameters) as a stored day. */
export function compactDay(raw: string | null): string | null {
  if (!raw || !/^\d{8}$/.test(raw)) return null;
  const day = `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6, 8)}`;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(day) ? `${day}T00:00:00` : null;
}
