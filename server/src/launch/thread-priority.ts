import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { debuglog } from 'node:util';
import { isMainThread } from 'node:worker_threads';

/** `NODE_DEBUG=xero-thread-priority` writes how many threads were lowered to stderr. */
const log = debuglog('xero-thread-priority');

/** The niceness the runtime's background threads get: 19, the lowest priority there is. */
export const BACKGROUND_NICENESS = 19;

/**
 * Gives the threads this process started before the call (V8's optimising compiler and garbage-collector helpers,
 * which Node starts with the process) the lowest scheduling priority, so that on a machine with few cores they run
 * beside the thread that does the user's work instead of taking turns with it. On a 2-core machine a 10 MB check
 * spends about 0.3 s of CPU time in them beside 0.5 s on the main thread, and the whole process took 2–9 % less
 * time with them lowered (README, Benchmarks). Threads started later (a worker) are the main thread's children and
 * keep its priority; a process that checks on workers should not call this: those threads compile the workers' code
 * too, and starved by them it stays slow. Linux only: a thread is named by its id under /proc/self/task;
 * elsewhere, and on any refusal, nothing changes. Returns how many threads it left at that priority.
 */
export function lowerBackgroundThreads(): number {
  if (process.platform !== 'linux' || !isMainThread) return 0;
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  let lowered = 0;
  for (const task of tasks) {
    const tid = Number(task);
    if (!Number.isSafeInteger(tid) || tid === process.pid) continue;
    try {
      // Only ever lowered: a thread someone already set lower is left as it is.
      if (getPriority(tid) < BACKGROUND_NICENESS) setPriority(tid, BACKGROUND_NICENESS);
      lowered++;
    } catch {
      // The thread has ended, or the system refuses: it keeps its priority.
    }
  }
  log('lowered %d background threads to niceness %d', lowered, BACKGROUND_NICENESS);
  return lowered;
}
