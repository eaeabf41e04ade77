import { describe, expect, it } from 'vitest';
import { CHUNK_NONE, plainContent, ReplyAccumulator, type Chunk } from '../src/openai/accumulator.js';
import { ContentChunkTemplate } from '../src/openai/chunk-template.js';
import { createRng, uniform } from '../src/index.js';

// Chunk shapes as the engines send them (field order and spacing as in their serializers).
const SHAPES: Record<string, (text: string) => string> = {
  vllmCompletion: (t) => `{"id":"cmpl-9a8b7c6d","object":"text_completion","created":1732269000,"model":"meta-llama/Llama-3.1-8B-Instruct","choices":[{"index":0,"text":${JSON.stringify(t)},"logprobs":null,"finish_reason":null,"stop_reason":null}],"usage":null}`,
  vllmChat: (t) => `{"id":"chatcmpl-1f2e","object":"chat.completion.chunk","created":1732269000,"model":"Qwen/Qwen2.5-7B-Instruct","choices":[{"index":0,"delta":{"content":${JSON.stringify(t)}},"logprobs":null,"finish_reason":null}]}`,
  // Python json.dumps default separators (", " and ": "), as some servers emit.
  spacedChat: (t) => `{"id": "x", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"role": null, "content": ${JSON.stringify(t)}, "reasoning_content": null}, "finish_reason": null}], "usage": null}`,
  llamacppChat: (t) => `{"choices":[{"finish_reason":null,"index":0,"delta":{"content":${JSON.stringify(t)}}}],"created":1732269000,"id":"chatcmpl-abc","model":"gpt-3.5-turbo","system_fingerprint":"b1-de3ff81","object":"chat.completion.chunk"}`,
  llamacppCompletion: (t) => `{"choices":[{"text":${JSON.stringify(t)},"index":0,"logprobs":null,"finish_reason":null}],"created":1732269000,"model":"gpt-3.5-turbo","system_fingerprint":"b1-de3ff81","object":"text_completion","id":"chatcmpl-abc"}`,
};

/** What the slow path reads from a chunk: the text of a plain content chunk. */
function slowText(data: string): string | undefined {
  return plainContent(JSON.parse(data) as Chunk)?.text;
}

function learned(data: string): ContentChunkTemplate {
  const template = new ContentChunkTemplate();
  const plain = plainContent(JSON.parse(data) as Chunk)!;
  template.learn(data, plain.field, plain.text);
  return template;
}

const ALPHABET = ['a', ' ', 'é', '中', '😀', '"', '\\', '\n', '\t', '\u0001', '/', '\u2028', 'z', '}', '{', ',', ':'];
function randomText(rng: () => number): string {
  const n = 1 + Math.floor(rng() * 8);
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(rng() * ALPHABET.length)];
  return s;
}

