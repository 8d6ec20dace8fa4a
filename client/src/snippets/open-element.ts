/** Beyond this much text before the cursor the open element is not worked out: only an empty start is recognised. */
const MAX_SCAN = 2_000_000;
const TAG = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<[?!][\s\S]*?(?:>|$)|<(\/?)([A-Za-z_][\w.:-]*)(?:[^>"']|"[^"]*"|'[^']*')*?(\/?)>/g;

/**
 * Where the text before the cursor leaves it: `null` where a document can start (nothing but a prolog before it),
 * else the element open there. A tag scan, not a parse: enough to tell a document's start from the inside of one.
 */
export function openElementAt(before: string): string | null | undefined {
  const stack: string[] = [];
  if (before.length > MAX_SCAN) return /<[A-Za-z_]/.test(before) ? undefined : null;
  TAG.lastIndex = 0;
  let started = false;
  for (let m = TAG.exec(before); m; m = TAG.exec(before)) {
    if (!m[2]) continue;
    started = true;
    if (m[1]) {
      const at = stack.lastIndexOf(m[2]);
      if (at >= 0) stack.length = at;
    } else if (!m[3]) stack.push(m[2]);
  }
  if (!started) return null;
  return stack.length ? stack[stack.length - 1] : undefined;
}
