import { createHash, randomUUID } from 'node:crypto';

/** Longest stem taken from a document number; with the time stamp, a hash and a counter a name stays far below 255 bytes. */
const MAX_STEM = 80;

/**
 * A file-name stem for a document number of up to 255 characters of any kind: letters, digits, `.`, `_` and `-`
 * kept (ASCII only, so one character is one byte), the rest `_`, at most 80 of them; when anything was replaced or
 * cut, a short hash of the whole number follows, so two numbers never share a name.
 */
export function fileStem(number: string): string {
  const plain = number.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  const stem = plain.slice(0, MAX_STEM);
  if (stem === number && stem) return stem;
  return `${stem || 'invoice'}-${createHash('sha256').update(number, 'utf8').digest('hex').slice(0, 10)}`;
}

export interface Mailbox {
  name: string;
  email: string;
}

export interface InvoiceEmail {
  from: Mailbox;
  to: Mailbox[];
  subject: string;
  text: string;
  attachment: { filename: string; content: Uint8Array };
  date: Date;
}

/**
 * RFC 2047 encoded-words for a header value that is not plain ASCII: each word at most 75 characters (§2), split
 * between whole characters, folded onto continuation lines, so a 255-character invoice number keeps every line short.
 */
function headerText(v: string): string {
  if (/^[\x20-\x7e]*$/.test(v)) return v;
  const words: string[] = [];
  let chunk = '';
  // 45 bytes of UTF-8 encode to 60 base64 characters: with `=?UTF-8?B?` and `?=` a word is 72.
  for (const ch of v) {
    if (Buffer.byteLength(chunk + ch, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

/** An attachment name as printable ASCII, at most 120 characters, its extension kept. */
function attachmentName(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  if (ascii.length <= 120) return ascii;
  const ext = /\.[A-Za-z0-9]{1,5}$/.exec(ascii)?.[0] ?? '';
  return ascii.slice(0, 120 - ext.length) + ext;
}

function mailbox(m: Mailbox): string {
  if (!m.name) return `<${m.email}>`;
  const name = /^[\x20-\x7e]*$/.test(m.name) ? `"${m.name.replace(/["\\]/g, '\\$&')}"` : headerText(m.name);
  return `${name} <${m.email}>`;
}

/** RFC 5322 date: `Tue, 20 Oct 2020 04:58:49 +0000`. */
function rfc5322Date(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

function base64Lines(data: Uint8Array | string): string {
  const b64 = Buffer.from(data).toString('base64');
  return (b64.match(/.{1,76}/g) ?? []).join('\r\n');
}

/**
 * The email Xero sends for POST /Invoices/{id}/Email, as an RFC 5322 / MIME message (multipart/mixed: the text
 * in UTF-8, then the PDF as an application/pdf attachment in base64), with CRLF line ends as on the wire.
 */
export function invoiceEmail(m: InvoiceEmail): string {
  const boundary = `=_sandbox_${randomUUID().replace(/-/g, '')}`;
  const headers = [
    `From: ${mailbox(m.from)}`,
    `To: ${m.to.map(mailbox).join(', ')}`,
    `Subject: ${headerText(m.subject)}`,
    `Date: ${rfc5322Date(m.date)}`,
    `Message-ID: <${randomUUID()}@sandbox.invalid>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
  ];
  const filename = attachmentName(m.attachment.filename);
  return [
    ...headers,
    '',
    'This is a multi-part message in MIME format.',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    m.text.replace(/\r?\n/g, '\r\n'),
    `--${boundary}`,
    `Content-Type: application/pdf; name="${filename}"`,
    'Content-Transfer-Encoding: base64',
    `Content-Disposition: attachment; filename="${filename}"`,
    '',
    base64Lines(m.attachment.content),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}
