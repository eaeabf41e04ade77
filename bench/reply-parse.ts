/**
 * `pnpm bench:reply` — CPU per streamed reply inside the client, with the network taken away: each
 * engine's recorded chunk shapes are fed to the request handler (`GenerateHandler`) as one network
 * read per reply, the way a fast server's reply arrives, and the handler parses SSE, reads the
 * chunks and settles the result. Every reply has its own id (`cmpl-<n>`), as vLLM, SGLang and
 * llama-server send, so nothing learned from one reply's exact text carries over to the next.
 *
 *   pnpm bench:reply [--replies 200000] [--rounds 5] [--chunks 8]
 *
 * Prints µs per reply (median of alternating rounds) with the endpoint's shape (reply-shape.ts)
 * and with a template learned per reply only, and their ratio, measured in the same run.
 */
import { parseArgs } from 'node:util';
import { GenerateHandler } from '../packages/core/src/openai/generate-handler.js';
import { ReplyShape } from '../packages/core/src/openai/reply-shape.js';
import type { GenerateResult } from '../packages/core/src/index.js';

const { values: args } = parseArgs({
  options: {
    replies: { type: 'string', default: '200000' },
    rounds: { type: 'string', default: '5' },
    chunks: { type: 'string', default: '8' },
  },
});
const REPLIES = Number(args.replies);
const ROUNDS = Number(args.rounds);
const CHUNKS = Number(args.chunks);

type Shape = (id: number, text: string, finish: string | null) => string;
/** Chunks as each engine serializes them (field order and spacing as in their serializers). */
const SHAPES: Record<string, { chunk: Shape; usage: (id: number) => string | undefined; role?: (id: number) => string }> = {
  'vLLM completions': {
    chunk: (id, t, f) => `{"id":"cmpl-${id.toString(16).padStart(32, '0')}","object":"text_completion","created":${1732269000 + (id >> 12)},"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"text":${JSON.stringify(t)},"logprobs":null,"finish_reason":${f === null ? 'null' : JSON.stringify(f)},"stop_reason":null}]}`,
    usage: (id) => `{"id":"cmpl-${id.toString(16).padStart(32, '0')}","object":"text_completion","created":${1732269000 + (id >> 12)},"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[],"usage":{"prompt_tokens":64,"total_tokens":${64 + CHUNKS},"completion_tokens":${CHUNKS},"prompt_tokens_details":null}}`,
  },
  'vLLM chat': {
    role: (id) => `{"id":"chatcmpl-${id.toString(16).padStart(32, '0')}","object":"chat.completion.chunk","created":${1732269000 + (id >> 12)},"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}`,
    chunk: (id, t, f) => `{"id":"chatcmpl-${id.toString(16).padStart(32, '0')}","object":"chat.completion.chunk","created":${1732269000 + (id >> 12)},"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":${JSON.stringify(t)}},"logprobs":null,"finish_reason":${f === null ? 'null' : JSON.stringify(f)}}]}`,
    usage: (id) => `{"id":"chatcmpl-${id.toString(16).padStart(32, '0')}","object":"chat.completion.chunk","created":${1732269000 + (id >> 12)},"model":"Qwen/Qwen2.5-7B-Instruct","choices":[],"usage":{"prompt_tokens":64,"total_tokens":${64 + CHUNKS},"completion_tokens":${CHUNKS}}}`,
  },
  'SGLang chat': {
    role: (id) => `{"id":"${id.toString(16).padStart(32, '0')}","object":"chat.completion.chunk","created":${1732269000 + (id >> 12)},"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning_content":null,"tool_calls":null},"logprobs":null,"finish_reason":null,"matched_stop":null}],"usage":null}`,
    chunk: (id, t, f) => `{"id":"${id.toString(16).padStart(32, '0')}","object":"chat.completion.chunk","created":${1732269000 + (id >> 12)},"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"role":null,"content":${JSON.stringify(t)},"reasoning_content":null,"tool_calls":null},"logprobs":null,"finish_reason":${f === null ? 'null' : JSON.stringify(f)},"matched_stop":null}],"usage":null}`,
    usage: (id) => `{"id":"${id.toString(16).padStart(32, '0')}","object":"chat.completion.chunk","created":${1732269000 + (id >> 12)},"model":"Qwen/Qwen2.5-7B-Instruct","choices":[],"usage":{"prompt_tokens":64,"total_tokens":${64 + CHUNKS},"completion_tokens":${CHUNKS}}}`,
  },
  'llama-server completions': {
    chunk: (id, t, f) => `{"choices":[{"text":${JSON.stringify(t)},"index":0,"logprobs":null,"finish_reason":${f === null ? 'null' : JSON.stringify(f)}}],"created":${1732269000 + (id >> 12)},"model":"gpt-3.5-turbo","system_fingerprint":"b6100-de3ff81","object":"text_completion","id":"chatcmpl-${id.toString(36)}"}`,
    usage: () => undefined,
  },
};

