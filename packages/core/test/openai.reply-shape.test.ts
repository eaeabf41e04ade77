import { describe, expect, it } from 'vitest';
import { CHUNK_CHOICE, CHUNK_CONTENT, plainContent, quietChunk, ReplyAccumulator, type Chunk } from '../src/openai/accumulator.js';
import { ContentChunkTemplate } from '../src/openai/chunk-template.js';
import { ReplyShape } from '../src/openai/reply-shape.js';
import { createRng, uniform } from '../src/index.js';

/** What changes from one reply to the next: the envelope's id, created second and fingerprint. */
interface Envelope {
  id: string;
  created: string;
  fingerprint: string;
}

// Chunk shapes as the engines send them, with the per-reply values open (cf. openai.chunk-template.test.ts).
const ENGINES: Record<string, (e: Envelope, text: string, finish?: string) => string> = {
  vllmCompletion: (e, t, f = 'null') => `{"id":"cmpl-${e.id}","object":"text_completion","created":${e.created},"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"text":${JSON.stringify(t)},"logprobs":null,"finish_reason":${f},"stop_reason":null}],"usage":null}`,
  vllmChat: (e, t, f = 'null') => `{"id":"chatcmpl-${e.id}","object":"chat.completion.chunk","created":${e.created},"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":${JSON.stringify(t)}},"logprobs":null,"finish_reason":${f}}]}`,
  spacedChat: (e, t, f = 'null') => `{"id": "${e.id}", "object": "chat.completion.chunk", "created": ${e.created}, "choices": [{"index": 0, "delta": {"role": null, "content": ${JSON.stringify(t)}, "reasoning_content": null}, "finish_reason": ${f}}], "usage": null}`,
  llamacppCompletion: (e, t, f = 'null') => `{"choices":[{"text":${JSON.stringify(t)},"index":0,"logprobs":null,"finish_reason":${f}}],"created":${e.created},"model":"gpt-3.5-turbo","system_fingerprint":"${e.fingerprint}","object":"text_completion","id":"chatcmpl-${e.id}"}`,
  llamacppChat: (e, t, f = 'null') => `{"choices":[{"finish_reason":${f},"index":0,"delta":{"content":${JSON.stringify(t)}}}],"created":${e.created},"id":"chatcmpl-${e.id}","model":"gpt-3.5-turbo","system_fingerprint":"${e.fingerprint}","object":"chat.completion.chunk"}`,
};

const TEXTS = ['a', ' ', 'é', '中', '😀', '"', '\\', '\n', '\t', '\u0001', '/', '\u2028', 'z', '}', '{', ',', ':'];
const ID_CHARS = 'abcdef0123456789-_xyzé中 ';

function generator(seed: number) {
  const gen = createRng(seed);
  const rng = () => uniform(gen);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const text = (min = 1) => Array.from({ length: min + Math.floor(rng() * 8) }, () => pick(TEXTS)).join('');
  const envelope = (): Envelope => ({
    id: Array.from({ length: Math.floor(rng() * 40) }, () => pick([...ID_CHARS])).join(''),
    created: pick(['0', '7', '1732269000', String(1732269000 + Math.floor(rng() * 1e6)), '-3', '1.5', '1e3', '17322690001732269000']),
    fingerprint: `b${Math.floor(rng() * 9000)}-${Math.floor(rng() * 0xffffff).toString(16)}`,
  });
  return { rng, pick, text, envelope };
}

/** How JSON.parse + the accumulator read a chunk: undefined when JSON.parse refuses it. */
function slowRead(data: string): { kind: number; text: string; finish?: string; prompt?: number; completion?: number } | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const acc = new ReplyAccumulator();
  const kind = acc.addChunk(doc as Chunk);
  return { kind, text: acc.text, finish: acc.finishReason, prompt: acc.promptTokens, completion: acc.completionTokens };
}

