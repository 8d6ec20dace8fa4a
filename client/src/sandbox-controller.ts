import * as vscode from 'vscode';
import type { CredentialStore } from './credentials';
import { registerSecret } from './endpoint/redact';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process';
import { SETTINGS_SECTION } from './settings';
import { approveEndpoint } from './settings-consent';

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
 * workspace pointed at it (baseUrl, tenant id; the token in SecretStorage), and everything put back on stop.
 */
export class SandboxController implements vscode.Disposable {
  private proc: SandboxProcess | undefined;
  private starting: Promise<SandboxInfo> | undefined;
  private readonly changed = new vscode.EventEmitter<SandboxInfo | undefined>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly credentials: CredentialStore,
    private readonly channel: vscode.LogOutputChannel,
  ) {}

  get info(): SandboxInfo | undefined {
    if (!this.proc) return undefined;
    const r = this.proc.ready;
    return { url: r.url, tenantId: r.tenantId, dataDir: r.dataDir, outboxDir: r.outboxDir };
  }

  start(): Promise<SandboxInfo> {
    if (this.proc) return Promise.resolve(this.info!);
    this.starting ??= this.launch().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async launch(): Promise<SandboxInfo> {
    const dataDir = vscode.Uri.joinPath(this.context.globalStorageUri, 'sandbox');
    await vscode.workspace.fs.createDirectory(dataDir);
    const proc = await startSandboxProcess({
      script: this.context.asAbsolutePath('dist/sandbox.js'),
      dataDir: dataDir.fsPath,
      // Its token, client secret and legacy keys are on the lines that follow: secrets before anything is logged.
      onReady: (r) => [r.token, r.clientSecret, r.clientId].forEach(registerSecret),
      onOutput: (line) => this.channel.debug(`[sandbox] ${line}`),
      onExit: (code, signal) => {
        if (this.proc !== proc) return;
        this.channel.warn(`The local sandbox stopped (${signal ?? `code ${code}`}).`);
        this.proc = undefined;
        void vscode.commands.executeCommand('setContext', 'xeroInvoice.sandboxRunning', false);
        this.changed.fire(undefined);
      },
    });
    this.proc = proc;
    const url = new URL(proc.ready.url);
    this.channel.info(`Local sandbox listening on ${url.origin} (data in ${proc.ready.dataDir}).`);
    await this.credentials.setAccessToken(url.origin, proc.ready.token);
    await this.pointAt(proc.ready.url, proc.ready.tenantId);
    await vscode.commands.executeCommand('setContext', 'xeroInvoice.sandboxRunning', true);
    this.changed.fire(this.info);
    return this.info!;
  }

  /** Workspace settings — unless there is no folder, or the workspace is untrusted (its endpoint settings are ignored then). */
  private target(): vscode.ConfigurationTarget {
    return vscode.workspace.workspaceFolders?.length && vscode.workspace.isTrusted ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  }

  private async pointAt(url: string, tenantId: string): Promise<void> {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const target = this.target();
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
    if (!proc) {
      await this.restoreSettings();
      return false;
    }
    await proc.stop();
    this.channel.info('Local sandbox stopped.');
    await this.credentials.setAccessToken(new URL(proc.ready.url).origin, undefined);
    await this.restoreSettings();
    await vscode.commands.executeCommand('setContext', 'xeroInvoice.sandboxRunning', false);
    this.changed.fire(undefined);
    return true;
  }

  dispose(): void {
    void this.proc?.stop();
  }
}
