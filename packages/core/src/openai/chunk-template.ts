import { plainContent, type Chunk } from './accumulator.js';
import { literalEnd, stringLiteral, valueStart } from './json-scan.js';
import type { ReplyShape } from './reply-shape.js';

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
 *
 * The usage-only chunk that follows (vLLM, SGLang: `{<the same envelope>,"choices":[],"usage":
 * {"prompt_tokens":…}}`) is read by `matchUsage` against the envelope cut from the learned chunk.
 * That leaves the reply's first content chunk, which the endpoint's shape reads once an earlier
 * reply has taught it (reply-shape.ts, `adopt`).
 */

/** Which field a plain content chunk carries its text in. */
export type TemplateField = 'text' | 'content';

const BACKSLASH = 0x5c;

const FINISH_KEY = '"finish_reason"';
/**
 * A usage-only chunk after the learned head: `],"usage":{` then members whose keys are plain words
 * (nothing to unescape) and whose values are integers of at most 15 digits (exact as doubles, no
 * leading zero) or null, then `}}` and the end. Sticky: it runs from `lastIndex` (the head's end).
 */
const USAGE_TAIL = /\],"usage":\{(?:"[a-z0-9_]+":(?:0|[1-9][0-9]{0,14}|null)(?:,"[a-z0-9_]+":(?:0|[1-9][0-9]{0,14}|null))*)?\}\}$/y;
const PROMPT_KEY = '"prompt_tokens":';
const COMPLETION_KEY = '"completion_tokens":';
/**
 * Marker texts for the probe in `learn`, as JSON literals and as their values. Any text other than
 * the learned chunk's own content works (see learn); two, so one always differs from it.
 */
