import * as vscode from 'vscode';
import { ClientCommands } from './command-ids';
import type { CheckerState, InvoiceLanguageClient } from './language-client';

/** A status bar item that appears only while the invoice checker (language server) is restarting or down. */
export class CheckerStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('xeroInvoice.checker', vscode.StatusBarAlignment.Left, 49);
  private readonly subscription: vscode.Disposable;

  constructor(lc: InvoiceLanguageClient) {
    this.item.name = 'Xero invoice checker';
    this.subscription = lc.onDidChangeState((s) => this.update(s));
    this.update(lc.state);
  }

  /** What the item says now (undefined while hidden): for the extension's API. */
  text: string | undefined;

  private update(state: CheckerState): void {
    if (state === 'down') {
      this.text = '$(error) Invoice checker down';
      this.item.tooltip = 'The invoice checker (language server) is not running: problems shown are stale. Click to restart it.';
      this.item.command = ClientCommands.restartServer;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else if (state === 'restarting') {
      this.text = '$(sync~spin) Invoice checker restarting';
      this.item.tooltip = 'The invoice checker (language server) stopped unexpectedly and is being restarted.';
      this.item.command = ClientCommands.showLog;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else {
      this.text = undefined;
      this.item.hide();
      return;
    }
    this.item.text = this.text;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
