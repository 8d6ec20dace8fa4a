/**
 * The text of a document as the engine reads it. An editor can supply a piece table here, so that an edit inside
 * one invoice never copies the whole (possibly 10 MB) text: the engine only slices the invoice it re-parses.
 */
export interface TextSource {
  readonly length: number;
  slice(start: number, end: number): string;
  /** Where `search` next stands at or after `position`, or -1 (as String.prototype.indexOf). */
  indexOf(search: string, position: number): number;
  toString(): string;
}
