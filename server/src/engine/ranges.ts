/**
 * The one binary search over sorted, non-overlapping ranges (a document's invoices): the last range that starts
 * at or before `offset`, or -1 when all start after it.
 */
export function lastStartingAtOrBefore(count: number, startOf: (i: number) => number, offset: number): number {
  let lo = 0;
  let hi = count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (startOf(mid) <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The range holding `offset` (both ends included), or -1. */
export function rangeIndexAt(count: number, startOf: (i: number) => number, endOf: (i: number) => number, offset: number): number {
  const i = lastStartingAtOrBefore(count, startOf, offset);
  return i >= 0 && offset <= endOf(i) ? i : -1;
}
