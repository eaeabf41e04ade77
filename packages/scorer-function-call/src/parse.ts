import { PyFloat, PyTuple, type PyValue } from './values.js';

/** One function call the model made, arguments as Python-typed values. */
export interface ParsedCall {
  name: string;
  args: Record<string, PyValue>;
}

/** A call written inside an argument (`f(x=g(1))`): BFCL keeps its source text or a {name: args} dict. */
class CallValue {
  constructor(readonly name: string, readonly args: Record<string, PyValue>, readonly positional: PyValue[], readonly source: string) {}
}

const MAX_DEPTH = 64;
/** Model output is untrusted: parse at most this much text. */
export const MAX_PARSE_CHARS = 100_000;

export class ParseError extends Error {}

/**
 * A small recursive-descent reader for Python literals and keyword calls — never eval. It keeps int
 * vs float as Python's ast / json.loads do. With `json`, it also reads JSON's true/false/null (tool-call
 * `arguments`, JSON-shaped output); without it, as BFCL's `ast.parse` of Python call syntax, those
 * lowercase words are bare names, kept as their text (`formatted=true` is the string "true").
 */
class Reader {
  pos = 0;
  depth = 0;
  /** Whether a call (`name(`) was read: JSON holds none, so such text is Python call syntax. */
  sawCall = false;
  constructor(
    readonly text: string,
    readonly json: boolean,
  ) {}

  fail(message: string): never {
    throw new ParseError(`${message} at offset ${this.pos}: ${JSON.stringify(this.text.slice(this.pos, this.pos + 30))}`);
  }

  ws(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  peek(): string | undefined {
    this.ws();
    return this.text[this.pos];
  }

  expect(ch: string): void {
    if (this.peek() !== ch) this.fail(`expected '${ch}'`);
    this.pos++;
  }

  value(): PyValue | CallValue {
    if (++this.depth > MAX_DEPTH) this.fail('nesting too deep');
    try {
      const c = this.peek();
      if (c === undefined) this.fail('unexpected end');
      if (c === '"' || c === "'") return this.string();
      if (c === '[') return this.sequence('[', ']');
      if (c === '(') return this.paren();
      if (c === '{') return this.dict();
      if (/[-+\d.]/.test(c)) return this.number();
      if (/[A-Za-z_]/.test(c)) return this.identifier();
      return this.fail('unexpected character');
    } finally {
      this.depth--;
    }
  }

  string(): string {
    // String prefixes (r, b, f) are handled in identifier(); here only the quotes.
    const q = this.text[this.pos]!;
    const triple = this.text.startsWith(q.repeat(3), this.pos);
    const close = triple ? q.repeat(3) : q;
    this.pos += close.length;
    let out = '';
    while (this.pos < this.text.length) {
      if (this.text.startsWith(close, this.pos)) {
        this.pos += close.length;
        return out;
      }
      const ch = this.text[this.pos++]!;
      if (ch === '\\') {
        const e = this.text[this.pos++];
        switch (e) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case '0': out += '\0'; break;
          case 'u': {
            const hex = this.text.slice(this.pos, this.pos + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape');
            out += String.fromCharCode(parseInt(hex, 16));
            this.pos += 4;
            break;
          }
          case 'x': {
            const hex = this.text.slice(this.pos, this.pos + 2);
            if (!/^[0-9a-fA-F]{2}$/.test(hex)) this.fail('bad \\x escape');
            out += String.fromCharCode(parseInt(hex, 16));
            this.pos += 2;
            break;
          }
          case '\n': break; // line continuation
          case undefined: this.fail('unterminated string'); break;
          default: out += e === '\\' || e === '"' || e === "'" || e === '/' ? e : `\\${e}`;
        }
      } else if (ch === '\n' && !triple) {
        this.fail('newline in string');
      } else {
        out += ch;
      }
    }
    return this.fail('unterminated string');
  }

  number(): number | PyFloat {
    // Python's other integer literals (0x1C2, 0o17, 0b101), which BFCL's ast reads as ints.
    const radix = /^([-+]?)0([xXoObB])([\da-fA-F_]+)/.exec(this.text.slice(this.pos));
    if (radix) {
      const digits = radix[3]!.replace(/_/g, '');
      const kind = radix[2]!.toLowerCase();
      const base = kind === 'x' ? 16 : kind === 'o' ? 8 : 2;
      const valid = kind === 'x' ? /^[\da-fA-F]+$/ : kind === 'o' ? /^[0-7]+$/ : /^[01]+$/;
      if (!valid.test(digits)) this.fail('bad number');
      this.pos += radix[0].length;
      const n = Number.parseInt(digits, base);
      return radix[1] === '-' ? -n : n;
    }
    const m = /^[-+]?(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][-+]?\d+)?/.exec(this.text.slice(this.pos));
    if (!m) {
      // -inf / -nan / -float('inf') are not literals; a sign before an identifier is unsupported.
      return this.fail('bad number');
    }
    this.pos += m[0].length;
    const raw = m[0].replace(/_/g, '');
    const isFloat = /[.eE]/.test(raw);
    const n = Number(raw);
    if (Number.isNaN(n)) this.fail('bad number');
    return isFloat ? new PyFloat(n) : n;
  }

