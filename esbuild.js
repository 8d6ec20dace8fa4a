// One build for every entry point: the CLI, the language server, the extension client and the sandbox.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// The CLI runs as a small launcher (dist/cli.js) that compiles its bundle (dist/cli.bundle.js) through V8's code
// cache: server/src/launch/code-cache.ts.
const entries = [
  { in: 'server/src/cli.ts', out: 'cli.bundle' },
  { in: 'server/src/launch/cli.ts', out: 'cli', banner: '#!/usr/bin/env node' },
];
const optional = [
  { in: 'server/src/server.ts', out: 'server' },
  { in: 'client/src/extension.ts', out: 'extension' },
  { in: 'sandbox/src/main.ts', out: 'sandbox' },
];
for (const e of optional) if (fs.existsSync(e.in)) entries.push(e);
// Scripts of the extension's webviews, for the browser (each loads as a module script under a strict CSP).
const webviews = [{ in: 'client/src/pdf-viewer/webview.ts', out: 'pdf-viewer' }].filter((e) => fs.existsSync(e.in));

/**
 * The bundled XSDs' schema models, made now and written to dist/schemas.json (server/src/compile-schemas.ts): a
 * process then starts with its schemas ready instead of reading the XSDs (an XSD edited after the build is read).
 */
async function compileSchemas() {
  const { outputFiles } = await esbuild.build({
    entryPoints: ['server/src/compile-schemas.ts'],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    logLevel: 'warning',
  });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', outputFiles[0].text)(module, module.exports, require);
  fs.mkdirSync('dist', { recursive: true });
  module.exports.writeCompiledSchemas(path.resolve('schemas'), path.resolve('dist'));
}

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
  })).concat(webviews.map((e) => esbuild.context({
    entryPoints: { [e.out]: e.in },
    outdir: 'dist',
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'esm',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
  }))));
  // pdf.js's worker, as published: the PDF viewer starts it from the extension's own files.
  if (webviews.length) {
    fs.mkdirSync('dist', { recursive: true });
    fs.copyFileSync(require.resolve('pdfjs-dist/build/pdf.worker.min.mjs'), path.join('dist', 'pdf.worker.min.mjs'));
  }
  await compileSchemas();
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
