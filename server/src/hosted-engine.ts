// The engine as its hosts use it (`@engine`): the pure engine, given the bundled XSDs from disk.
import { provideSchemaFiles } from './schema-files';

provideSchemaFiles();

export * from './engine';
export { findSchemasDirectory } from './schema-files';