describe('ContentChunkTemplate (JSON.parse-free reading of repeated stream chunks)', () => {
  it.each(Object.keys(SHAPES))('reads the same text as JSON.parse for %s chunks', (shape) => {
    const make = SHAPES[shape]!;
    const template = learned(make(' the'));
    const gen = createRng(7);
    const rng = () => uniform(gen);
    for (let i = 0; i < 2000; i++) {
      const text = randomText(rng);
      const data = make(text);
      expect(template.match(data)).toBe(slowText(data));
    }
  });

  it('reads escapes the way the server wrote them (\\u escapes, escaped slash)', () => {
    const template = learned(SHAPES.vllmCompletion!('x'));
    const data = SHAPES.vllmCompletion!('x').replace('"text":"x"', '"text":"caf\\u00e9 \\/ \\"q\\""');
    expect(template.match(data)).toBe('café / "q"');
    expect(template.match(data)).toBe(slowText(data));
  });

  it('falls back (undefined) for every chunk that is not the same document', () => {
    const make = SHAPES.vllmCompletion!;
    const template = learned(make('a'));
    const fallbacks = [
      make('a').replace('"finish_reason":null', '"finish_reason":"length"'),
      make('a').replace('"usage":null', '"usage":{"prompt_tokens":1,"completion_tokens":2}'),
      make('a').replace('1732269000', '1732269001'), // llama.cpp's `created` ticks each second
      make('a').replace('"text":"a"', '"text":"a","x":"b"'), // two literals between prefix and suffix
      make('a').replace('"text":"a"', '"text":"a\\"'), // unterminated literal
      make('a').replace('"text":"a"', '"text":"a\\q"'), // invalid escape
      make('a').replace('"text":"a"', '"text":"a\u0001"'), // raw control character (invalid JSON)
      make('a').replace('"text":"a"', '"text":null'),
      make('a').replace('"text":"a"', '"text":7'),
      '{"error":{"message":"boom"}}',
      '[DONE]',
      '',
    ];
    for (const data of fallbacks) expect(template.match(data), data).toBeUndefined();
  });

  it('matches an empty text (a chunk that carries no token)', () => {
    const make = SHAPES.vllmCompletion!;
    expect(learned(make('a')).match(make(''))).toBe('');
  });

  it('learns nothing from an ambiguous chunk (the key twice)', () => {
    const data = '{"choices":[{"index":0,"text":"a","logprobs":{"text":"a"}}]}';
    const template = new ContentChunkTemplate();
    template.learn(data, 'text', 'a');
    expect(template.match(data)).toBeUndefined();
  });

  it('learns no template where the text key is written with escapes and a plain one holds the same text elsewhere', () => {
    const data = '{"meta":{"content":"hello"},"choices":[{"index":0,"delta":{"cont\\u0065nt":"hello"}}]}';
    expect(slowText(data)).toBe('hello');
    const template = learned(data);
    const other = data.replace('"content":"hello"', '"content":"WORLD"');
    expect(template.match(other)).toBeUndefined(); // JSON.parse reads it: the content is still "hello"
    expect(slowText(other)).toBe('hello');
    // A backslash outside the text that changes nothing keeps the template.
    const escapedModel = SHAPES.vllmChat!('a').replace('Qwen/Qwen2.5', 'Qwen\\/Qwen2.5');
    expect(learned(escapedModel).match(SHAPES.vllmChat!('b').replace('Qwen/Qwen2.5', 'Qwen\\/Qwen2.5'))).toBe('b');
  });

  it('learns no template where the content already is the probe’s marker text (the probe must differ from it)', () => {
    // Found by an audit's fuzzer: the marker put in the text's place read back as the content only
    // because the real content, elsewhere, held that same text.
    const cases = [
      {
        learned: '{"choices":[{"delta":{"content":"\\u0000yardstick-probe","c\\u006fntent":"\\u0000yardstick-probe"}}]}',
        next: '{"choices":[{"delta":{"content":"HELLO","c\\u006fntent":"\\u0000yardstick-probe"}}]}',
      },
      {
        learned: '{"choices":[{"delta":{"c\\u006fntent":"\\u0000yardstick-probe"}}],"x":{"content":"\\u0000yardstick-probe"}}',
        next: '{"choices":[{"delta":{"c\\u006fntent":"\\u0000yardstick-probe"}}],"x":{"content":"evil"}}',
      },
    ];
    for (const { learned: data, next } of cases) {
      expect(slowText(next)).toBe('\u0000yardstick-probe');
      const template = learned(data);
      const fast = template.match(next);
      expect(fast === undefined || fast === slowText(next), next).toBe(true);
    }
  });

  it('only plain content chunks serve as templates', () => {
    expect(plainContent({ choices: [{ text: 'a', finish_reason: 'stop' }] })).toBeUndefined();
    expect(plainContent({ choices: [{ text: 'a' }], usage: { completion_tokens: 1 } })).toBeUndefined();
    expect(plainContent({ choices: [{ delta: { content: 'a', tool_calls: [{ index: 0 }] } }] })).toBeUndefined();
    expect(plainContent({ choices: [{ delta: { content: 'a', reasoning_content: 'b' } }] })).toBeUndefined();
    expect(plainContent({ choices: [{ text: 'a' }, { text: 'b' }] })).toBeUndefined();
    expect(plainContent({ choices: [{ delta: { content: 'a' } }] })).toEqual({ field: 'content', text: 'a' });
  });
});

/** A chunk of `make`'s shape whose finish_reason is `reason` (a JSON value as the server wrote it). */
const withFinish = (make: (text: string) => string, text: string, reason: string) => make(text).replace(/("finish_reason": ?)null/, (_, key: string) => key + reason);

/** What the slow path reads from a reply's last chunk: its text and its finish_reason. */
function slowFinal(data: string): { text: string; reason: string | null } | undefined {
  const choice = (JSON.parse(data) as Chunk).choices?.[0];
  const text = choice?.text ?? choice?.delta?.content;
  return typeof text === 'string' ? { text, reason: choice?.finish_reason ?? null } : undefined;
}

function learnedWithFinish(data: string): ContentChunkTemplate {
  const template = new ContentChunkTemplate();
  const chunk = JSON.parse(data) as Chunk;
  const plain = plainContent(chunk)!;
  template.learn(data, plain.field, plain.text, chunk.choices?.[0]?.finish_reason === null);
  return template;
}

