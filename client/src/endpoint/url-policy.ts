import { EndpointError } from './errors';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

export function isLoopback(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/**
 * The endpoint URL, checked: https anywhere, plain http only to this computer (the local sandbox). Invoices and
 * tokens must never cross a network unencrypted.
 */
export function checkedEndpointUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new EndpointError('refused', `The endpoint address "${raw}" is not a valid URL (expected e.g. https://api.xero.com).`);
  }
  if (url.username || url.password) {
    // user:pass@ would go out as Basic auth (and into logs and messages): credentials belong in SecretStorage.
    throw new EndpointError(
      'refused',
      `The endpoint address must not contain a user name or password (${url.protocol}//…@${url.host}). Remove them from xeroInvoice.endpoint.baseUrl and use "Set access token" or "Connect with client credentials": credentials are kept in the editor's secret storage.`,
    );
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:') {
    if (isLoopback(url.hostname)) return url;
    throw new EndpointError(
      'refused',
      `Refusing to talk to ${url.host} over plain http: invoices and tokens would travel unencrypted. Use https://, or http:// only to this computer (e.g. the local sandbox).`,
    );
  }
  throw new EndpointError('refused', `The endpoint address must start with https:// (got ${url.protocol}//${url.host}).`);
}

/** Joins a base URL (which may carry a path prefix) and a path below it. */
export function joinUrl(base: URL, path: string): URL {
  const prefix = base.pathname.replace(/\/+$/, '');
  const u = new URL(base.toString());
  const [p, q] = path.split('?');
  u.pathname = `${prefix}/${p.replace(/^\/+/, '')}`;
  u.search = q ? `?${q}` : '';
  return u;
}
