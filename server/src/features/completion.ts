import type { CompletionItem, CompletionParams } from 'vscode-languageserver';
import type { DocumentStore } from '../documents';

export function complete(_store: DocumentStore, _params: CompletionParams): CompletionItem[] {
  return [];
}
