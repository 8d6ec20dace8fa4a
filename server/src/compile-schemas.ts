// Run by the build (esbuild.js): the bundled XSDs' schema models, made ahead of time and written beside the
// bundles, so that the CLI, the language server and the sandbox start with their schemas ready.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_FILES, compileModel, loadSchema } from './engine';
import { COMPILED_SCHEMAS, textDigest, type CompiledSchemaFile } from './schema-files';

export function writeCompiledSchemas(schemasDirectory: string, outDirectory: string): void {
  const out: CompiledSchemaFile = {};
  for (const [dialect, file] of Object.entries(SCHEMA_FILES)) {
    const text = readFileSync(join(schemasDirectory, file), 'utf8');
    out[file] = { sha256: textDigest(text), model: compileModel(loadSchema(dialect, text)) };
  }
  writeFileSync(join(outDirectory, COMPILED_SCHEMAS), JSON.stringify(out));
}
