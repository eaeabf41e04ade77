import type { ToolCall, Usage } from '../types.js';
import type { TemplateField } from './chunk-template.js';

/**
 * What one chunk was, as a small integer so the per-chunk hot path allocates nothing:
 * NONE (no `choices`: usage only, or an empty document), CONTENT (text, reasoning or a tool-call
 * delta: time-stamp it), CHOICE (a non-empty `choices` without content: role-only, empty text,
 * finish only; vLLM's client counts it as a token chunk, so its time ends the request's latency),
 * ERROR (an `{"error": …}` object; the text is in `serverError`), or MALFORMED (valid JSON of the
 * wrong shape, such as `"choices":"x"` or a number where the text goes; what is wrong is in
 * `malformed`): a reply the client cannot read, which must fail rather than count as an empty one.
 */
export const CHUNK_NONE = 0;
export const CHUNK_CONTENT = 1;
export const CHUNK_ERROR = 2;
export const CHUNK_CHOICE = 3;
export const CHUNK_MALFORMED = 4;
export type ChunkKind = typeof CHUNK_NONE | typeof CHUNK_CONTENT | typeof CHUNK_ERROR | typeof CHUNK_CHOICE | typeof CHUNK_MALFORMED;

interface ToolCallDelta {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

interface Choice {
  text?: string | null;
  delta?: { content?: string | null; reasoning_content?: string | null; reasoning?: string | null; tool_calls?: ToolCallDelta[] | null };
  message?: { content?: string | null; tool_calls?: ToolCallDelta[] | null };
  finish_reason?: string | null;
}

export interface Chunk {
  choices?: Choice[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: unknown;
}

/**
 * Accumulates one reply from parsed OpenAI chunks (streamed deltas or one whole response). Kept
 * allocation-light: text is concatenated (V8 ropes), tool calls live in a small index-keyed array.
 */
export class ReplyAccumulator {
  text = '';
  /** Set when a chunk was an in-band error object. */
  serverError: string | undefined;
  /** Set when a chunk had the wrong shape (CHUNK_MALFORMED): what was wrong with it. */
  malformed: string | undefined;
  finishReason: string | undefined;
  promptTokens: number | undefined;
  completionTokens: number | undefined;
  private tools: { id?: string; name: string; arguments: string }[] | undefined;

