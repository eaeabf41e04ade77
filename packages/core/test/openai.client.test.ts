import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildRequestBody, OpenAICompatibleClient, poolSizeFor } from '../src/openai/index.js';
import type { GenerateRequest } from '../src/types.js';

type Route = (req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>) => void;

let replyCount = 0;

const sse = (res: ServerResponse, events: unknown[], end = true): void => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const e of events) res.write(`data: ${typeof e === 'string' ? e : JSON.stringify(e)}\n\n`);
  if (end) res.end();
};

const routes: Record<string, Route> = {
  normal: (_req, res) =>
    sse(res, [
      { choices: [{ index: 0, text: 'Hello', finish_reason: null }] },
      { choices: [{ index: 0, text: ' world', finish_reason: null }] },
      { choices: [{ index: 0, text: '', finish_reason: 'length' }] },
      { choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } },
      '[DONE]',
    ]),
  // vLLM's shape: the last token rides on the chunk that carries finish_reason
  vllmLast: (_req, res) =>
    sse(res, [
      ...['Hello', ' wor', 'ld'].map((text, i) => ({ id: 'cmpl-7', object: 'text_completion', created: 1, model: 'm', choices: [{ index: 0, text, logprobs: null, finish_reason: i === 2 ? 'length' : null, stop_reason: null }], usage: null })),
      { id: 'cmpl-7', object: 'text_completion', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 3, completion_tokens: 3 } },
      '[DONE]',
    ]),
  // vLLM's shape with an id and a created second of its own per reply, as vLLM sends them
  vllmIds: (_req, res) => {
    const id = `cmpl-${(replyCount++).toString(16).padStart(32, '0')}`;
    const envelope = { id, object: 'text_completion', created: 1732269000 + replyCount, model: 'm' };
    sse(res, [
      ...['Hel', 'lo', ' wo', 'rld'].map((text, i) => ({ ...envelope, choices: [{ index: 0, text: `${text}${replyCount}`, logprobs: null, finish_reason: i === 3 ? 'length' : null, stop_reason: null }], usage: null })),
      { ...envelope, choices: [], usage: { prompt_tokens: 3, completion_tokens: 4 } },
      '[DONE]',
    ]);
  },
  // vLLM's chat shape: a role-only chunk first, then content deltas, each reply with its own id
  vllmChatIds: (_req, res) => {
    const envelope = { id: `chatcmpl-${(replyCount++).toString(16)}`, object: 'chat.completion.chunk', created: 1732269000 + replyCount, model: 'm' };
    sse(res, [
      { ...envelope, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] },
      ...['Hi', ' there'].map((content, i) => ({ ...envelope, choices: [{ index: 0, delta: { content: `${content}${replyCount}` }, logprobs: null, finish_reason: i === 1 ? 'stop' : null }] })),
      { ...envelope, choices: [], usage: { prompt_tokens: 5, completion_tokens: 2 } },
      '[DONE]',
    ]);
  },
  // per-token logprobs: every chunk differs beyond its text, so each one is parsed in full
  logprobs: (_req, res) => {
    const envelope = { id: `cmpl-${replyCount++}`, object: 'text_completion', created: 1, model: 'm' };
    sse(res, [
      ...['a', 'b', 'c'].map((text, i) => ({ ...envelope, choices: [{ index: 0, text, logprobs: { tokens: [text], token_logprobs: [-0.5 * (i + 1)] }, finish_reason: i === 2 ? 'length' : null }] })),
      '[DONE]',
    ]);
  },
  // split one event across two TCP writes and two events in one write, no usage chunk
  split: (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: {"choices":[{"delta":{"content":"é');
    setTimeout(() => {
      res.write('t"}}]}\n\ndata: {"choices":[{"delta":{"content":"é"}}]}\n\n');
      res.end('data: {"choices":[{"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n');
    }, 20);
  },
  tools: (_req, res) =>
    sse(res, [
      { choices: [{ delta: { role: 'assistant', tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] } }] },
      { choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] } }] },
      { choices: [{ delta: { tool_calls: [{ index: 1, id: 'call_b', function: { name: 'get_time', arguments: '{}' } }] } }] },
      { choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] } }] },
      { choices: [{ delta: {}, finish_reason: 'tool_calls' }], usage: { prompt_tokens: 10, completion_tokens: 7 } },
      '[DONE]',
    ]),
  status500: (_req, res) => {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'boom: ' + 'x'.repeat(2000) } }));
  },
  malformed: (_req, res) => sse(res, [{ choices: [{ text: 'ok' }] }, '{"choices": [', '[DONE]']),
  inbandError: (_req, res) => sse(res, [{ choices: [{ text: 'ok' }] }, { error: { message: 'context overflow', code: 400 } }]),
  closeMidStream: (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`data: ${JSON.stringify({ choices: [{ text: 'partial' }] })}\n\n`);
    setTimeout(() => res.socket?.destroy(), 20);
  },
  endEarly: (_req, res) => sse(res, [{ choices: [{ text: 'partial' }] }]),
  // Framed, but the body ends inside an event: its data never reached the parser.
  endMidEvent: (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(`data: ${JSON.stringify({ choices: [{ text: 'partial' }] })}\n\ndata: {"choices":[{"text":" more`);
  },
  // The same, in a body delimited only by the connection's close (HTTP/1.0 style): a crash looks alike.
  endEarlyUnframed: (_req, res) => {
    res.useChunkedEncodingByDefault = false;
    res.shouldKeepAlive = false;
    sse(res, [{ choices: [{ text: 'partial' }] }]);
  },
  slow: (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`data: ${JSON.stringify({ choices: [{ text: 'a' }] })}\n\n`);
    const t = setTimeout(() => res.end(), 5_000);
    res.on('close', () => clearTimeout(t));
  },
  // One event that never ends (no blank line): 17 MiB, then the connection stays open.
  hugeEvent: (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`data: {"choices":[{"text":"${'x'.repeat(17 << 20)}`);
  },
  hugeJson: (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(`{"choices":[{"text":"${'x'.repeat(17 << 20)}`);
  },
  // Valid JSON of the wrong shape: must fail the request, not read as an empty reply.
  choicesString: (_req, res) => sse(res, [{ choices: 'oops' }, '[DONE]']),
  textNumber: (_req, res) => sse(res, [{ choices: [{ index: 0, text: 'a', finish_reason: null }] }, { choices: [{ index: 0, text: 42 }] }, '[DONE]']),
  nonstreamEmpty: (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  },
  nonstreamBadText: (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ choices: [{ text: 42 }] }));
  },
  nonstream: (_req, res, body) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ echo: body, choices: [{ message: { role: 'assistant', content: 'whole reply' }, finish_reason: 'stop' }], usage: { prompt_tokens: 4, completion_tokens: 2 } }));
  },
};

