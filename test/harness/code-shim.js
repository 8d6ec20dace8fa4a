#!/usr/bin/env node
// Stands in for the VS Code desktop executable in @vscode/test-electron's runTests({ vscodeExecutablePath })
// (VS Code desktop cannot be downloaded here): it accepts the desktop CLI's test arguments and runs the
// tests in code-server instead.
//   --extensionDevelopmentPath=P (repeatable)  --extensionTestsPath=P  --extensions-dir=P  [workspace]
// Desktop-only flags (--no-sandbox, --disable-extensions, --user-data-dir, …) are ignored.
'use strict';
const path = require('path');
const { runExtensionTests } = require(path.join(__dirname, 'run-ext-tests'));

const argv = process.argv.slice(2);
const opts = { extensionDevelopmentPath: [], extensionTestsPath: undefined, workspace: undefined, extensionsDir: undefined };
const TAKES_VALUE = ['extensionDevelopmentPath', 'extensionTestsPath', 'extensions-dir', 'user-data-dir', 'disable-extension', 'locale', 'log'];
for (let i = 0; i < argv.length; i++) {
  const m = /^--([^=]+)(?:=(.*))?$/.exec(argv[i]);
  if (!m) { opts.workspace = argv[i]; continue; }
  const [, key, inline] = m;
  const value = inline !== undefined ? inline : (TAKES_VALUE.includes(key) ? argv[++i] : undefined);
  if (key === 'extensionDevelopmentPath') opts.extensionDevelopmentPath.push(value);
  else if (key === 'extensionTestsPath') opts.extensionTestsPath = value;
  else if (key === 'extensions-dir') opts.extensionsDir = value;
  else if (key === 'version' || key === 'v') { console.log('1.100.3 (code-server shim)'); process.exit(0); }
}
if (!opts.extensionTestsPath || !opts.extensionDevelopmentPath.length) {
  console.error('code-shim: only extension test runs are supported (need --extensionDevelopmentPath and --extensionTestsPath)');
  process.exit(2);
}
runExtensionTests(opts).then((code) => process.exit(code));
