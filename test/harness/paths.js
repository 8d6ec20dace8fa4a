// Where the harness lives on this machine: outside the repository, overridable by environment variables.
'use strict';
const os = require('os');
const path = require('path');

const CACHE = process.env.XERO_VSCODE_CACHE || path.join(os.homedir() || os.tmpdir(), '.cache', 'xero-invoice-vscode');
const CODE_SERVER = process.env.CODE_SERVER_BIN || path.join(CACHE, 'code-server', 'node_modules', '.bin', 'code-server');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

module.exports = { CACHE, CODE_SERVER, CHROMIUM };
