import type { IncomingMessage } from 'node:http';
import type { Format } from '../render/envelope';

/** A response before it is written: handlers return these, so idempotency and fault injection can keep or alter them. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export const CONTENT_TYPES = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  problem: 'application/problem+json; charset=utf-8',
} as const;

export function reply(status: number, body: string | Uint8Array, contentType?: string, headers: Record<string, string> = {}): Reply {
  const h: Record<string, string> = { ...headers };
  if (contentType) h['Content-Type'] = contentType;
  return { status, headers: h, body: typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body) };
}

export function formatted(status: number, format: Format, body: string, headers: Record<string, string> = {}): Reply {
  return reply(status, body, format === 'json' ? CONTENT_TYPES.json : CONTENT_TYPES.xml, headers);
}

export function noContent(): Reply {
  return { status: 204, headers: {}, body: Buffer.alloc(0) };
}

/** Xero's 404, for unknown routes and unknown documents alike. */
export function notFound(): Reply {
  return reply(404, "The resource you're looking for cannot be found", CONTENT_TYPES.text);
}

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return reply(status, JSON.stringify(value), CONTENT_TYPES.json, headers);
}

/** The format a client asked for: JSON with `Accept: application/json`, XML otherwise (the API's default). */
export function requestedFormat(req: IncomingMessage): Format {
  return /application\/json|text\/json|\+json/i.test(req.headers.accept ?? '') ? 'json' : 'xml';
}

export function accepts(req: IncomingMessage, type: string): boolean {
  return (req.headers.accept ?? '').toLowerCase().split(',').some((part) => part.trim().split(';')[0] === type);
}
