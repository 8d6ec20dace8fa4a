// Hostile inputs answered fast: entity bombs, 10 MB on one line, deep nesting, binary junk.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvoiceEngine } from '@engine';

const root = join(__dirname, '..');
const invoice = '<Invoice><Type>ACCREC</Type><Contact><Name>A</Name></Contact><LineItems><LineItem><Description>x</Description><Quantity>1</Quantity><UnitAmount>1.00</UnitAmount><TaxType>OUTPUT2</TaxType></LineItem></LineItems></Invoice>';
const cases: [string, string][] = [
  ['billion laughs (fixture)', readFileSync(join(root, 'test', 'fixtures', 'bad-input', 'billion-laughs.xml'), 'utf8')],
  ['external entity (fixture)', readFileSync(join(root, 'test', 'fixtures', 'bad-input', 'external-entity.xml'), 'utf8')],
  ['1,000,000 entity references', `<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><Invoice><Reference>${'&a;'.repeat(1_000_000)}</Reference></Invoice>`],
  ['10 MB on one line', `<Invoices>${invoice.repeat(Math.ceil(10_000_000 / invoice.length))}</Invoices>`],
  ['100,000 levels deep', `<Invoices><Invoice>${'<Nest>'.repeat(100_000)}${'</Nest>'.repeat(100_000)}</Invoice></Invoices>`],
  ['100,000 invoices left open (recovery)', `<Invoices>${'<Invoice>'.repeat(100_000)}${'</Invoice>'.repeat(100_000)}</Invoices>`],
  ['40,000 attributes on one element', `<Invoice${Array.from({ length: 40_000 }, (_, i) => ` a${i}="${i}"`).join('')}><Type>ACCREC</Type></Invoice>`],
  ['200,000 unknown elements', invoice.replace('<LineItems>', `${'<Foo/>'.repeat(200_000)}<LineItems>`)],
  ['a 1,000-digit amount, 3,000 times', `<Invoices>${invoice.replace('1.00</UnitAmount>', `${'9'.repeat(1000)}</UnitAmount>`).repeat(3000)}</Invoices>`],
  ['1 MB of binary junk', Array.from({ length: 1_000_000 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('')],
];
const engine = new InvoiceEngine({ reportUnknownDocuments: true });
engine.check(invoice); // load the schema and warm up before measuring
const rows = cases.map(([name, text]) => {
  const t = process.hrtime.bigint();
  const r = engine.check(text);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  return { input: name, size: `${(text.length / 1e6).toFixed(2)} M chars`, 'check ms': ms.toFixed(1), diagnostics: r.diagnostics.length, first: r.diagnostics[0]?.code ?? '' };
});
console.log('Hostile inputs (engine, in-process):');
console.table(rows);
