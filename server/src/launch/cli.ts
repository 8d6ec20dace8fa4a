// The `invoice-check` command: runs the CLI's bundle (dist/cli.bundle.js) through V8's code cache (code-cache.ts),
// with the runtime's background threads below the thread that checks (thread-priority.ts).
import { join } from 'node:path';
import { runBundle } from './code-cache';
import { lowerBackgroundThreads } from './thread-priority';

lowerBackgroundThreads();
runBundle(join(__dirname, 'cli.bundle.js'), module, require, __filename);