/** A shape learned the way the client learns it: JSON.parse, the reply's template, then `teach`. */
function learnedShape(data: string): ReplyShape {
  const chunk = JSON.parse(data) as Chunk;
  const plain = plainContent(chunk)!;
  const template = new ContentChunkTemplate();
  template.learn(data, plain.field, plain.text, chunk.choices?.[0]?.finish_reason === null);
  const shape = new ReplyShape();
  expect(template.teach(shape), data).toBe(true);
  return shape;
}

/** The fast path's reading of `data` (shape, then the adopted template), or undefined when it falls back. */
function fastRead(shape: ReplyShape, data: string): { template: ContentChunkTemplate; text: string } | undefined {
  if (!shape.read(data)) return undefined;
  const template = new ContentChunkTemplate();
  const text = template.adopt(data, shape);
  return text === undefined ? undefined : { template, text };
}

describe('ReplyShape (a reply’s first chunk read without JSON.parse, by the shape of earlier replies)', () => {
  it.each(Object.keys(ENGINES))('reads what JSON.parse reads from the first chunks of other replies, %s', (engine) => {
    const make = ENGINES[engine]!;
    const { text, envelope } = generator(5);
    const shape = learnedShape(make(envelope(), ' the'));
    let fast = 0;
    for (let i = 0; i < 2000; i++) {
      const data = make(envelope(), i % 7 === 0 ? '' : text());
      const read = fastRead(shape, data);
      const slow = slowRead(data);
      expect(slow, data).toBeDefined();
      expect(read, data).toBeDefined();
      fast++;
      expect({ kind: read!.text.length > 0 ? CHUNK_CONTENT : CHUNK_CHOICE, text: read!.text }).toEqual({ kind: slow!.kind, text: slow!.text });
    }
    expect(fast).toBe(2000);
  });

  it.each(['vllmCompletion', 'vllmChat', 'spacedChat', 'llamacppCompletion'])('gives each reply a template that reads its later chunks as JSON.parse does, %s', (engine) => {
    const make = ENGINES[engine]!;
    const { text, envelope } = generator(9);
    const shape = learnedShape(make(envelope(), ' the'));
    for (let i = 0; i < 300; i++) {
      const reply = envelope();
      const read = fastRead(shape, make(reply, text()))!;
      const next = make(reply, text());
      expect(read.template.match(next), next).toBe(slowRead(next)!.text);
      const last = make(reply, i % 3 === 0 ? '' : text(), '"length"');
      expect(read.template.matchFinal(last), last).toBe(true);
      expect({ text: read.template.finalText, finish: read.template.finalReason }).toEqual({ text: slowRead(last)!.text, finish: slowRead(last)!.finish ?? null });
      // The usage-only chunk (vLLM, SGLang) shares the reply's envelope up to `"choices":[`.
      if (engine === 'spacedChat') continue; // its usage chunk is spaced too: parsed in full (chunk-template tests)
      const head = last.slice(0, last.indexOf('"choices":[') + '"choices":['.length);
      const usage = `${head}],"usage":{"prompt_tokens":${i},"completion_tokens":${i + 1}}}`;
      expect(read.template.matchUsage(usage), usage).toBe(true);
      expect({ prompt: read.template.usagePrompt, completion: read.template.usageCompletion }).toEqual({ prompt: slowRead(usage)!.prompt, completion: slowRead(usage)!.completion });
    }
  });

  it('never reads a chunk JSON.parse would read otherwise (generated corruptions of every engine’s chunks)', () => {
    const { rng, pick, text, envelope } = generator(31);
    const ODD_VALUES = ['"a\\"b"', '"a\\u0041"', '"\u0001"', '"x', '01', '1.', '-', '1e', '1e+', '+1', '.5', '1.5e3', '-0', 'true', 'null', '{}', '[]', '"7"', '7', '""'];
    let fast = 0;
    let checked = 0;
    for (const [engine, make] of Object.entries(ENGINES)) {
      const shape = learnedShape(make(envelope(), ' the'));
      for (let i = 0; i < 4000; i++) {
        let data = make(envelope(), text(0));
        const r = rng();
        if (r < 0.4) {
          // One character inserted, removed or replaced anywhere.
          const at = Math.floor(rng() * data.length);
          data = data.slice(0, at) + pick(['"', '\\', ',', ':', '}', ']', '{', '[', ' ', '0', '-', 'e', '.', 'a', '\u0001', '']) + data.slice(at + (rng() < 0.5 ? 1 : 0));
        } else if (r < 0.8) {
          // An odd value in one of the envelope's value places.
          const places = [...data.matchAll(/":\s?("[^"\\]*"|-?[0-9][0-9.eE+-]*)(?=[,}])/g)];
          const place = pick(places);
          const at = place.index! + place[0].length - place[1]!.length;
          data = data.slice(0, at) + pick(ODD_VALUES) + data.slice(at + place[1]!.length);
        } else if (r < 0.9) data = make(envelope(), text(), pick(['"length"', '"stop"', '7']));
        checked++;
        const read = fastRead(shape, data);
        if (read === undefined) continue;
        fast++;
        const slow = slowRead(data);
        expect(slow, `${engine}: ${data}`).toBeDefined();
        expect({ kind: read.text.length > 0 ? CHUNK_CONTENT : CHUNK_CHOICE, text: read.text, finish: undefined, prompt: undefined, completion: undefined }, `${engine}: ${data}`).toEqual(slow);
      }
    }
    expect(checked).toBe(20_000);
    expect(fast).toBeGreaterThan(4000); // the fast path took the many that are still the same shape
  });

  it('leaves values the client reads fixed, and learns nothing from an envelope with a backslash', () => {
    const { envelope } = generator(3);
    const e = envelope();
    const shape = learnedShape(ENGINES.vllmCompletion!(e, 'a'));
    // usage and choices are read: another value there is another document, parsed in full.
    expect(shape.read(ENGINES.vllmCompletion!(e, 'a').replace('"usage":null', '"usage":{"prompt_tokens":1}'))).toBe(false);
    expect(shape.read(ENGINES.vllmCompletion!(e, 'a').replace('"index":0', '"index":1'))).toBe(false);
    expect(shape.read(ENGINES.vllmCompletion!(e, 'a').replace('"usage":null', '"usage":null,"error":"x"'))).toBe(false);
    expect(shape.read(ENGINES.vllmCompletion!(e, 'a').replace('"id":', '"error":"x","id":'))).toBe(false);
    // A string value where a number was (and back) is another shape.
    expect(shape.read(ENGINES.vllmCompletion!({ ...e, created: '"7"' }, 'a'))).toBe(false);
    const escaped = ENGINES.vllmCompletion!(e, 'a').replace('meta-llama/Llama', 'meta-llama\\/Llama');
    const chunk = JSON.parse(escaped) as Chunk;
    const template = new ContentChunkTemplate();
    template.learn(escaped, 'text', 'a', chunk.choices?.[0]?.finish_reason === null);
    expect(template.match(escaped)).toBe('a'); // the reply's own template still works
    expect(template.teach(new ReplyShape())).toBe(false);
    expect(new ContentChunkTemplate().teach(new ReplyShape())).toBe(false); // nothing learned yet
  });

  it('forgets the old shape when taught one it cannot hold', () => {
    const { envelope } = generator(4);
    const shape = learnedShape(ENGINES.vllmChat!(envelope(), 'a'));
    expect(shape.read(ENGINES.vllmChat!(envelope(), 'b'))).toBe(true);
    expect(shape.learn('{"x":"a\\/b","choices":[{"delta":{"content":', '}}]}', undefined, undefined)).toBe(false);
    expect(shape.read(ENGINES.vllmChat!(envelope(), 'b'))).toBe(false);
  });

  // The role-only chunk that opens a chat reply: vLLM, SGLang, llama-server.
  const ROLE_CHUNKS: Record<string, (e: Envelope, delta?: string, finish?: string) => string> = {
    vllm: (e, d = '{"role":"assistant","content":""}', f = 'null') => `{"id":"chatcmpl-${e.id}","object":"chat.completion.chunk","created":${e.created},"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":${d},"logprobs":null,"finish_reason":${f}}]}`,
    sglang: (e, d = '{"role":"assistant","content":"","reasoning_content":null,"tool_calls":null}', f = 'null') => `{"id":"${e.id}","object":"chat.completion.chunk","created":${e.created},"model":"m","choices":[{"index":0,"delta":${d},"logprobs":null,"finish_reason":${f},"matched_stop":null}],"usage":null}`,
    llamacpp: (e, d = '{"role":"assistant","content":null}', f = 'null') => `{"choices":[{"finish_reason":${f},"index":0,"delta":${d}}],"created":${e.created},"id":"chatcmpl-${e.id}","model":"gpt-3.5-turbo","system_fingerprint":"${e.fingerprint}","object":"chat.completion.chunk"}`,
  };

  it.each(Object.keys(ROLE_CHUNKS))('reads the role-only chunk of other replies as a chunk with nothing to keep, %s', (engine) => {
    const make = ROLE_CHUNKS[engine]!;
    const { envelope } = generator(13);
    const first = make(envelope());
    expect(quietChunk(JSON.parse(first) as Chunk)).toBe(true);
    const shape = new ReplyShape();
    expect(shape.learnQuiet(first)).toBe(true);
    for (let i = 0; i < 500; i++) expect(shape.readQuiet(make(envelope())), engine).toBe(true);
    // Anything with something to keep is another document: parsed in full.
    const e = envelope();
    const loud = [
      make(e, '{"role":"assistant","content":"Hi"}'),
      make(e, '{"role":"assistant","content":"","reasoning_content":"hm"}'),
      make(e, '{"role":"assistant","content":"","tool_calls":[{"index":0,"function":{"name":"f"}}]}'),
      make(e, undefined, '"stop"'),
      make(e).replace(/\}$/, ',"usage":{"prompt_tokens":1,"completion_tokens":2}}'),
    ];
    for (const data of loud) {
      expect(shape.readQuiet(data), data).toBe(false);
      expect(quietChunk(JSON.parse(data) as Chunk), data).toBe(false);
    }
  });

  it('never reads a quiet chunk JSON.parse would read otherwise (generated corruptions)', () => {
    const { rng, pick, envelope } = generator(37);
    let quiet = 0;
    for (const make of Object.values(ROLE_CHUNKS)) {
      const shape = new ReplyShape();
      shape.learnQuiet(make(envelope()));
      for (let i = 0; i < 3000; i++) {
        let data = make(envelope());
        const at = Math.floor(rng() * data.length);
        if (rng() < 0.7) data = data.slice(0, at) + pick(['"', '\\', ',', ':', '}', ']', '{', ' ', '0', '-', 'e', '.', 'a', 'null', '1', '']) + data.slice(at + (rng() < 0.5 ? 1 : 0));
        if (!shape.readQuiet(data)) continue;
        quiet++;
        let doc: unknown;
        expect(() => (doc = JSON.parse(data)), data).not.toThrow();
        expect(quietChunk(doc as Chunk), data).toBe(true);
      }
    }
    expect(quiet).toBeGreaterThan(2000);
  });

  it('learns no quiet chunk with a backslash, and forgets the old one then', () => {
    const { envelope } = generator(2);
    const shape = new ReplyShape();
    expect(shape.learnQuiet(ROLE_CHUNKS.vllm!(envelope()))).toBe(true);
    expect(shape.learnQuiet(ROLE_CHUNKS.vllm!(envelope()).replace('Qwen/', 'Qwen\\/'))).toBe(false);
    expect(shape.readQuiet(ROLE_CHUNKS.vllm!(envelope()))).toBe(false);
  });
});