describe('ContentChunkTemplate.matchFinal (the last token chunk: another text and a finish_reason)', () => {
  const AFTER_TEXT = ['vllmCompletion', 'vllmChat', 'spacedChat', 'llamacppCompletion'];
  const REASONS = ['"length"', '"stop"', '""', '"st\\"op"', '"\\u0073top"', 'null'];

  it.each(AFTER_TEXT)('reads the same text and finish_reason as JSON.parse for %s chunks', (shape) => {
    const make = SHAPES[shape]!;
    const template = learnedWithFinish(make(' the'));
    const gen = createRng(11);
    const rng = () => uniform(gen);
    for (let i = 0; i < 2000; i++) {
      const text = i % 5 === 0 ? '' : randomText(rng);
      const data = withFinish(make, text, REASONS[i % REASONS.length]!);
      expect(template.matchFinal(data), data).toBe(true);
      expect({ text: template.finalText, reason: template.finalReason }).toEqual(slowFinal(data));
    }
  });

  it('falls back for every other document', () => {
    const make = SHAPES.vllmCompletion!;
    const template = learnedWithFinish(make('a'));
    const fallbacks = [
      withFinish(make, 'a', '7'), // not a string
      withFinish(make, 'a', '"len'), // unterminated
      withFinish(make, 'a', '"a\\qb"'), // invalid escape
      withFinish(make, 'a', '"length","x":"y"'), // two literals where one value was
      withFinish(make, 'a', '"length"').replace('"stop_reason":null', '"stop_reason":"\\n"'), // vLLM's stop string
      withFinish(make, 'a', '"length"').replace('"usage":null', '"usage":{"prompt_tokens":1,"completion_tokens":2}'),
      withFinish(make, 'a', '"length"').replace('"text":"a"', '"text":"a","x":"b"'),
      withFinish(make, 'a', '"length"').replace('"text":"a"', '"text":"a\u0001"'),
      withFinish(make, 'a', '"length"').replace('1732269000', '1732269001'),
      '[DONE]',
      '',
    ];
    for (const data of fallbacks) expect(template.matchFinal(data), data).toBe(false);
  });

  it('learns the second place only where it is certainly the choice’s finish_reason', () => {
    const notLearned = [
      // finish_reason before the text (llama.cpp's chat chunks; its last one has no text anyway)
      SHAPES.llamacppChat!('a'),
      // a backslash outside the text: a key could be written with escapes
      SHAPES.vllmCompletion!('a').replace('meta-llama/Llama', 'meta-llama\\/Llama'),
      // the key twice
      SHAPES.vllmCompletion!('a').replace('"usage":null', '"usage":null,"x":{"finish_reason":null}'),
      // the key once more before the text, as a value
      SHAPES.vllmCompletion!('a').replace('"model":"meta-llama/Llama-3.1-8B-Instruct"', '"model":"finish_reason"'),
    ];
    for (const data of notLearned) {
      const template = learnedWithFinish(data);
      expect(template.match(data), data).toBe('a'); // the one-place template still works
      expect(template.matchFinal(withFinish(() => data, '', '"length"')), data).toBe(false);
    }
    // Without the caller's word that the choice has finish_reason null, nothing is learned either.
    const template = learned(SHAPES.vllmCompletion!('a'));
    expect(template.matchFinal(withFinish(SHAPES.vllmCompletion!, '', '"length"'))).toBe(false);
  });
});

