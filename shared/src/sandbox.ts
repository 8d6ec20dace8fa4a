/**
 * The sandbox's first line on standard output: `SANDBOX_READY {json}`. The extension's "Start local sandbox",
 * `npm start` and the tests read it to learn where the sandbox listens and with which credentials.
 */
export const SANDBOX_READY_PREFIX = 'SANDBOX_READY ';

export interface SandboxReady {
  url: string;
  token: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  dataDir: string;
  outboxDir: string;
}

export function sandboxReadyLine(ready: SandboxReady): string {
  return SANDBOX_READY_PREFIX + JSON.stringify(ready);
}

/** The ready information from a line of the sandbox's output, or undefined when the line is not it. */
export function parseSandboxReady(line: string): SandboxReady | undefined {
  if (!line.startsWith(SANDBOX_READY_PREFIX)) return undefined;
  return JSON.parse(line.slice(SANDBOX_READY_PREFIX.length)) as SandboxReady;
}
