import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Reading a big document leaves tens of megabytes of garbage (the message it came in, each invoice's element tree)
 * that V8 would collect only as the heap grows further, while the user types. Collecting it once, right after,
 * keeps the server's memory where the document's own data puts it. The collector is reached without a
 * command-line flag, so every client that starts the server gets this.
 */
const BIG_DOCUMENT = 2_000_000;

let collect: (() => void) | undefined | null;

function collector(): (() => void) | null {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  return collect;
}

/**
 * Reading a big document again in full after an edit leaves its text of the version before behind (one string of up
 * to twice its size: 21 MB for the 10 MB bench document), which V8 would let pile up over several such edits: it is
 * collected when the heap has grown by this much since the last collection (after every few such readings of a
 * 2 MB document, after each of a 10 MB one).
 */
const GROWTH_COLLECTED = 8 * 1024 * 1024;

let heapAfterCollection = 0;

function collectSoon(): void {
  // After the answers that wait for the check (the first diagnostics): the collection takes some tens of
  // milliseconds. Those answers are written on the next turn of the event loop, from vscode-jsonrpc's write queue
  // (a setImmediate), which a timer set now would run before: the timer is set from that next turn instead.
  setImmediate(() =>
    setTimeout(() => {
      const gc = collector();
      if (!gc) return;
      gc();
      heapAfterCollection = getHeapStatistics().used_heap_size;
    }, 0),
  );
}

/** After a document of `length` characters was read and checked: its garbage is collected, when it was big. */
export function afterBigDocument(length: number): void {
  if (length >= BIG_DOCUMENT) collectSoon();
}

/** After a document of `length` characters was read again in full after an edit (see GROWTH_COLLECTED). */
export function afterFullReading(length: number): void {
  if (length >= BIG_DOCUMENT && getHeapStatistics().used_heap_size > heapAfterCollection + GROWTH_COLLECTED) collectSoon();
}
