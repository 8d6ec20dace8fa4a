import { DEFAULT_DATA_DIR, startSandbox, type SandboxHandle, type SandboxOptions } from './server';
import { sandboxReadyLine, type SandboxReady } from '../../shared/src/sandbox';

const USAGE = `Usage: node dist/sandbox.js [options]

A local endpoint that speaks the Xero invoice APIs (Accounting 2.0, legacy 1.0, WorkflowMax 3.0).

Options:
  --port N                    port to listen on (0, the default, picks a free one)       SANDBOX_PORT
  --host ADDRESS              a loopback address (default 127.0.0.1)                    SANDBOX_HOST
  --data DIR                  data folder (default ${DEFAULT_DATA_DIR})    SANDBOX_DATA_DIR
  --empty                     a new data folder gets no sample contacts or invoices
  --reset                     remove what the data folder holds, then start
  --rate-limit-per-minute N   calls a minute per tenant (default 60)                     SANDBOX_RATE_LIMIT_PER_MINUTE
  --rate-limit-per-day N      calls a day per tenant (default 5000)                      SANDBOX_RATE_LIMIT_PER_DAY
  --concurrent-limit N        calls in progress at once per tenant (default 5)           SANDBOX_CONCURRENT_LIMIT
  --token-lifetime SECONDS    lifetime of tokens from /connect/token (default 1800; 0 issues expired ones)  SANDBOX_TOKEN_LIFETIME_SECONDS
  --idempotency-key-lifetime SECONDS  how long an Idempotency-Key is kept (default 86400)  SANDBOX_IDEMPOTENCY_KEY_LIFETIME_SECONDS
  --help                      this text

Environment only: SANDBOX_TOKEN, SANDBOX_TENANT_ID, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET (fixed credentials),
SANDBOX_FAULTS (fault injection as JSON, e.g. {"errorRate":0.1,"errorStatus":503}).

The first line on standard output is SANDBOX_READY followed by a JSON object (url, token, tenantId, clientId,
clientSecret, dataDir, outboxDir).`;

class UsageError extends Error {}

function integer(name: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new UsageError(`${name} must be a whole number of at least ${min}, not '${raw}'`);
  return Number(raw);
}

function parse(argv: string[], env: NodeJS.ProcessEnv): SandboxOptions | 'help' {
  const options: SandboxOptions = {
    port: integer('SANDBOX_PORT', env.SANDBOX_PORT, 0),
    host: env.SANDBOX_HOST || undefined,
    dataDir: env.SANDBOX_DATA_DIR || undefined,
    token: env.SANDBOX_TOKEN || undefined,
    tenantId: env.SANDBOX_TENANT_ID || undefined,
    clientId: env.SANDBOX_CLIENT_ID || undefined,
    clientSecret: env.SANDBOX_CLIENT_SECRET || undefined,
    rateLimitPerMinute: integer('SANDBOX_RATE_LIMIT_PER_MINUTE', env.SANDBOX_RATE_LIMIT_PER_MINUTE, 1),
    rateLimitPerDay: integer('SANDBOX_RATE_LIMIT_PER_DAY', env.SANDBOX_RATE_LIMIT_PER_DAY, 1),
    concurrentLimit: integer('SANDBOX_CONCURRENT_LIMIT', env.SANDBOX_CONCURRENT_LIMIT, 1),
    tokenLifetimeSeconds: integer('SANDBOX_TOKEN_LIFETIME_SECONDS', env.SANDBOX_TOKEN_LIFETIME_SECONDS, 0),
    idempotencyKeyLifetimeSeconds: integer('SANDBOX_IDEMPOTENCY_KEY_LIFETIME_SECONDS', env.SANDBOX_IDEMPOTENCY_KEY_LIFETIME_SECONDS, 1),
  };
  if (env.SANDBOX_FAULTS) {
    try {
      options.faults = JSON.parse(env.SANDBOX_FAULTS);
    } catch {
      throw new UsageError('SANDBOX_FAULTS must be JSON, e.g. {"errorRate":0.1,"errorStatus":503}');
    }
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--port':
        options.port = integer('--port', value(), 0);
        break;
      case '--host':
        options.host = value();
        break;
      case '--data':
        options.dataDir = value();
        break;
      case '--empty':
        options.empty = true;
        break;
      case '--reset':
        options.reset = true;
        break;
      case '--rate-limit-per-minute':
        options.rateLimitPerMinute = integer(flag, value(), 1);
        break;
      case '--rate-limit-per-day':
        options.rateLimitPerDay = integer(flag, value(), 1);
        break;
      case '--concurrent-limit':
        options.concurrentLimit = integer(flag, value(), 1);
        break;
      case '--token-lifetime':
        options.tokenLifetimeSeconds = integer(flag, value(), 0);
        break;
      case '--idempotency-key-lifetime':
        options.idempotencyKeyLifetimeSeconds = integer(flag, value(), 1);
        break;
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  }
  if (options.port !== undefined && options.port > 65535) throw new UsageError('--port must be at most 65535');
  return options;
}

async function main(): Promise<void> {
  let options: SandboxOptions | 'help';
  try {
    options = parse(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`sandbox: ${err.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  // Signals are handled from the start: one that arrives while the sandbox starts stops it as soon as it is up.
  let sandbox: SandboxHandle | undefined;
  let stopping: NodeJS.Signals | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping && sandbox) return;
    stopping = signal;
    if (!sandbox) return;
    sandbox.close().then(
      () => {
        process.stderr.write(`sandbox: stopped (${signal})\n`);
        process.exit(0);
      },
      (err: unknown) => {
        process.stderr.write(`sandbox: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  sandbox = await startSandbox(options);
  const ready: SandboxReady = {
    url: sandbox.url,
    token: sandbox.token,
    tenantId: sandbox.tenantId,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    dataDir: sandbox.dataDir,
    outboxDir: sandbox.outboxDir,
  };
  process.stdout.write(
    [
      sandboxReadyLine(ready),
      `Xero invoice sandbox listening on ${sandbox.url}`,
      `  Accounting API 2.0   ${sandbox.url}/api.xro/2.0/Invoices`,
      `  Legacy API 1.0       ${sandbox.url}/api.xro/1.0/invoices?apiKey=${sandbox.clientId}&xeroKey=${sandbox.tenantId}`,
      `  WorkflowMax 3.0      ${sandbox.url}/workflowmax/3.0/invoice.api/current`,
      `  Sign in (PKCE)       ${sandbox.url}/identity/connect/authorize`,
      `  Token endpoint       ${sandbox.url}/connect/token`,
      `  Authorization: Bearer ${sandbox.token}`,
      `  xero-tenant-id: ${sandbox.tenantId}`,
      `  Client id:     ${sandbox.clientId}`,
      `  Client secret: ${sandbox.clientSecret}`,
      `  Data folder:   ${sandbox.dataDir}`,
      `  Outbox:        ${sandbox.outboxDir}`,
      '',
    ].join('\n'),
  );
  if (stopping) stop(stopping);
}

main().catch((err: unknown) => {
  process.stderr.write(`sandbox: ${(err as Error).message}\n`);
  process.exit(1);
});
