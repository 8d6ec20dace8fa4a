import type { FoldingRange } from 'vscode-languageserver';
import type { DocumentStore } from '../documents';

export function foldingRanges(_store: DocumentStore, _uri: string): FoldingRange[] {
  return [];
}
