import { Money, isDecimal } from '@engine';
import { groupOf, type Fields } from '../domain/fields';

export class QueryError extends Error {}

type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'guid'; value: string }
  | { kind: 'number'; value: string }
  | { kind: 'date'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' };

type Expr =
  | { op: 'and' | 'or'; left: Expr; right: Expr }
  | { op: 'not'; expr: Expr }
  | { op: 'compare'; path: string; cmp: string; literal: Literal }
  | { op: 'method'; path: string; method: 'contains' | 'startswith' | 'endswith'; value: string };

interface Token {
  t: 'ident' | 'string' | 'number' | 'op' | '(' | ')' | ',' | 'end';
  v: string;
  at: number;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if (c === '"') {
      let v = '';
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\' && i + 1 < src.length) i++;
        v += src[i++];
      }
      if (i >= src.length) throw new QueryError(`unterminated string at position ${at}`);
      i++;
      out.push({ t: 'string', v, at });
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['==', '!=', '>=', '<=', '&&', '||'].includes(two)) {
      out.push({ t: 'op', v: two, at });
      i += 2;
      continue;
    }
    if (c === '>' || c === '<' || c === '!') {
      out.push({ t: 'op', v: c, at });
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ t: c, v: c, at });
      i++;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ t: 'number', v: num[0], at });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'ident', v: id[0], at });
      i += id[0].length;
      continue;
    }
    throw new QueryError(`unexpected '${c}' at position ${i}`);
  }
  out.push({ t: 'end', v: '', at: src.length });
  return out;
}

/**
 * Parses Xero's `where` filters: comparisons (`Status=="DRAFT"`, `Contact.ContactID==guid("…")`, `Total>100`,
 * `Date>=DateTime(2024,01,31)`), `.Contains("…")`/`.StartsWith`/`.EndsWith`, joined with AND/&&, OR/||, NOT/!
 * and parentheses.
 */
export function parseWhere(src: string): Expr {
  const tokens = tokenize(src);
  let p = 0;
  const peek = () => tokens[p];
  const next = () => tokens[p++];
  const isWord = (tok: Token, w: string) => tok.t === 'ident' && tok.v.toUpperCase() === w;
  const expect = (t: Token['t']) => {
    const tok = next();
    if (tok.t !== t) throw new QueryError(`expected '${t}' at position ${tok.at}`);
    return tok;
  };
  const or = (): Expr => {
    let left = and();
    while (peek().v === '||' || isWord(peek(), 'OR')) {
      next();
      left = { op: 'or', left, right: and() };
    }
    return left;
  };
  const and = (): Expr => {
    let left = unary();
    while (peek().v === '&&' || isWord(peek(), 'AND')) {
      next();
      left = { op: 'and', left, right: unary() };
    }
    return left;
  };
  const unary = (): Expr => {
    if (peek().v === '!' || isWord(peek(), 'NOT')) {
      next();
      return { op: 'not', expr: unary() };
    }
    if (peek().t === '(') {
      next();
      const e = or();
      expect(')');
      return e;
    }
    return comparison();
  };
  const literal = (): Literal => {
    const tok = next();
    if (tok.t === 'string') return { kind: 'string', value: tok.v };
    if (tok.t === 'number') return { kind: 'number', value: tok.v };
    if (tok.t === 'ident') {
      const w = tok.v.toLowerCase();
      if (w === 'true' || w === 'false') return { kind: 'bool', value: w === 'true' };
      if (w === 'null') return { kind: 'null' };
      if (w === 'guid') {
        expect('(');
        const v = expect('string').v;
        expect(')');
        return { kind: 'guid', value: v.toLowerCase() };
      }
      if (w === 'datetime') {
        expect('(');
        const parts: number[] = [];
        for (;;) {
          parts.push(Number(expect('number').v));
          if (peek().t === ',') next();
          else break;
        }
        expect(')');
        const [y, m = 1, d = 1, h = 0, mi = 0, s = 0] = parts;
        const pad = (n: number, w2 = 2) => String(n).padStart(w2, '0');
        return { kind: 'date', value: `${pad(y, 4)}-${pad(m)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}` };
      }
    }
    throw new QueryError(`expected a value at position ${tok.at}`);
  };
  const comparison = (): Expr => {
    const id = expect('ident');
    const method = /^(.*)\.(Contains|StartsWith|EndsWith)$/i.exec(id.v);
    if (method && peek().t === '(') {
      next();
      const v = expect('string').v;
      expect(')');
      return { op: 'method', path: method[1], method: method[2].toLowerCase() as 'contains' | 'startswith' | 'endswith', value: v };
    }
    const op = next();
    if (op.t !== 'op' || !['==', '!=', '>=', '<=', '>', '<'].includes(op.v)) throw new QueryError(`expected a comparison after ${id.v} at position ${op.at}`);
    return { op: 'compare', path: id.v, cmp: op.v, literal: literal() };
  };
  const e = or();
  if (peek().t !== 'end') throw new QueryError(`unexpected '${peek().v}' at position ${peek().at}`);
  return e;
}

