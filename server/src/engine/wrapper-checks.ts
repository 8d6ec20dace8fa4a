import { diagnostic, type EngineDiagnostic } from './diagnostics';
import type { XmlDocument, XmlElement } from './xml/tree';

function normalizeEncoding(e: string): string {
  return e.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The XML declaration names another encoding than the one the bytes were read in. */
export function encodingMismatch(xml: XmlDocument, read: string | undefined): EngineDiagnostic | undefined {
  const declared = xml.declaredEncoding;
  if (!declared || !read || declared === read || normalizeEncoding(declared) === normalizeEncoding(read)) return undefined;
  const at = Math.max(0, xml.text.indexOf(declared));
  return diagnostic(
    'xml-encoding',
    `The XML declaration says encoding="${declared}" but the file is ${read}; declare encoding="${read}" (the API reads the bytes it receives).`,
    at,
    at + declared.length,
  );
}

/** A root element of no dialect the engine knows. */
export function unknownDocument(root: XmlElement): EngineDiagnostic {
  return diagnostic(
    'unknown-document',
    `<${root.name}> is not a Xero invoice document (Invoice, Invoices, CreditNote, CreditNotes, Response, ApiException): nothing was checked.`,
    root.start,
    root.nameEnd,
  );
}
