import { performance } from 'node:perf_hooks';

/** Long work runs in slices of this many milliseconds, so that requests, edits and cancellations get through meanwhile. */
export const SLICE_MS = 8;

export const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs the steps `start` makes (a generator that stops whenever the pause it was given says so) a slice at a time,
 * with the event loop running between slices. Undefined when `cancelled` says so between two slices.
 */
export async function inSlices<T>(start: (pause: () => boolean) => Generator<void, T, void>, cancelled: () => boolean): Promise<T | undefined> {
  let deadline = performance.now() + SLICE_MS;
  const steps = start(() => performance.now() > deadline);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await yieldToEvents();
    if (cancelled()) return undefined;
    deadline = performance.now() + SLICE_MS;
  }
}
