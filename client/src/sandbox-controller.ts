import * as vscode from 'vscode';
import type { ConnectionManager } from './connection';
import { registerSecret } from './endpoint/redact';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process';
import { SETTINGS_SECTION } from './settings';
import { approveEndpoint } from './settings-consent';
import type { XeroAuthenticationProvider } from './sign-in';

/** What "Start local sandbox" returns to its caller (no credentials). */
export interface SandboxInfo {
  url: string;
  tenantId: string;
  dataDir: string;
  outboxDir: string;
}

const POINTED_KEYS = ['endpoint.baseUrl', 'endpoint.tenantId', 'endpoint.apiFamily'] as const;
const SAVED_STATE = 'xeroInvoice.sandbox.previousSettings';

interface SavedSettings {
  target: vscode.ConfigurationTarget;
  values: Record<string, unknown>;
  url: string;
}

/**
 * The bundled sandbox as a child process: started on a free loopback port with its data in globalStorage, the
 * workspace pointed at it (baseUrl, tenant id) and signed in to it through its own authorize and token endpoints,
 * and everything put back on stop. A window with no folder, or an untrusted one, is pointed at it for itself only:
 * the user's global settings are never written.
 */
export class SandboxController implements vscode.Disposable {
  private proc: SandboxProcess | undefined;
  private starting: Promise<SandboxInfo> | undefined;
  private readonly changed = new vscode.EventEmitter<SandboxInfo | undefined>();
  readonly onDidChange = this.changed.event;

