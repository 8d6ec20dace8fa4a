import type { IncomingMessage } from 'node:http';
import type { Format } from '../render/envelope';
import type { Reply } from './reply';

/** The API a route belongs to: it decides authentication, rate limiting and the shape of errors. */
export type Family = 'accounting' | 'workflowmax' | 'legacy' | 'identity' | 'online' | 'control';

export interface Ctx {
  req: IncomingMessage;
  method: string;
  path: string;
  /** Decoded path parameters, in order. */
  params: string[];
  url: URL;
  /** Query parameters by case-insensitive name (`SummarizeErrors`, `summarizeErrors`, …). */
  query(name: string): string | null;
  header(name: string): string | undefined;
  format: Format;
  body: Buffer;
  tenantId: string;
  now: Date;
}

export type Handler = (ctx: Ctx) => Promise<Reply> | Reply;

/** What a route needs from the caller: a token and the tenant header, a token only, or nothing. */
export type Access = 'tenant' | 'token' | 'none';

export interface Route {
  family: Family;
  /** Matched case-insensitively against the path, as Xero's routes are. */
  pattern: RegExp;
  methods: Partial<Record<string, Handler>>;
  /** PUT/POST here honour Idempotency-Key. */
  idempotent: boolean;
  access: Access;
}

export function route(family: Family, path: string, methods: Partial<Record<string, Handler>>, opts: { idempotent?: boolean; access?: Access } = {}): Route {
  // `{id}` matches one path segment.
  const source = path.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '{' || c === '}' ? c : `\\${c}`)).replace(/\{[a-z]+\}/gi, '([^/]+)');
  const access = opts.access ?? (family === 'accounting' || family === 'workflowmax' ? 'tenant' : 'none');
  return { family, pattern: new RegExp(`^${source}/?$`, 'i'), methods, idempotent: opts.idempotent ?? false, access };
}

export function matchRoute(routes: Route[], path: string): { route: Route; params: string[] } | null {
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (m) {
      try {
        return { route: r, params: m.slice(1).map((p) => decodeURIComponent(p)) };
      } catch {
        return null;
      }
    }
  }
  return null;
}

export function queryLookup(url: URL): (name: string) => string | null {
  return (name: string) => {
    const lower = name.toLowerCase();
    for (const [k, v] of url.searchParams) if (k.toLowerCase() === lower) return v;
    return null;
  };
}
