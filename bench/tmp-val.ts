import { readFileSync } from 'node:fs';
import { parseXml, schemaFor, findInvoices } from '@engine';
const text = readFileSync(process.argv[2], 'utf8');
const xml = parseXml(text);
const v = schemaFor('xero-2.0');
const inv = findInvoices(xml.root!, 'xero-2.0');
const decl = v.model.roots.get('Invoice')!;
const times: number[] = [];
for (let r = 0; r < 15; r++) {
  const t = process.hrtime.bigint();
  const out: never[] = [];
  for (const i of inv) v.validateElement(i.element, decl, out);
  times.push(Number(process.hrtime.bigint() - t) / 1e6);
}
times.sort((a, b) => a - b);
console.log('validate min', times[0].toFixed(1), 'med', times[7].toFixed(1));
