import * as vscode from 'vscode';
import type { RequestLogEntry } from './endpoint/http';
import { redact } from './endpoint/redact';

const WRITERS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace']);

/**
 * The output channel as everything else sees it: every line written to it (the extension's own, the sandbox's
 * output, the language client's) goes through `redact` first, so a credential cannot reach the log by any path.
 */
export function redactingChannel(channel: vscode.LogOutputChannel): vscode.LogOutputChannel {
  return new Proxy(channel, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== 'function') return value;
      const method = value as (...a: unknown[]) => unknown;
      if (typeof prop !== 'string' || !WRITERS.has(prop)) return method.bind(target);
      return (message: unknown, ...args: unknown[]) =>
        method.call(target, redact(message instanceof Error ? (message.stack ?? message.message) : String(message)), ...args.map((a) => (typeof a === 'string' ? redact(a) : a)));
    },
  });
}

/** One line per request: method, path, status, duration, rate-limit headers; bodies (redacted) at trace level. */
export function formatRequest(e: RequestLogEntry): string {
  const rl = e.rateLimit;
  const limits = [
    rl.dayRemaining !== undefined ? `day ${rl.dayRemaining}` : '',
    rl.minuteRemaining !== undefined ? `min ${rl.minuteRemaining}` : '',
    rl.appMinuteRemaining !== undefined ? `app-min ${rl.appMinuteRemaining}` : '',
    rl.problem ? `problem ${rl.problem}` : '',
    rl.retryAfter ? `retry-after ${rl.retryAfter}` : '',
  ].filter(Boolean);
  const status = e.status === null ? `failed: ${e.error ?? 'no answer'}` : `${e.status}${e.error ? ` (${e.error})` : ''}`;
  return `${e.method} ${e.path} → ${status} in ${e.durationMs} ms${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}${limits.length ? ` [${limits.join(', ')}]` : ''}`;
}

export class RequestLog {
  constructor(readonly channel: vscode.LogOutputChannel) {}

  traceBodies(): boolean {
    return this.channel.logLevel === vscode.LogLevel.Trace;
  }

  request(e: RequestLogEntry): void {
    const line = formatRequest(e);
    if (e.status === null || e.status >= 500) this.channel.warn(line);
    else if (e.status >= 400) this.channel.info(line);
    else this.channel.info(line);
    if (e.requestBody !== undefined) this.channel.trace(`request body:\n${e.requestBody}`);
    if (e.responseBody !== undefined) this.channel.trace(`response body:\n${e.responseBody}`);
  }
}