const WORDS = [' the', ' harbour', ' town', ' woke', ' slowly', '.', ' Fishing', ' boats', ' came', ' back'];

/** One reply's body: a role-only chunk (chat), CHUNKS content chunks (the last with finish_reason), the usage chunk, [DONE]. */
function replyBody(shape: (typeof SHAPES)[string], id: number): Buffer {
  let s = shape.role ? `data: ${shape.role(id)}\n\n` : '';
  for (let i = 0; i < CHUNKS; i++) s += `data: ${shape.chunk(id, WORDS[(id + i) % WORDS.length]!, i === CHUNKS - 1 ? 'length' : null)}\n\n`;
  const usage = shape.usage(id);
  if (usage) s += `data: ${usage}\n\n`;
  return Buffer.from(`${s}data: [DONE]\n\n`);
}

const controller = {
  abort(reason: Error): void {
    throw reason;
  },
};
const headers = { 'content-type': 'text/event-stream' };

/** A shape that never learns: every reply learns its own template from a parsed first chunk, and parses its role chunk (what the client did before shapes). */
class PerReplyOnly extends ReplyShape {
  override learn(): boolean {
    return false;
  }
  override learnQuiet(): boolean {
    return false;
  }
}

/** µs of CPU per reply over REPLIES replies (bodies prebuilt, 1,024 distinct ids); each reply's text is checked. */
function round(bodies: Buffer[], texts: string[], shape: ReplyShape): number {
  let failed = 0;
  let i = 0;
  const resolve = (r: GenerateResult) => {
    if (r.error || r.text !== texts[i & 1023]) failed++;
  };
  const reject = () => {
    failed++;
  };
  const cpu = process.cpuUsage();
  for (i = 0; i < REPLIES; i++) {
    const handler = new GenerateHandler(`r${i}`, 'http://bench/v1/completions', true, resolve, reject, undefined, shape);
    handler.onRequestStart(controller);
    handler.onResponseStart(controller, 200, headers);
    handler.onResponseData(controller, bodies[i & 1023]!);
    handler.onResponseEnd();
  }
  const used = process.cpuUsage(cpu);
  if (failed > 0) throw new Error(`${failed} replies failed`);
  return (used.user + used.system) / REPLIES;
}

const variants = { 'one shape per endpoint': () => new ReplyShape(), 'a template per reply only': () => new PerReplyOnly() };
const all = Object.entries(SHAPES).flatMap(([engine, shape]) => {
  const bodies = Array.from({ length: 1024 }, (_, id) => replyBody(shape, id));
  const texts = Array.from({ length: 1024 }, (_, id) => Array.from({ length: CHUNKS }, (_, i) => WORDS[(id + i) % WORDS.length]).join(''));
  return Object.entries(variants).map(([variant, make]) => ({ engine, variant, run: () => round(bodies, texts, make()), us: [] as number[] }));
});
for (let r = 0; r < ROUNDS; r++) for (const entry of all) entry.us.push(entry.run());
console.log(`CPU per reply in the request handler (SSE, chunk reading, result), ${CHUNKS} content chunks, ${REPLIES} replies per round, median of ${ROUNDS} alternating rounds\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [engine] of Object.entries(SHAPES)) {
  const [shaped, perReply] = all.filter((e) => e.engine === engine).map((e) => median(e.us));
  for (const entry of all.filter((e) => e.engine === engine)) {
    const us = median(entry.us);
    console.log(`${engine.padEnd(26)} ${entry.variant.padEnd(26)} ${us.toFixed(2).padStart(6)} µs/reply  (rounds: ${entry.us.map((u) => u.toFixed(2)).join(', ')})`);
  }
  console.log(`${''.padEnd(26)} ${'ratio'.padEnd(26)} ${(shaped! / perReply!).toFixed(2).padStart(6)} ×\n`);
}
