import type { DocumentSymbol } from 'vscode-languageserver';
import type { DocumentStore } from '../documents';

export function documentSymbols(_store: DocumentStore, _uri: string): DocumentSymbol[] {
  return [];
}
