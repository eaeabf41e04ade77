/**
 * The chunks of one streamed reply are the same JSON document over and over with only the text
 * value changing: `{"id":"cmpl-7","object":"text_completion",…,"choices":[{"index":0,"text":" the",
 * "logprobs":null,"finish_reason":null}]}`. `JSON.parse` of such a chunk costs about 1.3 µs here,
 * the largest single cost of reading a stream (measured: ~12 µs of parsing per 10-event reply against
 * ~2 µs of SSE framing). A template learned from one fully parsed plain content chunk reads the
 * following chunks with two string comparisons and a scan of the text literal.
 *
 * Why this is exact: the template is `prefix + <JSON string literal> + suffix`, cut from a chunk that
 * JSON.parse accepted and that carried the text key exactly once. Any other chunk that starts with
 * the same prefix, ends with the same suffix and has exactly one valid string literal in between is
 * the same document with another value at that one place, so it parses to the same structure with
 * another text. Anything else (usage, tool calls, a changed `created` second, another shape) falls
 * back to JSON.parse, which learns again.
 *
 * The reply's last token chunk usually differs in one more place: `"finish_reason":null` becomes
 * `"finish_reason":"length"` (vLLM, SGLang and llama-server's completions put it after the text). When the learned chunk
 * has `"finish_reason":null` once, after the text, the template keeps that second place too:
 * `prefix + <text literal> + middle + <null or a string literal> + tail`, read by `matchFinal`
 * with the same argument (one more JSON.parse saved per reply).
 */

/** Which field a plain content chunk carries its text in. */
export type TemplateField = 'text' | 'content';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const FINISH_KEY = '"finish_reason"';

export class ContentChunkTemplate {
  private prefix: string | undefined;
  private suffix = '';
  /** The suffix cut at the finish_reason value: before it (`middle`) and after it (`tail`); unset when not learned. */
  private middle: string | undefined;
  private tail = '';
  /** What the last successful `matchFinal` read: the text, and finish_reason (null when the chunk had null). */
  finalText = '';
  finalReason: string | null = null;

  /**
   * The text value of `data` when it is the learned template with another text; `undefined` when
   * it is not (the caller then parses it in full).
   */
  match(data: string): string | undefined {
    const prefix = this.prefix;
    if (prefix === undefined) return undefined;
    const start = prefix.length;
    const end = data.length - this.suffix.length;
    // slice + === compares with memcmp; startsWith/endsWith walk the characters (5x slower here).
    if (end - start < 2 || data.slice(0, start) !== prefix || data.slice(end) !== this.suffix) return undefined;
    // Exactly one literal in between: the first one to open there closes right before the suffix.
    if (literalEnd(data, start, end) !== end) return undefined;
    return stringLiteral(data, start, end);
  }

  /**
   * A chunk that is the learned template with another text and another finish_reason (null or a
   * string): true, with the two values in `finalText` and `finalReason`; false otherwise.
   */
  matchFinal(data: string): boolean {
    const prefix = this.prefix;
    const middle = this.middle;
    if (prefix === undefined || middle === undefined) return false;
    const start = prefix.length;
    const stop = data.length - this.tail.length;
    if (stop - start < 2 + middle.length + 2 || data.slice(0, start) !== prefix || data.slice(stop) !== this.tail) return false;
    const textEnd = literalEnd(data, start, stop);
    if (textEnd < 0) return false;
    const valueAt = textEnd + middle.length;
    if (data.slice(textEnd, valueAt) !== middle) return false;
    let reason: string | null = null;
    if (data.slice(valueAt, stop) !== 'null') {
      if (literalEnd(data, valueAt, stop) !== stop) return false;
      const value = stringLiteral(data, valueAt, stop);
      if (value === undefined) return false;
      reason = value;
    }
    const text = stringLiteral(data, start, textEnd);
    if (text === undefined) return false;
    this.finalText = text;
    this.finalReason = reason;
    return true;
  }

  /**
   * Learns the template from `data`, whose parsed form is a plain content chunk with `text` in
   * `field` (the caller checked: one choice, no finish_reason, usage, tool calls, reasoning or
   * error). Forgets the old template when `data` cannot serve as one. `finishNull`: the parsed
   * chunk's choice has `finish_reason: null` (present), which lets the template read the reply's
   * last token chunk too (`matchFinal`).
   */
  learn(data: string, field: TemplateField, text: string, finishNull = false): void {
    this.prefix = undefined;
    this.middle = undefined;
    const key = field === 'text' ? '"text"' : '"content"';
    const at = data.indexOf(key);
    if (at < 0 || data.indexOf(key, at + key.length) >= 0) return; // absent or ambiguous
    if (at > 0 && data.charCodeAt(at - 1) === BACKSLASH) return;
    const start = valueStart(data, at + key.length);
    if (start < 0) return;
    const end = literalEnd(data, start, data.length);
    if (end < 0) return;
    const prefix = data.slice(0, start);
    const suffix = data.slice(end);
    // The literal found must be the value the parser gave the field.
    this.prefix = prefix;
    this.suffix = suffix;
    if (this.match(data) !== text) {
      this.prefix = undefined;
      return;
    }
    if (finishNull && !prefix.includes('\\') && !suffix.includes('\\')) this.learnFinish(data, end, text);
  }

  /**
   * The second place. Why it is the choice's finish_reason: the parsed choice has the key (null),
   * nothing outside the text literal has a backslash (so every key is written as itself, and no
   * string holds a quote), and `"finish_reason":` occurs once, after the text: that occurrence is
   * the key. Checked like the text: the template must read the chunk it came from.
   */
  private learnFinish(data: string, textEnd: number, text: string): void {
    const at = data.indexOf(FINISH_KEY);
    if (at < textEnd || data.indexOf(FINISH_KEY, at + FINISH_KEY.length) >= 0) return;
    const i = valueStart(data, at + FINISH_KEY.length);
    if (i < 0 || data.slice(i, i + 4) !== 'null') return;
    this.middle = data.slice(textEnd, i);
    this.tail = data.slice(i + 4);
    if (!this.matchFinal(data) || this.finalText !== text || this.finalReason !== null) this.middle = undefined;
  }
}

/**
 * Where the JSON string literal opening at `start` (a quote) ends (just past its closing quote),
 * if it does before `stop` with nothing a literal cannot hold (raw control characters); else -1.
 */
function literalEnd(data: string, start: number, stop: number): number {
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
 * The value of the string literal `data[start, end)` (quotes included, checked by the caller);
 * undefined if invalid. Escapes are left to JSON.parse, which checks them.
 */
function stringLiteral(data: string, start: number, end: number): string | undefined {
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
function valueStart(data: string, i: number): number {
  i = skipSpace(data, i);
  return data.charCodeAt(i) === 0x3a /* : */ ? skipSpace(data, i + 1) : -1;
}

function skipSpace(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i++;
  }
  return i;
}
