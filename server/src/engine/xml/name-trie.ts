/**
 * Element names the parser has met, as a trie over their characters, shared by every parse: reading a name's
 * characters walks it, so the name is recognised exactly in the same pass that finds where it ends, and an end tag
 * is matched to its start tag by the node its name ends at (no second comparison of characters). Only names of
 * ASCII name characters are kept; the parser reads others as before.
 */

/** The ASCII name characters (XML 1.0 NameChar below 128), numbered from 1; 0 for every other character. */
const SYMBOL = new Uint8Array(128);
let symbols = 0;
for (let c = 0; c < 128; c++) {
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (letter || (c >= 48 && c <= 57) || c === 95 || c === 58 || c === 45 || c === 46) SYMBOL[c] = ++symbols;
}
const WIDTH = symbols + 1;

/**
 * A trie of a few hundred names has a few thousand nodes; beyond this, new names are no longer added. The table is
 * allocated once at its full size (1.1 MB of zeroed memory, of which only the rows in use are ever touched), so
 * the parser's loops read one array that never moves.
 */
const MAX_NODES = 4096;

/** Per node, per symbol: the child node, 0 for none (the root, node 0, is nobody's child). */
const NEXT = new Int32Array(MAX_NODES * WIDTH);
/** Per node: the name that ends there, once added. */
const NAMES: (string | undefined)[] = [undefined];

/** The node a walk is at after a character with no node (or not an ASCII name character): it never matches. */
export const OFF_TRIE = -1;

/** The node after `node` reads character `c`, or OFF_TRIE. `node` may itself be OFF_TRIE. */
export function trieStep(node: number, c: number): number {
  if (node < 0 || c >= 128) return OFF_TRIE;
  const child = NEXT[node * WIDTH + SYMBOL[c]];
  return child === 0 ? OFF_TRIE : child;
}

/** The name that ends at `node`, if one was added. */
export function trieName(node: number): string | undefined {
  return node > 0 ? NAMES[node] : undefined;
}

/**
 * Adds `name` (the engine's one copy of it) and returns its node, or OFF_TRIE when it holds a character the trie
 * does not keep or the trie is full.
 */
export function trieAdd(name: string): number {
  let node = 0;
  for (let k = 0; k < name.length; k++) {
    const c = name.charCodeAt(k);
    const symbol = c < 128 ? SYMBOL[c] : 0;
    if (symbol === 0) return OFF_TRIE;
    let child = NEXT[node * WIDTH + symbol];
    if (child === 0) {
      if (NAMES.length >= MAX_NODES) return OFF_TRIE;
      child = NAMES.length;
      NAMES.push(undefined);
      NEXT[node * WIDTH + symbol] = child;
    }
    node = child;
  }
  if (node === 0) return OFF_TRIE;
  NAMES[node] ??= name;
  return node;
}
