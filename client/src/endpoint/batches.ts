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

/** What an item of a batch says about itself, and what an answer says about the document it is for. */
export interface Identity {
  id?: string | null;
  number?: string | null;
}

/**
 * Why a batch's answers cannot be matched to its items, or undefined when they can: the count must agree, and
 * wherever an item names its ID or number, the answer at its position must name the same (an answer for a
 * rejected document carries no ID: then only its number is compared). Matching by position alone would write a
 * reordered or short answer's IDs into the wrong invoices.
 */
export function batchMismatch(items: readonly Identity[], answers: readonly Identity[]): string | undefined {
  if (answers.length !== items.length) return `the endpoint answered for ${answers.length} document${answers.length === 1 ? '' : 's'}, ${items.length} were sent`;
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    const a = answers[i];
    if (it.id && a.id && it.id.toLowerCase() !== a.id.toLowerCase()) return `answer ${i + 1} is for ${a.id}, not ${it.id}`;
    if (it.number && a.number && it.number.trim() !== a.number.trim()) return `answer ${i + 1} is for ${a.number}, not ${it.number}`;
  }
  return undefined;
}
