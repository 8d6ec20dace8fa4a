/// <reference types="mocha" />
// What the user sees when a write may land twice or destroy something (issue 9), in a real VS Code against the
// local sandbox: Send on a void request asks first, naming the invoice and its total; the workspace cannot switch
// that off; Approve & email refuses a contact without email before approving; a lens acts on the invoice it names
// or refuses; two emails are two messages and SentToContact is written back; a lost answer is settled by
// "Retry the same request". Refusals are asserted by the message the command showed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { RetryResult } from '../../../client/src/commands/retry';
import type { EmailResult } from '../../../client/src/commands/email';
import type { ConfirmationDriver } from '../../../client/src/confirm';
import type { XeroInvoiceApi } from '../../../client/src/extension';
import type { CommandResult, Refusal } from '../../../client/src/outcomes';
import { getJson, type SandboxState } from './helpers';

const ID = /<InvoiceID>([0-9a-f-]{36})<\/InvoiceID>/;
const RUN = Date.now().toString(36).toUpperCase();

function workspaceFile(name: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, name);
}

async function openNew(name: string, text: string): Promise<vscode.TextDocument> {
  const uri = workspaceFile(name);
  fs.writeFileSync(uri.fsPath, text);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}

function invoiceXml(opts: { contact: string; email?: string; number?: string; status: string; description: string }): string {
  return [
    '  <Invoice>',
    '    <Type>ACCREC</Type>',
    `    <Contact><Name>${opts.contact}</Name>${opts.email ? `<EmailAddress>${opts.email}</EmailAddress>` : ''}</Contact>`,
    '    <Date>2026-11-10</Date>',
    '    <DueDate>2026-11-30</DueDate>',
    opts.number ? `    <InvoiceNumber>${opts.number}</InvoiceNumber>` : '',
    `    <Status>${opts.status}</Status>`,
    '    <LineAmountTypes>Exclusive</LineAmountTypes>',
    `    <LineItems><LineItem><Description>${opts.description}</Description><Quantity>1</Quantity><UnitAmount>100.00</UnitAmount><AccountCode>200</AccountCode><TaxType>OUTPUT2</TaxType></LineItem></LineItems>`,
    '  </Invoice>',
  ]
    .filter(Boolean)
    .join('\n');
}

const wrap = (...invoices: string[]) => `<?xml version="1.0" encoding="UTF-8"?>\n<Invoices>\n${invoices.join('\n')}\n</Invoices>\n`;

async function lensesOf(doc: vscode.TextDocument, command: string): Promise<vscode.CodeLens[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [];
  return lenses.filter((l) => l.command?.command === command);
}

