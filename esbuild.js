// One build for every entry point: the CLI, the language server, the extension client and the sandbox.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const entries = [
  { in: 'server/src/cli.ts', out: 'cli', banner: '#!/usr/bin/env node' },
];
const optional = [
  { in: 'server/src/server.ts', out: 'server' },
  { in: 'client/src/extension.ts', out: 'extension' },
  { in: 'sandbox/src/main.ts', out: 'sandbox' },
];
for (const e of optional) if (fs.existsSync(e.in)) entries.push(e);

async function main() {
  const contexts = await Promise.all(entries.map((e) => esbuild.context({
    entryPoints: { [e.out]: e.in },
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: !production,
    minify: production,
    external: ['vscode'],
    banner: e.banner ? { js: e.banner } : undefined,
    logLevel: 'warning',
  })));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  fs.chmodSync(path.join('dist', 'cli.js'), 0o755);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
