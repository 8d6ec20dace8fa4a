/// <reference types="mocha" />
// The language server process is killed (SIGKILL) under a running extension: the user is told, the server gets
// back what only the client knew (the endpoint's verdicts, the organisation lists) and its settings; when it
// crashes too often, its problems stay on screen marked stale, the status bar says so, and "Restart language
// server" brings it back without a reload.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { CommandResult } from '../../../client/src/outcomes';
import type { XeroInvoiceApi } from '../../../client/src/extension';
import type { CheckerState } from '../../../client/src/language-client';
import { codeOf, until } from './helpers';

function workspaceFile(name: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, name);
}

async function open(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
  // A tab of its own (not a preview the next document replaces): the client pulls diagnostics for open tabs.
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** The language server: the child process of this extension host that runs dist/server.js. */
function serverPid(context: string): number {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('dist/server.js')) found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  assert.equal(found.length, 1, `one language server process (found ${found.join(', ') || 'none'}; ${context})`);
  return found[0];
}

const STALE = /stale/;

suite('Language server crash recovery', () => {
  let api: XeroInvoiceApi;
  let crash: vscode.TextDocument;
  let wrong: vscode.TextDocument;
  const states: CheckerState[] = [];

  const state = () => api.checker().state;
  const diagnostics = (doc: vscode.TextDocument) => vscode.languages.getDiagnostics(doc.uri);
  const fresh = (doc: vscode.TextDocument, code: string) =>
    until(`a fresh ${code} on ${doc.uri.path}`, () => diagnostics(doc).some((d) => codeOf(d) === code && !STALE.test(d.message)), [vscode.languages.onDidChangeDiagnostics]);
  /** Completion inside <AccountCode> of the crash document: the organisation's accounts the server knows. */
  const accountCompletions = async () => {
    const text = crash.getText();
    const at = crash.positionAt(text.indexOf('<AccountCode>') + '<AccountCode>'.length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', crash.uri, at);
    return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
  };
  /** Kills the server; resolves with the state the client settles in (running again, or down). */
  const kill = async (): Promise<CheckerState> => {
    const seen = states.length;
    process.kill(serverPid(`states so far ${states.join(' → ')}; told: ${api.checker().notices.join(' | ')}`), 'SIGKILL');
    const settled = await until('the client to notice the crash and settle', () => {
      const after = states.slice(seen);
      if (after.includes('down')) return 'down';
      return after.includes('restarting') && state() === 'running' ? 'running' : undefined;
    }, [api.onDidChangeChecker]);
    // Running means the new server answered `initialize`; the client is still telling it `initialized`. A crash
    // in between is a failed start, not a crash of a running server: ask it something first, as a user would.
    if (settled === 'running') {
      await accountCompletions();
      // And its problems are back, the endpoint's verdict included, before anything else happens to it: what a
      // later crash leaves on screen (marked stale) is then known.
      await fresh(wrong, 'subtotal-mismatch');
      await fresh(crash, 'response-validation-error');
    }
    return settled;
  };

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<XeroInvoiceApi>('invoice-tools.xero-invoice-xml')!;
    api = await ext.activate();
    api.onDidChangeChecker((s) => states.push(s));
    const info = await vscode.commands.executeCommand<{ url: string }>('xeroInvoice.startSandbox');
    assert.ok(info, 'the sandbox started');
    wrong = await open('wrong-totals.invoice.xml');
    crash = await open('crash.invoice.xml');
    await api.languageClientReady();
    await fresh(wrong, 'subtotal-mismatch');
  });

  suiteTeardown(async () => {
    if (state() === 'down') await vscode.commands.executeCommand('xeroInvoice.restartServer');
    await vscode.commands.executeCommand('xeroInvoice.stopSandbox');
  });

  test('a killed server is restarted, the user is told once, and it gets back verdicts, organisation lists and settings', async () => {
    await vscode.commands.executeCommand('xeroInvoice.refreshOrganisation');
    assert.ok((await accountCompletions()).includes('429'), "the sandbox organisation's account 429 is offered");
    const r = await vscode.commands.executeCommand<CommandResult>('xeroInvoice.send', crash.uri.toString(), 0);
    assert.equal(r?.outcomes[0].ok, false, 'the endpoint rejected the duplicate number');
    await fresh(crash, 'response-validation-error');
    const told = api.checker().notices.length;

    assert.equal(await kill(), 'running');
    assert.deepEqual(api.checker().notices.slice(told).length, 1, 'told once');
    assert.match(api.checker().notices[told], /stopped unexpectedly and was restarted/);
    assert.equal(api.checker().statusText, undefined, 'no checker item in the status bar while it runs');
    // The settings (debounce, trigger) come back through workspace/configuration: the engine's own diagnostics return.
    await fresh(wrong, 'subtotal-mismatch');
    const verdict = await fresh(crash, 'response-validation-error').then(() => diagnostics(crash).find((d) => codeOf(d) === 'response-validation-error')!);
    assert.match(verdict.message, /unique/i, "the endpoint's verdict is back on the invoice");
    assert.ok((await accountCompletions()).includes('429'), 'the organisation lists are back');
  });

  test('after 5 crashes in 3 minutes the problems stay, marked stale; the status bar says so; Restart brings it back', async () => {
    const told = api.checker().notices.length;
    // One crash happened in the test above: four more, and vscode-languageclient's policy gives up on the last.
    const outcomes: CheckerState[] = [];
    for (let i = 0; i < 4; i++) outcomes.push(await kill());
    assert.deepEqual(outcomes, ['running', 'running', 'running', 'down']);
    assert.equal(api.checker().notices.length, told + 4, 'one notice per crash');
    assert.match(api.checker().notices.at(-1)!, /not restarted/);
    assert.match(api.checker().statusText ?? '', /checker down/i);

    const stale = diagnostics(wrong).filter((d) => codeOf(d) === 'subtotal-mismatch');
    assert.ok(stale.length > 0, 'the wrong totals are still marked');
    assert.ok(stale.every((d) => STALE.test(d.message)), 'and marked stale');
    assert.ok(diagnostics(crash).some((d) => codeOf(d) === 'response-validation-error' && STALE.test(d.message)), "the endpoint's verdict too");

    await vscode.commands.executeCommand('xeroInvoice.restartServer');
    assert.equal(state(), 'running');
    assert.equal(api.checker().statusText, undefined);
    await fresh(wrong, 'subtotal-mismatch');
    await fresh(crash, 'response-validation-error');
    await until('the stale copies to go', () => !diagnostics(wrong).some((d) => STALE.test(d.message)), [vscode.languages.onDidChangeDiagnostics]);
    assert.ok((await accountCompletions()).includes('429'), 'the organisation lists are back');
  });
});
