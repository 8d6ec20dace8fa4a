// Escaping text written into XML: one home for the client, the server and the sandbox.

/** Text as XML character data (element content). */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text as an XML attribute value in either kind of quotes. */
export function escapeXmlAttribute(s: string): string {
  return escapeXml(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * A request document: elements (each `<Invoice>…</Invoice>`, already XML) inside their collection element
 * (`<Invoices>`), one per line. With no elements, its length is the envelope's own.
 */
export function requestDocument(collection: string, elements: readonly string[]): string {
  return `<${collection}>\n${elements.join('\n')}\n</${collection}>\n`;
}
