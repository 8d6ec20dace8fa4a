import { escapeXmlAttribute } from '../../../shared/src/xml-text';

export const REDACTED = '***';

/**
 * Names whose values are credentials, compared without case, `_` or `-` (so `access_token`, `accessToken`,
 * `ACCESS-TOKEN` and `AccessToken` are one name).
 */
const SECRET_NAMES = new Set(
  [
    'access_token',
    'refresh_token',
    'id_token',
    'token',
    'client_secret',
    'client_assertion',
    'secret',
    'password',
    'apiKey',
    'api_key',
    'xeroKey',
    'accountKey',
    'consumer_secret',
    'authorization',
    'proxy_authorization',
    'x_api_key',
    'cookie',
    'set_cookie',
  ].map(normalName),
);

function normalName(name: string): string {
  return name.replace(/[_\-\s]/g, '').toLowerCase();
}

/** Whether a field, header, parameter or element of this name holds a credential (namespace prefix ignored). */
export function isSecretName(name: string): boolean {
  return SECRET_NAMES.has(normalName(name.replace(/^[\w.-]*:/, '')));
}

/** Secret values known to the whole extension (the sandbox's credentials, tokens in use): scrubbed everywhere. */
const registered = new Set<string>();

/** A credential the extension knows: from now on it never appears in a log line or message. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) registered.add(value);
}

/** The ways a value can be written in text: as is, URL-encoded, JSON-escaped, XML-escaped. */
function spellings(secret: string): string[] {
  const out = new Set([secret]);
  try {
    out.add(encodeURIComponent(secret));
    out.add(encodeURIComponent(secret).replace(/%20/g, '+'));
  } catch {
    // a lone surrogate cannot be URL-encoded: it cannot be written that way either
  }
  out.add(JSON.stringify(secret).slice(1, -1));
  out.add(JSON.stringify(JSON.stringify(secret).slice(1, -1)).slice(1, -1));
  out.add(escapeXmlAttribute(secret));
  return [...out].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}

const NAME = String.raw`[A-Za-z_][\w.:-]*`;
/**
 * `"name": "value"` in JSON, and the same escaped inside JSON strings (`\"name\":\"value\"`, and deeper): one
 * pattern per escaping depth, each with its own quote, so an outer string never hides an inner field.
 */
const JSON_FIELDS = [0, 1, 3, 7, 15].map((depth) => {
  const q = String.raw`(?<!\\)${'\\\\'.repeat(depth)}"`;
  return {
    string: new RegExp(`(${q}(${NAME})${q}\\s*:\\s*${q})([^]{0,8192}?)(${q})`, 'g'),
    other: new RegExp(`(${q}(${NAME})${q}\\s*:\\s*)(-?[\\w.+-]+)`, 'g'),
  };
});
/** `<name>value</name>` and `<ns:name attr="…">value</ns:name>`. */
const XML_ELEMENT = new RegExp(String.raw`(<(${NAME})(?:\s[^<>]{0,4096})?>)([^<]{0,8192})(</\2\s*>)`, 'g');
/** `name="value"` / `name='value'` (XML and HTML attributes). */
const ATTRIBUTE = new RegExp(String.raw`(\b(${NAME})\s*=\s*)(["'])([^]{0,8192}?)\3`, 'g');
/** `name=value` in a query string or a form body. */
const PARAM = new RegExp(String.raw`((?:^|[?&;\s,{(])(${NAME})=)([^&;\s"'<>#]*)`, 'g');
/** `Name: value` header lines (HTTP headers, logs of them). */
const HEADER = new RegExp(String.raw`((?:^|[\r\n])[ \t]*(${NAME})[ \t]*:[ \t]*)([^\r\n]*)`, 'g');
/** Credentials after an authorization scheme, wherever they appear. */
const SCHEME = /\b(Bearer|Basic|Digest)(\s+|%20|\+)[A-Za-z0-9\-._~+/=%]+/gi;

function bySecretName(text: string): string {
  let out = text;
  for (const f of JSON_FIELDS) {
    out = out
      .replace(f.string, (m, head: string, name: string, _v: string, close: string) => (isSecretName(name) ? `${head}${REDACTED}${close}` : m))
      .replace(f.other, (m, head: string, name: string) => (isSecretName(name) ? `${head}${REDACTED}` : m));
  }
  return out
    .replace(XML_ELEMENT, (m, open: string, name: string, _v: string, close: string) => (isSecretName(name) ? `${open}${REDACTED}${close}` : m))
    .replace(ATTRIBUTE, (m, head: string, name: string, q: string) => (isSecretName(name) ? `${head}${q}${REDACTED}${q}` : m))
    .replace(PARAM, (m, head: string, name: string) => (isSecretName(name) ? `${head}${REDACTED}` : m))
    .replace(HEADER, (m, head: string, name: string) => (isSecretName(name) ? `${head}${REDACTED}` : m))
    .replace(SCHEME, (_m, scheme: string, space: string) => `${scheme}${space}${REDACTED}`);
}

/**
 * The one redaction for everything that reaches a log or a message: every known secret value (given here or
 * registered) in any spelling, then every value whose name says it is a credential — in headers, query strings,
 * form bodies, JSON (any case, escaped at any depth), XML elements and attributes — and whatever follows an
 * authorization scheme. Never throws: if something goes wrong, the whole text is withheld.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  try {
    let out = String(text);
    const values = [...new Set([...secrets, ...registered])].filter((s) => typeof s === 'string' && s.length >= 4);
    for (const s of values.flatMap(spellings).sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
    return bySecretName(out);
  } catch {
    return `<${REDACTED} ${typeof text === 'string' ? text.length : 0} characters withheld: they could not be checked for credentials>`;
  }
}

/** Percent-decoding that keeps malformed sequences as they are instead of throwing. */
function decodeSafely(s: string): string {
  return s.replace(/(%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** A URL's path and query for the log and messages, credentials redacted. Never throws. */
export function redactUrl(url: URL | string, secrets: readonly string[] = []): string {
  try {
    const u = typeof url === 'string' ? new URL(url, 'http://x.invalid') : url;
    // Redacted as sent (a value's encoded `&` cannot end it early), then again once readable.
    return redact(decodeSafely(redact(u.pathname + u.search, secrets)), secrets);
  } catch {
    return `<a URL that could not be read>`;
  }
}
