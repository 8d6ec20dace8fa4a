// The `invoice-check` command: runs the CLI's bundle (dist/cli.bundle.js) through V8's code cache (code-cache.ts).
import { join } from 'node:path';
import { runBundle } from './code-cache';

/**
 * A run of the CLI is short: on a 10 MB file most of the check runs before TurboFan's code for its hottest functions
 * is ready. With V8's default inlining budget (920 bytes of bytecode inlined into a function) the largest of those
 * compiles (the invoice model with every field lookup inlined into it, the parser's inner loops) take tens of
 * milliseconds each on the compiler's background thread, which shares two cores with the check and the collector.
 * A budget of 200 gets them ready sooner: the check of a 10 MB file takes about a tenth less (README, Benchmarks).
 */
const V8_FLAGS = '--max-inlined-bytecode-size-cumulative=200';

runBundle(join(__dirname, 'cli.bundle.js'), module, require, __filename, V8_FLAGS);