let server: Server;
let baseUrl: string;
const seen: { path: string; auth?: string; body: Record<string, unknown> }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const url = req.url ?? '';
      if (req.method === 'GET' && url === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: [{ id: 'tiny' }] }));
        return;
      }
      if (url === '/tokenize') {
        const b = JSON.parse(raw) as { content: string };
        res.end(JSON.stringify({ tokens: [...b.content].map((c) => c.charCodeAt(0)) }));
        return;
      }
      if (url === '/detokenize') {
        const b = JSON.parse(raw) as { tokens: number[] };
        res.end(JSON.stringify({ content: String.fromCharCode(...b.tokens) }));
        return;
      }
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      seen.push({ path: url, auth: req.headers.authorization, body });
      const route = routes[String(body.model)];
      if (!route) {
        res.writeHead(404);
        res.end('no route');
        return;
      }
      route(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const req = (over: Partial<GenerateRequest> = {}): GenerateRequest => ({
  requestId: 'bench:1',
  benchmark: 'bench',
  sampleId: '1',
  kind: 'completion',
  prompt: 'Once upon a time',
  params: { maxTokens: 8, temperature: 0 },
  ...over,
});

const client = (model: string, extra: Partial<ConstructorParameters<typeof OpenAICompatibleClient>[0]> = {}) =>
  new OpenAICompatibleClient({ baseUrl: `${baseUrl}/v1/`, model, apiKey: 'sk-secret', connections: 4, ...extra });

/** Records the texts starting with `prefix` that go through JSON.parse until `restore()`. */
function parsesOf(prefix: string): { parsed: string[]; restore: () => void } {
  const parsed: string[] = [];
  const parse = JSON.parse;
  const spy = vi.spyOn(JSON, 'parse').mockImplementation((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
    if (text.startsWith(prefix)) parsed.push(text);
    return parse(text, reviver) as unknown;
  });
  return { parsed, restore: () => spy.mockRestore() };
}

describe('OpenAICompatibleClient', () => {
  it('streams a completion with usage and a sane timing trace', async () => {
    const c = client('normal');
    const before = performance.timeOrigin + performance.now();
    const r = await c.generate(req());
    await c.close();
    expect(r.error).toBeUndefined();
    expect(r.text).toBe('Hello world');
    expect(r.finishReason).toBe('length');
    expect(r.usage).toEqual({ promptTokens: 3, completionTokens: 2, source: 'server' });
    const t = r.timing;
    expect(t.sentAt).toBeGreaterThanOrEqual(before);
    expect(t.headersMs).toBeGreaterThanOrEqual(0);
    expect(t.firstTokenMs).toBeGreaterThanOrEqual(t.headersMs!);
    expect(t.chunksMs).toHaveLength(2);
    expect(t.chunksMs[0]).toBe(t.firstTokenMs);
    expect(t.chunksMs[1]).toBeGreaterThanOrEqual(t.chunksMs[0]!);
    expect(t.doneMs).toBeGreaterThanOrEqual(t.chunksMs[1]!);
    const sent = seen.at(-1)!;
    expect(sent.path).toBe('/v1/completions');
    expect(sent.auth).toBe('Bearer sk-secret');
    expect(sent.body).toMatchObject({ model: 'normal', prompt: 'Once upon a time', max_tokens: 8, temperature: 0, stream: true, stream_options: { include_usage: true } });
  });

  it('reads a last token that comes with finish_reason as one more content chunk', async () => {
    const c = client('vllmLast');
    const r = await c.generate(req());
    await c.close();
    expect(r.error).toBeUndefined();
    expect(r.text).toBe('Hello world');
    expect(r.finishReason).toBe('length');
    expect(r.usage).toEqual({ promptTokens: 3, completionTokens: 3, source: 'server' });
    expect(r.timing.chunksMs).toHaveLength(3);
  });

  it('reads the first chunk of later replies by the shape of the first one (no JSON.parse), with the same results', async () => {
    const c = client('vllmIds');
    const { parsed, restore } = parsesOf('{"id":"cmpl-');
    try {
      for (let i = 0; i < 3; i++) {
        const r = await c.generate(req());
        expect(r.error).toBeUndefined();
        expect(r.text).toBe(['Hel', 'lo', ' wo', 'rld'].map((t) => `${t}${replyCount}`).join(''));
        expect(r.finishReason).toBe('length');
        expect(r.usage).toEqual({ promptTokens: 3, completionTokens: 4, source: 'server' });
        expect(r.timing.chunksMs).toHaveLength(4);
        // The first reply's first chunk is parsed (and teaches the shape); nothing after it is.
        expect(parsed).toHaveLength(1);
      }
    } finally {
      restore();
      await c.close();
    }
  });

  it('reads a chat reply’s role-only first chunk by its shape too, once one reply has taught it', async () => {
    const c = client('vllmChatIds');
    const keys: string[] = [];
    const { parsed, restore } = parsesOf('{"id":"chatcmpl-');
    try {
      for (let i = 0; i < 3; i++) {
        const r = await c.generate(req({ kind: 'chat', prompt: undefined, messages: [{ role: 'user', content: 'hi', tag: 'x' }] }));
        expect(r.error).toBeUndefined();
        expect(r.text).toBe(`Hi${replyCount} there${replyCount}`);
        expect(r.finishReason).toBe('stop');
        expect(r.usage).toEqual({ promptTokens: 5, completionTokens: 2, source: 'server' });
        expect(r.timing.chunksMs).toHaveLength(2);
        // The role chunk read by its shape is time-stamped as the parsed one was: the same timing fields.
        keys.push(Object.keys(r.timing).sort().join());
        expect(new Set(keys).size).toBe(1);
        expect(parsed).toHaveLength(2); // the first reply's role chunk and first content chunk only
      }
    } finally {
      restore();
      await c.close();
    }
  });

  it('reads replies whose chunks differ beyond their text (logprobs) by parsing each chunk', async () => {
    const c = client('logprobs');
    try {
      for (let i = 0; i < 3; i++) {
        const r = await c.generate(req());
        expect(r.error).toBeUndefined();
        expect(r.text).toBe('abc');
        expect(r.finishReason).toBe('length');
        expect(r.timing.chunksMs).toHaveLength(3);
      }
    } finally {
      await c.close();
    }
  });

  it('decodes events split across network chunks and counts chunks when the server sends no usage', async () => {
    const c = client('split');
    const r = await c.generate(req({ kind: 'chat', prompt: undefined, messages: [{ role: 'user', content: 'hi', tag: 'x' }] }));
    await c.close();
    expect(r.error).toBeUndefined();
    expect(r.text).toBe('été');
    expect(r.finishReason).toBe('stop');
    expect(r.usage).toEqual({ completionTokens: 2, source: 'chunks' });
    expect(seen.at(-1)!.path).toBe('/v1/chat/completions');
    expect(seen.at(-1)!.body.messages).toEqual([{ role: 'user', content: 'hi' }]);
    // the first content event completes only with the second write (20 ms later on an idle machine)
    expect(r.timing.chunksMs).toHaveLength(2);
    expect(r.timing.firstTokenMs).toBeGreaterThanOrEqual(r.timing.headersMs!);
  });

  it('accumulates streamed tool-call deltas by index', async () => {
    const c = client('tools');
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object' } } }];
    const r = await c.generate(req({ kind: 'chat', prompt: undefined, messages: [{ role: 'user', content: 'weather?' }], tools }));
    await c.close();
    expect(r.error).toBeUndefined();
    expect(r.toolCalls).toEqual([
      { id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { id: 'call_b', name: 'get_time', arguments: '{}' },
    ]);
    expect(r.finishReason).toBe('tool_calls');
    expect(r.timing.chunksMs).toHaveLength(4);
    expect(r.usage).toEqual({ promptTokens: 10, completionTokens: 7, source: 'server' });
    expect(seen.at(-1)!.body.tools).toEqual(tools);
  });

  it('reports an HTTP error status with a short body excerpt', async () => {
    const c = client('status500');
    const r = await c.generate(req({ requestId: 'gsm8k:42' }));
    await c.close();
    expect(r.error?.code).toBe('YS_ENGINE_HTTP_STATUS');
    expect(r.error).toMatchObject({ status: 500 });
    expect(r.error!.message).toContain('gsm8k:42');
    expect(r.error!.message).toContain(`${baseUrl}/v1/completions`);
    expect(r.error!.message).toContain('HTTP 500');
    expect(r.error!.message).toContain('boom');
    expect(r.error!.message.length).toBeLessThan(700);
  });

  it('fails an event that grows past 16 MiB without an end, instead of buffering it until the idle timeout', async () => {
    const c = client('hugeEvent');
    const started = performance.now();
    const r = await c.generate(req());
    await c.close();
    expect(r.error?.code).toBe('YS_ENGINE_STREAM_MALFORMED');
    expect(r.error!.message).toMatch(/bench:1 .*event longer than 16 MiB without an end/);
    expect(performance.now() - started).toBeLessThan(10_000);
    const json = client('hugeJson');
    const j = await json.generate(req());
    await json.close();
    expect(j.error?.code).toBe('YS_ENGINE_STREAM_MALFORMED');
    expect(j.error!.message).toMatch(/a JSON reply longer than 16 MiB/);
  });

  it('fails a reply that is valid JSON of the wrong shape, naming the request and what was wrong, streamed or not', async () => {
    const streamed = client('choicesString');
    const a = await streamed.generate(req());
    expect(a.error?.code).toBe('YS_ENGINE_STREAM_MALFORMED');
    expect(a.error!.message).toMatch(/bench:1.*"choices" is not an array/);
    await streamed.close();
    const number = client('textNumber');
    const b = await number.generate(req());
    expect(b.error?.code).toBe('YS_ENGINE_STREAM_MALFORMED');
    expect(b.error!.message).toContain('"choices[0].text" is not a string');
    expect(b.text).toBe('a'); // what arrived before it is kept
    await number.close();
    const empty = client('nonstreamEmpty');
    const c = await empty.generate(req());
    expect(c.error?.code).toBe('YS_ENGINE_NO_CHOICES');
    await empty.close();
    const bad = client('nonstreamBadText');
    const d = await bad.generate(req());
    expect(d.error?.code).toBe('YS_ENGINE_STREAM_MALFORMED');
    await bad.close();
  });

  it('fails only the request on a malformed JSON chunk, keeping what arrived', async () => {
    const c = client('malformed');
    const r = await c.generate(req());
    expect(r.error?.code).toBe('YS_ENGINE_STREAM_MALFORMED');
    expect(r.error!.message).toContain('bench:1');
    expect(r.text).toBe('ok');
    // the pool still works afterwards
    const ok = await c.generate(req());
    expect(ok.error?.code).toBe('YS_ENGINE_STREAM_MALFORMED');
    await c.close();
  });

  it('reports an error object sent inside the stream', async () => {
    const c = client('inbandError');
    const r = await c.generate(req());
    await c.close();
    expect(r.error?.code).toBe('YS_ENGINE_SERVER_ERROR');
    expect(r.error!.message).toContain('context overflow');
  });

  it('classifies a server closing the connection mid-stream', async () => {
    const c = client('closeMidStream');
    const r = await c.generate(req());
    await c.close();
    expect(r.error?.code).toBe('YS_ENGINE_STREAM_CLOSED');
    expect(r.text).toBe('partial');
    // Said once: "the server closed the connection mid-response", not that inside "closed … mid-stream (…)".
    expect(r.error!.message).toMatch(/: the server closed the connection mid-response$/);
  });

  it('a stream without finish_reason or [DONE] is complete when its body ends by its own framing (as vLLM counts it), failed when only the close delimits it', async () => {
    const c = client('endEarly');
    const r = await c.generate(req());
    expect(r.error).toBeUndefined();
    expect(r.text).toBe('partial');
    expect(r.finishReason).toBeUndefined();
    const d = client('endEarlyUnframed');
    const cut = await d.generate(req());
    await Promise.all([c.close(), d.close()]);
    expect(cut.error?.code).toBe('YS_ENGINE_STREAM_CLOSED');
    expect(cut.error!.message).toContain('delimited only by the close');
    expect(cut.text).toBe('partial');
    const e = client('endMidEvent');
    const midEvent = await e.generate(req());
    await e.close();
    expect(midEvent.error?.code).toBe('YS_ENGINE_STREAM_CLOSED');
    expect(midEvent.error!.message).toContain('ended inside an event');
  });

  it('classifies connection refused without throwing', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const c = new OpenAICompatibleClient({ baseUrl: `http://127.0.0.1:${port}` });
    const r = await c.generate(req({ requestId: 'x:1' }));
    await c.close();
    expect(r.error?.code).toBe('YS_ENGINE_CONNECT_REFUSED');
    expect(r.error!.message).toContain(`http://127.0.0.1:${port}/v1/completions`);
    expect(r.error!.message).toContain('x:1');
  });

  it('times out on an idle body', async () => {
    const c = client('slow', { bodyIdleTimeoutMs: 100 });
    const r = await c.generate(req());
    await c.close();
    expect(r.error?.code).toBe('YS_ENGINE_TIMEOUT');
  });

  it('rejects with YS_ENGINE_ABORTED when the signal aborts mid-stream', async () => {
    const c = client('slow');
    const ac = new AbortController();
    const p = c.generate(req(), ac.signal);
    setTimeout(() => ac.abort(new Error('ctrl-c')), 50);
    await expect(p).rejects.toMatchObject({ code: 'YS_ENGINE_ABORTED' });
    const pre = new AbortController();
    pre.abort();
    await expect(c.generate(req(), pre.signal)).rejects.toMatchObject({ code: 'YS_ENGINE_ABORTED' });
    await c.destroy();
  });

  it('supports non-streaming replies', async () => {
    const c = client('nonstream', { stream: false });
    const r = await c.generate(req({ kind: 'chat', prompt: undefined, messages: [{ role: 'user', content: 'hi' }] }));
    await c.close();
    expect(r.error).toBeUndefined();
    expect(r.text).toBe('whole reply');
    expect(r.usage).toEqual({ promptTokens: 4, completionTokens: 2, source: 'server' });
    expect(r.timing.firstTokenMs).toBe(r.timing.doneMs);
    expect(r.timing.unstreamed).toBe(true);
    expect(seen.at(-1)!.body.stream).toBe(false);
    expect(seen.at(-1)!.body.stream_options).toBeUndefined();
  });

  it('reads a JSON document sent in reply to a streaming request', async () => {
    const c = client('nonstream');
    const r = await c.generate(req());
    await c.close();
    expect(r.error).toBeUndefined();
    expect(r.text).toBe('whole reply');
    expect(seen.at(-1)!.body.stream).toBe(true);
  });

  it('lists models and round-trips tokenize / detokenize', async () => {
    const c = client('normal');
    expect(await c.listModels()).toEqual(['tiny']);
    const tokens = await c.tokenize('abc');
    expect(tokens).toEqual([97, 98, 99]);
    expect(await c.detokenize(tokens)).toBe('abc');
    await expect(c.getJson('/nope')).rejects.toMatchObject({ code: 'YS_ENGINE_HTTP_STATUS' });
    expect(await c.status('/v1/models')).toBe(200);
    await c.close();
  });
});

describe('buildRequestBody', () => {
  it('maps every generation parameter and merges extra last', () => {
    const body = buildRequestBody(
      req({ params: { maxTokens: 5, temperature: 0.7, topP: 0.9, topK: 40, stop: ['\n'], seed: 7, ignoreEos: true, extra: { min_p: 0.1, temperature: 0.5 } } }),
      { model: 'm', stream: true, includeUsage: true },
    );
    expect(body).toEqual({
      model: 'm', prompt: 'Once upon a time', max_tokens: 5, temperature: 0.5, top_p: 0.9, top_k: 40, stop: ['\n'], seed: 7,
      ignore_eos: true, stream: true, stream_options: { include_usage: true }, min_p: 0.1,
    });
  });

  it('maps assistant tool calls and tool replies in chat history', () => {
    const body = buildRequestBody(
      req({ kind: 'chat', prompt: undefined, messages: [
        { role: 'assistant', content: '', tool_calls: [{ id: 'c1', name: 'f', arguments: '{}' }] },
        { role: 'tool', content: '42', tool_call_id: 'c1' },
      ] }),
      { stream: false, includeUsage: true },
    );
    expect(body.messages).toEqual([
      { role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'tool', content: '42', tool_call_id: 'c1' },
    ]);
  });
});

describe('poolSizeFor', () => {
  it('covers the largest concurrency the run can reach', () => {
    expect(poolSizeFor({ concurrency: 1 })).toBe(16);
    expect(poolSizeFor({ concurrency: 8, load: { sweep: { concurrency: [1, 64, 200] } } })).toBe(200);
    expect(poolSizeFor({ concurrency: 1, load: { rate: 50 } })).toBe(1024);
  });
});
