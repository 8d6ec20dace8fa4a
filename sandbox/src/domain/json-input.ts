import { fromMsDate } from './dates';
import { itemNameOf, LIST_ITEMS, type FieldValue, type Fields } from './fields';

/** A JSON number kept as the text it was written as, so that amounts never become binary floating point. */
export class JsonNumber {
  constructor(readonly text: string) {}
}
export type JsonInput = null | boolean | string | JsonNumber | JsonInput[] | { [key: string]: JsonInput };

export class JsonSyntaxError extends Error {}

/** A strict JSON parser (RFC 8259) that keeps numbers as their text. */
export function parseJson(text: string): JsonInput {
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at position ${i}`);
  };
  const value = (depth: number): JsonInput => {
    if (depth > 64) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: { [key: string]: JsonInput } = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a property name');
        const key = str();
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        obj[key] = value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const arr: JsonInput[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m && m[0]) {
      i += m[0].length;
      return new JsonNumber(m[0]);
    }
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    return fail('unexpected character');
  };
  const str = (): string => {
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text[i++];
      if (c === '"') return out;
      if (c === '\\') {
        const e = text[i++];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e in simple) out += simple[e];
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i, i + 4))) {
          out += String.fromCharCode(parseInt(text.slice(i, i + 4), 16));
          i += 4;
        } else fail('bad escape');
      } else if (c < ' ') fail('control character in string');
      else out += c;
    }
  };
  const v = value(0);
  ws();
  if (i < text.length) fail('unexpected text after the value');
  return v;
}

function isObject(v: JsonInput): v is { [key: string]: JsonInput } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

/** Response-only companions and verdicts that clients echo back; they are not data. */
function ignored(key: string): boolean {
  return /DateString$|DateUTCString$/.test(key) || ['StatusAttributeString', 'HasErrors', 'ValidationErrors', 'Warnings'].includes(key);
}

/** Keeps empty lists only where an empty list means something (no lines, no tracking). */
const MEANINGFUL_EMPTY = new Set(['LineItems', 'Tracking']);

export class JsonShapeError extends Error {}

/** The wrappers of request bodies; a body wrapped in the wrong one was sent to the wrong endpoint. */
const REQUEST_COLLECTIONS = new Set(['Invoices', 'CreditNotes', 'Payments', 'Allocations', 'HistoryRecords', 'Contacts', 'Items']);

function scalar(key: string, v: JsonInput): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof JsonNumber) {
    if (/[eE]/.test(v.text)) throw new JsonShapeError(`${key}: write ${v.text} without an exponent`);
    return v.text;
  }
  if (typeof v === 'string') return fromMsDate(v) ?? v;
  throw new JsonShapeError(`${key} has an unexpected value`);
}

/** A JSON object as fields: nulls dropped, numbers and booleans as their text, `/Date(…)/` as a day. */
export function jsonToFields(obj: JsonInput, where = 'body'): Fields {
  if (!isObject(obj)) throw new JsonShapeError(`${where} must be an object`);
  const out: Fields = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === null || ignored(k)) continue;
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(k)) throw new JsonShapeError(`'${k}' (in ${where}) is not a field name the API knows`);
    let value: FieldValue;
    if (Array.isArray(v)) {
      if (v.length === 0 && !MEANINGFUL_EMPTY.has(k)) continue;
      const item = itemNameOf(k);
      value = v.map((e, n) => jsonToFields(e, `${k}[${n}] (${item})`));
    } else if (isObject(v)) {
      if (k in LIST_ITEMS) throw new JsonShapeError(`${k} must be a list`);
      value = jsonToFields(v, k);
    } else {
      value = scalar(k, v);
    }
    out[k] = value;
  }
  return out;
}

/**
 * The entities of a JSON body: `{"Invoices":[…]}`, a bare list, or one bare entity (an object without the
 * collection key).
 */
export function jsonEntities(body: JsonInput, collection: string): Fields[] {
  if (Array.isArray(body)) return body.map((e, n) => jsonToFields(e, `${collection}[${n}]`));
  if (!isObject(body)) throw new JsonShapeError(`the body must be an object such as {"${collection}":[…]}`);
  const key = Object.keys(body).find((k) => k.toLowerCase() === collection.toLowerCase());
  if (key !== undefined) {
    const list = body[key];
    if (!Array.isArray(list)) throw new JsonShapeError(`${collection} must be a list`);
    return list.map((e, n) => jsonToFields(e, `${collection}[${n}]`));
  }
  const keys = Object.keys(body);
  if (keys.length === 1 && Array.isArray(body[keys[0]]) && REQUEST_COLLECTIONS.has(keys[0])) {
    throw new JsonShapeError(`this endpoint takes {"${collection}":[…]}, not {"${keys[0]}":[…]}`);
  }
  return [jsonToFields(body)];
}
