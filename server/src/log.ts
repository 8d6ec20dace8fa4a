import { MessageType, SetTraceNotification, type Connection, type TraceValues } from 'vscode-languageserver';

type Level = 'error' | 'warn' | 'info' | 'debug';
const RANK: Record<Level, number> = { error: 0, warn: 1, info: 2, debug: 3 };
/** `xeroInvoice.trace.server` (sent by the client as $/setTrace) sets how much the server says. */
const BY_TRACE: Record<TraceValues, Level> = { off: 'warn', messages: 'info', compact: 'info', verbose: 'debug' };
const TYPE: Record<Level, MessageType> = { error: MessageType.Error, warn: MessageType.Warning, info: MessageType.Info, debug: MessageType.Log };

/**
 * The server's log, written to the client's output channel (window/logMessage). Errors and warnings always;
 * info with `trace.server` "messages", debug (timings, each request) with "verbose".
 */
export class Logger {
  private level: Level = 'warn';

  constructor(private readonly connection: Connection) {}

  /** Takes the trace value from initialize and follows $/setTrace afterwards. */
  follow(initial: TraceValues | undefined): void {
    this.level = BY_TRACE[initial ?? 'off'] ?? 'warn';
    this.connection.onNotification(SetTraceNotification.type, (p) => {
      this.level = BY_TRACE[p.value] ?? 'warn';
    });
  }

  enabled(level: Level): boolean {
    return RANK[level] <= RANK[this.level];
  }

  error(message: string, err?: unknown): void {
    this.write('error', err === undefined ? message : `${message}: ${describe(err)}`);
  }

  warn(message: string): void {
    this.write('warn', message);
  }

  info(message: string): void {
    this.write('info', message);
  }

  debug(message: string | (() => string)): void {
    if (this.enabled('debug')) this.write('debug', typeof message === 'string' ? message : message());
  }

  private write(level: Level, message: string): void {
    if (!this.enabled(level)) return;
    this.connection.sendNotification('window/logMessage', { type: TYPE[level], message }).catch(() => undefined);
  }
}

export function describe(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}
