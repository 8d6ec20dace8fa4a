import * as http from 'node:http';
import * as https from 'node:https';

/** One HTTP exchange as it happened on the wire: no retries, no interpretation. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: Buffer;
}

/** A failure below HTTP: the connection could not be made, was dropped, or the answer did not come in time. */
export class TransportError extends Error {
  constructor(
    readonly code: 'timeout' | 'network',
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface WireRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
  timeoutMs: number;
}

// Xero allows 5 concurrent requests per organisation: never open more.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 5 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 5 }),
};

function networkMessage(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'the endpoint refused the connection (is it running?)';
    case 'ECONNRESET':
      return 'the connection was dropped before the answer arrived';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the endpoint host name could not be resolved';
    case 'EPIPE':
      return 'the connection was closed while the request was being sent';
    default:
      return err.code ? `${err.message} (${err.code})` : err.message;
  }
}

/** Sends one request with a deadline covering the whole exchange (connect, upload, answer, body). */
export function sendOnce(req: WireRequest): Promise<RawResponse> {
  const mod = req.url.protocol === 'https:' ? https : http;
  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
    };
    const headers: Record<string, string> = { ...req.headers };
    if (req.body) headers['Content-Length'] = String(req.body.length);
    const r = mod.request(req.url, { method: req.method, headers, agent: agents[req.url.protocol as 'http:' | 'https:'] }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => finish(() => reject(new TransportError('network', networkMessage(e)))));
      res.on('aborted', () => finish(() => reject(new TransportError('network', 'the connection was dropped while the answer was arriving'))));
      res.on('end', () => {
        if (!res.complete) return finish(() => reject(new TransportError('network', 'the connection was dropped while the answer was arriving')));
        const h: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(res.headers)) h[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
        finish(() => resolve({ status: res.statusCode ?? 0, headers: h, body: Buffer.concat(chunks) }));
      });
    });
    const timer = setTimeout(() => {
      finish(() => reject(new TransportError('timeout', `no answer within ${Math.round(req.timeoutMs / 100) / 10} s`)));
      r.destroy();
    }, req.timeoutMs);
    r.on('error', (e: NodeJS.ErrnoException) => finish(() => reject(new TransportError('network', networkMessage(e)))));
    r.end(req.body);
  });
}
