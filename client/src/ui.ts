import * as vscode from 'vscode';
import { describeError, EndpointError } from './endpoint/errors';
import { NoCredentialsError } from './connection';
import { ClientCommands } from './command-ids';

/**
 * Shows an error as a sentence a bookkeeper understands, with "Show log" (and the way out when credentials are
 * missing). Never awaited by commands: a notification left open must not hold a command (or a test) hostage.
 */
export function showError(e: unknown, prefix?: string): void {
  if (e instanceof EndpointError && e.kind === 'cancelled') return;
  // A refusal already says what and why ("INV-0042 can't be voided: …"): no "… failed:" in front of it.
  const lead = prefix && !(e instanceof EndpointError && e.kind === 'refused') ? `${prefix}: ` : '';
  const text = `${lead}${describeError(e)}`;
  const actions: { title: string; command: string }[] = [];
  if (e instanceof NoCredentialsError) actions.push({ title: 'Sign in to Xero', command: ClientCommands.signIn }, { title: 'Start local sandbox', command: ClientCommands.startSandbox });
  else if (e instanceof EndpointError && e.kind === 'auth') actions.push({ title: 'Sign in to Xero', command: ClientCommands.signIn }, { title: 'Connect with client credentials', command: ClientCommands.connectClientCredentials });
  actions.push({ title: 'Show log', command: ClientCommands.showLog });
  vscode.window.showErrorMessage(text, ...actions.map((a) => a.title)).then((pick) => {
    const action = actions.find((a) => a.title === pick);
    if (action) run(action.command);
  }, ignore);
}

/** Runs a command from a notification's button; a failure is already reported by the command, never left unhandled. */
function run(command: string): void {
  vscode.commands.executeCommand(command).then(undefined, ignore);
}

function ignore(): void {
  // The notification or the command reported its own failure.
}

export function showInfo(text: string, ...actions: { title: string; run: () => unknown }[]): void {
  vscode.window.showInformationMessage(text, ...actions.map((a) => a.title)).then((pick) => actions.find((a) => a.title === pick)?.run(), ignore);
}

export function showWarning(text: string): void {
  vscode.window.showWarningMessage(text, 'Show log').then((pick) => {
    if (pick) run(ClientCommands.showLog);
  }, ignore);
}

export interface ProgressReporter {
  /** The current step ("Sending batch 2 of 3…"). */
  step(message: string, increment?: number): void;
  /** Fed to the endpoint's retry hook: shows a countdown next to the current step. */
  waiting(info: { remainingSeconds: number; reason: string }): void;
  signal: AbortSignal;
}

/**
 * Long work under a progress notification with a Cancel button. Cancelling aborts the signal: bulk sends stop
 * before their next batch, waits for a retry stop at once.
 */
export function withProgress<T>(title: string, work: (p: ProgressReporter) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    let current = '';
    const reporter: ProgressReporter = {
      signal: abort.signal,
      step(message, increment) {
        current = message;
        progress.report({ message, increment });
      },
      waiting({ remainingSeconds, reason }) {
        progress.report({ message: remainingSeconds > 0 ? `${current} — ${reason}: retrying in ${remainingSeconds} s` : current });
      },
    };
    return work(reporter);
  });
}
