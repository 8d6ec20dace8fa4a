import * as vscode from 'vscode';

function isPosition(p: unknown): p is { line: number; character: number } {
  return typeof p === 'object' && p !== null && typeof (p as { line?: unknown }).line === 'number' && typeof (p as { character?: unknown }).character === 'number';
}

/** `[uri, position, snippetText]` from the server's quick fixes: inserts the snippet (tab stops and all) there. */
export async function insertSnippetCommand(args: unknown[]): Promise<boolean> {
  const [uri, position, text] = args;
  if (typeof uri !== 'string' || !isPosition(position) || typeof text !== 'string') return false;
  const target = vscode.Uri.parse(uri);
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString()) ?? (await vscode.workspace.openTextDocument(target));
  const visible = vscode.window.visibleTextEditors.find((e) => e.document === document);
  const editor = visible ?? (await vscode.window.showTextDocument(document));
  return editor.insertSnippet(new vscode.SnippetString(text), new vscode.Position(position.line, position.character));
}