  /** Applies one streamed chunk (`choices[].text` or `choices[].delta`). */
  addChunk(chunk: Chunk): ChunkKind {
    if (chunk.error !== undefined && chunk.error !== null) {
      this.serverError = describeServerError(chunk.error);
      return CHUNK_ERROR;
    }
    const problem = shapeProblem(chunk);
    if (problem !== undefined) {
      this.malformed = problem;
      return CHUNK_MALFORMED;
    }
    let content = false;
    let hasChoices = false;
    const choices = chunk.choices;
    if (choices !== undefined && choices !== null && choices.length > 0) {
      hasChoices = true;
      const choice = choices[0]!;
      if (typeof choice.text === 'string' && choice.text.length > 0) {
        this.text += choice.text;
        content = true;
      }
      const delta = choice.delta;
      if (delta) {
        if (typeof delta.content === 'string' && delta.content.length > 0) {
          this.text += delta.content;
          content = true;
        }
        // Reasoning deltas are output tokens too (they count for TTFT/ITL as in vLLM bench serve),
        // but they are not part of the answer text.
        if ((typeof delta.reasoning_content === 'string' && delta.reasoning_content.length > 0) || (typeof delta.reasoning === 'string' && delta.reasoning.length > 0)) content = true;
        if (delta.tool_calls && delta.tool_calls.length > 0) {
          this.addToolDeltas(delta.tool_calls);
          content = true;
        }
      }
      const message = choice.message;
      if (message) {
        if (typeof message.content === 'string') this.text += message.content;
        if (message.tool_calls && message.tool_calls.length > 0) this.addToolDeltas(message.tool_calls);
      }
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
    const usage = chunk.usage;
    if (usage) {
      if (typeof usage.prompt_tokens === 'number') this.promptTokens = usage.prompt_tokens;
      if (typeof usage.completion_tokens === 'number') this.completionTokens = usage.completion_tokens;
    }
    return content ? CHUNK_CONTENT : hasChoices ? CHUNK_CHOICE : CHUNK_NONE;
  }

  private addToolDeltas(deltas: ToolCallDelta[]): void {
    const tools = (this.tools ??= []);
    for (let i = 0; i < deltas.length; i++) {
      const d = deltas[i]!;
      const index = typeof d.index === 'number' ? d.index : i;
      let call = tools[index];
      if (!call) {
        call = { name: '', arguments: '' };
        tools[index] = call;
      }
      if (d.id) call.id = d.id;
      const fn = d.function;
      if (fn) {
        if (fn.name) call.name += fn.name;
        if (typeof fn.arguments === 'string') call.arguments += fn.arguments;
      }
    }
  }

  toolCalls(): ToolCall[] | undefined {
    if (!this.tools) return undefined;
    const out: ToolCall[] = [];
    for (const call of this.tools) {
      if (!call) continue; // a sparse index the server skipped
      const tc: ToolCall = { name: call.name, arguments: call.arguments };
      if (call.id !== undefined) tc.id = call.id;
      out.push(tc);
    }
    return out.length > 0 ? out : undefined;
  }

  /** Server usage when reported, else the number of content chunks (one token each on most servers). */
  usage(contentChunks: number): Usage {
    if (this.completionTokens !== undefined) {
      const u: Usage = { completionTokens: this.completionTokens, source: 'server' };
      if (this.promptTokens !== undefined) u.promptTokens = this.promptTokens;
      return u;
    }
    const u: Usage = { completionTokens: contentChunks, source: 'chunks' };
    if (this.promptTokens !== undefined) u.promptTokens = this.promptTokens;
    return u;
  }
}

/**
 * The field and text of a plain content chunk: one choice carrying only non-empty `text` or
 * `delta.content` (no finish_reason, usage, tool calls, reasoning, message or error). Such a chunk
 * can serve as the template for the ones after it (see chunk-template.ts).
 */
export function plainContent(chunk: Chunk): { field: TemplateField; text: string } | undefined {
  if ((chunk.error !== undefined && chunk.error !== null) || (chunk.usage !== undefined && chunk.usage !== null)) return undefined;
  const choices = chunk.choices;
  if (!choices || choices.length !== 1) return undefined;
  const choice = choices[0]!;
  if (choice.finish_reason || choice.message) return undefined;
  const delta = choice.delta;
  if (delta === undefined || delta === null) {
    return typeof choice.text === 'string' && choice.text.length > 0 ? { field: 'text', text: choice.text } : undefined;
  }
  if (choice.text !== undefined && choice.text !== null) return undefined;
  if (typeof delta.content !== 'string' || delta.content.length === 0) return undefined;
  if (delta.tool_calls?.length || delta.reasoning_content || delta.reasoning) return undefined;
  return { field: 'content', text: delta.content };
}

/**
 * Whether `chunk` has choices and nothing the accumulator keeps: no text, reasoning or tool call,
 * no finish_reason, usage or error (a role-only chunk). Applying such a chunk to any accumulator
 * changes nothing; the client only time-stamps it (CHUNK_CHOICE). Checked on a fresh accumulator,
 * which is enough: every field addChunk sets, it sets from the chunk alone.
 */
export function quietChunk(chunk: Chunk): boolean {
  const acc = new ReplyAccumulator();
  return acc.addChunk(chunk) === CHUNK_CHOICE && acc.text === '' && acc.finishReason === undefined && acc.promptTokens === undefined && acc.completionTokens === undefined && acc.toolCalls() === undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optional = (v: unknown, type: 'string' | 'number'): boolean => v === undefined || v === null || typeof v === type;
const optionalArray = (v: unknown): boolean => v === undefined || v === null || Array.isArray(v);

/**
 * What is wrong with a chunk's shape where the accumulator reads it, or undefined. Every field it
 * reads must be absent, null or of its type: `choices` an array of objects, a choice's `text` and
 * `finish_reason` strings, `delta` and `message` objects with string `content` and array
 * `tool_calls`, `usage` an object with numeric counts. Anything else would read as an empty reply.
 */
function shapeProblem(chunk: Chunk): string | undefined {
  const choices: unknown = chunk.choices;
  if (choices !== undefined && choices !== null) {
    if (!Array.isArray(choices)) return '"choices" is not an array';
    if (choices.length > 0) {
      const choice: unknown = choices[0];
      if (!isObject(choice)) return '"choices[0]" is not an object';
      if (!optional(choice.text, 'string')) return '"choices[0].text" is not a string';
      if (!optional(choice.finish_reason, 'string')) return '"choices[0].finish_reason" is not a string';
      for (const key of ['delta', 'message'] as const) {
        const part = choice[key];
        if (part === undefined || part === null) continue;
        if (!isObject(part)) return `"choices[0].${key}" is not an object`;
        if (!optional(part.content, 'string')) return `"choices[0].${key}.content" is not a string`;
        if (!optionalArray(part.tool_calls)) return `"choices[0].${key}.tool_calls" is not an array`;
      }
    }
  }
  const usage: unknown = chunk.usage;
  if (usage !== undefined && usage !== null) {
    if (!isObject(usage)) return '"usage" is not an object';
    if (!optional(usage.prompt_tokens, 'number') || !optional(usage.completion_tokens, 'number')) return '"usage" token counts are not numbers';
  }
  return undefined;
}

function describeServerError(error: unknown): string {
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  return JSON.stringify(error);
}
