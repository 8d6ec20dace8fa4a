/**
 * A copy of a string that shares nothing with the text it was cut from. A substring of a 10 MB text keeps the
 * whole text alive; anything kept longer than that text version (a cache, a check reused across edits) must not.
 */
export function detached(s: string): string {
  return s.length === 0 ? s : (' ' + s).slice(1);
}
