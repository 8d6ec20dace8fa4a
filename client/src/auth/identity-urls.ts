import { joinUrl } from '../endpoint/url-policy';

/** Where an endpoint's identity service lives. */
export interface IdentityUrls {
  authorize: URL;
  token: URL;
  revocation: URL;
  connections: URL;
}

/** Scopes the commands need: invoices and credit notes, contacts (email checks), settings (accounts, tax rates), and refresh tokens. */
export const SIGN_IN_SCOPES = ['offline_access', 'accounting.transactions', 'accounting.contacts', 'accounting.settings'] as const;

export function isXeroHost(baseUrl: URL): boolean {
  return /(^|\.)xero\.com$/i.test(baseUrl.hostname);
}

/**
 * Xero's own hosts for api.xero.com (OAS securitySchemes; FACTS §4): authorize on login.xero.com, token and
 * revocation on identity.xero.com, connections on api.xero.com. Any other endpoint (the sandbox) serves the same
 * paths on its own origin.
 */
export function identityUrlsFor(baseUrl: URL): IdentityUrls {
  if (isXeroHost(baseUrl)) {
    return {
      authorize: new URL('https://login.xero.com/identity/connect/authorize'),
      token: new URL('https://identity.xero.com/connect/token'),
      revocation: new URL('https://identity.xero.com/connect/revocation'),
      connections: new URL('https://api.xero.com/connections'),
    };
  }
  const origin = new URL(baseUrl.origin);
  return {
    authorize: joinUrl(origin, 'identity/connect/authorize'),
    token: joinUrl(origin, 'connect/token'),
    revocation: joinUrl(origin, 'connect/revocation'),
    connections: joinUrl(origin, 'connections'),
  };
}

/** The redirect URI registered with the Xero app: Xero matches it exactly, so the port is a fixed setting. */
export function redirectUriFor(port: number): string {
  return `http://localhost:${port}/callback`;
}
