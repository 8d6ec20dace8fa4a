import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { openElementAt } from './open-element';

interface SnippetEntry {
  prefix: string[];
  description: string;
  body: string[];
}

/** The elements a snippet's body may go into besides the start of a document. */
function fitsInside(body: string, open: string | null | undefined): boolean {
  if (open === null) return true;
  if (open === 'Invoices') return body.startsWith('<Invoice>');
  if (open === 'CreditNotes') return body.startsWith('<CreditNote>');
  return false;
}

/**
 * The whole-document snippets (snippets/xero-documents.code-snippets: invoices, bills, credit notes, bulk and
 * status-change requests), offered only where a document can start — or, for one invoice or credit note, directly
 * inside `<Invoices>` / `<CreditNotes>` — rather than everywhere as contributed snippets would be. Line and
 * tracking snippets stay contributed (snippets/xero-invoice.code-snippets).
 */
export function registerDocumentSnippets(context: vscode.ExtensionContext): vscode.Disposable {
  let snippets: [string, SnippetEntry][] | undefined;
  const load = () => (snippets ??= Object.entries(JSON.parse(fs.readFileSync(context.asAbsolutePath('snippets/xero-documents.code-snippets'), 'utf8')) as Record<string, SnippetEntry>));
  return vscode.languages.registerCompletionItemProvider({ language: 'xml' }, {
    provideCompletionItems(document, position) {
      const line = document.lineAt(position.line).text.slice(0, position.character);
      const typed = /[\w-]*$/.exec(line)?.[0] ?? '';
      const start = position.translate(0, -typed.length);
      const open = openElementAt(document.getText(new vscode.Range(new vscode.Position(0, 0), start)));
      if (open === undefined) return [];
      const items: vscode.CompletionItem[] = [];
      for (const [name, s] of load()) {
        const body = s.body.join('\n');
        if (!fitsInside(body, open)) continue;
        for (const prefix of s.prefix) {
          const item = new vscode.CompletionItem({ label: prefix, description: name }, vscode.CompletionItemKind.Snippet);
          item.insertText = new vscode.SnippetString(body);
          item.range = new vscode.Range(start, position);
          item.documentation = new vscode.MarkdownString().appendText(s.description).appendCodeblock(body.replace(/\$\{\d+(?::|\|)([^}|]*)[^}]*\}/g, '$1').replace(/\$\d+/g, ''), 'xml');
          item.detail = name;
          items.push(item);
        }
      }
      return items;
    },
  });
}
