import * as vscode from 'vscode';

/** Answers modal confirmations in the extension-host tests (ExtensionMode.Test only): sees the text, picks a button. */
export type ConfirmationDriver = (message: string, detail: string | undefined, buttons: string[]) => string | undefined;

let driver: ConfirmationDriver | undefined;

export function setConfirmationDriver(d: ConfirmationDriver | undefined): void {
  driver = d;
}

/** A modal question; resolves with the button picked, undefined when dismissed. */
export async function askModal(message: string, detail: string | undefined, ...buttons: string[]): Promise<string | undefined> {
  if (driver) return driver(message, detail, buttons);
  return vscode.window.showWarningMessage(message, { modal: true, ...(detail ? { detail } : {}) }, ...buttons);
}
