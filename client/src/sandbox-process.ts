import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

import { SANDBOX_READY_PREFIX, parseSandboxReady, type SandboxReady } from '../../shared/src/sandbox';

export type { SandboxReady };

export interface SandboxProcess {
  ready: SandboxReady;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** dist/sandbox.js */
  script: string;
  dataDir: string;
  /** Node, or VS Code's own executable run as node (ELECTRON_RUN_AS_NODE). Default process.execPath. */
  execPath?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Called with the ready information before any further output line reaches `onOutput` (it names credentials). */
  onReady?: (ready: SandboxReady) => void;
  onOutput?: (line: string) => void;
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

/**
 * Starts the bundled sandbox on a free loopback port (`--port 0`) and resolves with its SANDBOX_READY line;
 * no fixed sleeps: it waits for that line, the process's exit, or the timeout.
 */
export function startSandboxProcess(opts: StartOptions): Promise<SandboxProcess> {
  const child = spawn(opts.execPath ?? process.execPath, [opts.script, '--port', '0', '--data', opts.dataDir], {
    env: { ...(opts.env ?? process.env), ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return new Promise<SandboxProcess>((resolve, reject) => {
    let ready = false;
    const tail: string[] = [];
    const remember = (line: string) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      opts.onOutput?.(line);
    };
    const timer = setTimeout(() => {
      if (ready) return;
      stop().catch(() => undefined);
      reject(new Error(`The sandbox did not start within ${Math.round((opts.timeoutMs ?? 20_000) / 1000)} s.${tail.length ? ` Last output: ${tail.join(' | ')}` : ''}`));
    }, opts.timeoutMs ?? 20_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!ready && line.startsWith(SANDBOX_READY_PREFIX)) {
        try {
          const info = parseSandboxReady(line)!;
          ready = true;
          opts.onReady?.(info);
          clearTimeout(timer);
          resolve({ ready: info, child, stop });
        } catch (e) {
          reject(new Error(`The sandbox's ready line could not be read: ${(e as Error).message}`));
        }
        return;
      }
      remember(line);
    });
    createInterface({ input: child.stderr }).on('line', remember);
    child.once('error', (e) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`The sandbox could not be started: ${e.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      // The start is answered first: a failing exit listener must not leave it waiting for ever.
      if (!ready) reject(new Error(`The sandbox exited before it was ready (${signal ?? `code ${code}`}).${tail.length ? ` Output: ${tail.join(' | ')}` : ''}`));
      opts.onExit?.(code, signal);
    });
  });
}
