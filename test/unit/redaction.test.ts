// One redaction for logs and messages: generated requests carry credentials in every position (headers, query,
// form, JSON in any case and escaped, XML elements and attributes, authorization schemes), named or only known
// by value; none may survive, and the function never throws.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isSecretName, redact, redactUrl, registerSecret } from '../../client/src/endpoint/redact';

const RUNS = { numRuns: 400, seed: 20261206 };

/** Realistic credential text: tokens, keys, base64 and JWT alphabets. */
const credential = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/='), minLength: 8, maxLength: 48 });

const BASE_NAMES = ['access_token', 'refresh_token', 'id_token', 'client_secret', 'api_key', 'xero_key', 'account_key', 'token', 'password', 'client_assertion'];
/** The same name as people and protocols write it: snake, camel, Pascal, upper, kebab. */
const secretName = fc.tuple(fc.constantFrom(...BASE_NAMES), fc.constantFrom('snake', 'camel', 'pascal', 'upper', 'kebab')).map(([n, style]) => {
  const parts = n.split('_');
  switch (style) {
    case 'camel':
      return parts[0] + parts.slice(1).map((p) => p[0].toUpperCase() + p.slice(1)).join('');
    case 'pascal':
      return parts.map((p) => p[0].toUpperCase() + p.slice(1)).join('');
    case 'upper':
      return n.toUpperCase();
    case 'kebab':
      return parts.join('-');
    default:
      return n;
  }
});

type Placement = (name: string, value: string) => string;
/** Every position a credential takes in a request as the log would show it. */
const PLACEMENTS: Record<string, Placement> = {
  header: (n, v) => `PUT /api.xro/2.0/Invoices HTTP/1.1\r\nAccept: application/json\r\n${n}: ${v}\r\nContent-Type: text/xml`,
  authorizationBearer: (_n, v) => `GET /connections\nAuthorization: Bearer ${v}\nxero-tenant-id: 0000`,
  authorizationBasic: (_n, v) => `POST /connect/token\nauthorization: basic ${v}`,
  schemeInText: (_n, v) => `retrying with Bearer ${v} after 401`,
  query: (n, v) => `GET /api.xro/1.0/invoices?page=2&${n}=${v}&modifiedSince=2026-01-01`,
  queryFirst: (n, v) => `/api.xro/1.0/invoice?${n}=${v}`,
  form: (n, v) => `grant_type=client_credentials&${n}=${v}&scope=accounting.transactions`,
  json: (n, v) => JSON.stringify({ Status: 'OK', [n]: v, expires_in: 1800 }),
  jsonSpaced: (n, v) => JSON.stringify({ nested: { [n]: v } }, null, 2),
  jsonEscaped: (n, v) => JSON.stringify({ body: JSON.stringify({ [n]: v, other: 'x' }) }),
  jsonTwiceEscaped: (n, v) => JSON.stringify({ body: JSON.stringify({ inner: JSON.stringify({ [n]: v }) }) }),
  xmlElement: (n, v) => `<Response><Credentials><${n}>${v}</${n}></Credentials></Response>`,
  xmlNamespaced: (n, v) => `<x:Envelope><x:${n} type="t">${v}</x:${n}></x:Envelope>`,
  xmlAttribute: (n, v) => `<Credentials ${n}="${v}" kind='a'/>`,
  xmlAttributeSingle: (n, v) => `<Credentials ${n}='${v}'/>`,
};

describe('redaction (property tests)', () => {
  for (const [where, place] of Object.entries(PLACEMENTS)) {
    it(`a credential in ${where} position never survives, whatever the name's spelling`, () => {
      fc.assert(
        fc.property(secretName, credential, (name, value) => {
          const text = place(name, value);
          fc.pre(text.split(value).length === 2); // the value occurs only where it was placed
          const out = redact(text);
          assert.ok(!out.includes(value), `${where}: ${text}\n→ ${out}`);
          assert.ok(out.includes('***'));
        }),
        RUNS,
      );
    });
  }

  it('a known secret value never survives, in any spelling (raw, URL-, JSON-, XML-encoded) and any surroundings', () => {
    const encodings: ((s: string) => string)[] = [
      (s) => s,
      (s) => encodeURIComponent(s),
      (s) => JSON.stringify(s).slice(1, -1),
      (s) => JSON.stringify(JSON.stringify(s)).slice(1, -1),
      (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;'),
    ];
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 6, maxLength: 40 }).filter((s) => !s.includes('*') && s.trim().length >= 6),
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        fc.integer({ min: 0, max: encodings.length - 1 }),
        (secret, before, after, e) => {
          const written = encodings[e](secret);
          const out = redact(`${before}${written}${after}`, [secret]);
          assert.ok(!out.includes(secret), `raw secret survived: ${out}`);
          assert.ok(!out.includes(written), `encoded secret survived: ${out}`);
        },
      ),
      RUNS,
    );
  });

  it('never throws, on any text and any URL', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { maxLength: 3 }), (text, secrets) => {
        assert.equal(typeof redact(text, secrets), 'string');
        assert.equal(typeof redactUrl(text, secrets), 'string');
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        assert.equal(typeof redactUrl(new URL(url)), 'string');
      }),
      RUNS,
    );
  });
});

describe('redaction (cases)', () => {
  it('a malformed percent-escape in a URL no longer throws; the credential in it is still hidden', () => {
    const out = redactUrl(new URL('https://x.example/api.xro/1.0/invoices?apiKey=AK-1234%E0%A4%A&q=%ZZ'));
    assert.equal(out, '/api.xro/1.0/invoices?apiKey=***&q=%ZZ');
  });

  it('an encoded ampersand inside a credential does not end it early', () => {
    assert.equal(redactUrl(new URL('https://x.example/p?xeroKey=abc%26def&page=1')), '/p?xeroKey=***&page=1');
  });

  it('leaves what is not a credential alone', () => {
    const text = '<Invoice><InvoiceNumber>INV-0001</InvoiceNumber><Reference>token of thanks</Reference></Invoice> GET /api.xro/2.0/Invoices?page=2 Token endpoint http://127.0.0.1:1234/connect/token';
    assert.equal(redact(text), text);
    assert.ok(!isSecretName('InvoiceNumber') && !isSecretName('TokenEndpoint') && isSecretName('ns:AccessToken') && isSecretName('X-Api-Key'));
  });

  it('registered secrets are scrubbed everywhere from then on', () => {
    const value = 'sandbox-client-secret-9f8e7d';
    assert.ok(redact(`Client secret: ${value}`).includes(value), 'not a credential by name: unknown until registered');
    registerSecret(value);
    assert.equal(redact(`  something ${value} else`), '  something *** else');
  });
});
