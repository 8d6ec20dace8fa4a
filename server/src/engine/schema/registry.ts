import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
 * The `schemas/` folder of the project or of the installed extension: found by walking up from this file,
 * which sits in `dist/` when bundled and in `server/src/engine/schema/` when run from source.
 */
let found: string | undefined;

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

const validators = new Map<string, SchemaValidator>();

/** The validator for a dialect, loaded from its XSD once per process. */
export function schemaFor(dialect: Exclude<Dialect, 'unknown'>, directory?: string): SchemaValidator {
  const dir = directory ?? findSchemasDirectory();
  const key = `${dir}\0${dialect}`;
  let v = validators.get(key);
  if (!v) {
    const model: SchemaModel = loadSchema(dialect, readFileSync(join(dir, SCHEMA_FILES[dialect]), 'utf8'));
    v = new SchemaValidator(model);
    validators.set(key, v);
  }
  return v;
}

const contentModels = new Map<string, ContentModel>();

/** Which element may stand in which, across the dialects: what the tolerant parser recovers missing end tags by. */
export function contentModelFor(directory?: string): ContentModel {
  const dir = directory ?? findSchemasDirectory();
  let m = contentModels.get(dir);
  if (!m) {
    m = new ContentModel((Object.keys(SCHEMA_FILES) as Exclude<Dialect, 'unknown'>[]).map((d) => schemaFor(d, dir).model));
    contentModels.set(dir, m);
  }
  return m;
}
