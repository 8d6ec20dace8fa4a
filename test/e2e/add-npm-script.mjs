// Adds (or updates) the one npm script this folder owns, scripts["test:e2e"], and touches nothing else in
// package.json: other people edit that file too. Run once: node test/e2e/add-npm-script.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const FILE = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'package.json');
const NAME = 'test:e2e';
const COMMAND = 'node test/e2e/run.mjs';

const text = readFileSync(FILE, 'utf8');
const pkg = JSON.parse(text);
if (pkg.scripts?.[NAME] === COMMAND) {
  console.log(`package.json already has scripts["${NAME}"]`);
  process.exit(0);
}
let out;
const indent = /^([ \t]+)"/m.exec(text)?.[1] ?? '  ';
if (`${JSON.stringify(pkg, null, indent)}\n` === text) {
  // The file is in JSON.stringify's own layout: change the one key and write it the same way.
  pkg.scripts = { ...(pkg.scripts ?? {}), [NAME]: COMMAND };
  out = `${JSON.stringify(pkg, null, indent)}\n`;
} else {
  // Another layout: edit the text of that one entry only.
  const existing = new RegExp(`("${NAME}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`);
  if (existing.test(text)) out = text.replace(existing, `$1${JSON.stringify(COMMAND)}`);
  else {
    const open = /"scripts"\s*:\s*\{(\s*)/.exec(text);
    if (!open) throw new Error('package.json has no "scripts" object to add to');
    const at = open.index + open[0].length;
    const lineIndent = open[1].replace(/^[\r\n]+/, '') || indent.repeat(2);
    out = `${text.slice(0, at)}${JSON.stringify(NAME)}: ${JSON.stringify(COMMAND)},\n${lineIndent}${text.slice(at)}`;
  }
}
const check = JSON.parse(out);
if (check.scripts[NAME] !== COMMAND || JSON.stringify({ ...check, scripts: { ...check.scripts, [NAME]: undefined } }) !== JSON.stringify({ ...pkg, scripts: { ...pkg.scripts, [NAME]: undefined } })) {
  throw new Error('refusing to write: the edit would change more than scripts["test:e2e"]');
}
// Someone may have saved package.json meanwhile: write only over the text that was read.
if (readFileSync(FILE, 'utf8') !== text) throw new Error('package.json changed while it was being edited; run this again');
writeFileSync(FILE, out);
console.log(`package.json: scripts["${NAME}"] = ${JSON.stringify(COMMAND)}`);
