/** Xero's limits for one create/update request: about 50 invoices, and at most 3.5 MB. */
export const MAX_BATCH_ITEMS = 50;
export const MAX_BATCH_BYTES = 3_500_000;

export interface Sized {
  bytes: number;
}

/**
 * Splits items, in order, into batches of at most `maxItems` whose sizes (plus `overhead` per batch) stay within
 * `maxBytes`. An item too large on its own is returned in `oversized` instead of a batch.
 */
export function makeBatches<T extends Sized>(items: readonly T[], overhead: number, maxItems = MAX_BATCH_ITEMS, maxBytes = MAX_BATCH_BYTES): { batches: T[][]; oversized: T[] } {
  const batches: T[][] = [];
  const oversized: T[] = [];
  let current: T[] = [];
  let size = overhead;
  for (const item of items) {
    if (item.bytes + overhead > maxBytes) {
      oversized.push(item);
      continue;
    }
    if (current.length >= maxItems || size + item.bytes > maxBytes) {
      batches.push(current);
      current = [];
      size = overhead;
    }
    current.push(item);
    size += item.bytes;
  }
  if (current.length) batches.push(current);
  return { batches, oversized };
}