  sequence(open: string, close: string): PyValue[] {
    this.expect(open);
    const items: PyValue[] = [];
    while (this.peek() !== close) {
      items.push(this.asValue(this.value()));
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== close) this.fail(`expected ',' or '${close}'`);
    }
    this.pos++;
    return items;
  }

  paren(): PyValue {
    this.expect('(');
    const items: PyValue[] = [];
    let comma = false;
    while (this.peek() !== ')') {
      items.push(this.asValue(this.value()));
      if (this.peek() === ',') {
        this.pos++;
        comma = true;
      } else if (this.peek() !== ')') this.fail("expected ',' or ')'");
    }
    this.pos++;
    // (x) is just x; (x,) and () are tuples.
    return items.length === 1 && !comma ? items[0]! : new PyTuple(items);
  }

  dict(): { [key: string]: PyValue } {
    this.expect('{');
    const out: { [key: string]: PyValue } = {};
    while (this.peek() !== '}') {
      const key = this.asValue(this.value());
      this.expect(':');
      const value = this.asValue(this.value());
      out[typeof key === 'string' ? key : String(key instanceof PyFloat ? key.value : key)] = value;
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== '}') this.fail("expected ',' or '}'");
    }
    this.pos++;
    return out;
  }

  dottedName(): string {
    const m = /^[A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*/.exec(this.text.slice(this.pos));
    if (!m) this.fail('expected a name');
    this.pos += m[0].length;
    return m[0].replace(/\s+/g, '');
  }

  identifier(): PyValue | CallValue {
    // String prefixes: r'..', b"..", f'..' (BFCL's ast would keep the literal; we read it raw).
    const prefix = /^(?:[rRbBuU]|[rR][bB]|[bB][rR])(?=["'])/.exec(this.text.slice(this.pos));
    if (prefix) {
      this.pos += prefix[0].length;
      return this.string();
    }
    const start = this.pos;
    const name = this.dottedName();
    if (this.peek() === '(') return this.call(name, start);
    if (name === 'True' || (this.json && name === 'true')) return true;
    if (name === 'False' || (this.json && name === 'false')) return false;
    if (name === 'None' || (this.json && name === 'null')) return null;
    // A bare variable name: BFCL's resolve_ast_by_type returns its identifier as a string.
    return name;
  }

  call(name: string, start: number): CallValue {
    this.sawCall = true;
    this.expect('(');
    const args: Record<string, PyValue> = {};
    const positional: PyValue[] = [];
    while (this.peek() !== ')') {
      const save = this.pos;
      const kw = /^([A-Za-z_]\w*)\s*=(?!=)/.exec(this.text.slice(this.pos));
      if (kw) {
        this.pos += kw[0].length;
        args[kw[1]!] = this.asValue(this.value());
      } else {
        this.pos = save;
        positional.push(this.asValue(this.value()));
      }
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== ')') this.fail("expected ',' or ')'");
    }
    this.pos++;
    return new CallValue(name, args, positional, this.text.slice(start, this.pos));
  }

  /** A call used as an argument value: like BFCL, source text without keywords, else {name: args}. */
  asValue(v: PyValue | CallValue): PyValue {
    if (!(v instanceof CallValue)) return v;
    return Object.keys(v.args).length === 0 ? v.source : { [v.name]: v.args };
  }

  end(): void {
    this.ws();
    if (this.pos < this.text.length) this.fail('unexpected trailing text');
  }
}

/** Parses one Python/JSON literal (e.g. tool-call `arguments`), keeping int vs float. */
export function parseLiteral(text: string): PyValue {
  return readJson(text).value;
}

function readJson(text: string): { value: PyValue; sawCall: boolean } {
  const r = new Reader(text.slice(0, MAX_PARSE_CHARS), true);
  const value = r.asValue(r.value());
  r.end();
  return { value, sawCall: r.sawCall };
}

function isRecord(v: unknown): v is Record<string, PyValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof PyFloat) && !(v instanceof PyTuple);
}

