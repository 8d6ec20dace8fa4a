import * as vscode from 'vscode';

const SHOWN = 'xeroInvoice.gettingStarted.shown';

/**
 * Beside the first invoice, once per workspace, the walkthrough whose first step is "Try this": for a workspace
 * that starts the sandbox on activation (what `npm start` sets up), the editor must not leave a new user guessing.
 */
export async function showGettingStartedOnce(context: vscode.ExtensionContext): Promise<void> {
  if (context.workspaceState.get<boolean>(SHOWN)) return;
  await context.workspaceState.update(SHOWN, true);
  const category = `${context.extension.id}#xeroInvoice.gettingStarted`;
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', category, true);
}
