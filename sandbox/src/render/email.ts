import { randomUUID } from 'node:crypto';

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

/** RFC 2047 encoded-word for a header value that is not plain ASCII. */
function headerText(v: string): string {
  return /^[\x20-\x7e]*$/.test(v) ? v : `=?UTF-8?B?${Buffer.from(v, 'utf8').toString('base64')}?=`;
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
  const filename = m.attachment.filename.replace(/["\\\r\n]/g, '_');
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
