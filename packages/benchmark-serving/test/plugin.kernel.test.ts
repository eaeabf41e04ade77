import { describe, expect, it } from 'vitest';
import { createTestKernel, fakeEngine } from '@yardstick/core/testing';
import serving from '../src/index.js';

const engine = () => fakeEngine({ reply: (r) => 'y'.repeat(r.params.maxTokens), chunkSize: 1 });

describe('benchmark-serving in the kernel', () => {
  it('seeds-default shape: exact-length prompts, fixed outputs, temperature 0, ignore_eos, prompts not stored', async () => {
    const e = engine();
    const { run } = await createTestKernel({ engine: e, plugins: [[serving, { preset: 'seeds-default', inputTokens: 64, outputTokens: 8, numPrompts: 10 }]] });
    const { summary, records } = await run();
    expect(summary.status).toBe('completed');
    expect(Object.keys(summary.benchmarks)).toEqual(['serving']);
    expect(records).toHaveLength(10);
    expect(e.requests).toHaveLength(10);
    for (const r of e.requests) {
      expect([...r.prompt!]).toHaveLength(64);
      expect(r.params).toMatchObject({ maxTokens: 8, temperature: 0, ignoreEos: true });
    }
    expect(new Set(e.requests.map((r) => r.prompt)).size).toBe(10);
    expect(records[0]!.sample.prompt).toBeUndefined();
    expect(records[0]!.sample.metadata).toEqual({ input_tokens: 64, output_tokens: 8 });
    const perf = summary.benchmarks.serving!.performance!;
    expect(perf.completed).toBe(10);
    expect(perf.total_output_tokens).toBe(80);
    expect(perf.output_tokens.mean).toBe(8);
  });

  it("counts the synthetic prompts' exact lengths as input tokens when the server sends no usage (vLLM's prompt_len)", async () => {
    const inner = engine();
    const noUsage = { ...inner, generate: async (...args: Parameters<typeof inner.generate>) => ({ ...(await inner.generate(...args)), usage: undefined }) };
    const { run } = await createTestKernel({ engine: noUsage, plugins: [[serving, { inputTokens: 32, outputTokens: 4, numPrompts: 5 }]] });
    const { summary } = await run();
    expect(summary.benchmarks.serving!.performance).toMatchObject({ completed: 5, total_input_tokens: 160, total_output_tokens: 20 });
  });

  it('batch-sweep: one benchmark per concurrency', async () => {
    const { run } = await createTestKernel({ engine: engine(), plugins: [[serving, { preset: 'batch-sweep', inputTokens: 16, outputTokens: 2, numPrompts: 4 }]] });
    const { summary } = await run();
    expect(Object.keys(summary.benchmarks)).toEqual([1, 2, 4, 8, 16].map((c) => `serving[concurrency=${c}]`));
    for (const b of Object.values(summary.benchmarks)) expect(b.performance?.completed).toBe(4);
    // Each step records the load it ran under (the vLLM export's max_concurrency reads it).
    expect(Object.values(summary.benchmarks).map((b) => b.load)).toEqual([1, 2, 4, 8, 16].map((c) => ({ concurrency: c })));
  });

  it('context-sweep: input lengths capped at the context window, each step its own benchmark', async () => {
    const { run } = await createTestKernel({
      engine: engine(),
      plugins: [[serving, { preset: 'context-sweep', inputLengths: [64, 128, 1024, 4096], outputTokens: 16, numPrompts: 2, maxContext: 300 }]],
    });
    const { summary } = await run();
    expect(Object.keys(summary.benchmarks)).toEqual(['serving[input=64]', 'serving[input=128]', 'serving[input=283]']);
    expect(summary.warnings.join('\n')).toMatch(/input lengths 1024, 4096 exceed the model context \(300 tokens − 16 output − 1\); capped at 283/);
  });

  it('open-loop rate with numRequests cycles through prompts and reports client lag', async () => {
    const e = engine();
    const { run } = await createTestKernel({
      engine: e,
      plugins: [[serving, { inputTokens: 8, outputTokens: { min: 1, max: 4 }, numPrompts: 5, load: { rate: 500, arrival: 'gamma', burstiness: 0.5, numRequests: 25 } }]],
    });
    const { summary, records } = await run();
    expect(records).toHaveLength(25);
    const perf = summary.benchmarks.serving!.performance!;
    expect(perf.completed).toBe(25);
    expect(perf.client_lag_ms).toBeDefined();
    // Each record's lag is kept to the microsecond, like the other timing fields.
    for (const r of records) expect(String(r.result.timing.lagMs)).toMatch(/^\d+(\.\d{1,3})?$/);
    // The plugin's own load, not the root config's (whose closed-loop concurrency does not apply).
    expect(summary.benchmarks.serving!.load).toEqual({ rate: 500, arrival: 'gamma', burstiness: 0.5, num_requests: 25 });
    for (const r of e.requests) expect(r.params.maxTokens).toBeGreaterThanOrEqual(1);
  });

  it("open loop runs vLLM's schedule: the last of numRequests due at numRequests / rate, the duration counted from the schedule's start", async () => {
    // 20 requests at 100 req/s, constant spacing, an instant engine: sends due at 10, 20, … 200 ms,
    // so the duration is ~0.2 s (vLLM's), not the ~0.19 s between the first and the last send.
    const { run } = await createTestKernel({
      engine: engine(),
      plugins: [[serving, { inputTokens: 8, outputTokens: 2, numPrompts: 5, load: { rate: 100, arrival: 'constant', numRequests: 20 } }]],
    });
    const { summary } = await run();
    const perf = summary.benchmarks.serving!.performance!;
    expect(perf.completed).toBe(20);
    expect(perf.duration_s).toBeGreaterThanOrEqual(0.2 - 1e-3);
    expect(perf.request_throughput).toBeLessThanOrEqual(100 + 0.5);
  });

  it('a burstiness alone means gamma arrivals (as vLLM reads --burstiness); one beside a Poisson law set at another level is refused', async () => {
    const { run } = await createTestKernel({
      engine: engine(),
      plugins: [[serving, { inputTokens: 8, outputTokens: 2, numPrompts: 5, load: { rate: 400, burstiness: 0.5, numRequests: 10 } }]],
    });
    const { summary } = await run();
    expect(summary.benchmarks.serving!.load).toEqual({ rate: 400, arrival: 'gamma', burstiness: 0.5, num_requests: 10 });

    const k = await createTestKernel({
      engine: engine(),
      config: { load: { arrival: 'poisson' } },
      plugins: [[serving, { inputTokens: 8, outputTokens: 2, numPrompts: 5, load: { rate: 400, burstiness: 0.5, numRequests: 10 } }]],
    });
    const refused = await k.run();
    expect(refused.summary.status).toBe('failed');
    expect(refused.summary.error?.message).toMatch(/burstiness 0\.5 applies to gamma arrivals, but arrival is 'poisson'/);
  });

  it('says in summary.warnings when /metrics scrapes could not be read, not only in serverMetrics.errors', async () => {
    const e = engine();
    e.scrapeMetrics = async () => ({ takenAt: Date.now(), text: 'garbage {' });
    e.summarizeMetrics = (_first, _last, all) => ({ errors: all.map(() => 'scrape at 2026-11-23T06:00:00.000Z: metrics line 1: unexpected "{"') });
    const { run } = await createTestKernel({ engine: e, plugins: [[serving, { inputTokens: 8, outputTokens: 2, numPrompts: 3 }]] });
    const { summary } = await run();
    expect(summary.warnings.join('\n')).toMatch(/serving: 2 of 2 \/metrics scrapes could not be read \(first: scrape at .*metrics line 1/);
  });

  it('load.warmupSeconds: each step first runs at its own rate with requests kept out of records and metrics', async () => {
    const e = engine();
    // Server metrics as a request counter: the diff must cover the measured requests only.
    e.scrapeMetrics = async () => ({ takenAt: Date.now(), text: String(e.requests.length) });
    e.summarizeMetrics = (first, last) => ({ requests_seen: Number(last.text) - Number(first.text) });
    const { run } = await createTestKernel({
      engine: e,
      plugins: [[serving, { inputTokens: 8, outputTokens: 2, numPrompts: 3, load: { sweep: { rate: [400, 800] }, arrival: 'constant', warmupSeconds: 0.05, numRequests: 6 } }]],
    });
    const { summary, records } = await run();
    expect(records).toHaveLength(12);
    const warm = e.requests.filter((r) => r.warmup && r.requestId.includes(':warmup#'));
    // 50 ms at 400/s ≈ 20 and at 800/s ≈ 40 warm-up requests, none of them recorded or counted.
    expect(warm.length).toBeGreaterThanOrEqual(40);
    // Besides them the engine saw the 12 measured requests only (the test kernel sends no root warm-up).
    expect(e.requests.length).toBe(12 + warm.length);
    expect(records.every((r) => !r.result.timing.lagMs || r.result.timing.lagMs < 50)).toBe(true);
    for (const [name, rate] of [['serving[rate=400]', 400], ['serving[rate=800]', 800]] as const) {
      expect(summary.benchmarks[name]!.performance!.completed).toBe(6);
      expect(summary.benchmarks[name]!.load).toMatchObject({ rate, warmup_s: 0.05, num_requests: 6 });
      expect(summary.benchmarks[name]!.serverMetrics).toEqual({ requests_seen: 6 });
    }
  });

  it('rate sweep: each step records its own rate and the cap', async () => {
    const { run } = await createTestKernel({ engine: engine(), plugins: [[serving, { inputTokens: 8, outputTokens: 2, numPrompts: 3, load: { sweep: { rate: [200, 400] }, concurrency: 3, numRequests: 6 } }]] });
    const { summary } = await run();
    expect(Object.keys(summary.benchmarks)).toEqual(['serving[rate=200]', 'serving[rate=400]']);
    expect(summary.benchmarks['serving[rate=400]']!.load).toEqual({ rate: 400, arrival: 'poisson', burstiness: 1, concurrency: 3, num_requests: 6 });
  });

  it('open-loop rate over a concurrency cap the server cannot serve: queue time, not client lag', async () => {
    // 200 req/s offered, 2 slots, ~40 ms per request: the engine takes ~50 req/s, so requests queue
    // for slots. The summary must say the server held the rate down, and must not blame the client.
    const e = fakeEngine({ reply: () => 'yy', chunkSize: 1, firstTokenDelayMs: 30, chunkDelayMs: 10 });
    const { run } = await createTestKernel({
      engine: e,
      plugins: [[serving, { inputTokens: 8, outputTokens: 2, numPrompts: 4, load: { rate: 200, arrival: 'constant', concurrency: 2, numRequests: 12 } }]],
    });
    const { summary } = await run();
    const perf = summary.benchmarks.serving!.performance!;
    expect(perf.completed).toBe(12);
    expect(perf.client_queue_ms!.p99).toBeGreaterThan(100);
    expect(perf.client_lag_ms!.p99).toBeLessThan(perf.client_queue_ms!.p99 / 4);
    expect(perf.client_bottleneck).toBe(false);
    expect(summary.warnings.join('\n')).toMatch(/serving: requests waited for a free slot under the concurrency cap: queue p99/);
    expect(summary.warnings.join('\n')).not.toMatch(/client was the bottleneck/);
  });

  it('MT-Bench multi-turn from the shared file: both turns are timed requests', async () => {
    const e = engine();
    const { run } = await createTestKernel({ engine: e, plugins: [[serving, { dataset: 'mt-bench', multiTurn: true, numPrompts: 3, outputTokens: 4 }]] });
    const { summary, records } = await run();
    expect(records).toHaveLength(3);
    expect(records.every((r) => r.turns?.length === 2)).toBe(true);
    expect(e.requests).toHaveLength(6);
    expect(e.requests[1]!.messages).toHaveLength(3); // user, assistant, user
    expect(summary.benchmarks.serving!.performance!.completed).toBe(6);
  });

  it('ShareGPT prompts sent as completions when asked; synthetic prompts without a tokenizer fail clearly', async () => {
    const e = engine();
    const { run } = await createTestKernel({ engine: e, plugins: [[serving, { dataset: 'sharegpt', promptStyle: 'completion', numPrompts: 4, outputTokens: 2 }]] });
    await run();
    expect(e.requests.every((r) => r.kind === 'completion' && typeof r.prompt === 'string' && r.prompt.length > 0)).toBe(true);

    const bare = { ...engine(), tokenize: undefined, detokenize: undefined };
    const k = await createTestKernel({ engine: bare, plugins: [[serving, {}]] });
    const { summary } = await k.run();
    expect(summary.status).toBe('failed');
    expect(summary.error?.message).toMatch(/needs an engine with a tokenizer/);
  });

  it('checkTokens re-counts replies with the engine tokenizer and reports the mismatch with server usage', async () => {
    // The fake engine reports one token per 2-character chunk as usage; its tokenizer counts characters.
    const e = fakeEngine({ reply: (r) => 'y'.repeat(r.params.maxTokens), chunkSize: 2 });
    const { run } = await createTestKernel({ engine: e, plugins: [[serving, { inputTokens: 8, outputTokens: 6, numPrompts: 4, checkTokens: true }]] });
    const { summary, records } = await run();
    expect(summary.benchmarks.serving!.performance!.token_count_mismatch).toEqual({ requests: 4, mismatched: 4, server_tokens: 12, client_tokens: 24, client_source: 'tokenizer' });
    expect(summary.warnings.join('\n')).toMatch(/serving: output token counts differ between server usage and the tokenizer on 4\/4 requests/);
    expect((records[0]!.result.usage as { tokenizerCompletionTokens?: number }).tokenizerCompletionTokens).toBe(6);
  });

  it("with checkTokens, a reply without server usage takes the tokenizer's count as its output length (vLLM re-tokenizes), not the chunk count", async () => {
    // Two characters per chunk, one token per character: 3 chunks, 6 tokens per reply.
    const inner = fakeEngine({ reply: (r) => 'y'.repeat(r.params.maxTokens), chunkSize: 2 });
    // As the OpenAI client reports a reply without server usage: its content-chunk count.
    const noUsage = { ...inner, generate: async (...args: Parameters<typeof inner.generate>) => ({ ...(await inner.generate(...args)), usage: { completionTokens: 3, source: 'chunks' as const } }) };
    const { run } = await createTestKernel({ engine: noUsage, plugins: [[serving, { inputTokens: 8, outputTokens: 6, numPrompts: 4, checkTokens: true }]] });
    const { summary, records } = await run();
    const perf = summary.benchmarks.serving!.performance!;
    expect(perf.total_output_tokens).toBe(24);
    expect(perf.output_tokens_source).toEqual({ tokenizer: 4 });
    expect(records[0]!.result.usage).toMatchObject({ completionTokens: 6, source: 'tokenizer' });
  });
});
