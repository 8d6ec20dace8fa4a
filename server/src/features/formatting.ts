import type { DocumentFormattingParams, TextEdit } from 'vscode-languageserver';
import type { DocumentStore } from '../documents';

export function formatDocument(_store: DocumentStore, _params: DocumentFormattingParams): TextEdit[] {
  return [];
}
