import { literalEnd, numberEnd, plainStringEnd, skipSpace } from './json-scan.js';

/**
 * The shape that the content chunks of every reply from one endpoint share, with the values that
 * change from reply to reply left open. A `ContentChunkTemplate` is learned per reply, from its
 * first content chunk, which costs a JSON.parse and a search for the text field (about a third of
 * the handler's CPU for an 8-chunk reply, `pnpm bench:reply`). Yet the next reply's first chunk differs from the learned one
 * only in the text and in top-level values the client does not read: vLLM's `"id":"cmpl-…"` and
 * `"created":…`, llama-server's `"id"`, `"created"`, `"system_fingerprint"` after the choices.
 * A shape is the learned chunk with each such value turned into a hole:
 *
 *   `{"id":` ⟨string⟩ `,"object":` ⟨string⟩ `,"created":` ⟨number⟩ … `"text":` ⟨text⟩ `,"logprobs":null,…}]}`
 *
 * `read` walks a chunk along it; when it fits, the reply's own template is cut from that chunk
 * (`ContentChunkTemplate.adopt`) with no JSON.parse.
 *
 * Why this is exact: the shape is learned from a template (a chunk JSON.parse accepted, cut around
 * its text literal) whose envelope has no backslash, so every string in it is `"[^"]*"` and its
 * members are found by a plain scan. Holes are only values of top-level members whose key is not
 * one the accumulator reads (`choices`, `usage`, `error`), and only scalar ones (a string or a
 * number). A chunk that has the fixed text between the holes, a backslash-free string (no control
 * characters) or a JSON number in each hole as in the learned chunk, and one valid string literal
 * in the text's place is valid JSON with the learned structure: the same keys in the same places,
 * other values only where nothing is read, and another text. Anything else fails `read` and is
 * parsed in full (and may teach the shape anew).
 */
export class ReplyShape {
  /** The learned chunk up to its text literal: fixed text around holes (`fixed.length === holes.length + 1`). */
  private before: Pattern | undefined;
  /** …and from the end of the text literal to the end of the chunk. */
  private after: Pattern = { fixed: [''], holes: [] };
  /** Where the last successful `read` found the text literal: `[textStart, textEnd)`, quotes included. */
  textStart = 0;
  textEnd = 0;
  /**
   * The template's finish_reason place (see ContentChunkTemplate.matchFinal): the text between the
   * text literal and the `null` after `"finish_reason":`, when the learned template had it.
   */
  middle: string | undefined;
  /** Characters from the end of the template's head (just past `"choices":[`) to the text literal; -1 when the template had no head. */
  headToText = -1;
  /**
   * A chunk with choices that changes nothing the client keeps, learned whole with the same holes:
   * the role-only chunk vLLM, SGLang and llama-server send first in every chat reply
   * (`"delta":{"role":"assistant","content":""}`), which would otherwise take a JSON.parse per reply.
   */
  private quiet: Pattern | undefined;

  /**
   * Learns the shape from a learned template's cut points: `prefix` + text literal + `suffix` is the
   * chunk; `head` and `middle` as the template found them. False (and nothing learned) when the
   * envelope has a backslash or is not a JSON object this scan reads.
   */
  learn(prefix: string, suffix: string, head: string | undefined, middle: string | undefined): boolean {
    this.before = undefined;
    if (prefix.includes('\\') || suffix.includes('\\')) return false;
    // The text's place as an empty literal: a valid document with the same structure, scanned once.
    const holes = openValues(`${prefix}""${suffix}`);
    if (holes === undefined) return false;
    const textAt = prefix.length;
    const beforeHoles = holes.filter((h) => h.end <= textAt);
    const after = pattern(suffix, textAt + 2, holes.filter((h) => h.start >= textAt + 2));
    // The finish_reason place and the head must lie in fixed text (inside `choices`, where no hole is).
    if (middle !== undefined && !after.fixed[0]!.startsWith(`${middle}null`)) middle = undefined;
    const lastHoleEnd = beforeHoles.at(-1)?.end ?? 0;
    this.headToText = head !== undefined && lastHoleEnd <= head.length ? prefix.length - head.length : -1;
    const before = pattern(prefix, 0, beforeHoles);
    this.middle = middle;
    this.after = after;
    this.before = before;
    return true;
  }

  /**
   * Learns the quiet chunk's shape from `data`, a chunk JSON.parse accepted that the accumulator
   * reads as choices without anything to keep (see `quietChunk` in accumulator.ts). False (and the
   * old one forgotten) when it has a backslash or is not an object this scan reads.
   */
  learnQuiet(data: string): boolean {
    this.quiet = undefined;
    if (data.includes('\\')) return false;
    const holes = openValues(data);
    if (holes === undefined) return false;
    this.quiet = pattern(data, 0, holes);
    return true;
  }

  /** Whether `data` is the learned quiet chunk but for its open values: a chunk with choices and nothing to keep. */
  readQuiet(data: string): boolean {
    const quiet = this.quiet;
    return quiet !== undefined && walk(quiet, data, 0) === data.length;
  }

