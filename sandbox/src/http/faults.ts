import type { ServerResponse } from 'node:http';
import { CONTENT_TYPES, reply, type Reply } from './reply';

/** One failure to inject into the next request. */
export interface FailSpec {
  status?: number;
  drop?: boolean;
  malformed?: boolean;
  /** Drop the connection or garble the body only after the request was carried out (a lost answer). */
  afterProcessing?: boolean;
  /** Answer 200 with a body that never ends (a hostile or broken endpoint). */
  endless?: boolean;
  /** Keep the request waiting, unanswered, until `{"release":true}` (a test acts while a request is on its way). */
  hold?: boolean;
}

export interface FaultSettings {
  latencyMs: number;
  errorRate: number;
  errorStatus: 500 | 503;
  dropRate: number;
  malformedRate: number;
  failNext: FailSpec[];
  /** Requests kept waiting by a `hold` fault, not yet released. */
  held: number;
}

export type FaultAction =
  | { kind: 'none' }
  | { kind: 'error'; status: number }
  | { kind: 'drop'; afterProcessing: boolean }
  | { kind: 'malformed' }
  | { kind: 'endless' }
  | { kind: 'hold' };

export function defaultFaults(): FaultSettings {
  return { latencyMs: 0, errorRate: 0, errorStatus: 500, dropRate: 0, malformedRate: 0, failNext: [], held: 0 };
}

function rate(v: unknown, name: string): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new Error(`${name} must be a number from 0 to 1`);
  return v;
}

/**
 * Faults for testing clients against a flaky API: latency, a share of 500/503 answers, dropped connections and
 * truncated bodies, at random rates or queued for the next requests (`failNext`).
 */
export class Faults {
  settings: FaultSettings = defaultFaults();
  private releases: (() => void)[] = [];

  /** Applies `{ latencyMs, errorRate, errorStatus, dropRate, malformedRate, failNext, release, reset }`; throws on a bad value. */
  configure(input: unknown): void {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('the body must be a JSON object');
    const o = input as Record<string, unknown>;
    const next: FaultSettings = o.reset === true ? defaultFaults() : { ...this.settings, failNext: [...this.settings.failNext] };
    if (o.latencyMs !== undefined) {
      if (typeof o.latencyMs !== 'number' || !(o.latencyMs >= 0 && o.latencyMs <= 60_000)) throw new Error('latencyMs must be a number from 0 to 60000');
      next.latencyMs = o.latencyMs;
    }
    if (o.errorRate !== undefined) next.errorRate = rate(o.errorRate, 'errorRate');
    if (o.dropRate !== undefined) next.dropRate = rate(o.dropRate, 'dropRate');
    if (o.malformedRate !== undefined) next.malformedRate = rate(o.malformedRate, 'malformedRate');
    if (o.errorStatus !== undefined) {
      if (o.errorStatus !== 500 && o.errorStatus !== 503) throw new Error('errorStatus must be 500 or 503');
      next.errorStatus = o.errorStatus;
    }
    if (o.failNext !== undefined) {
      if (!Array.isArray(o.failNext)) throw new Error('failNext must be a list such as [{"status":500},{"drop":true},{"malformed":true}]');
      next.failNext = o.failNext.map((f, i) => {
        if (typeof f !== 'object' || f === null) throw new Error(`failNext[${i}] must be an object`);
        const s = f as Record<string, unknown>;
        const spec: FailSpec = {};
        if (s.status !== undefined) {
          if (typeof s.status !== 'number' || s.status < 400 || s.status > 599) throw new Error(`failNext[${i}].status must be an HTTP error status`);
          spec.status = s.status;
        }
        if (s.drop === true) spec.drop = true;
        if (s.malformed === true) spec.malformed = true;
        if (s.afterProcessing === true) spec.afterProcessing = true;
        if (s.endless === true) spec.endless = true;
        if (s.hold === true) spec.hold = true;
        if (spec.status === undefined && !spec.drop && !spec.malformed && !spec.endless && !spec.hold) throw new Error(`failNext[${i}] needs status, drop, malformed, endless or hold`);
        return spec;
      });
    }
    if (o.release === true || o.reset === true) {
      for (const release of this.releases.splice(0)) release();
      next.held = 0;
    } else next.held = this.releases.length;
    this.settings = next;
  }

  /** Waits until the held requests are released (a control call with `release` or `reset`). */
  hold(): Promise<void> {
    return new Promise((resolve) => {
      this.releases.push(resolve);
      this.settings.held = this.releases.length;
    });
  }

  /** What to do to the next request. */
  next(): FaultAction {
    const s = this.settings;
    const queued = s.failNext.shift();
    if (queued) {
      if (queued.endless) return { kind: 'endless' };
      if (queued.hold) return { kind: 'hold' };
      if (queued.drop) return { kind: 'drop', afterProcessing: !!queued.afterProcessing };
      if (queued.status !== undefined) return { kind: 'error', status: queued.status };
      return { kind: 'malformed' };
    }
    if (s.dropRate > 0 && Math.random() < s.dropRate) return { kind: 'drop', afterProcessing: false };
    if (s.errorRate > 0 && Math.random() < s.errorRate) return { kind: 'error', status: s.errorStatus };
    if (s.malformedRate > 0 && Math.random() < s.malformedRate) return { kind: 'malformed' };
    return { kind: 'none' };
  }
}

export function faultReply(status: number): Reply {
  const body =
    status === 503
      ? { Title: 'Service Unavailable', Status: 503, Detail: 'The Xero API is currently offline for maintenance. (injected by the sandbox)' }
      : { Title: 'An error occurred', Status: status, Detail: 'An error occurred in Xero. Check the API Status page http://status.developer.xero.com for current service status. (injected by the sandbox)' };
  return reply(status, JSON.stringify(body), CONTENT_TYPES.json, status === 503 ? { 'Retry-After': '1' } : {});
}

/** The answer cut off half-way: a body that does not parse. */
export function truncate(r: Reply): Reply {
  if (r.body.length === 0) return { status: 200, headers: { ...r.headers, 'Content-Type': CONTENT_TYPES.xml }, body: Buffer.from('<Response><Status>OK</Sta') };
  return { ...r, body: r.body.subarray(0, Math.max(1, Math.floor(r.body.length / 2))) };
}

/**
 * 200 and a body without end, in the type the client asked for (a PDF header, or an opened JSON/XML list), sent
 * as fast as the client reads it, until the client closes the connection.
 */
export function streamWithoutEnd(res: ServerResponse, accept: string | undefined): void {
  const type = /pdf/.test(accept ?? '') ? CONTENT_TYPES.pdf : /xml/.test(accept ?? '') ? CONTENT_TYPES.xml : CONTENT_TYPES.json;
  const start = type === CONTENT_TYPES.pdf ? '%PDF-1.4\n' : type === CONTENT_TYPES.xml ? '<Response><Invoices>' : '{"Invoices":[';
  const filler = Buffer.alloc(64 * 1024, ' ');
  res.writeHead(200, { 'Content-Type': type });
  res.write(start);
  const pump = () => {
    while (!res.destroyed && res.write(filler));
  };
  res.on('drain', pump);
  pump();
}
