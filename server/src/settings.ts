import type { Connection } from 'vscode-languageserver';
import { DEFAULT_SERVER_SETTINGS, SETTINGS_SECTION, normalizeServerSettings, type ServerSettings } from '../../shared/src/settings';

/** Settings per document (resource-scoped), read from the client once and cached until they change. */
export class SettingsReader {
  private readonly cache = new Map<string, Promise<ServerSettings>>();
  private canRead = false;

  constructor(private readonly connection: Connection) {}

  enable(workspaceConfiguration: boolean): void {
    this.canRead = workspaceConfiguration;
  }

  forDocument(uri: string): Promise<ServerSettings> {
    if (!this.canRead) return Promise.resolve(DEFAULT_SERVER_SETTINGS);
    let s = this.cache.get(uri);
    if (!s) {
      s = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION })
        .then(normalizeServerSettings, () => DEFAULT_SERVER_SETTINGS);
      this.cache.set(uri, s);
    }
    return s;
  }

  forget(uri?: string): void {
    if (uri) this.cache.delete(uri);
    else this.cache.clear();
  }
}
