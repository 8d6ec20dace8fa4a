import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import type { SecretBag } from '../../client/src/auth/session';

/** Secret storage as every VS Code window sees it: one file, read and written on each call. */
export class FileBag implements SecretBag {
  constructor(private readonly path: string) {
    if (!existsSync(path)) writeFileSync(path, '{}');
  }
  private read(): Record<string, string> {
    return JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, string>;
  }
  get(key: string) {
    return Promise.resolve(this.read()[key]);
  }
  store(key: string, value: string) {
    writeFileSync(this.path, JSON.stringify({ ...this.read(), [key]: value }));
    return Promise.resolve();
  }
  delete(key: string) {
    const all = this.read();
    delete all[key];
    writeFileSync(this.path, JSON.stringify(all));
    return Promise.resolve();
  }
}