suite('Every write lands once; nothing destructive without asking', () => {
  let url: string;
  let api: XeroInvoiceApi;
  const asked: string[] = [];
  const answer = (pick: (buttons: string[]) => string | undefined): ConfirmationDriver => (message, detail, buttons) => {
    asked.push(`${message}\n${detail ?? ''}`);
    return pick(buttons);
  };
  const state = () => getJson<SandboxState>(`${url}/sandbox/state`);
  const control = (body: unknown) => fetch(`${url}/sandbox/control`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const apiHeaders = () => ({ Authorization: `Bearer ${process.env.SANDBOX_TOKEN}`, 'xero-tenant-id': process.env.SANDBOX_TENANT_ID!, Accept: 'application/json', 'Content-Type': 'application/json' });
  const getInvoice = async (idOrNumber: string) => {
    const r = await fetch(`${url}/api.xro/2.0/Invoices/${encodeURIComponent(idOrNumber)}`, { headers: apiHeaders() });
    assert.equal(r.status, 200, `${idOrNumber} is at the endpoint`);
    return ((await r.json()) as { Invoices: { InvoiceID: string; InvoiceNumber: string; Status: string; Total: number; SentToContact?: boolean }[] }).Invoices[0];
  };

  suiteSetup(async () => {
    api = (await vscode.extensions.getExtension<XeroInvoiceApi>('invoice-tools.xero-invoice-xml')!.activate())!;
    assert.equal(typeof api.driveConfirmations, 'function', 'the test driver for confirmations is there in test mode');
    const info = await vscode.commands.executeCommand<{ url: string }>('xeroInvoice.startSandbox');
    url = info.url;
    await vscode.workspace.getConfiguration('xeroInvoice').update('confirmDestructive', true, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    api.driveConfirmations?.(undefined);
    await control({ reset: true }).catch(() => undefined);
    await vscode.workspace.getConfiguration('xeroInvoice').update('confirmDestructive', false, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('xeroInvoice.stopSandbox');
  });

  test('the workspace cannot switch the confirmation off (its settings say false; the user setting wins)', () => {
    const config = vscode.workspace.getConfiguration('xeroInvoice', workspaceFile('x.invoice.xml'));
    assert.equal(config.get('confirmDestructive'), true);
  });

  test('case 6: Send on a void request asks first, naming the invoice, its contact and total; cancelled, nothing changes; confirmed, it is voided', async () => {
    const created = await fetch(`${url}/api.xro/2.0/Invoices`, {
      method: 'PUT',
      headers: apiHeaders(),
      body: JSON.stringify({ Invoices: [{ Type: 'ACCREC', Contact: { Name: 'ABC Limited' }, Date: '2026-11-10', DueDate: '2026-11-30', Status: 'AUTHORISED', LineItems: [{ Description: 'To be voided', Quantity: 1, UnitAmount: 100, AccountCode: '200', TaxType: 'OUTPUT2' }] }] }),
    });
    const number = ((await created.json()) as { Invoices: { InvoiceNumber: string }[] }).Invoices[0].InvoiceNumber;
    const doc = await openNew('void-request.invoice.xml', `<Invoice>\n  <InvoiceNumber>${number}</InvoiceNumber>\n  <Status>VOIDED</Status>\n</Invoice>\n`);
    const [send] = await lensesOf(doc, 'xeroInvoice.send');
    assert.ok(send, 'a Send lens on the status change');

    asked.length = 0;
    api.driveConfirmations!(answer(() => undefined));
    const cancelled = await vscode.commands.executeCommand<CommandResult | undefined>(send.command!.command, ...send.command!.arguments!);
    assert.equal(cancelled, undefined, 'cancelled at the confirmation');
    assert.equal(asked.length, 1, 'the confirmation was asked');
    assert.match(asked[0], new RegExp(`^Void ${number} \\(ABC Limited\\), total 115\\.00 NZD\\?`));
    assert.match(asked[0], /Sending this status change voids the invoice/);
    assert.equal((await getInvoice(number)).Status, 'AUTHORISED', 'nothing was voided');

    api.driveConfirmations!(answer((buttons) => buttons[0]));
    const r = await vscode.commands.executeCommand<CommandResult>(send.command!.command, ...send.command!.arguments!);
    assert.ok(r?.outcomes[0].ok, JSON.stringify(r));
    assert.equal((await getInvoice(number)).Status, 'VOIDED');
    assert.match(doc.getText(), /<Status>VOIDED<\/Status>/);
    api.driveConfirmations!(undefined);
  });

  test('case 7: Approve & email refuses a contact without an email address at the endpoint, before approving anything', async () => {
    const doc = await openNew('no-email.invoice.xml', wrap(invoiceXml({ contact: 'Bayside Club', status: 'DRAFT', description: 'Bar tab' })));
    const before = await state();
    const r = await vscode.commands.executeCommand<Refusal>('xeroInvoice.approveAndEmail', doc.uri.toString(), 0);
    assert.match(r?.refused ?? '', /was not approved: it could not be emailed afterwards, because the contact Bayside Club has no email address at the endpoint/);
    assert.equal((await state()).invoices, before.invoices, 'nothing was created or approved');
    assert.doesNotMatch(doc.getText(), ID);
  });

  test('case 9: a lens acts on the invoice it names after the one above is cut, and refuses once its invoice changed', async () => {
    const first = `EO-A-${RUN}`;
    const named = `EO-B-${RUN}`;
    const doc = await openNew(
      'lens-identity.invoice.xml',
      wrap(invoiceXml({ contact: 'Lens Above Ltd', number: first, status: 'DRAFT', description: 'Above' }), invoiceXml({ contact: 'Lens Named Ltd', number: named, status: 'DRAFT', description: 'Named' })),
    );
    const lenses = await lensesOf(doc, 'xeroInvoice.send');
    assert.equal(lenses.length, 2);
    const lens = lenses[1].command!;
    // Cut the invoice above: the named one is now the first.
    const text = doc.getText();
    const cut = new vscode.WorkspaceEdit();
    cut.delete(doc.uri, new vscode.Range(doc.positionAt(text.indexOf('  <Invoice>')), doc.positionAt(text.indexOf('  <Invoice>', text.indexOf('</Invoice>')))));
    assert.ok(await vscode.workspace.applyEdit(cut));
    const r = await vscode.commands.executeCommand<CommandResult>(lens.command, ...lens.arguments!);
    assert.ok(r?.outcomes?.[0]?.ok, JSON.stringify(r));
    assert.equal(r.outcomes[0].invoiceNumber, named, 'the lens sent the invoice it was shown on');
    await getInvoice(named);
    const other = await fetch(`${url}/api.xro/2.0/Invoices/${first}`, { headers: apiHeaders() });
    assert.equal(other.status, 404, 'the invoice that was cut was not sent');

    // A lens of the invoice as it was, after the invoice itself changed: refused, nothing sent.
    const [fresh] = await lensesOf(doc, 'xeroInvoice.send');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(doc.getText().indexOf('Named')), doc.positionAt(doc.getText().indexOf('Named') + 5)), 'Renamed');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const before = await state();
    const refused = await vscode.commands.executeCommand<Refusal>(fresh.command!.command, ...fresh.command!.arguments!);
    assert.match(refused?.refused ?? '', new RegExp(`code lens was for ${named}, which is no longer where the lens was or has changed since`));
    assert.equal((await state()).invoices, before.invoices);
  });

  test('emailing twice sends two messages, and SentToContact is written back after the email', async () => {
    const doc = await openNew('email-twice.invoice.xml', wrap(invoiceXml({ contact: `Email Twice ${RUN}`, email: 'twice@example.com', status: 'AUTHORISED', description: 'Emailed twice' })));
    const sent = await vscode.commands.executeCommand<CommandResult>('xeroInvoice.send', doc.uri.toString(), 0);
    assert.ok(sent?.outcomes[0].ok, JSON.stringify(sent));
    const outbox = async () => (await getJson<{ files: unknown[] }>(`${url}/sandbox/outbox`)).files.length;
    const before = await outbox();
    const first = await vscode.commands.executeCommand<EmailResult>('xeroInvoice.email', doc.uri.toString(), 0);
    assert.equal(first?.sent.length, 1, JSON.stringify(first));
    assert.equal(first.writeBack, 'applied');
    assert.match(doc.getText(), /<SentToContact>true<\/SentToContact>/);
    const second = await vscode.commands.executeCommand<EmailResult>('xeroInvoice.email', doc.uri.toString(), 0);
    assert.equal(second?.sent.length, 1, JSON.stringify(second));
    assert.equal(await outbox(), before + 2, 'two emails, two messages');
    assert.equal((await getInvoice(sent.outcomes[0].invoiceId!)).SentToContact, true);
  });

  test('a create whose answer was lost: the outcome is unknown, nothing is written back; Retry finds it by number and writes it back, one invoice', async () => {
    const number = `EO-R-${RUN}`;
    const doc = await openNew('lost-answer.invoice.xml', wrap(invoiceXml({ contact: 'Lost Answer Ltd', number, status: 'DRAFT', description: 'Answer lost' })));
    const before = await state();
    // Carried out, its answer lost; every automatic retry dropped too.
    await control({ failNext: [{ drop: true, afterProcessing: true }, { drop: true }, { drop: true }, { drop: true }] });
    const r = await vscode.commands.executeCommand<CommandResult>('xeroInvoice.send', doc.uri.toString(), 0);
    assert.ok(r?.unanswered, `the write is kept for a retry: ${JSON.stringify(r)}`);
    assert.match(r.stoppedBy ?? '', /could not be reached/);
    assert.doesNotMatch(doc.getText(), ID, 'nothing written back');
    assert.equal((await state()).invoices, before.invoices + 1, 'the endpoint had created it');
    const retried = await vscode.commands.executeCommand<RetryResult>('xeroInvoice.retryUnanswered', r.unanswered);
    assert.equal(retried?.state, 'answered', JSON.stringify(retried));
    assert.equal(retried.foundByNumber, true, 'looked up by number before resending');
    assert.equal(retried.writeBack, 'applied');
    assert.match(doc.getText(), ID);
    assert.equal((await state()).invoices, before.invoices + 1, 'one invoice');
    const again = await vscode.commands.executeCommand<{ refused?: string }>('xeroInvoice.retryUnanswered', r.unanswered);
    assert.match(again?.refused ?? '', /^That request is no longer waiting for a retry: it was answered/, 'settled: no longer waiting');
  });
});
