// The `invoice-check` command: runs the CLI's bundle (dist/cli.bundle.js) through V8's code cache (code-cache.ts).
import { join } from 'node:path';
import { runBundle } from './code-cache';
import { V8_FLAGS } from './v8-tuning';

runBundle(join(__dirname, 'cli.bundle.js'), module, require, __filename, V8_FLAGS);
