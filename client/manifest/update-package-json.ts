// Writes the extension's contributions into package.json: only `activationEvents`, `contributes`,
// `capabilities` and the scripts `test:client` / `test:extension`. Every other key (and its order) is left as
// it is, because other people edit `scripts` and the dependencies at the same time.
// Run: node --import tsx client/manifest/update-package-json.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contributions } from './contributions';

const file = join(__dirname, '..', '..', 'package.json');
const before = readFileSync(file, 'utf8');
const pkg = JSON.parse(before) as Record<string, unknown>;
const c = contributions();

const out: Record<string, unknown> = {};
const owned = new Set(['activationEvents', 'contributes', 'capabilities']);
for (const [k, v] of Object.entries(pkg)) {
  if (owned.has(k)) continue;
  out[k] = v;
  // New keys go right after "main", where a reader of the manifest looks for them.
  if (k === 'main') Object.assign(out, c);
}
for (const k of owned) if (!(k in out)) out[k] = c[k as keyof typeof c];
const scripts = (out.scripts ?? {}) as Record<string, string>;
scripts['test:client'] = 'npm run build --silent && node test/run.mjs client';
scripts['test:extension'] = 'node test/extension/run.mjs';
out.scripts = scripts;

const after = JSON.stringify(out, null, 2) + '\n';
// Re-read just before writing: if someone changed the file meanwhile, start over rather than overwrite them.
if (readFileSync(file, 'utf8') !== before) {
  console.error('package.json changed while updating it; run again.');
  process.exit(1);
}
writeFileSync(file, after);
console.log(after === before ? 'package.json already up to date' : 'package.json updated (activationEvents, contributes, capabilities, scripts test:client/test:extension)');
