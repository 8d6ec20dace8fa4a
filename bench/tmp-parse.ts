import { readFileSync } from 'node:fs';
import { parseXml, invoiceKindAt } from '@engine';
import { contentModelFor } from '../server/src/engine/schema/registry';
const text = readFileSync(process.argv[2], 'utf8');
const cm = contentModelFor();
const times: number[] = [];
for (let r = 0; r < 12; r++) {
  const t = process.hrtime.bigint();
  parseXml(text, (el, anc) => { if (invoiceKindAt(el, anc)) { el.children = []; el.text = ''; } }, cm);
  times.push(Number(process.hrtime.bigint() - t) / 1e6);
}
times.sort((a, b) => a - b);
console.log('streaming parse min', times[0].toFixed(0), 'med', times[6].toFixed(0));
