import { EndpointError } from './errors';
import { readErrorBody } from './error-body';
import { redact, redactUrl } from './redact';
import { rmSync } from 'node:fs';
import { humanBytes, sendOnce, TransportError, type RawResponse, type WireRequest } from './transport';

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE';
/** What a successful answer must look like; anything else is "malformed" and retried like a dropped connection. */
export type Expect = 'json' | 'xml' | 'pdf' | 'any';

export interface RateLimitHeaders {
  dayRemaining?: string;
  minuteRemaining?: string;
  appMinuteRemaining?: string;
  problem?: string;
  retryAfter?: string;
}

export interface RequestLogEntry {
  method: HttpMethod;
  /** Path and query, credentials redacted. */
  path: string;
  status: number | null;
  durationMs: number;
  attempt: number;
  rateLimit: RateLimitHeaders;
  /** Why this attempt failed (network, timeout, malformed), when it did. */
  error?: string;
  /** Only when `traceBodies()` is true; redacted. */
  requestBody?: string;
  responseBody?: string;
}

export interface HttpHooks {
  log?(entry: RequestLogEntry): void;
  traceBodies?(): boolean;
  /** Called once a second while a retry waits; `remainingSeconds` counts down to 0. */
  waiting?(info: { remainingSeconds: number; reason: string }): void;
}

export interface HttpRequest {
  method: HttpMethod;
  url: URL;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Sent as `Idempotency-Key`, identical on every retry, so the endpoint applies the request at most once. */
  idempotencyKey?: string;
  expect?: Expect;
  signal?: AbortSignal;
  /** Send the credentials of `authHeaders` (default true; false for the token endpoint itself). */
  auth?: boolean;
  /** Error statuses the caller reads itself (returned, not thrown), e.g. 400 for an answer to show the user. */
  acceptStatus?: number[];
  /**
   * Retries after a failure that may have happened after the endpoint acted (dropped answer, timeout, 5xx,
   * unreadable answer). Default: the client's maxRetries. 0 for a write the endpoint cannot de-duplicate.
   */
  retries?: number;
  /** Called as each attempt goes on the wire (a write cancelled after this has an unknown outcome). */
  onAttempt?: () => void;
  /** Stream a successful answer into this file instead of memory (PDFs); the response then has `saved`. */
  saveTo?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** Where a `saveTo` answer was written, and its size. */
  saved?: { path: string; bytes: number };
  rateLimit: RateLimitHeaders;
  text(): string;
  json<T = unknown>(): T;
}

export interface HttpClientOptions {
  timeoutMs: number;
  /** The largest answer read; beyond it the request fails with "tooLarge" (default 64 MB). */
  maxResponseBytes?: number;
  /** Retries after 5xx, network errors, timeouts and unreadable answers. */
  maxRetries?: number;
  /** Retries after 429 Too Many Requests. */
  max429Retries?: number;
  /** A Retry-After longer than this is not waited for: the error says when to try again. */
  maxRetryAfterSeconds?: number;
  /** First backoff delay; doubled on every retry. */
  backoffMs?: number;
  /** Credentials as headers; `refresh` asks for a new token after a 401. */
  authHeaders?: (refresh: boolean) => Promise<Record<string, string>>;
  /** Whether `authHeaders(true)` can get a different token (client credentials can, a pasted token cannot). */
  canRefreshAuth?: () => boolean;
  /** Values to scrub from every log entry and error message. */
  secrets?: () => readonly string[];
  hooks?: HttpHooks;
  userAgent?: string;
  /** For tests only: a clock-free sleep. */
  sleep?: (ms: number) => Promise<void>;
}

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

function defaultSleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function rateLimitOf(h: Record<string, string | undefined>): RateLimitHeaders {
  const out: RateLimitHeaders = {};
  if (h['x-daylimit-remaining'] !== undefined) out.dayRemaining = h['x-daylimit-remaining'];
  if (h['x-minlimit-remaining'] !== undefined) out.minuteRemaining = h['x-minlimit-remaining'];
  if (h['x-appminlimit-remaining'] !== undefined) out.appMinuteRemaining = h['x-appminlimit-remaining'];
  if (h['x-rate-limit-problem'] !== undefined) out.problem = h['x-rate-limit-problem'];
  if (h['retry-after'] !== undefined) out.retryAfter = h['retry-after'];
  return out;
}

/** Retry-After in seconds (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterSeconds(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.ceil(Number(value));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function looksLike(expect: Expect, body: Buffer): boolean {
  switch (expect) {
    case 'json':
      if (body.length === 0) return true;
      try {
        JSON.parse(body.toString('utf8'));
        return true;
      } catch {
        return false;
      }
    case 'xml':
      return /^(\uFEFF)?\s*</.test(body.subarray(0, 512).toString('utf8'));
    case 'pdf':
      return body.subarray(0, 5).toString('latin1') === '%PDF-';
    default:
      return true;
  }
}

function humanDuration(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  const m = Math.round(seconds / 60);
  return m < 90 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

function rateLimitReason(problem: string | undefined): string {
  switch ((problem ?? '').toLowerCase()) {
    case 'day':
      return "the organisation's daily request limit";
    case 'appminute':
      return "the app's per-minute request limit";
    case 'concurrent':
      return 'the limit of 5 requests at a time';
    default:
      return "the organisation's per-minute request limit";
  }
}

/**
 * HTTP for the configured endpoint: deadlines, bounded retries with backoff for 5xx, dropped connections,
 * timeouts and unreadable answers, waits for 429 as long as Retry-After says (with a countdown), one token
 * refresh after a 401, an Idempotency-Key on every write, and a redacted log entry per attempt.
 */
export class HttpClient {
  private readonly maxRetries: number;
  private readonly max429Retries: number;
  private readonly maxRetryAfterSeconds: number;
  private readonly backoffMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly extraSecrets = new Set<string>();

