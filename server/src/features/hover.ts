import type { Hover, HoverParams } from 'vscode-languageserver';
import type { DocumentStore } from '../documents';

export function hover(_store: DocumentStore, _params: HoverParams): Hover | null {
  return null;
}
