import { EndpointError } from '../endpoint/errors';
import type { HttpClient } from '../endpoint/http';

/**
 * The local sandbox's consent, given by the extension for the user who just asked to start it: the same
 * authorize URL the browser would open (with this sign-in's PKCE challenge and state), its consent page read, and
 * "Allow access" pressed on it. What comes back is the redirect the browser would have followed; the code in it is
 * exchanged like any other. Only for a sandbox this extension started on 127.0.0.1 — never for Xero.
 */
export async function allowOnSandboxConsentPage(http: HttpClient, authorize: URL): Promise<URL> {
  const page = await http.request({ method: 'GET', url: authorize, auth: false, headers: { Accept: 'text/html' }, acceptStatus: [302, 400] });
  if (page.status === 302) return redirectOf(page.headers.location, authorize);
  const html = page.text();
  const ticket = /name="ticket" value="([^"]+)"/.exec(html)?.[1];
  if (page.status !== 200 || !ticket) {
    const why = /<p id="error">([^<]*)<\/p>/.exec(html)?.[1];
    throw new EndpointError('auth', `The sandbox's consent page could not be used${why ? `: ${why}` : ''}.`);
  }
  const answer = await http.request({
    method: 'POST',
    url: new URL('/identity/connect/authorize', authorize),
    auth: false,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ticket, decision: 'allow' }).toString(),
    acceptStatus: [302, 400],
    retries: 0,
  });
  if (answer.status !== 302) throw new EndpointError('auth', `The sandbox refused the consent (${answer.status}).`);
  return redirectOf(answer.headers.location, authorize);
}

function redirectOf(location: string | undefined, base: URL): URL {
  if (!location) throw new EndpointError('malformed', 'The sandbox answered the consent without a redirect.');
  return new URL(location, base);
}
