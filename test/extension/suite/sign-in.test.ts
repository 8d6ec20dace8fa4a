import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

// Sign-in in the running extension: "Start local sandbox" signs the window in through the sandbox's own authorize
// and token endpoints (no token from its ready line), "Forget stored credentials" really forgets, and a second
// start signs in again.
suite('Sign in to the local sandbox', () => {
  suiteSetup(async () => {
    await vscode.extensions.getExtension('invoice-tools.xero-invoice-xml')!.activate();
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('xeroInvoice.stopSandbox');
  });

  const fetchOne = () => vscode.commands.executeCommand<vscode.TextDocument | { refused: string } | undefined>('xeroInvoice.fetchInvoice', 'INV-0001');
  const fetchedText = async () => {
    const r = await fetchOne();
    return r && 'getText' in r ? r.getText() : `not fetched: ${JSON.stringify(r)}`;
  };
  const refusal = async () => {
    const r = await fetchOne();
    return r && 'refused' in r ? r.refused : `not refused: ${r && 'getText' in r ? 'fetched' : String(r)}`;
  };
  const NOT_SIGNED_IN = /^Not signed in to 127\.0\.0\.1:\d+/;

  test('Start local sandbox signs in through authorize and token; sends use that sign-in', async () => {
    const info = await vscode.commands.executeCommand<{ url: string }>('xeroInvoice.startSandbox');
    assert.ok(info);
    const fetched = await fetchedText();
    assert.ok(fetched.includes('<InvoiceNumber>INV-0001</InvoiceNumber>'), fetched);
  });

  test('after Forget stored credentials nothing is sent; Start local sandbox signs in again', async () => {
    await vscode.commands.executeCommand('xeroInvoice.forgetCredentials');
    assert.match(await refusal(), NOT_SIGNED_IN, 'not signed in any more');
    const info = await vscode.commands.executeCommand<{ url: string }>('xeroInvoice.startSandbox');
    assert.ok(info, 'the running sandbox is signed in to again');
    assert.ok((await fetchedText()).includes('<InvoiceNumber>INV-0001</InvoiceNumber>'));
  });

  test('Set access token: a refused token is not saved and the sign-in stays', async () => {
    assert.equal(await vscode.commands.executeCommand('xeroInvoice.setAccessToken', 'wrong-token-0000'), false);
    assert.ok((await fetchedText()).includes('<InvoiceNumber>INV-0001</InvoiceNumber>'));
  });

  test('Sign out of Xero revokes the sign-in: nothing is sent until signing in again', async () => {
    assert.equal(await vscode.commands.executeCommand('xeroInvoice.signOut'), true);
    assert.match(await refusal(), NOT_SIGNED_IN);
    assert.ok(await vscode.commands.executeCommand('xeroInvoice.startSandbox'));
    assert.ok((await fetchedText()).includes('<InvoiceNumber>INV-0001</InvoiceNumber>'));
  });
});
