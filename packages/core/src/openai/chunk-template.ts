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
 * another text. Anything else (usage, finish_reason, tool calls, a changed `created` second, another
 * shape) falls back to JSON.parse, which learns again.
 */

/** Which field a plain content chunk carries its text in. */
export type TemplateField = 'text' | 'content';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export class ContentChunkTemplate {
  private prefix: string | undefined;
  private suffix = '';

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
    if (data.charCodeAt(start) !== QUOTE || data.charCodeAt(end - 1) !== QUOTE) return undefined;
    let escaped = false;
    for (let i = start + 1; i < end - 1; i++) {
      const c = data.charCodeAt(i);
      if (c === BACKSLASH) {
        escaped = true;
        i++; // the escaped character, whatever it is; JSON.parse below checks the escape
      } else if (c === QUOTE || c < 0x20) return undefined; // not one literal, or a raw control character
    }
    const literal = data.slice(start, end);
    if (!escaped) return literal.slice(1, -1);
    try {
      const value: unknown = JSON.parse(literal);
      return typeof value === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Learns the template from `data`, whose parsed form is a plain content chunk with `text` in
   * `field` (the caller checked: one choice, no finish_reason, usage, tool calls, reasoning or
   * error). Forgets the old template when `data` cannot serve as one.
   */
  learn(data: string, field: TemplateField, text: string): void {
    this.prefix = undefined;
    const key = field === 'text' ? '"text"' : '"content"';
    const at = data.indexOf(key);
    if (at < 0 || data.indexOf(key, at + key.length) >= 0) return; // absent or ambiguous
    if (at > 0 && data.charCodeAt(at - 1) === BACKSLASH) return;
    let i = skipSpace(data, at + key.length);
    if (data.charCodeAt(i) !== 0x3a /* : */) return;
    i = skipSpace(data, i + 1);
    if (data.charCodeAt(i) !== QUOTE) return;
    const start = i;
    for (i = start + 1; i < data.length; i++) {
      const c = data.charCodeAt(i);
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) break;
    }
    if (i >= data.length) return;
    const end = i + 1;
    const prefix = data.slice(0, start);
    const suffix = data.slice(end);
    // The literal found must be the value the parser gave the field.
    this.prefix = prefix;
    this.suffix = suffix;
    if (this.match(data) !== text) this.prefix = undefined;
  }
}

function skipSpace(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i++;
  }
  return i;
}
