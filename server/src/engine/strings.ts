/**
 * A copy of a string that shares nothing with the text it was cut from. A substring of a 10 MB text keeps the
 * whole text alive; anything kept longer than that text version (a cache, a check reused while its invoice is
 * unchanged) must not.
 */
export function detached(s: string): string {
  // V8 copies substrings shorter than 13 characters (only longer ones point into the text they were cut from).
  return s.length < 13 ? s : (' ' + s).slice(1);
}