describe('ContentChunkTemplate.matchUsage (the usage-only chunk after the tokens)', () => {
  /** What the slow path makes of a chunk: undefined when JSON.parse refuses it, else the accumulator's reading. */
  function slowUsage(data: string): { kind: number; prompt?: number; completion?: number } | undefined {
    let doc: unknown;
    try {
      doc = JSON.parse(data);
    } catch {
      return undefined;
    }
    const acc = new ReplyAccumulator();
    const kind = acc.addChunk(doc as Chunk);
    return { kind, prompt: acc.promptTokens, completion: acc.completionTokens };
  }

  /** The shape's envelope up to and including the top-level `"choices":[`. */
  function headOf(make: (t: string) => string): string {
    const data = make('x');
    return data.slice(0, data.indexOf('"choices":[') + '"choices":['.length);
  }

  it('reads vLLM and SGLang usage chunks as JSON.parse does', () => {
    for (const shape of ['vllmCompletion', 'vllmChat']) {
      const make = SHAPES[shape]!;
      const template = learned(make(' the'));
      const data = `${headOf(make)}],"usage":{"prompt_tokens":12,"total_tokens":28,"completion_tokens":16,"prompt_tokens_details":null}}`;
      expect(template.matchUsage(data), data).toBe(true);
      expect({ kind: CHUNK_NONE, prompt: template.usagePrompt, completion: template.usageCompletion }).toEqual(slowUsage(data));
      expect(template.usagePrompt).toBe(12);
      expect(template.usageCompletion).toBe(16);
    }
  });

  it('agrees with JSON.parse + the accumulator on generated usage chunks, valid or not', () => {
    const make = SHAPES.vllmCompletion!;
    const template = learned(make(' the'));
    const head = headOf(make);
    const gen = createRng(23);
    const rng = () => uniform(gen);
    const pick = <T>(xs: T[]) => xs[Math.floor(rng() * xs.length)]!;
    const KEYS = ['"prompt_tokens"', '"completion_tokens"', '"total_tokens"', '"prompt_tokens_details"', '"x_1"', '"Prompt_tokens"', '"a b"', '""', '"prompt\\u005ftokens"'];
    const VALUES = ['0', '7', '12', '4096', 'null', '007', '-1', '1.5', '1e3', '123456789012345', '1234567890123456', '9007199254740993', '"5"', 'true', '{"cached_tokens":0}', '[]', ' 3', 'nul'];
    let fast = 0;
    for (let i = 0; i < 20_000; i++) {
      const members = Array.from({ length: Math.floor(rng() * 5) }, () => `${pick(KEYS)}:${pick(VALUES)}`);
      let tail = `],"usage":{${members.join(',')}}}`;
      // Now and then a corruption anywhere in the tail.
      if (rng() < 0.2) {
        const at = Math.floor(rng() * tail.length);
        tail = tail.slice(0, at) + pick([',', '}', ']', ' ', '"', '', '0']) + tail.slice(at + (rng() < 0.5 ? 1 : 0));
      }
      const data = head + tail;
      const slow = slowUsage(data);
      if (template.matchUsage(data)) {
        fast++;
        expect(slow, data).toBeDefined();
        expect({ kind: CHUNK_NONE, prompt: template.usagePrompt, completion: template.usageCompletion }, data).toEqual(slow);
      }
    }
    expect(fast).toBeGreaterThan(2000); // the fast path did take the valid ones
  });

  it('takes nothing but the learned envelope with an empty choices list and a usage member', () => {
    const make = SHAPES.vllmCompletion!;
    const template = learned(make(' the'));
    const head = headOf(make);
    const usage = '"usage":{"prompt_tokens":1,"completion_tokens":2}';
    const fallbacks = [
      head.replace('1732269000', '1732269001') + `],${usage}}`, // another envelope
      `${head}{"index":0,"text":"a"}],${usage}}`, // a choice
      `${head}],${usage},"error":{"message":"boom"}}`, // more members after usage
      `${head}],${usage}}}`,
      `${head}], ${usage}}`, // spacing (Python's json.dumps): JSON.parse reads it
      `${head}],"usage":null}`,
      make('a'),
      '[DONE]',
      '',
    ];
    for (const data of fallbacks) expect(template.matchUsage(data), data).toBe(false);
  });

  it('learns no envelope where the usage chunk could differ from its reading', () => {
    const notLearned = [
      // an error key before choices: a later one may have overridden it in the learned chunk
      SHAPES.vllmCompletion!('a').replace('"created"', '"error":{"m":1},"error":null,"created"'),
      // a backslash before the text: keys could be written with escapes
      SHAPES.vllmCompletion!('a').replace('meta-llama/Llama', 'meta-llama\\/Llama'),
      // "choices" only nested, not a top-level key before the text
      `{"id":"x","data":{"choices":[{"index":0,"text":"a","finish_reason":null}]}}`,
      // a nested value before choices: not read as a head (its usage chunk takes JSON.parse)
      `{"id":"x","meta":{"a":[1]},"choices":[{"index":0,"text":"a","finish_reason":null}]}`,
    ];
    for (const data of notLearned) {
      const template = new ContentChunkTemplate();
      template.learn(data, 'text', 'a');
      const head = data.slice(0, data.indexOf('"choices":[') + '"choices":['.length);
      expect(template.matchUsage(`${head}],"usage":{"prompt_tokens":1,"completion_tokens":2}}`), data).toBe(false);
    }
    // llama.cpp's envelope is learned (choices first); its usage chunk has more members and falls back.
    const template = learned(SHAPES.llamacppCompletion!('a'));
    expect(template.matchUsage('{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2}}')).toBe(true);
    expect(template.matchUsage('{"choices":[],"created":1732269000,"id":"chatcmpl-abc","usage":{"prompt_tokens":1,"completion_tokens":2},"timings":{"predicted_n":2}}')).toBe(false);
  });
});

describe('completeUtf8Length (a character split across network chunks is held back)', () => {
  it('cuts exactly before a partial character and decodes every split like one buffer', async () => {
    const { completeUtf8Length } = await import('../src/openai/generate-handler.js');
    const text = 'aé中😀b';
    const bytes = Buffer.from(text);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const head = bytes.subarray(0, cut);
      const keep = completeUtf8Length(head);
      expect(Buffer.from(head.subarray(0, keep)).toString('utf8')).not.toContain('\ufffd');
      expect(head.subarray(0, keep).toString('utf8') + Buffer.concat([head.subarray(keep), bytes.subarray(cut)]).toString('utf8')).toBe(text);
    }
  });
});
