import { setFlagsFromString } from 'node:v8';
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

/** After a document of `length` characters was read and checked: its garbage is collected, when it was big. */
export function afterBigDocument(length: number): void {
  if (length < BIG_DOCUMENT) return;
  // After the answers that wait for the check (the first diagnostics): the collection takes some tens of
  // milliseconds. Those answers are written on the next turn of the event loop, from vscode-jsonrpc's write queue
  // (a setImmediate), which a timer set now would run before: the timer is set from that next turn instead.
  setImmediate(() => setTimeout(() => collector()?.(), 0));
}