  /** Set once the authentication provider exists (it asks this controller for the sandbox's client id). */
  auth: XeroAuthenticationProvider | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly connections: ConnectionManager,
    private readonly channel: vscode.LogOutputChannel,
  ) {}

  /** The sandbox's own app, for sign-in to the sandbox this window runs. */
  clientIdFor(origin: string): string | undefined {
    const r = this.proc?.ready;
    return r && new URL(r.url).origin === origin ? r.clientId : undefined;
  }

  get info(): SandboxInfo | undefined {
    if (!this.proc) return undefined;
    const r = this.proc.ready;
    return { url: r.url, tenantId: r.tenantId, dataDir: r.dataDir, outboxDir: r.outboxDir };
  }

  /**
   * Starts the sandbox (or finds it running), points this window at it and makes sure the window is signed in to
   * it: after "Forget stored credentials" a second start signs in again.
   */
  async start(): Promise<SandboxInfo> {
    if (!this.proc) {
      this.starting ??= this.launch().finally(() => (this.starting = undefined));
      await this.starting;
    }
    const proc = this.proc!;
    await this.pointAt(proc.ready.url, proc.ready.tenantId);
    await this.ensureSignedIn(new URL(proc.ready.url).origin);
    return this.info!;
  }

  private async ensureSignedIn(origin: string): Promise<void> {
    const auth = this.auth;
    if (!auth) throw new Error('Sign-in is not ready yet.');
    if (await auth.sessions.load(origin)) return;
    await auth.signIn(origin, 'sandbox');
  }

  private async launch(): Promise<SandboxInfo> {
    const dataDir = vscode.Uri.joinPath(this.context.globalStorageUri, 'sandbox');
    await vscode.workspace.fs.createDirectory(dataDir);
    // Assigned once ready: an exit before that (a data folder another window's sandbox holds) only rejects the start.
    const started: { proc?: SandboxProcess } = {};
    const proc = await startSandboxProcess({
      script: this.context.asAbsolutePath('dist/sandbox.js'),
      dataDir: dataDir.fsPath,
      // Its token, client secret and legacy keys are on the lines that follow: secrets before anything is logged.
      onReady: (r) => [r.token, r.clientSecret, r.clientId].forEach(registerSecret),
      onOutput: (line) => this.channel.debug(`[sandbox] ${line}`),
      onExit: (code, signal) => {
        if (!started.proc || this.proc !== started.proc) return;
        this.channel.warn(`The local sandbox stopped (${signal ?? `code ${code}`}).`);
        this.proc = undefined;
        vscode.commands.executeCommand('setContext', 'xeroInvoice.sandboxRunning', false).then(undefined, () => undefined);
        this.changed.fire(undefined);
      },
    });
    started.proc = proc;
    this.proc = proc;
    const url = new URL(proc.ready.url);
    this.channel.info(`Local sandbox listening on ${url.origin} (data in ${proc.ready.dataDir}).`);
    await vscode.commands.executeCommand('setContext', 'xeroInvoice.sandboxRunning', true);
    this.changed.fire(this.info);
    return this.info!;
  }

  /** Workspace settings, when there is a trusted folder to hold them; otherwise this window only. */
  private windowOnly(): boolean {
    return !(vscode.workspace.workspaceFolders?.length && vscode.workspace.isTrusted);
  }

  private async pointAt(url: string, tenantId: string): Promise<void> {
    if (this.windowOnly()) {
      this.connections.setOverride({ baseUrl: url, tenantId, apiFamily: '2.0' });
      return;
    }
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const target = vscode.ConfigurationTarget.Workspace;
    const now = config.inspect<string>('endpoint.baseUrl')?.workspaceValue;
    if (now === url && config.inspect<string>('endpoint.tenantId')?.workspaceValue === tenantId && this.context.workspaceState.get<SavedSettings>(SAVED_STATE)) return;
    if (!this.context.workspaceState.get<SavedSettings>(SAVED_STATE)) {
      const values: Record<string, unknown> = {};
      for (const key of POINTED_KEYS) {
        const i = config.inspect(key);
        values[key] = target === vscode.ConfigurationTarget.Workspace ? i?.workspaceValue : i?.globalValue;
      }
      await this.context.workspaceState.update(SAVED_STATE, { target, values, url } satisfies SavedSettings);
    } else {
      const saved = this.context.workspaceState.get<SavedSettings>(SAVED_STATE)!;
      await this.context.workspaceState.update(SAVED_STATE, { ...saved, url });
    }
    // The user started the sandbox: the workspace settings that point at it are theirs, not a repository's.
    await approveEndpoint(this.context.workspaceState, new URL(url).origin, tenantId);
    await config.update('endpoint.baseUrl', url, target);
    await config.update('endpoint.tenantId', tenantId, target);
    await config.update('endpoint.apiFamily', '2.0', target);
  }

  /** Puts back the settings the sandbox replaced, if they still point at it. */
  private async restoreSettings(): Promise<void> {
    const saved = this.context.workspaceState.get<SavedSettings>(SAVED_STATE);
    if (!saved) return;
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const i = config.inspect<string>('endpoint.baseUrl');
    const current = saved.target === vscode.ConfigurationTarget.Workspace ? i?.workspaceValue : i?.globalValue;
    if (current === saved.url) for (const key of POINTED_KEYS) await config.update(key, saved.values[key], saved.target);
    await this.context.workspaceState.update(SAVED_STATE, undefined);
  }

  async stop(): Promise<boolean> {
    const proc = this.proc;
    this.proc = undefined;
    this.connections.setOverride(undefined);
    if (!proc) {
      await this.restoreSettings();
      return false;
    }
    const origin = new URL(proc.ready.url).origin;
    // Signed out while it still runs, so the sign-in is revoked there too; then stopped.
    await this.auth?.signOut(origin).catch((e: unknown) => this.channel.warn(`Signing out of the sandbox failed: ${String(e)}`));
    await proc.stop();
    this.channel.info('Local sandbox stopped.');
    await this.restoreSettings();
    await vscode.commands.executeCommand('setContext', 'xeroInvoice.sandboxRunning', false);
    this.changed.fire(undefined);
    return true;
  }

  dispose(): void {
    this.proc?.stop().catch(() => undefined);
  }
}
