import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SCHEMA_FILES, compileModel, loadSchema, modelFromCompiled, provideCompiledSchemas, type SchemaModel, type SchemaType } from '@engine';
import { compiledModel, readCompiledSchemas, readSchemaFile, textDigest } from '../../server/src/schema-files';
import { writeCompiledSchemas } from '../../server/src/compile-schemas';
import { ROOT, fixtureFiles, runFixture } from '../support/fixtures';

/**
 * Everything a model holds, as plain data: each type and declaration written out once, where it is first met, and
 * referred to by its number after that, so that two models dump alike only if they share the same objects too.
 */
function dump(model: SchemaModel): unknown {
  const ids = new Map<object, number>();
  const ref = (o: object, write: () => unknown): unknown => {
    const id = ids.get(o);
    if (id !== undefined) return { ref: id };
    ids.set(o, ids.size);
    return { id: ids.size - 1, ...(write() as object) };
  };
  const type = (t: SchemaType): unknown =>
    ref(t, () =>
      t.kind === 'simple'
        ? {
            kind: t.kind, name: t.name, doc: t.doc, builtin: t.builtin, enumeration: t.enumeration,
            enumValues: t.enumValues && [...t.enumValues], patterns: t.patterns?.map((a) => a.map((re) => `${re.source}/${re.flags}`)),
            length: t.length, minLength: t.minLength, maxLength: t.maxLength, fractionDigits: t.fractionDigits,
            totalDigits: t.totalDigits, minInclusive: t.minInclusive, maxInclusive: t.maxInclusive, union: t.union?.map(type),
            fields: Object.keys(t),
          }
        : {
            kind: t.kind, name: t.name, doc: t.doc, model: t.model,
            elements: [...t.elements].map(([k, d]) => [k, decl(d)]),
            attributes: [...t.attributes].map(([k, a]) => [k, { name: a.name, type: type(a.type), required: a.required, doc: a.doc }]),
            base: t.base && type(t.base), required: t.required.map(decl), fields: Object.keys(t),
          },
    );
  const decl = (d: { name: string; type: { get(): SchemaType }; minOccurs: number; maxOccurs: number; nillable: boolean; doc?: string; index: number }): unknown =>
    ref(d, () => ({ name: d.name, type: type(d.type.get()), minOccurs: d.minOccurs, maxOccurs: String(d.maxOccurs), nillable: d.nillable, doc: d.doc, index: d.index }));
  return {
    dialect: model.dialect,
    roots: [...model.roots].map(([k, d]) => [k, decl(d)]),
    complexTypes: [...model.complexTypes].map(([k, t]) => [k, type(t)]),
    simpleTypes: [...model.simpleTypes].map(([k, t]) => [k, type(t)]),
  };
}

const dialects = Object.entries(SCHEMA_FILES);

describe('schema models made ahead of time', () => {
  after(() => provideCompiledSchemas(undefined));

  for (const [dialect, file] of dialects) {
    it(`read back as JSON, ${file} gives the model loadSchema() makes: every field, shared types shared`, () => {
      const loaded = loadSchema(dialect, readSchemaFile(file));
      const compiled = JSON.parse(JSON.stringify(compileModel(loaded)));
      const again = modelFromCompiled(compiled);
      assert.deepEqual(dump(again), dump(loaded));
    });
  }

  it('are used only for the very text they were made from: an edited XSD is read again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compiled-schemas-'));
    writeCompiledSchemas(join(ROOT, 'schemas'), dir);
    const compiled = readCompiledSchemas(dir)!;
    rmSync(dir, { recursive: true, force: true });
    for (const [, file] of dialects) {
      const text = readSchemaFile(file);
      assert.equal(compiled[file].sha256, textDigest(text));
      assert.ok(compiledModel(compiled, file, text), `${file}: made from this text`);
      assert.equal(compiledModel(compiled, file, text.replace('</xs:schema>', '<!-- edited --></xs:schema>')), undefined, `${file}: edited`);
    }
    assert.equal(readCompiledSchemas(dir), null, 'none where none was written');
    // A model that cannot be read back (a damaged file whose digests still match): the XSD is read instead.
    const file = SCHEMA_FILES['xero-2.0'];
    const damaged = { ...compiled, [file]: { ...compiled[file], model: { ...compiled[file].model, complex: null } } } as unknown as typeof compiled;
    assert.equal(compiledModel(damaged, file, readSchemaFile(file)), undefined);
  });

  it('the build writes them beside the bundles, and every fixture checks alike with them and with the XSDs', () => {
    const built = readCompiledSchemas(join(ROOT, 'dist'));
    assert.ok(built, 'dist/schemas.json (npm run build writes it)');
    assert.deepEqual(Object.keys(built).sort(), dialects.map(([, f]) => f).sort());
    const files = fixtureFiles();
    const run = () =>
      files.map((f) => {
        try {
          const { dialect, diagnostics, documents } = runFixture(f).result;
          return JSON.stringify({ dialect, diagnostics, documents });
        } catch (err) {
          return String(err);
        }
      });
    provideCompiledSchemas(undefined);
    const fromXsd = run();
    let used = 0;
    provideCompiledSchemas((file, text, location) => {
      const model = location === undefined ? compiledModel(built, file, text) : undefined;
      if (model) used++;
      return model;
    });
    const fromCompiled = run();
    assert.equal(used, dialects.length, 'each dialect read from the compiled models');
    files.forEach((f, i) => assert.equal(fromCompiled[i], fromXsd[i], f));
    assert.ok(readFileSync(join(ROOT, 'dist', 'schemas.json'), 'utf8').length > 10_000);
  });
});
