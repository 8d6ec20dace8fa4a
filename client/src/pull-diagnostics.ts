import type * as vscode from 'vscode';
import type { DiagnosticProviderMiddleware, vsdiag } from 'vscode-languageclient/node';

// The report kinds as vscode-languageclient spells them (its enum's values; imported as types only, so that this
// file runs without VS Code, in the client's unit tests).
const FULL = 'full' as vsdiag.DocumentDiagnosticReportKind.full;
const UNCHANGED = 'unChanged' as vsdiag.DocumentDiagnosticReportKind.unChanged;

/**
 * Middleware for pulled diagnostics that tells the server's answers from the ones vscode-languageclient makes up.
 * A pull the server did not answer (it crashed with the request on the wire, or was not running) comes back as an
 * empty report, which would wipe the document's problems. The server's own answers always carry a result id
 * (server/src/server.ts): each is given to `answered` (what a crash later leaves on screen, marked stale); a full
 * report without one is passed on as "unchanged", so the problems stay until the server answers again.
 */
export function pulledDiagnostics(answered: (uri: vscode.Uri, items: vscode.Diagnostic[]) => void): NonNullable<DiagnosticProviderMiddleware['provideDiagnostics']> {
  return async (document, previousResultId, token, next) => {
    const report = await next(document, previousResultId, token);
    if (report?.kind !== FULL) return report;
    if (report.resultId === undefined) return { kind: UNCHANGED, resultId: previousResultId ?? '' };
    answered('uri' in document ? document.uri : document, report.items);
    return report;
  };
}
