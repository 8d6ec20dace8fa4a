// The host side of the engine's schemas: reads the bundled `schemas/` folder from disk (the engine does no I/O), and
// the models the build made of them ahead of time.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SCHEMA_FILES, modelFromCompiled, provideCompiledSchemas, provideSchemaSource, type CompiledModel, type SchemaModel } from './engine';

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

/** What the build writes beside the bundles (dist/schemas.json): per XSD file, the model made of its text. */
export type CompiledSchemaFile = Record<string, { sha256: string; model: CompiledModel }>;

export const COMPILED_SCHEMAS = 'schemas.json';

export function textDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The models a build wrote into `directory`, or null when there are none. */
export function readCompiledSchemas(directory: string): CompiledSchemaFile | null {
  try {
    return JSON.parse(readFileSync(join(directory, COMPILED_SCHEMAS), 'utf8')) as CompiledSchemaFile;
  } catch {
    return null;
  }
}

/**
 * The model made of an XSD file, when it was made from this very text (an XSD edited since is read again, and so is
 * one whose model cannot be read back).
 */
export function compiledModel(compiled: CompiledSchemaFile | null, file: string, text: string): SchemaModel | undefined {
  const entry = compiled?.[file];
  if (!entry || entry.sha256 !== textDigest(text)) return undefined;
  try {
    return modelFromCompiled(entry.model);
  } catch {
    return undefined;
  }
}

let bundled: CompiledSchemaFile | null | undefined;

/** The bundled XSDs' models from beside the bundle; none for schemas from another location, or run from source. */
function bundledModel(file: string, text: string, location?: string): SchemaModel | undefined {
  if (location !== undefined) return undefined;
  bundled ??= readCompiledSchemas(__dirname);
  return compiledModel(bundled, file, text);
}

/** Gives the engine the bundled XSDs: what every host (server, CLI, sandbox, tests) does before checking. */
export function provideSchemaFiles(): void {
  provideSchemaSource(readSchemaFile);
  provideCompiledSchemas(bundledModel);
}
