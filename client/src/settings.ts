import type { WorkspaceConfiguration } from 'vscode';
import { DEFAULT_SERVER_SETTINGS, SETTINGS_SECTION } from '../../shared/src/settings';

export { SETTINGS_SECTION };

export type ApiFamily = '2.0' | '1.0' | 'workflowmax-3.0';
export const API_FAMILIES: readonly ApiFamily[] = ['2.0', '1.0', 'workflowmax-3.0'];

/** The client's own settings (section `xeroInvoice`), next to the server's (`shared/src/settings.ts`). */
export interface ClientSettings {
  endpoint: {
    baseUrl: string;
    apiFamily: ApiFamily;
    tenantId: string;
    requestTimeoutMs: number;
    /** The largest answer read from the endpoint (MB): bulk pages and PDFs fit well below it. */
    maxResponseMB: number;
  };
  confirmDestructive: boolean;
  pdf: { folder: string };
  /** Start the bundled sandbox when the extension activates (what `npm start` sets up for a first look). */
  sandbox: { startOnActivation: boolean };
  /** Sign in to Xero: the user's own Xero app (Auth code with PKCE) and the port of its registered redirect URI. */
  signIn: { clientId: string; redirectPort: number };
}

export const DEFAULT_CLIENT_SETTINGS: ClientSettings = {
  endpoint: { baseUrl: 'https://api.xero.com', apiFamily: '2.0', tenantId: '', requestTimeoutMs: 30_000, maxResponseMB: 64 },
  confirmDestructive: true,
  pdf: { folder: '' },
  sandbox: { startOnActivation: false },
  signIn: { clientId: '', redirectPort: 8765 },
};

/** Sign-in settings come from the user's own settings only (application scope): a workspace cannot choose the app a user consents to. */
export const APPLICATION_SETTINGS = ['signIn.clientId', 'signIn.redirectPort'];

/** Endpoint settings a workspace may not set unless it is trusted (a cloned repo must not redirect invoices). */
export const RESTRICTED_SETTINGS = ['endpoint.baseUrl', 'endpoint.apiFamily', 'endpoint.tenantId', 'endpoint.requestTimeoutMs', 'endpoint.maxResponseMB', 'pdf.folder', 'sandbox.startOnActivation', 'confirmDestructive'].map((k) => `${SETTINGS_SECTION}.${k}`);

export { DEFAULT_SERVER_SETTINGS };

/** The client's settings for a resource, read from `workspace.getConfiguration('xeroInvoice', uri)`, each value checked. */
export function readClientSettings(config: Pick<WorkspaceConfiguration, 'get'>): ClientSettings {
  const d = DEFAULT_CLIENT_SETTINGS;
  const str = (key: string, def: string) => {
    const v = config.get<unknown>(key);
    return typeof v === 'string' ? v.trim() : def;
  };
  const family = str('endpoint.apiFamily', d.endpoint.apiFamily);
  const timeout = config.get<unknown>('endpoint.requestTimeoutMs');
  const confirm = config.get<unknown>('confirmDestructive');
  const maxMB = config.get<unknown>('endpoint.maxResponseMB');
  return {
    endpoint: {
      baseUrl: str('endpoint.baseUrl', d.endpoint.baseUrl) || d.endpoint.baseUrl,
      apiFamily: (API_FAMILIES as readonly string[]).includes(family) ? (family as ApiFamily) : d.endpoint.apiFamily,
      tenantId: str('endpoint.tenantId', d.endpoint.tenantId),
      requestTimeoutMs: typeof timeout === 'number' && timeout >= 1000 ? Math.min(timeout, 600_000) : d.endpoint.requestTimeoutMs,
      maxResponseMB: typeof maxMB === 'number' && maxMB >= 1 ? Math.min(maxMB, 4096) : d.endpoint.maxResponseMB,
    },
    confirmDestructive: typeof confirm === 'boolean' ? confirm : d.confirmDestructive,
    pdf: { folder: str('pdf.folder', d.pdf.folder) },
    sandbox: { startOnActivation: config.get<unknown>('sandbox.startOnActivation') === true },
    signIn: {
      clientId: str('signIn.clientId', d.signIn.clientId),
      redirectPort: (() => {
        const port = config.get<unknown>('signIn.redirectPort');
        return typeof port === 'number' && Number.isInteger(port) && port >= 1024 && port <= 65535 ? port : d.signIn.redirectPort;
      })(),
    },
  };
}
