// The host side of the engine's schemas: reads the bundled `schemas/` folder from disk (the engine does no I/O).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SCHEMA_FILES, provideSchemaSource } from './engine';

let found: string | undefined;

/**
 * The `schemas/` folder of the project or of the installed extension: found by walking up from this file,
 * which sits in `dist/` when bundled and in `server/src/` when run from source.
 */
export function findSchemasDirectory(start: string = __dirname): string {
  if (start === __dirname && found) return found;
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'schemas');
    if (existsSync(join(candidate, SCHEMA_FILES['xero-2.0']))) {
      if (start === __dirname) found = candidate;
      return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the schemas folder above ${start}`);
    dir = parent;
  }
}

/** Reads an XSD from `location` (a folder), or from the bundled `schemas/` folder. */
export function readSchemaFile(file: string, location?: string): string {
  return readFileSync(join(location ?? findSchemasDirectory(), file), 'utf8');
}

/** Gives the engine the bundled XSDs: what every host (server, CLI, sandbox, tests) does before checking. */
export function provideSchemaFiles(): void {
  provideSchemaSource(readSchemaFile);
}
