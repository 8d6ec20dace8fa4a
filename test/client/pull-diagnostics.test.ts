// The pulled-diagnostics middleware: an answer the server did not give (vscode-languageclient's empty report when
// the connection went away with the request on the wire) must not wipe a document's problems, nor what a later
// crash leaves on screen.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import type { ProvideDiagnosticSignature, vsdiag } from 'vscode-languageclient/node';
import { pulledDiagnostics } from '../../client/src/pull-diagnostics';

const uri = { toString: () => 'file:///w/a.xml' } as unknown as vscode.Uri;
const document = { uri } as unknown as vscode.TextDocument;
const token = { isCancellationRequested: false } as vscode.CancellationToken;
const answering = (report: vsdiag.DocumentDiagnosticReport | undefined): ProvideDiagnosticSignature => () => Promise.resolve(report);
const problem = { message: 'SubTotal is 100.00 but the lines add up to 110.00', code: 'subtotal-mismatch' } as unknown as vscode.Diagnostic;

function middleware() {
  const answers: [string, vscode.Diagnostic[]][] = [];
  const provide = pulledDiagnostics((u, items) => answers.push([u.toString(), items]));
  return { answers, pull: (report: vsdiag.DocumentDiagnosticReport | undefined, previous?: string, doc: vscode.TextDocument | vscode.Uri = document) => provide(doc, previous, token, answering(report)) };
}

describe('pulled diagnostics the server did not answer', () => {
  it("passes the server's answers on as they are, and keeps each as the document's latest", async () => {
    const m = middleware();
    const full = { kind: 'full', resultId: 'v3', items: [problem] } as vsdiag.DocumentDiagnosticReport;
    assert.equal(await m.pull(full, 'v2'), full);
    const none = { kind: 'full', resultId: 'v4', items: [] } as unknown as vsdiag.DocumentDiagnosticReport;
    assert.equal(await m.pull(none, 'v3', uri), none, 'a fixed document does lose its problems');
    const unchanged = { kind: 'unChanged', resultId: 'v4' } as vsdiag.DocumentDiagnosticReport;
    assert.equal(await m.pull(unchanged, 'v4'), unchanged);
    assert.equal(await m.pull(undefined, 'v4'), undefined);
    assert.deepEqual(m.answers, [['file:///w/a.xml', [problem]], ['file:///w/a.xml', []]]);
  });

  it('turns the empty report made up for an unanswered pull into "unchanged", so the problems stay', async () => {
    const m = middleware();
    const madeUp = { kind: 'full', items: [] } as unknown as vsdiag.DocumentDiagnosticReport;
    assert.deepEqual(await m.pull(madeUp, 'v7'), { kind: 'unChanged', resultId: 'v7' });
    assert.deepEqual(await m.pull(madeUp, undefined), { kind: 'unChanged', resultId: '' });
    assert.deepEqual(m.answers, [], 'not taken for an answer');
  });
});
