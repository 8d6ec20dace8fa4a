import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { itemNameOf, type FieldValue, type Fields } from '../domain/fields';

export const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** Characters XML 1.0 does not allow (from JSON input, say) are dropped rather than failing the whole document. */
const OPTIONS = { invalidCharReplacement: '' };

export function newDocument(rootName: string, namespaced = false): XMLBuilder {
  const root = create(OPTIONS).ele(rootName);
  if (namespaced) root.att('xmlns:xsi', XSI);
  return root;
}

export function serialize(root: XMLBuilder, pretty = true): string {
  return root.end({ prettyPrint: pretty, headless: true });
}

/** Appends one field: text, a group of fields, or a list container with its items. */
export function appendField(parent: XMLBuilder, name: string, value: FieldValue): void {
  if (typeof value === 'string') {
    parent.ele(name).txt(value);
  } else if (Array.isArray(value)) {
    const container = parent.ele(name);
    const item = itemNameOf(name);
    for (const entry of value) appendFields(container.ele(item), entry);
  } else {
    appendFields(parent.ele(name), value);
  }
}

export function appendFields(parent: XMLBuilder, fields: Fields): XMLBuilder {
  for (const [k, v] of Object.entries(fields)) appendField(parent, k, v);
  return parent;
}

/** `<Invoices><Invoice>…</Invoice>…</Invoices>`: a request document built from fields (JSON bodies, merged updates). */
export function requestDocument(collection: string, items: Fields[]): string {
  const root = newDocument(collection);
  const item = itemNameOf(collection);
  for (const f of items) appendFields(root.ele(item), f);
  return serialize(root, false);
}
