// The language server's process: runs the server's bundle (dist/server.bundle.js) through V8's code cache
// (code-cache.ts).
import { join } from 'node:path';
import { runBundle } from './code-cache';

runBundle(join(__dirname, 'server.bundle.js'), module, require, __filename);
