export interface RateLimits {
  perMinute: number;
  perDay: number;
  /** Across every tenant of the app. */
  appPerMinute: number;
  /** Calls in progress at one time per tenant. */
  concurrent: number;
}

export interface RateDecision {
  allowed: boolean;
  problem?: 'minute' | 'day' | 'appminute';
  retryAfterSeconds?: number;
  headers: Record<string, string>;
}

interface Window {
  start: number;
  count: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * Xero's limits per tenant (60 a minute, 5,000 a day) and per app (10,000 a minute), in fixed windows aligned to
 * the clock (xero-node#634): every answer carries what is left, a refused one says which limit and how long to wait.
 */
export class RateLimiter {
  private minute = new Map<string, Window>();
  private day = new Map<string, Window>();
  private app: Window = { start: 0, count: 0 };
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly limits: RateLimits) {}

  private window(map: Map<string, Window>, tenant: string, size: number, now: number): Window {
    const start = Math.floor(now / size) * size;
    let w = map.get(tenant);
    if (!w || w.start !== start) {
      w = { start, count: 0 };
      map.set(tenant, w);
    }
    return w;
  }

  /** A slot among the tenant's concurrent calls (xero-node#634: "Concurrent Limit: 5 calls in progress at one time"); false when all are taken. */
  enter(tenant: string): boolean {
    const n = this.inFlight.get(tenant) ?? 0;
    if (n >= this.limits.concurrent) return false;
    this.inFlight.set(tenant, n + 1);
    return true;
  }

  leave(tenant: string): void {
    const n = (this.inFlight.get(tenant) ?? 1) - 1;
    if (n <= 0) this.inFlight.delete(tenant);
    else this.inFlight.set(tenant, n);
  }

  take(tenant: string, now: Date): RateDecision {
    const t = now.getTime();
    const minute = this.window(this.minute, tenant, MINUTE, t);
    const day = this.window(this.day, tenant, DAY, t);
    const appStart = Math.floor(t / MINUTE) * MINUTE;
    if (this.app.start !== appStart) this.app = { start: appStart, count: 0 };
    const headers = () => ({
      'X-MinLimit-Remaining': String(Math.max(0, this.limits.perMinute - minute.count)),
      'X-DayLimit-Remaining': String(Math.max(0, this.limits.perDay - day.count)),
      'X-AppMinLimit-Remaining': String(Math.max(0, this.limits.appPerMinute - this.app.count)),
    });
    const refuse = (problem: RateDecision['problem'], windowEnd: number): RateDecision => {
      const retry = Math.max(1, Math.ceil((windowEnd - t) / 1000));
      return { allowed: false, problem, retryAfterSeconds: retry, headers: { ...headers(), 'Retry-After': String(retry), 'X-Rate-Limit-Problem': problem! } };
    };
    if (day.count >= this.limits.perDay) return refuse('day', day.start + DAY);
    if (minute.count >= this.limits.perMinute) return refuse('minute', minute.start + MINUTE);
    if (this.app.count >= this.limits.appPerMinute) return refuse('appminute', appStart + MINUTE);
    minute.count++;
    day.count++;
    this.app.count++;
    return { allowed: true, headers: headers() };
  }
}
