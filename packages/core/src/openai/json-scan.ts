/**
 * Small scanners over JSON text, for reading stream chunks by position instead of JSON.parse
 * (chunk-template.ts, reply-shape.ts). Each takes the text and an index and returns an index.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Where the JSON string literal opening at `start` (a quote) ends (just past its closing quote),
 * if it does before `stop` with nothing a literal cannot hold (raw control characters); else -1.
 */
export function literalEnd(data: string, start: number, stop: number): number {
  if (data.charCodeAt(start) !== QUOTE) return -1;
  for (let i = start + 1; i < stop; i++) {
    const c = data.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i + 1;
    else if (c < 0x20) return -1;
  }
  return -1;
}

/**
 * Where the string literal opening at `start` ends (just past its closing quote) when it has no
 * backslash and no control character, else -1: literalEnd for text that must read as itself.
 */
export function plainStringEnd(data: string, start: number): number {
  if (data.charCodeAt(start) !== QUOTE) return -1;
  for (let i = start + 1; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH || c < 0x20) return -1;
  }
  return -1;
}

/**
 * The value of the string literal `data[start, end)` (quotes included, checked by the caller);
 * undefined if invalid. Escapes are left to JSON.parse, which checks them.
 */
export function stringLiteral(data: string, start: number, end: number): string | undefined {
  const literal = data.slice(start, end);
  if (!literal.includes('\\')) return literal.slice(1, -1);
  try {
    const value: unknown = JSON.parse(literal);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Where the value after a key ending at `i` starts (past `:` and any whitespace), or -1 when no colon follows. */
export function valueStart(data: string, i: number): number {
  i = skipSpace(data, i);
  return data.charCodeAt(i) === 0x3a /* : */ ? skipSpace(data, i + 1) : -1;
}

export function skipSpace(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i++;
  }
  return i;
}

/**
 * Where the JSON number starting at `start` ends (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`,
 * the longest such run), or -1 when no valid number starts there.
 */
export function numberEnd(data: string, start: number): number {
  let i = start;
  if (data.charCodeAt(i) === 0x2d /* - */) i++;
  const first = data.charCodeAt(i);
  if (first === 0x30) i++;
  else if (first >= 0x31 && first <= 0x39) i = digitsEnd(data, i + 1);
  else return -1;
  if (data.charCodeAt(i) === 0x2e /* . */) {
    const end = digitsEnd(data, i + 1);
    if (end === i + 1) return -1;
    i = end;
  }
  const e = data.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const sign = data.charCodeAt(i);
    if (sign === 0x2b || sign === 0x2d) i++;
    const end = digitsEnd(data, i);
    if (end === i) return -1;
    i = end;
  }
  return i;
}

function digitsEnd(data: string, i: number): number {
  for (let c = data.charCodeAt(i); c >= 0x30 && c <= 0x39; c = data.charCodeAt(++i));
  return i;
}
