import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SecretBag } from '../../client/src/auth/session';

/**
 * Secret storage as every VS Code window sees it: one file, read and written on each call. A write replaces the
 * file whole (a new file renamed over it), as VS Code's secret storage never shows a window a half-written value:
 * another process reading at that moment sees the old content or the new.
 */
export class FileBag implements SecretBag {
  constructor(private readonly path: string) {
    if (!existsSync(path)) this.write({});
  }
  private read(): Record<string, string> {
    return JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, string>;
  }
  private write(all: Record<string, string>): void {
    const next = `${this.path}.${process.pid}.tmp`;
    writeFileSync(next, JSON.stringify(all));
    renameSync(next, this.path);
  }
  get(key: string) {
    return Promise.resolve(this.read()[key]);
  }
  store(key: string, value: string) {
    this.write({ ...this.read(), [key]: value });
    return Promise.resolve();
  }
  delete(key: string) {
    const all = this.read();
    delete all[key];
    this.write(all);
    return Promise.resolve();
  }
}
