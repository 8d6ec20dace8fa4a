import type { IncomingMessage } from 'node:http';

/**
 * What keeps a sandbox left running safe from the web pages open in the user's browser: pages a browser may load
 * (control, inspection, online invoices, consent) answer only when the Host header is a loopback name, which a
 * DNS-rebinding page cannot fake; control refuses cross-site requests (a foreign Origin, or a form-like
 * "simple" POST that a page can send without a CORS preflight).
 */

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}

/** The host name of a Host header (`127.0.0.1:8080`, `[::1]:80`, `localhost`), lower-cased, without the port. */
export function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const h = header.trim().toLowerCase();
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(h) ?? /^([^:]+)(?::\d+)?$/.exec(h);
  return m?.[1];
}

/** Why a request with this Host may not see a browser-facing page, or undefined when it may. */
export function loopbackHostRefusal(req: IncomingMessage): string | undefined {
  const name = hostName(req.headers.host);
  if (name && isLoopbackHost(name)) return undefined;
  return `This page answers requests to a loopback host name only (127.0.0.1, localhost, [::1]), not '${req.headers.host ?? ''}'.`;
}

/** Why a control request looks cross-site, or undefined. Tools (curl, the tests, the extension) send no Origin. */
export function crossSiteRefusal(req: IncomingMessage, method: string): string | undefined {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let sameHost = false;
    try {
      const u = new URL(origin);
      sameHost = u.host.toLowerCase() === (req.headers.host ?? '').toLowerCase() && isLoopbackHost(u.hostname.replace(/^\[|\]$/g, ''));
    } catch {
      sameHost = false;
    }
    if (!sameHost) return `Cross-site requests to the sandbox's control endpoints are refused (Origin ${origin}).`;
  }
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return `Cross-site requests to the sandbox's control endpoints are refused (Sec-Fetch-Site ${site}).`;
  if (method !== 'GET' && method !== 'HEAD') {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    // A page may POST form or text/plain bodies cross-site without a CORS preflight; JSON needs one, which the sandbox never grants.
    if (type !== 'application/json') return `Control requests must be sent as application/json, not '${type || 'no content type'}' (a web page can send that cross-site).`;
  }
  return undefined;
}
