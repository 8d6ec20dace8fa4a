/// <reference types="mocha" />
// Approve of an unsent invoice, a bulk send with a partial failure, the version guard on write-back, local
// refusals, and pulling invoices — through the extension's commands against the local sandbox.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CommandResult } from '../../../client/src/outcomes';
import { codeOf, getJson, poll, until, type SandboxState } from './helpers';

const ID = /<InvoiceID>[0-9a-f-]{36}<\/InvoiceID>/g;


function workspaceFile(name: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, name);
}

async function open(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

suite('Write-back, bulk work and refusals', () => {
  let url: string;
  const state = () => getJson<SandboxState>(`${url}/sandbox/state`);
  const count = (st: SandboxState, status: string) => st.byStatus.invoice[status] ?? 0;
  const control = async (body: unknown) => {
    const r = await fetch(`${url}/sandbox/control`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(r.status, 200);
    return (await r.json()) as { failNext: unknown[]; held: number };
  };

  suiteSetup(async () => {
    await vscode.extensions.getExtension('invoice-tools.xero-invoice-xml')!.activate();
    const info = await vscode.commands.executeCommand<{ url: string }>('xeroInvoice.startSandbox');
    assert.ok(info);
    url = info.url;
  });

  suiteTeardown(async () => {
    await control({ reset: true }).catch(() => undefined);
    await vscode.commands.executeCommand('xeroInvoice.stopSandbox');
  });

  test('Approve on an invoice never sent: one PUT with Status AUTHORISED (no draft left behind)', async () => {
    const doc = await open('approve-new.invoice.xml');
    const before = await state();
    const r = await vscode.commands.executeCommand<CommandResult>('xeroInvoice.approve', doc.uri.toString(), 0);
    assert.ok(r?.outcomes[0].ok, r?.outcomes[0].errors.join('; '));
    assert.equal(r.outcomes[0].status, 'AUTHORISED');
    assert.match(doc.getText(), /<Status>AUTHORISED<\/Status>/);
    assert.equal(doc.getText().match(ID)?.length, 1);
    const after = await state();
    assert.equal(after.invoices, before.invoices + 1);
    assert.equal(count(after, 'AUTHORISED'), count(before, 'AUTHORISED') + 1);
    assert.equal(count(after, 'DRAFT'), count(before, 'DRAFT'), 'no draft was created on the way');
  });

  test('Bulk send: the accepted invoices are written back, the rejected one gets a diagnostic of its own', async () => {
    const doc = await open('bulk.invoice.xml');
    const before = await state();
    const r = await vscode.commands.executeCommand<CommandResult>('xeroInvoice.send', { uri: doc.uri.toString(), scope: 'all' });
    assert.ok(r, 'Send returned a result');
    assert.deepEqual(
      r.outcomes.map((o) => o.ok),
      [true, false, true],
    );
    assert.match(r.outcomes[1].errors.join(' '), /unique/i);
    assert.equal(r.writeBack, 'applied');
    assert.equal(doc.getText().match(ID)?.length, 2, 'two InvoiceIDs written back');
    assert.equal((await state()).invoices, before.invoices + 2);
    const second = doc.getText().indexOf('<Invoice>', doc.getText().indexOf('<Invoice>') + 1);
    const diags = await until(
      'the endpoint verdict on the second invoice',
      () => {
        const list = vscode.languages.getDiagnostics(doc.uri).filter((d) => codeOf(d) === 'response-validation-error');
        return list.length && list[0].range.start.line === doc.positionAt(second).line ? list : undefined;
      },
      [vscode.languages.onDidChangeDiagnostics],
    );
    assert.equal(diags.length, 1);
    assert.match(diags[0].message, /unique/i);
  });

  test('Write-back is refused when the document changed while the request was on its way; the edit is kept', async () => {
    const doc = await open('stale.invoice.xml');
    const before = await state();
    // The sandbox keeps the request waiting until it is released: the user types while it is on its way.
    await control({ failNext: [{ hold: true }] });
    const sending = vscode.commands.executeCommand<CommandResult>('xeroInvoice.send', doc.uri.toString(), 0);
    await poll('the request to reach the sandbox', async () => (await control({})).held === 1);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, doc.positionAt(doc.getText().length), '<!-- typed while sending -->\n');
    assert.equal(await vscode.workspace.applyEdit(edit), true);
    await control({ release: true });
    const r = await sending;
    await control({ reset: true });
    assert.ok(r?.outcomes[0].ok, 'the invoice was created');
    assert.equal(r.writeBack, 'stale');
    assert.ok(doc.getText().includes('<!-- typed while sending -->'), "the user's edit is kept");
    assert.equal(doc.getText().match(ID), null, 'nothing was written into the changed document');
    assert.equal((await state()).invoices, before.invoices + 1);
  });

  test('Email is refused locally for a bill draft without an InvoiceID (nothing is sent)', async () => {
    const doc = await open('bill.invoice.xml');
    const before = await state();
    const r = await vscode.commands.executeCommand<{ refused?: string }>('xeroInvoice.email', doc.uri.toString(), 0);
    assert.match(r?.refused ?? '', /can't be emailed: it is a bill \(ACCPAY\).*it is a draft: approve it first/);
    assert.equal((await state()).outbox, before.outbox);
  });

  test('Delete draft refuses an approved invoice after fetching its state', async () => {
    const doc = await open('approve-new.invoice.xml');
    const before = doc.getText();
    const r = await vscode.commands.executeCommand<{ refused?: string }>('xeroInvoice.deleteDraft', doc.uri.toString(), 0);
    assert.match(r?.refused ?? '', /can't be deleted: it is approved \(AUTHORISED\): void it instead/);
    assert.equal(doc.getText(), before);
  });

  test('Pull invoices modified since: the answer opens in a new XML editor and the server counts its invoices', async () => {
    const since = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const r = await vscode.commands.executeCommand<{ document: vscode.TextDocument; count: number }>('xeroInvoice.pullModifiedSince', { kind: 'invoice', since });
    assert.ok(r, 'pulled');
    assert.equal(r.document.languageId, 'xml');
    assert.ok(r.count >= 3, `at least the invoices of this suite (got ${r.count})`);
  });

  test('Set access token: a wrong token is checked, refused and not kept; the sign-in goes on working', async () => {
    assert.equal(await vscode.commands.executeCommand('xeroInvoice.setAccessToken', 'not-the-sandbox-token'), false);
    const fetched = await vscode.commands.executeCommand<vscode.TextDocument>('xeroInvoice.fetchInvoice', 'INV-0001');
    assert.ok(fetched?.getText().includes('<InvoiceNumber>INV-0001</InvoiceNumber>'));
  });

  test('Connect with client credentials: later requests use tokens from the identity endpoint', async () => {
    const ok = await vscode.commands.executeCommand<boolean>('xeroInvoice.connectClientCredentials', process.env.SANDBOX_CLIENT_ID, process.env.SANDBOX_CLIENT_SECRET);
    assert.equal(ok, true);
    const fetched = await vscode.commands.executeCommand<vscode.TextDocument>('xeroInvoice.fetchInvoice', 'INV-0001');
    assert.ok(fetched?.getText().includes('<InvoiceNumber>INV-0001</InvoiceNumber>'));
  });

  test('Connect with client credentials: a wrong secret is refused and not kept', async () => {
    const ok = await vscode.commands.executeCommand<boolean>('xeroInvoice.connectClientCredentials', process.env.SANDBOX_CLIENT_ID, 'wrong-secret');
    assert.equal(ok, false);
  });
});