function valueAt(f: Fields, path: string): string | undefined {
  const parts = path.split('.');
  let cur: Fields | undefined = f;
  for (let i = 0; i < parts.length - 1; i++) cur = groupOf(cur, parts[i]);
  const v = cur?.[parts[parts.length - 1]];
  return typeof v === 'string' ? v : undefined;
}


function compareValues(a: string, b: string, numeric: boolean): number {
  if (numeric && isDecimal(a) && isDecimal(b)) return new Money(a).comparedTo(new Money(b));
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function test(cmp: string, c: number): boolean {
  switch (cmp) {
    case '==':
      return c === 0;
    case '!=':
      return c !== 0;
    case '>':
      return c > 0;
    case '<':
      return c < 0;
    case '>=':
      return c >= 0;
    default:
      return c <= 0;
  }
}

export function matches(e: Expr, f: Fields): boolean {
  switch (e.op) {
    case 'and':
      return matches(e.left, f) && matches(e.right, f);
    case 'or':
      return matches(e.left, f) || matches(e.right, f);
    case 'not':
      return !matches(e.expr, f);
    case 'method': {
      const v = (valueAt(f, e.path) ?? '').toLowerCase();
      const w = e.value.toLowerCase();
      return e.method === 'contains' ? v.includes(w) : e.method === 'startswith' ? v.startsWith(w) : v.endsWith(w);
    }
    case 'compare': {
      const v = valueAt(f, e.path);
      const l = e.literal;
      if (l.kind === 'null') return e.cmp === '==' ? v === undefined || v === '' : e.cmp === '!=' ? v !== undefined && v !== '' : false;
      if (v === undefined) return e.cmp === '!=';
      if (l.kind === 'bool') return test(e.cmp, compareValues(v, String(l.value), false));
      if (l.kind === 'date') return test(e.cmp, compareValues(v.slice(0, 19).padEnd(19, '0'), l.value, false));
      return test(e.cmp, compareValues(v, l.value, l.kind === 'number'));
    }
  }
}

/** `order=InvoiceNumber ASC, UpdatedDateUTC DESC`. */
export function parseOrder(src: string): { path: string; desc: boolean }[] {
  return src.split(',').map((part) => {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(ASC|DESC)?\s*$/i.exec(part);
    if (!m) throw new QueryError(`cannot order by '${part.trim()}'; write a field name and ASC or DESC`);
    return { path: m[1], desc: (m[2] ?? '').toUpperCase() === 'DESC' };
  });
}

export function sortBy<T>(items: T[], order: { path: string; desc: boolean }[], view: (item: T) => Fields): T[] {
  const keyed = items.map((item) => ({ item, f: view(item) }));
  keyed.sort((a, b) => {
    for (const o of order) {
      const x = valueAt(a.f, o.path) ?? '';
      const y = valueAt(b.f, o.path) ?? '';
      const c = compareValues(x, y, true);
      if (c !== 0) return o.desc ? -c : c;
    }
    return 0;
  });
  return keyed.map((k) => k.item);
}