/** JSON shapes models emit for a call: {name, arguments|parameters} or {function, arguments|parameters}. */
function callFromObject(o: Record<string, PyValue>): ParsedCall | undefined {
  const name = typeof o.name === 'string' ? o.name : typeof o.function === 'string' ? o.function : undefined;
  if (isRecord(o.function) && typeof o.function.name === 'string') return callFromObject(o.function);
  if (name === undefined) return undefined;
  let args: PyValue = o.arguments ?? o.parameters ?? {};
  if (typeof args === 'string') args = parseLiteral(args);
  return isRecord(args) ? { name, args } : undefined;
}

/** `[f(a=1), g(b=2)]`, `f(a=1)`, or comma-separated calls. */
function parseCalls(text: string): ParsedCall[] {
  const r = new Reader(text, false);
  const bracketed = r.peek() === '[';
  if (bracketed) r.pos++;
  const calls: ParsedCall[] = [];
  while (r.peek() !== undefined && !(bracketed && r.peek() === ']')) {
    const start = r.pos;
    const name = r.dottedName();
    const v = r.call(name, start);
    calls.push({ name: v.name, args: v.args });
    if (r.peek() === ',' || r.peek() === ';') r.pos++;
  }
  if (bracketed) r.expect(']');
  r.end();
  return calls;
}

/** Removes what chat models wrap calls in: markdown fences, <TOOLCALL>/<tool_call> tags. */
function unwrap(text: string): string {
  let t = text.trim();
  const fence = /```[^\n`]*\n?([\s\S]*?)(?:```|$)/.exec(t);
  if (fence) t = fence[1]!.trim();
  t = t.replace(/^<\s*(?:TOOLCALL|tool_call)\s*>/i, '').replace(/<\s*\/\s*(?:TOOLCALL|tool_call)\s*>$/i, '').trim();
  return t;
}

/**
 * Tool calls written as text: a JSON object/array of {name, arguments} (also "function"/"parameters",
 * and BFCL's own {"func": {args}} form) or BFCL's Python syntax `[func(a=1, b="x")]`. Throws
 * ParseError with the reason when the text holds no call it can read.
 */
export function parseTextCalls(text: string): ParsedCall[] {
  if (text.length > MAX_PARSE_CHARS) throw new ParseError(`output of ${text.length} characters is too long to parse (limit ${MAX_PARSE_CHARS})`);
  const t = unwrap(text);
  if (t === '') throw new ParseError('empty output');
  let firstError: unknown;
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      const { value: v, sawCall } = readJson(t);
      // `[f(a=true)]` is Python call syntax, not JSON: read below, where `true` is a name.
      const list = sawCall ? [] : Array.isArray(v) ? v : [v];
      const calls = list.map((item) => {
        if (!isRecord(item)) return undefined;
        const direct = callFromObject(item);
        if (direct) return direct;
        // {"func.name": {"a": 1}}: the shape of BFCL's decoded outputs and possible answers.
        const keys = Object.keys(item);
        const only = keys.length === 1 ? item[keys[0]!] : undefined;
        return keys.length === 1 && isRecord(only) ? { name: keys[0]!, args: only } : undefined;
      });
      if (calls.length > 0 && calls.every((c) => c !== undefined)) return calls as ParsedCall[];
    } catch (error) {
      firstError = error;
    }
  }
  try {
    return parseCalls(t);
  } catch (error) {
    // A call somewhere inside prose: start at the first `name(`.
    const at = /[A-Za-z_][\w.]*\s*\(/.exec(t);
    if (at && at.index > 0) {
      const from = t.slice(at.index);
      const end = from.lastIndexOf(')');
      try {
        return parseCalls(from.slice(0, end + 1));
      } catch {
        // fall through to the first error
      }
    }
    throw firstError instanceof ParseError ? firstError : error;
  }
}
