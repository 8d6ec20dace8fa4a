import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The redirect target of a desktop sign-in: a one-shot HTTP server on the loopback interface at the fixed port the
 * Xero app registered (`http://localhost:PORT/callback`; Xero matches redirect URIs exactly). It answers the
 * browser with a page that says what happened, hands the redirect URL to the caller, and closes.
 *
 * Its root redirects to the authorize URL: the browser is opened at `http://localhost:PORT/`, which works where
 * VS Code rewrites a localhost URL on the way to the browser (code-server maps it to its `/proxy/PORT/` route and
 * keeps neither path nor query), and costs one redirect elsewhere.
 */
export class LoopbackCallback {
  private constructor(
    private readonly servers: Server[],
    readonly port: number,
    private readonly received: Promise<URL>,
  ) {}

  /** The URL to open in the browser: this server's root, which redirects to the authorize URL. */
  get startUrl(): string {
    return `http://localhost:${this.port}/`;
  }

  /** Listens on 127.0.0.1 (and ::1 when the machine has it, as browsers may resolve localhost to either). */
  static async listen(port: number, signal?: AbortSignal, startUrl?: URL): Promise<LoopbackCallback> {
    let deliver!: (u: URL) => void;
    let fail!: (e: Error) => void;
    const received = new Promise<URL>((ok, ko) => {
      deliver = ok;
      fail = ko;
    });
    received.catch(() => undefined);
    const servers: Server[] = [];
    const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      const url = new URL(req.url ?? '/', `http://localhost:${port}`);
      if (req.method === 'GET' && url.pathname === '/' && startUrl) {
        res.writeHead(302, { Location: startUrl.toString(), 'Cache-Control': 'no-store' }).end();
        return;
      }
      if (req.method !== 'GET' || url.pathname !== '/callback') {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
        return;
      }
      const ok = url.searchParams.has('code') && !url.searchParams.has('error');
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(page(ok));
      deliver(url);
    };
    const bind = (host: string) =>
      new Promise<Server>((ok, ko) => {
        const s = createServer(handler);
        s.once('error', ko);
        s.listen(port, host, () => {
          s.off('error', ko);
          ok(s);
        });
      });
    try {
      servers.push(await bind('127.0.0.1'));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(
        code === 'EADDRINUSE'
          ? `Port ${port} is in use, so the sign-in cannot receive Xero's answer. Close what uses it, or register another http://localhost:PORT/callback with your Xero app and set xeroInvoice.signIn.redirectPort to that port.`
          : `The sign-in could not listen on port ${port}: ${(e as Error).message}`,
      );
    }
    try {
      servers.push(await bind('::1'));
    } catch {
      // No IPv6 loopback here: 127.0.0.1 is enough.
    }
    const actual = (servers[0].address() as AddressInfo).port;
    const cb = new LoopbackCallback(servers, actual, received);
    signal?.addEventListener('abort', () => fail(new Error('Sign-in cancelled.')), { once: true });
    return cb;
  }

  /** The URL the browser was redirected to; the servers close once it arrives (or on cancel / timeout). */
  async wait(timeoutMs: number): Promise<URL> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, ko) => {
      timer = setTimeout(() => ko(new Error(`No answer from the browser within ${Math.round(timeoutMs / 60_000)} minutes; sign in again.`)), timeoutMs);
    });
    try {
      return await Promise.race([this.received, timeout]);
    } finally {
      clearTimeout(timer);
      this.close();
    }
  }

  close(): void {
    for (const s of this.servers) {
      s.close();
      s.closeAllConnections();
    }
  }
}

function page(ok: boolean): string {
  const text = ok ? 'You are signed in. You can close this tab and go back to VS Code.' : 'The sign-in did not complete. Go back to VS Code to see why.';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Xero Invoice sign-in</title></head><body style="font-family: system-ui, sans-serif; margin: 3rem auto; max-width: 30rem"><h1 id="result">${ok ? 'Signed in' : 'Not signed in'}</h1><p>${text}</p></body></html>`;
}
