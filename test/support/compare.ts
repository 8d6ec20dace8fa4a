import assert from 'node:assert/strict';
import type { CheckResult, XmlElement } from '@engine';

/** Every field of every element as plain data, each element's parent checked to be the element it stands in. */
export function shape(el: XmlElement, parent: XmlElement | null): unknown {
  assert.equal(el.parent, parent, `the parent of <${el.name}> at ${el.start}`);
  return {
    name: el.name,
    at: [el.start, el.nameEnd, el.openEnd, el.closeStart, el.end, el.textStart],
    flags: [el.selfClosing, el.unclosed],
    attributes: el.attributes,
    text: el.text,
    children: el.children.map((c) => shape(c, el)),
  };
}

/** A check's result as plain data: its dialect, each diagnostic's range, code and message, each document's figures. */
export function comparable(r: CheckResult) {
  return {
    dialect: r.dialect,
    diagnostics: r.diagnostics.map((d) => `${d.start}-${d.end} ${d.code} ${d.message}`),
    documents: r.documents.map((d) => JSON.stringify(d)),
  };
}
