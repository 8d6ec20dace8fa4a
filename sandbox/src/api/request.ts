import { parseXml } from '@engine';
import type { SentDocument } from '../domain/documents';
import { fieldsOf, itemNameOf, type Fields } from '../domain/fields';
import { jsonEntities, JsonShapeError, JsonSyntaxError, parseJson } from '../domain/json-input';
import { namesOf, type DocKind } from '../domain/records';
import type { Validator } from '../domain/validation';
import { classifyBody, type ClassifiedBody } from '../http/body';
import type { Reply } from '../http/reply';
import type { Ctx } from '../http/router';
import { requestDocument } from '../render/xml';
import { postDataInvalid } from './errors';

export type Read<T> = { ok: true; value: T } | { ok: false; reply: Reply };

function noData(ctx: Ctx, what: string): Reply {
  return postDataInvalid(ctx.format, `No data has been processed for this endpoint. This endpoint is expecting ${what} data to be specifed in the request body.`);
}

function notXmlOrJson(ctx: Ctx, body: ClassifiedBody, example: string): Reply {
  return postDataInvalid(
    ctx.format,
    `The request body is neither XML nor JSON (${body.reason}; Content-Type: ${body.contentType || 'none'}). Send ${example}.`,
  );
}

/** Reads a JSON body as fields, or the reply explaining why it cannot be read. */
function readJson(ctx: Ctx, text: string, collection: string): Read<Fields[]> {
  try {
    return { ok: true, value: jsonEntities(parseJson(text), collection) };
  } catch (err) {
    if (err instanceof JsonSyntaxError || err instanceof JsonShapeError) {
      return { ok: false, reply: postDataInvalid(ctx.format, `JSON request body could not be read: ${err.message}.`) };
    }
    throw err;
  }
}

/**
 * The invoices or credit notes of a PUT/POST body. XML is checked by the engine as sent; JSON is first written as
 * the same XML, so both go through one validation path. Unreadable bodies are ErrorNumber 14.
 */
export function readDocuments(ctx: Ctx, validator: Validator, kind: DocKind): Read<SentDocument[]> {
  const names = namesOf(kind);
  const example = `<${names.collection}> as application/xml or {"${names.collection}":[…]} as application/json`;
  const body = classifyBody(ctx.body, ctx.header('content-type'));
  if (body.kind === 'empty') return { ok: false, reply: noData(ctx, names.element) };
  if (body.kind === 'unknown') return { ok: false, reply: notXmlOrJson(ctx, body, example) };
  let text = body.text;
  if (body.kind === 'json') {
    const read = readJson(ctx, text, names.collection);
    if (!read.ok) return read;
    if (read.value.length === 0) return { ok: false, reply: noData(ctx, names.element) };
    text = requestDocument(names.collection, read.value);
  }
  const checked = validator.readBody(text);
  if (checked.unreadable) return { ok: false, reply: postDataInvalid(ctx.format, checked.unreadable) };
  const rootName = checked.root?.name;
  if (checked.result.dialect !== 'xero-2.0' || (rootName !== names.element && rootName !== names.collection)) {
    const got = rootName ? `<${rootName}>${checked.result.dialect === 'xero-1.0' ? ' in the legacy 1.0 form' : ''}` : 'no document';
    return { ok: false, reply: postDataInvalid(ctx.format, `The request body must be ${example}; it is ${got}.`) };
  }
  const docs = checked.documents.filter((d) => d.kind === kind).map((d) => ({ fields: d.fields, purpose: d.purpose }));
  if (docs.length === 0) return { ok: false, reply: noData(ctx, names.element) };
  return { ok: true, value: docs };
}

/**
 * The entities of a body for the endpoints the engine does not check (payments, history notes, allocations):
 * `{"Payments":[…]}` / `<Payments><Payment>…` / a single entity.
 */
export function readEntities(ctx: Ctx, collection: string, allowEmpty = false): Read<Fields[]> {
  const item = itemNameOf(collection);
  const body = classifyBody(ctx.body, ctx.header('content-type'));
  if (body.kind === 'empty') return allowEmpty ? { ok: true, value: [] } : { ok: false, reply: noData(ctx, item) };
  if (body.kind === 'unknown') return { ok: false, reply: notXmlOrJson(ctx, body, `<${collection}> as application/xml or {"${collection}":[…]} as application/json`) };
  if (body.kind === 'json') return readJson(ctx, body.text, collection);
  const xml = parseXml(body.text);
  const problem = xml.problems[0];
  if (problem || !xml.root) return { ok: false, reply: postDataInvalid(ctx.format, `The request body is not well-formed XML: ${problem?.message ?? 'it is empty'}`) };
  if (xml.root.name === collection) return { ok: true, value: xml.root.children.filter((c) => c.name === item).map(fieldsOf) };
  if (xml.root.name === item) return { ok: true, value: [fieldsOf(xml.root)] };
  return { ok: false, reply: postDataInvalid(ctx.format, `The request body must be <${collection}> or <${item}>; it is <${xml.root.name}>.`) };
}
