/// <reference types="mocha" />
// Send → Approve & email → Download PDF → Void against the local sandbox, in a real VS Code (code-server),
// through the extension's own commands with the arguments the server's code lenses pass ([uri, index]).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandResult } from '../../../client/src/outcomes';
import { diagnosticsWith, getJson, type SandboxState } from './helpers';

const EXTENSION_ID = 'invoice-tools.xero-invoice-xml';
const GUID = /<InvoiceID>([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})<\/InvoiceID>/;

interface SandboxInfo {
  url: string;
  tenantId: string;
  dataDir: string;
  outboxDir: string;
}

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function open(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

suite('Xero invoice extension against the local sandbox', () => {
  let sandbox: SandboxInfo;
  let doc: vscode.TextDocument;
  let invoiceNumber: string;
  // The sandbox starts with sample invoices: the tests count from what it holds at first.
  let before: SandboxState;
  const count = (st: SandboxState, status: string) => st.byStatus.invoice[status] ?? 0;

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    await ext.activate();
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('xeroInvoice.stopSandbox');
  });

  test('the language server checks an invoice document (diagnostics by event)', async () => {
    const wrong = await open('wrong-totals.invoice.xml');
    const diags = await diagnosticsWith(wrong.uri, 'subtotal-mismatch');
    assert.ok(diags.some((d) => /87\.11/.test(d.message)), 'the computed subtotal is in the message');
  });

  test('Start local sandbox points the workspace at it', async () => {
    const info = await vscode.commands.executeCommand<SandboxInfo | undefined>('xeroInvoice.startSandbox');
    assert.ok(info, 'the sandbox started');
    sandbox = info;
    assert.match(sandbox.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const config = vscode.workspace.getConfiguration('xeroInvoice');
    assert.equal(config.inspect('endpoint.baseUrl')?.workspaceValue, sandbox.url);
    assert.equal(config.inspect('endpoint.tenantId')?.workspaceValue, sandbox.tenantId);
    before = await getJson<SandboxState>(`${sandbox.url}/sandbox/state`);
  });

  test('the server offers Send on the invoice (code lens with [uri, index, identity])', async () => {
    doc = await open('send-approve.invoice.xml');
    // The language client is running (the first test's document started it), so its lens provider answers.
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const send = lenses?.find((l) => l.command?.command === 'xeroInvoice.send');
    assert.ok(send, 'a Send lens');
    const [uri, index, identity] = send.command!.arguments as [string, number, { fingerprint: string }];
    assert.deepEqual([uri, index], [doc.uri.toString(), 0]);
    assert.match(identity.fingerprint, /^[0-9a-f]{16}$/, 'the lens names the invoice it was shown on');
  });

  test('Send creates the invoice and writes InvoiceID, number and status back', async () => {
    const r = await vscode.commands.executeCommand<CommandResult>('xeroInvoice.send', doc.uri.toString(), 0);
    assert.ok(r, 'Send returned a result');
    assert.equal(r.outcomes.length, 1);
    assert.ok(r.outcomes[0].ok, `sent: ${r.outcomes[0].errors.join('; ')}`);
    assert.equal(r.writeBack, 'applied');
    const text = doc.getText();
    const id = GUID.exec(text)?.[1];
    assert.equal(id, r.outcomes[0].invoiceId, 'the InvoiceID is in the document');
    invoiceNumber = r.outcomes[0].invoiceNumber!;
    assert.ok(invoiceNumber, 'the endpoint numbered the invoice');
    assert.ok(text.includes(`<InvoiceNumber>${invoiceNumber}</InvoiceNumber>`), 'the number is in the document');
    assert.ok(text.includes('<Status>DRAFT</Status>'));
    const state = await getJson<SandboxState>(`${sandbox.url}/sandbox/state`);
    assert.equal(state.invoices, before.invoices + 1, 'exactly one invoice more');
    assert.equal(count(state, 'DRAFT'), count(before, 'DRAFT') + 1);
  });

  test('Approve & email approves, emails the contact and writes AUTHORISED back', async () => {
    const r = await vscode.commands.executeCommand<CommandResult>('xeroInvoice.approveAndEmail', doc.uri.toString(), 0);
    assert.ok(r, 'Approve & email returned a result');
    const o = r.outcomes[0];
    assert.ok(o.ok, `approved: ${o.errors.join('; ')}`);
    assert.equal(o.steps?.length, 2);
    assert.match(o.steps[0], /approved/);
    assert.match(o.steps[1], /emailed to Harbour Lights Cafe/);
    assert.ok(doc.getText().includes('<Status>AUTHORISED</Status>'), 'the status is written back');
    const state = await getJson<SandboxState>(`${sandbox.url}/sandbox/state`);
    assert.equal(count(state, 'AUTHORISED'), count(before, 'AUTHORISED') + 1);
    assert.equal(count(state, 'DRAFT'), count(before, 'DRAFT'));
    const outbox = await getJson<{ files: { name: string; path: string }[] }>(`${sandbox.url}/sandbox/outbox`);
    const eml = outbox.files.find((f) => f.name.endsWith('.eml') && f.name.includes(invoiceNumber));
    assert.ok(eml, `an .eml for ${invoiceNumber} in the outbox`);
    const message = fs.readFileSync(eml.path, 'utf8');
    assert.match(message, /accounts@harbourlights\.example/);
    assert.match(message, new RegExp(`Invoice ${invoiceNumber}`));
  });

  test('Download PDF saves a PDF into the configured folder', async () => {
    const r = await vscode.commands.executeCommand<{ files: string[] }>('xeroInvoice.downloadPdf', doc.uri.toString(), 0);
    assert.ok(r, 'Download PDF returned a result');
    assert.equal(r.files.length, 1);
    const file = r.files[0];
    assert.equal(path.basename(file), `${invoiceNumber}.pdf`);
    assert.equal(path.dirname(file), process.env.XERO_TEST_PDF_DIR);
    assert.equal(fs.readFileSync(file).subarray(0, 5).toString('latin1'), '%PDF-');
  });

  test('Void voids the approved invoice (confirmation off by setting) and writes VOIDED back', async () => {
    const r = await vscode.commands.executeCommand<CommandResult>('xeroInvoice.void', doc.uri.toString(), 0);
    assert.ok(r, 'Void returned a result');
    assert.ok(r.outcomes[0].ok, r.outcomes[0].errors.join('; '));
    assert.ok(doc.getText().includes('<Status>VOIDED</Status>'));
    const state = await getJson<SandboxState>(`${sandbox.url}/sandbox/state`);
    assert.equal(count(state, 'VOIDED'), count(before, 'VOIDED') + 1);
    assert.equal(count(state, 'AUTHORISED'), count(before, 'AUTHORISED'));
    assert.equal(state.invoices, before.invoices + 1, 'still exactly one invoice more');
  });

  test('Void again is refused before any change (the current state is fetched first)', async () => {
    const before = doc.getText();
    const r = await vscode.commands.executeCommand<{ refused?: string }>('xeroInvoice.void', doc.uri.toString(), 0);
    assert.match(r?.refused ?? '', /can't be voided: it is already voided/, 'refused with the reason; nothing was voided');
    assert.equal(doc.getText(), before);
  });

  test('Fetch invoice by number opens the endpoint XML in a new editor the server recognises', async () => {
    const fetched = await vscode.commands.executeCommand<vscode.TextDocument>('xeroInvoice.fetchInvoice', invoiceNumber);
    assert.ok(fetched, 'a document was opened');
    assert.equal(fetched.languageId, 'xml');
    assert.equal(fetched.uri.scheme, 'untitled');
    assert.ok(fetched.getText().includes(`<InvoiceNumber>${invoiceNumber}</InvoiceNumber>`));
    assert.ok(fetched.getText().includes('<Status>VOIDED</Status>'));
    // Recognised: the server answers with its summary lens for the fetched invoice.
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', fetched.uri);
    assert.ok(lenses.some((l) => /Total/.test(l.command?.title ?? '')), 'a summary lens on the fetched invoice');
  });

  test('insertSnippet inserts a quick fix snippet at the position', async () => {
    const scratch = await vscode.workspace.openTextDocument({ language: 'xml', content: '<Invoice>\n</Invoice>\n' });
    await vscode.window.showTextDocument(scratch);
    const ok = await vscode.commands.executeCommand<boolean>('xeroInvoice.insertSnippet', scratch.uri.toString(), { line: 0, character: 9 }, '<DueDate>${1:2026-12-01}</DueDate>');
    assert.equal(ok, true);
    assert.ok(scratch.getText().startsWith('<Invoice><DueDate>2026-12-01</DueDate>'));
  });

  test('Stop local sandbox puts the endpoint settings back', async () => {
    const stopped = await vscode.commands.executeCommand<boolean>('xeroInvoice.stopSandbox');
    assert.equal(stopped, true);
    assert.equal(vscode.workspace.getConfiguration('xeroInvoice').inspect('endpoint.baseUrl')?.workspaceValue, undefined);
  });
});
