import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';

/** One HTTP exchange as it happened on the wire: no retries, no interpretation. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | undefined>;
  /** The answer; empty when it was written to `saved.path` instead. */
  body: Buffer;
  /** A 2xx answer streamed to the file the request named, never held in memory: its size and first bytes. */
  saved?: { path: string; bytes: number; head: Buffer };
}

/** A failure below HTTP: no connection, a dropped one, no answer in time, or an answer beyond the size cap. */
export class TransportError extends Error {
  constructor(
    readonly code: 'timeout' | 'network' | 'tooLarge',
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
  /** The largest answer read (declared or streamed): beyond it the connection is closed. */
  maxBytes: number;
  /** Stream a 2xx answer into this file (created or truncated; removed again when the exchange fails). */
  saveTo?: string;
}

/** Bytes as a person reads them: "64 MB", "512 KB". */
export function humanBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
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

const HEAD_BYTES = 512;

/**
 * Sends one request with a deadline covering the whole exchange (connect, upload, answer, body) and a cap on the
 * answer's size: an endpoint that streams without end costs at most `maxBytes` of memory (or disk), then the
 * connection is closed.
 */
export function sendOnce(req: WireRequest): Promise<RawResponse> {
  const mod = req.url.protocol === 'https:' ? https : http;
  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    let file: WriteStream | undefined;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
    };
    const fail = (e: TransportError) =>
      finish(() => {
        r.destroy();
        if (file) {
          // Removed once closed too: a file still being opened would otherwise appear after the removal.
          const path = req.saveTo!;
          file.once('close', () => rmSync(path, { force: true }));
          file.destroy();
          rmSync(path, { force: true });
        }
        reject(e);
      });
    const tooLarge = () => fail(new TransportError('tooLarge', `the answer is larger than ${humanBytes(req.maxBytes)}`));
    const dropped = () => fail(new TransportError('network', 'the connection was dropped while the answer was arriving'));
    const headers: Record<string, string> = { ...req.headers };
    if (req.body) headers['Content-Length'] = String(req.body.length);
    const r = mod.request(req.url, { method: req.method, headers, agent: agents[req.url.protocol as 'http:' | 'https:'] }, (res) => {
      const h: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(res.headers)) h[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      const status = res.statusCode ?? 0;
      const declared = Number(h['content-length']);
      if (Number.isFinite(declared) && declared > req.maxBytes) return tooLarge();
      let bytes = 0;
      const chunks: Buffer[] = [];
      let head = Buffer.alloc(0);
      if (req.saveTo && status >= 200 && status < 300) {
        const path = req.saveTo;
        file = createWriteStream(path);
        file.on('error', (e) => fail(new TransportError('network', `the answer could not be written to ${path}: ${e.message}`)));
        res.pipe(file);
      }
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (bytes > req.maxBytes) return tooLarge();
        if (file) {
          if (head.length < HEAD_BYTES) head = Buffer.concat([head, c.subarray(0, HEAD_BYTES - head.length)]);
        } else chunks.push(c);
      });
      res.on('error', (e) => fail(new TransportError('network', networkMessage(e))));
      res.on('aborted', dropped);
      res.on('end', () => {
        if (!res.complete) return dropped();
        if (!file) return finish(() => resolve({ status, headers: h, body: Buffer.concat(chunks) }));
        const path = req.saveTo!;
        const done = () => finish(() => resolve({ status, headers: h, body: Buffer.alloc(0), saved: { path, bytes, head } }));
        if (file.writableFinished) done();
        else file.on('finish', done);
      });
    });
    const timer = setTimeout(() => fail(new TransportError('timeout', `no answer within ${Math.round(req.timeoutMs / 100) / 10} s`)), req.timeoutMs);
    r.on('error', (e: NodeJS.ErrnoException) => fail(new TransportError('network', networkMessage(e))));
    r.end(req.body);
  });
}
