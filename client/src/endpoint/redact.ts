/** Query parameters and JSON/form fields that carry credentials: their values never reach a log or a message. */
const SECRET_PARAMS = ['apiKey', 'xeroKey', 'accountKey', 'access_token', 'refresh_token', 'client_secret', 'token'];

export const REDACTED = '***';

/** A URL's path and query for the log, credentials in the query replaced. */
export function redactUrl(url: URL): string {
  const u = new URL(url.toString());
  for (const key of [...u.searchParams.keys()]) {
    if (SECRET_PARAMS.some((p) => p.toLowerCase() === key.toLowerCase())) u.searchParams.set(key, REDACTED);
  }
  return u.pathname + (u.search ? decodeURIComponent(u.search) : '');
}

/**
 * Text for the log (bodies at trace level, error messages): every known secret value, bearer tokens and
 * credential fields are replaced.
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join(REDACTED);
  out = out.replace(/(Bearer|Basic)\s+[A-Za-z0-9\-._~+/=]+/g, `$1 ${REDACTED}`);
  for (const p of SECRET_PARAMS) {
    out = out.replace(new RegExp(`("${p}"\\s*:\\s*)"[^"]*"`, 'gi'), `$1"${REDACTED}"`);
    out = out.replace(new RegExp(`([?&]${p}=)[^&\\s"]*`, 'gi'), `$1${REDACTED}`);
  }
  return out;
}
