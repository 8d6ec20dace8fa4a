import { setFlagsFromString } from 'node:v8';
import { lowerBackgroundThreads } from './thread-priority';

/**
 * TurboFan's inlining budget for the CLI and the language server. A check of a big document runs mostly before the
 * optimised code of its hottest functions is ready: with V8's default budget (920 bytes of bytecode inlined into a
 * function) the largest of those compiles (the invoice model with every field lookup inlined into it, the parser's
 * loops) take tens of milliseconds each on the compiler's background thread, which shares two cores with the check
 * and the collector. A budget of 200 gets them ready sooner: a 10 MB check takes about a tenth less (README,
 * Benchmarks), and typing is as fast (it runs code optimised long before).
 */
export const V8_FLAGS = '--max-inlined-bytecode-size-cumulative=200';

/**
 * Sets V8 flags in this process: at its start, before any of its code is optimised (TurboFan reads the budget as it
 * compiles). A runtime that refuses flags once started runs with its defaults, only slower.
 */
export function setV8Flags(flags: string): void {
  try {
    setFlagsFromString(flags);
  } catch {
    // V8's defaults.
  }
}

/**
 * The language server's process as the CLI's single-threaded run has it: the inlining budget above, and the
 * runtime's own threads (compiler, collector's helpers) below the thread that answers the editor. Together they
 * take opening a 10 MB document from about 1.8× to about 1.7× xmllint's time on the same file (each alone: no
 * change beyond the noise).
 */
export function tuneServerProcess(): void {
  setV8Flags(V8_FLAGS);
  lowerBackgroundThreads();
}