const PROBES = [
  { literal: '"\\u0000yardstick-probe"', text: '\u0000yardstick-probe' },
  { literal: '"\\u0000yardstick-probe-2"', text: '\u0000yardstick-probe-2' },
] as const;

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
   * The learned chunk cut right after its top-level `"choices":[`: the envelope (id, object,
   * created, model) every chunk of the reply shares, the usage chunk included. Unset when not learned.
   */
  private head: string | undefined;
  /** What the last successful `matchUsage` read: `usage.prompt_tokens` / `completion_tokens` when numbers, else undefined. */
  usagePrompt: number | undefined;
  usageCompletion: number | undefined;

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
    this.head = undefined;
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
    if (prefix.includes('\\') || suffix.includes('\\')) {
      // A key may be written with escapes: the real one as "cont\u0065nt" and a plain "content" with
      // the same text in another field would pass the check above. Put a marker in the literal's
      // place: it must come out as the chunk's content (one more JSON.parse, in this rare case only).
      // The marker must differ from the chunk's content: were the real content elsewhere, it would
      // still read as `text`, and a marker equal to `text` would pass.
      const probe = PROBES[0].text === text ? PROBES[1] : PROBES[0];
      if (!readsAsContent(`${prefix}${probe.literal}${suffix}`, field, probe.text)) this.prefix = undefined;
      return;
    }
    if (finishNull) this.learnFinish(data, end, text);
    this.head = choicesHead(prefix);
  }

  /**
   * Takes `data`, which `shape` has just read (`shape.read(data)` was true), as this reply's
   * template: the same cut points `learn` would find, located by the shape instead of searched
   * for, with no JSON.parse. Returns the chunk's text, or undefined when its literal holds an
   * invalid escape (the template is then left as it was; the caller parses the chunk in full).
   */
  adopt(data: string, shape: ReplyShape): string | undefined {
    const { textStart, textEnd, middle, headToText } = shape;
    const text = stringLiteral(data, textStart, textEnd);
    if (text === undefined) return undefined;
    this.prefix = data.slice(0, textStart);
    this.suffix = data.slice(textEnd);
    this.middle = middle;
    if (middle !== undefined) this.tail = this.suffix.slice(middle.length + 4);
    this.head = headToText < 0 ? undefined : this.prefix.slice(0, textStart - headToText);
    return text;
  }

  /** Hands the learned template's cut points to `shape` (which generalizes them across replies); false when nothing is learned. */
  teach(shape: ReplyShape): boolean {
    return this.prefix !== undefined && shape.learn(this.prefix, this.suffix, this.head, this.middle);
  }

  /**
   * The reply's usage-only chunk, read without JSON.parse: true when `data` is the learned head,
   * then `],"usage":{` with members whose keys are plain words and whose values are non-negative
   * integers or null, then `}}`; the two numbers the accumulator reads are left in `usagePrompt` /
   * `usageCompletion`. False for anything else (the caller parses it in full).
   *
   * Why this is exact: the head is a prefix of a chunk JSON.parse accepted, ending at the `[` that
   * opens the top-level `choices` value, with only complete members before it and no `"error"`
   * key among them (see choicesHead). `]` closes that array empty, one more member follows, and
   * `}` closes the object, so `data` is valid JSON whose parsed form has the head's members,
   * `choices: []` and this `usage` (the last occurrence of a key wins, in JSON.parse too). For
   * such a document the accumulator only reads the usage numbers: no error, no choice.
   */
  matchUsage(data: string): boolean {
    const head = this.head;
    if (head === undefined) return false;
    // The tail first (native regex code on the string's own characters), then the head.
    USAGE_TAIL.lastIndex = head.length;
    if (!USAGE_TAIL.test(data) || data.slice(0, head.length) !== head) return false;
    this.usagePrompt = usageNumber(data, head.length, PROMPT_KEY);
    this.usageCompletion = usageNumber(data, head.length, COMPLETION_KEY);
    return true;
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
 * The top-level members before `choices`, when each is a string, number or literal, then the
 * `"choices":[` that opens its value. In a backslash-free prefix of valid JSON every string is
 * `"[^"]*"` and a number token runs to the next space or comma, so a match is exactly those
 * members at depth 1: vLLM's and SGLang's id / object / created / model, llama.cpp's nothing.
 * Envelopes with a nested value before choices are not learned (JSON.parse reads their usage).
 */
const HEAD = /^\{\s*(?:"[^"]*"\s*:\s*(?:"[^"]*"|-?[0-9][0-9.eE+-]*|true|false|null)\s*,\s*)*"choices"\s*:\s*\[/;

/**
 * `prefix` (a backslash-free prefix of a parsed chunk) cut right after the `[` that opens the
 * top-level `choices` value, or undefined (see HEAD). A prefix with an `"error"` key before that
 * point is refused: a later member of the learned chunk may have overridden it, but not in a usage chunk.
 */
function choicesHead(prefix: string): string | undefined {
  const head = HEAD.exec(prefix)?.[0];
  return head === undefined || head.includes('"error"') ? undefined : head;
}

/** Whether `data` parses to a plain content chunk whose `field` holds exactly `probe`. */
function readsAsContent(data: string, field: TemplateField, probe: string): boolean {
  let doc: unknown;
  try {
    doc = JSON.parse(data);
  } catch {
    return false;
  }
  if (typeof doc !== 'object' || doc === null) return false;
  const plain = plainContent(doc as Chunk);
  return plain !== undefined && plain.field === field && plain.text === probe;
}

/**
 * The value of `key` (`"name":`) in a tail USAGE_TAIL accepted: its last occurrence, as in
 * JSON.parse; undefined when absent from the tail or null (the accumulator reads numbers only).
 * In that tail the key text can only be a key: values there are digits or null.
 */
function usageNumber(data: string, tailStart: number, key: string): number | undefined {
  const at = data.lastIndexOf(key);
  if (at < tailStart) return undefined;
  let value = 0;
  let i = at + key.length;
  let c = data.charCodeAt(i);
  if (c < 0x30 || c > 0x39) return undefined; // null
  for (; c >= 0x30 && c <= 0x39; c = data.charCodeAt(++i)) value = value * 10 + (c - 0x30);
  return value;
}