  /** Whether `data` is a chunk of this shape; if so, its text literal's place is in `textStart` / `textEnd`. */
  read(data: string): boolean {
    const before = this.before;
    if (before === undefined) return false;
    const textStart = walk(before, data, 0);
    if (textStart < 0) return false;
    const textEnd = literalEnd(data, textStart, data.length);
    if (textEnd < 0 || walk(this.after, data, textEnd) !== data.length) return false;
    this.textStart = textStart;
    this.textEnd = textEnd;
    return true;
  }
}

const STRING = 0;
const NUMBER = 1;
type HoleKind = typeof STRING | typeof NUMBER;

interface Pattern {
  fixed: string[];
  holes: HoleKind[];
}

interface OpenValue {
  start: number;
  end: number;
  kind: HoleKind;
}

/** Top-level members the accumulator reads (accumulator.ts addChunk): their values are never holes. */
const READ_KEYS = new Set(['choices', 'usage', 'error']);

/**
 * The values of top-level members of the backslash-free JSON object `doc` that may vary from reply
 * to reply: scalar (a string or a number) and under a key the client does not read. Undefined when
 * `doc` is not a single object as this scan expects.
 */
function openValues(doc: string): OpenValue[] | undefined {
  const out: OpenValue[] = [];
  let i = skipSpace(doc, 0);
  if (doc.charCodeAt(i) !== 0x7b /* { */) return undefined;
  i = skipSpace(doc, i + 1);
  if (doc.charCodeAt(i) === 0x7d /* } */) return skipSpace(doc, i + 1) === doc.length ? out : undefined;
  for (;;) {
    if (doc.charCodeAt(i) !== 0x22) return undefined;
    const keyEnd = doc.indexOf('"', i + 1);
    if (keyEnd < 0) return undefined;
    const key = doc.slice(i + 1, keyEnd);
    i = skipSpace(doc, keyEnd + 1);
    if (doc.charCodeAt(i) !== 0x3a /* : */) return undefined;
    const start = skipSpace(doc, i + 1);
    const c = doc.charCodeAt(start);
    let end: number;
    let kind: HoleKind | undefined;
    if (c === 0x22) {
      end = doc.indexOf('"', start + 1) + 1;
      if (end === 0) return undefined;
      kind = STRING;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      end = numberEnd(doc, start);
      kind = NUMBER;
    } else end = compositeOrLiteralEnd(doc, start);
    if (end < 0) return undefined;
    if (kind !== undefined && !READ_KEYS.has(key)) out.push({ start, end, kind });
    i = skipSpace(doc, end);
    const next = doc.charCodeAt(i);
    if (next === 0x2c /* , */) i = skipSpace(doc, i + 1);
    else if (next === 0x7d) return skipSpace(doc, i + 1) === doc.length ? out : undefined;
    else return undefined;
  }
}

/** The end of the object, array or literal (true / false / null) at `start` in backslash-free JSON, or -1. */
function compositeOrLiteralEnd(doc: string, start: number): number {
  const c = doc.charCodeAt(start);
  if (c !== 0x7b && c !== 0x5b /* [ */) {
    for (const word of ['true', 'false', 'null']) if (doc.startsWith(word, start)) return start + word.length;
    return -1;
  }
  let depth = 0;
  for (let i = start; i < doc.length; i++) {
    const d = doc.charCodeAt(i);
    if (d === 0x22) {
      i = doc.indexOf('"', i + 1);
      if (i < 0) return -1;
    } else if (d === 0x7b || d === 0x5b) depth++;
    else if ((d === 0x7d || d === 0x5d) && --depth === 0) return i + 1;
  }
  return -1;
}

/** `part` (which starts at `offset` in the scanned document) cut at the holes inside it. */
function pattern(part: string, offset: number, holes: OpenValue[]): Pattern {
  const fixed: string[] = [];
  let at = 0;
  for (const hole of holes) {
    fixed.push(part.slice(at, hole.start - offset));
    at = hole.end - offset;
  }
  fixed.push(part.slice(at));
  // Flat copies: a slice of the learned chunk keeps the whole network read alive for the run.
  return { fixed: fixed.map(flat), holes: holes.map((h) => h.kind) };
}

/** A copy of `s` that shares no memory with the string it was sliced from (UTF-16 both ways: exact, lone surrogates too). */
function flat(s: string): string {
  return Buffer.from(s, 'utf16le').toString('utf16le');
}

/** Where `pattern` ends in `data` when it fits from `pos`, else -1. */
function walk(pattern: Pattern, data: string, pos: number): number {
  const { fixed, holes } = pattern;
  for (let k = 0; ; k++) {
    const text = fixed[k]!;
    const end = pos + text.length;
    // slice + === compares with memcmp (see chunk-template.ts).
    if (data.slice(pos, end) !== text) return -1;
    if (k === holes.length) return end;
    pos = holes[k] === STRING ? plainStringEnd(data, end) : numberEnd(data, end);
    if (pos < 0) return -1;
  }
}