  constructor(private readonly options: HttpClientOptions) {
    this.maxRetries = options.maxRetries ?? 3;
    this.max429Retries = options.max429Retries ?? 5;
    this.maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? 120;
    this.backoffMs = options.backoffMs ?? 500;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** A credential an API client puts on the wire (query keys, tokens): scrubbed from logs and errors from now on. */
  addSecret(value: string): void {
    if (value) this.extraSecrets.add(value);
  }

  private secrets(): readonly string[] {
    return [...(this.options.secrets?.() ?? []), ...this.extraSecrets];
  }

  private redact(text: string): string {
    return redact(text, this.secrets());
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const expect = req.expect ?? 'any';
    const maxRetries = req.retries ?? this.maxRetries;
    const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
    let failures = 0;
    let waits429 = 0;
    let refreshed = false;
    let refreshNext = false;
    for (let attempt = 1; ; attempt++) {
      this.checkCancelled(req.signal);
      const headers: Record<string, string> = { 'User-Agent': this.options.userAgent ?? 'xero-invoice-vscode', ...(req.headers ?? {}) };
      if (req.idempotencyKey) headers['Idempotency-Key'] = req.idempotencyKey;
      if (req.auth !== false && this.options.authHeaders) Object.assign(headers, await this.options.authHeaders(refreshNext));
      refreshNext = false;
      const maxBytes = this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
      const wire: WireRequest = { method: req.method, url: req.url, headers, body, timeoutMs: this.options.timeoutMs, maxBytes, saveTo: req.saveTo };
      const started = Date.now();
      req.onAttempt?.();
      let raw: RawResponse | undefined;
      let failure: string | undefined;
      let failureKind: 'network' | 'timeout' | 'malformed' | undefined;
      try {
        raw = await sendOnce(wire);
        if (raw.status >= 200 && raw.status < 300 && !looksLike(expect, raw.saved?.head ?? raw.body)) {
          failureKind = 'malformed';
          failure = `the answer was not the ${expect.toUpperCase()} that was expected`;
          if (raw.saved) rmSync(raw.saved.path, { force: true });
        }
      } catch (e) {
        if (!(e instanceof TransportError)) throw e;
        if (e.code === 'tooLarge') {
          this.log(req, attempt, undefined, Date.now() - started, e.message, body);
          // Not retried: the same answer would be as large again.
          throw new EndpointError(
            'tooLarge',
            `The endpoint's answer is larger than the limit of ${humanBytes(maxBytes)} (setting xeroInvoice.endpoint.maxResponseMB); it was not read further. [${req.method} ${redactUrl(req.url, this.secrets())}]`,
            { causeText: e.message },
          );
        }
        failureKind = e.code;
        failure = e.message;
      }
      const durationMs = Date.now() - started;
      this.log(req, attempt, raw, durationMs, failure, body);

      if (failureKind) {
        if (failures < maxRetries) {
          await this.backoff(failures++, `${failure}; retrying`, req.signal);
          continue;
        }
        throw new EndpointError(failureKind, this.failedAfterRetries(req, failureKind, failures + 1, failure!), { causeText: this.redact(failure!) });
      }
      const res = raw!;
      const rateLimit = rateLimitOf(res.headers);
      if ((res.status >= 200 && res.status < 300) || req.acceptStatus?.includes(res.status)) return this.response(res, rateLimit);

      if (res.status === 401 && !refreshed && req.auth !== false && this.options.canRefreshAuth?.()) {
        // A client-credentials token may have expired early (revoked, clock skew): fetch a new one, once.
        refreshed = true;
        refreshNext = true;
        continue;
      }
      if (res.status === 429) {
        const seconds = retryAfterSeconds(res.headers['retry-after']) ?? Math.min(60, 2 ** waits429);
        const reason = rateLimitReason(rateLimit.problem);
        if (waits429 >= this.max429Retries || seconds > this.maxRetryAfterSeconds) {
          throw new EndpointError('rateLimit', `The endpoint refused the request: ${reason} is reached. Try again in ${humanDuration(seconds)}.`, {
            status: 429,
            causeText: `429 Too Many Requests (X-Rate-Limit-Problem: ${rateLimit.problem ?? 'none'}, Retry-After: ${res.headers['retry-after'] ?? 'none'})`,
          });
        }
        waits429++;
        await this.countdown(seconds, `Rate limited (${reason})`, req.signal);
        continue;
      }
      if (RETRYABLE_STATUS.has(res.status) && failures < maxRetries) {
        // A 503 for maintenance may say when to come back: wait that long if it is reasonable.
        const after = retryAfterSeconds(res.headers['retry-after']);
        if (after !== undefined && after * 1000 > this.backoffMs * 2 ** failures && after <= this.maxRetryAfterSeconds) {
          failures++;
          await this.countdown(after, `the endpoint answered ${res.status}`, req.signal);
        } else await this.backoff(failures++, `the endpoint answered ${res.status}; retrying`, req.signal);
        continue;
      }
      throw this.httpError(req, res, failures + 1);
    }
  }

  private response(res: RawResponse, rateLimit: RateLimitHeaders): HttpResponse {
    return {
      status: res.status,
      headers: res.headers,
      body: res.body,
      ...(res.saved ? { saved: { path: res.saved.path, bytes: res.saved.bytes } } : {}),
      rateLimit,
      text: () => res.body.toString('utf8').replace(/^\uFEFF/, ''),
      json: <T>() => (res.body.length ? JSON.parse(res.body.toString('utf8')) : {}) as T,
    };
  }

  private failedAfterRetries(req: HttpRequest, kind: 'network' | 'timeout' | 'malformed', attempts: number, cause: string): string {
    const where = `${req.method} ${redactUrl(req.url, this.secrets())}`;
    const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
    const what =
      kind === 'timeout' ? `The endpoint did not answer in time (${tries})` : kind === 'malformed' ? `The endpoint's answer could not be read (${tries})` : `The endpoint could not be reached (${tries})`;
    return `${what}: ${this.redact(cause)}. [${where}]`;
  }

  private httpError(req: HttpRequest, res: RawResponse, attempts: number): EndpointError {
    const parsed = readErrorBody(res.body.toString('utf8'));
    const statusLine = `${res.status}${parsed.type ? ` ${parsed.type}` : ''}`;
    const causeText = this.redact(`${statusLine}${parsed.message ? `: ${parsed.message}` : ''}`);
    const details = parsed.details.map((d) => this.redact(d));
    const detail = parsed.message ? this.redact(parsed.message) : undefined;
    if (res.status === 401 || res.status === 403) {
      return new EndpointError(
        'auth',
        `The endpoint refused the credentials${detail ? ` (${detail})` : ''}. Set a new access token, or connect with client credentials again.`,
        { status: res.status, causeText },
      );
    }
    if (res.status === 404) return new EndpointError('notFound', `Not found at the endpoint (${redactUrl(req.url, this.secrets())}).`, { status: 404, causeText });
    if (res.status >= 300 && res.status < 400) {
      return new EndpointError('auth', 'The endpoint answered with a redirect (to a login page?): the credentials are probably wrong.', { status: res.status, causeText });
    }
    if (res.status >= 500) {
      const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
      const what = res.status === 501 ? 'does not support this request' : res.status === 503 ? 'is unavailable (maintenance?)' : 'had an internal error';
      return new EndpointError('server', `The endpoint ${what}${tries}${detail ? `: ${detail}` : ''}.`, { status: res.status, details, causeText });
    }
    return new EndpointError('validation', detail ?? `The endpoint rejected the request (HTTP ${res.status}).`, { status: res.status, details, causeText });
  }

  private checkCancelled(signal: AbortSignal | undefined): void {
    if (signal?.aborted) throw new EndpointError('cancelled', 'Cancelled.');
  }

  private async backoff(failures: number, reason: string, signal: AbortSignal | undefined): Promise<void> {
    const ms = this.backoffMs * 2 ** failures;
    this.options.hooks?.waiting?.({ remainingSeconds: Math.ceil(ms / 1000), reason });
    await this.sleep(ms);
    this.checkCancelled(signal);
  }

  private async countdown(seconds: number, reason: string, signal: AbortSignal | undefined): Promise<void> {
    for (let left = seconds; left > 0; left--) {
      this.checkCancelled(signal);
      this.options.hooks?.waiting?.({ remainingSeconds: left, reason });
      await this.sleep(1000);
    }
    this.options.hooks?.waiting?.({ remainingSeconds: 0, reason });
    this.checkCancelled(signal);
  }

  private log(req: HttpRequest, attempt: number, raw: RawResponse | undefined, durationMs: number, failure: string | undefined, body: Buffer | undefined): void {
    const hooks = this.options.hooks;
    if (!hooks?.log) return;
    const entry: RequestLogEntry = {
      method: req.method,
      path: redactUrl(req.url, this.secrets()),
      status: raw?.status ?? null,
      durationMs,
      attempt,
      rateLimit: raw ? rateLimitOf(raw.headers) : {},
    };
    if (failure) entry.error = this.redact(failure);
    if (hooks.traceBodies?.()) {
      if (body) entry.requestBody = this.redact(body.toString('utf8'));
      if (raw) {
        const type = raw.headers['content-type'] ?? '';
        entry.responseBody = raw.saved
          ? `<${raw.saved.bytes} bytes of ${type} written to ${raw.saved.path}>`
          : /pdf|octet-stream/.test(type)
            ? `<${raw.body.length} bytes of ${type}>`
            : this.redact(raw.body.toString('utf8'));
      }
    }
    hooks.log(entry);
  }
}
