import * as vscode from 'vscode';

/** Resolves when `check()` holds, re-checking on every event of `events`; rejects after `timeoutMs`. */
export function until<T>(what: string, check: () => T | undefined | false, events: vscode.Event<unknown>[], timeoutMs = 30_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const subs: vscode.Disposable[] = [];
    const done = (f: () => void) => {
      clearTimeout(timer);
      subs.forEach((d) => d.dispose());
      f();
    };
    const test = () => {
      const v = check();
      if (v) done(() => resolve(v));
    };
    const timer = setTimeout(() => done(() => reject(new Error(`timed out waiting for ${what}`))), timeoutMs);
    for (const e of events) subs.push(e(test));
    test();
  });
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

/** The diagnostics of a document once one with `code` is there (waits on onDidChangeDiagnostics, no sleeps). */
export function diagnosticsWith(uri: vscode.Uri, code: string): Promise<vscode.Diagnostic[]> {
  return until(
    `a ${code} diagnostic on ${uri.path}`,
    () => {
      const list = vscode.languages.getDiagnostics(uri);
      return list.some((d) => codeOf(d) === code) ? list : undefined;
    },
    [vscode.languages.onDidChangeDiagnostics],
  );
}

export async function getJson<T>(url: string): Promise<T> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`GET ${url} → ${r.status}`);
  return (await r.json()) as T;
}

export interface SandboxState {
  invoices: number;
  byStatus: { invoice: Record<string, number> };
  outbox: number;
}

/**
 * Waits for a condition in another process (the sandbox), which has no event to subscribe to: re-checks every
 * 20 ms until it holds; rejects after `timeoutMs`.
 */
export async function poll(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
