import { EndpointError } from './endpoint/errors';
import { isInsideAny } from './file-placement';

/** Where a setting's effective value comes from, as `WorkspaceConfiguration.inspect` tells it. */
export interface SettingOrigin {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/** Per-workspace memory (the extension's `workspaceState`). */
export interface ConsentStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

/** A yes/no question to the user (a modal dialog in the extension); true only for an explicit yes. */
export type Ask = (question: string, detail: string, yes: string) => Promise<boolean>;

const ENDPOINTS = 'xeroInvoice.consent.endpoints';
const FOLDERS = 'xeroInvoice.consent.pdfFolders';

/** The value a workspace (or workspace folder) sets in place of the user's own, if it does. */
export function fromWorkspace(i: SettingOrigin | undefined): unknown {
  const v = i?.workspaceFolderValue ?? i?.workspaceValue;
  return v !== undefined && v !== i?.globalValue ? v : undefined;
}

/** Records that the user chose this endpoint for this workspace themselves (e.g. by starting the local sandbox). */
export async function approveEndpoint(store: ConsentStore, origin: string, tenantId: string): Promise<void> {
  const list = store.get<string[]>(ENDPOINTS) ?? [];
  const key = `${origin}|${tenantId}`;
  if (!list.includes(key)) await store.update(ENDPOINTS, [...list, key]);
}

/**
 * A workspace's settings decide where invoices, tokens and PDFs go — and a cloned repository brings its own
 * `.vscode/settings.json`. What a workspace sets in place of the user's own settings is asked about once (and
 * remembered for that workspace): an endpoint host or tenant, a PDF folder outside the workspace folders.
 */
export class SettingsConsent {
  constructor(
    private readonly store: ConsentStore,
    private readonly ask: Ask,
  ) {}

  /** Resolves when the endpoint may be used; throws a "refused" EndpointError when the user did not allow it. */
  async confirmEndpoint(baseUrl: URL, tenantId: string, origins: { baseUrl?: SettingOrigin; tenantId?: SettingOrigin }): Promise<void> {
    const host = fromWorkspace(origins.baseUrl) !== undefined;
    const tenant = fromWorkspace(origins.tenantId) !== undefined;
    if (!host && !tenant) return;
    const key = `${baseUrl.origin}|${tenantId}`;
    if ((this.store.get<string[]>(ENDPOINTS) ?? []).includes(key)) return;
    const what = [host ? `the endpoint ${baseUrl.host}` : '', tenant ? `the organisation (tenant) ${tenantId || '(none)'}` : ''].filter(Boolean).join(' and ');
    const ok = await this.ask(
      `This workspace's settings send your requests to ${what}, not your own settings. Allow this for this workspace?`,
      'Requests carry your invoices and the credentials stored for that host. A repository you cloned can set this in .vscode/settings.json (xeroInvoice.endpoint.*).',
      'Allow',
    );
    if (!ok) {
      throw new EndpointError('refused', `Nothing was sent: this workspace's settings point at ${what}, which you did not allow. Check xeroInvoice.endpoint.* in the workspace settings.`);
    }
    await approveEndpoint(this.store, baseUrl.origin, tenantId);
  }

  /** Resolves when files may be saved in `folder`: inside a workspace folder, or allowed once for this workspace. */
  async confirmFolder(folder: string, workspaceFolders: readonly string[]): Promise<void> {
    if (isInsideAny(folder, workspaceFolders)) return;
    const list = this.store.get<string[]>(FOLDERS) ?? [];
    if (list.includes(folder)) return;
    const ok = await this.ask(
      `PDFs are to be saved in ${folder}, outside this workspace's folders (setting xeroInvoice.pdf.folder). Save them there?`,
      'A workspace can set this folder in .vscode/settings.json.',
      'Save there',
    );
    if (!ok) throw new EndpointError('refused', `No PDF was saved: ${folder} is outside the workspace and was not allowed. Check xeroInvoice.pdf.folder.`);
    await this.store.update(FOLDERS, [...list, folder]);
  }
}
