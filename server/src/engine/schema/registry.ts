import type { Dialect } from '../invoice/dialect';
import { ContentModel } from './content-model';
import { loadSchema } from './load';
import type { SchemaModel } from './model';
import { SchemaValidator } from './validate';

export const SCHEMA_FILES: Record<Exclude<Dialect, 'unknown'>, string> = {
  'xero-2.0': 'xero-2.0.xsd',
  'xero-1.0': 'xero-1.0.xsd',
  'workflowmax-3.0': 'workflowmax-3.0.xsd',
};

/**
 * Where the engine gets an XSD's text: given by its host (the server, the CLI, the sandbox, the tests read
 * the bundled `schemas/` folder, see server/src/schema-files.ts), because the engine itself does no I/O.
 * `location` is whatever the engine's caller passed as its schemas location (undefined: the host's default).
 */
export type SchemaSource = (file: string, location?: string) => string;

let source: SchemaSource | undefined;

/**
 * A host's schema models made ahead of time (compiled.ts): the model for an XSD's text, when the host has one made
 * from exactly that text, else undefined (the XSD is then read).
 */
export type CompiledSchemas = (file: string, xsdText: string, location?: string) => SchemaModel | undefined;

let compiled: CompiledSchemas | undefined;

/** Gives the engine schema models made ahead of time for some of its schema texts. */
export function provideCompiledSchemas(next: CompiledSchemas | undefined): void {
  if (compiled === next) return;
  compiled = next;
  validators.clear();
  contentModels.clear();
}

/** Gives the engine its schema text, once per process (a second, different source replaces the first and the caches). */
export function provideSchemaSource(next: SchemaSource): void {
  if (source === next) return;
  source = next;
  validators.clear();
  contentModels.clear();
}

function schemaText(dialect: Exclude<Dialect, 'unknown'>, location: string | undefined): string {
  if (!source) throw new Error('the invoice engine has no schemas: its host must call provideSchemaSource() first');
  return source(SCHEMA_FILES[dialect], location);
}

const validators = new Map<string, SchemaValidator>();

/** The validator for a dialect, loaded from its XSD once per process. */
export function schemaFor(dialect: Exclude<Dialect, 'unknown'>, location?: string): SchemaValidator {
  const key = `${location ?? ''}\0${dialect}`;
  let v = validators.get(key);
  if (!v) {
    const text = schemaText(dialect, location);
    const model: SchemaModel = compiled?.(SCHEMA_FILES[dialect], text, location) ?? loadSchema(dialect, text);
    v = new SchemaValidator(model);
    validators.set(key, v);
  }
  return v;
}

const contentModels = new Map<string, ContentModel>();

/** Which element may stand in which, across the dialects: what the tolerant parser recovers missing end tags by. */
export function contentModelFor(location?: string): ContentModel {
  const key = location ?? '';
  let m = contentModels.get(key);
  if (!m) {
    m = new ContentModel((Object.keys(SCHEMA_FILES) as Exclude<Dialect, 'unknown'>[]).map((d) => schemaFor(d, location).model));
    contentModels.set(key, m);
  }
  return m;
}
