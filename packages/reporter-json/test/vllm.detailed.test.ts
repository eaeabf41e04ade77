import { readdir, readFile } from 'node:fs/promises';
import { makeRun, makeSummary } from '@yardstick/core/testing';
import type { GenerateResult, SampleRecord } from '@yardstick/core';
import { describe, expect, it } from 'vitest';
import { writeVllmExports } from '../src/index.js';

const record = (benchmark: string, index: number, result: GenerateResult, inputTokens?: number): SampleRecord => ({
  benchmark,
  sample: { id: String(index), task: benchmark, ...(inputTokens === undefined ? {} : { metadata: { input_tokens: inputTokens } }) },
  result,
  runId: 'run-test',
  index,
  score: { metrics: {}, reasons: {}, details: {} },
  finishedAt: '2026-11-22T06:00:00.000Z',
});

const ok = (text: string, sentAt: number, chunksMs: number[], usage?: GenerateResult['usage']): GenerateResult => ({
  text,
  timing: { sentAt, chunksMs, firstTokenMs: chunksMs[0], doneMs: (chunksMs.at(-1) ?? 0) + 1 },
  ...(usage ? { usage } : {}),
});

describe("reporter-json vLLM export with vLLM's --save-detailed arrays", () => {
  it('adds one entry per request to each array, times in seconds', async () => {
    const records = [
      record('serving', 0, ok(' a b', 1_700_000_000_000, [20, 30, 45], { promptTokens: 9, completionTokens: 3, source: 'server' }), 8),
      record('gsm8k', 0, ok('42', 1_700_000_000_100, [5])),
      record('serving', 1, { text: '', timing: { sentAt: 1_700_000_000_500, chunksMs: [], doneMs: 3 }, error: { code: 'YS_ENGINE_HTTP_STATUS', message: 'request serving:1: HTTP 503' } }, 8),
      // No usage: output length from the content chunks; a character outside the BMP survives the temp files.
      record('serving', 2, ok('héllo 🦙', 1_700_000_001_000, [12.5, 12.5]), 8),
    ];
    const { run, outDir, store } = await makeRun(records);
    await store.flush();
    const files = await writeVllmExports(makeSummary(), run, undefined, { detailed: true });
    expect(files.map((f) => f.slice(outDir.length + 1))).toEqual(['vllm-bench.serving.json']);
    const json = JSON.parse(await readFile(files[0]!, 'utf8')) as Record<string, unknown>;
    // The scalar fields are those of the plain export.
    expect(json).toMatchObject({ completed: 4, model_id: 'stories260K.gguf', max_concurrency: 4, request_rate: 'inf' });
    // vLLM's prompt_len: the server's usage when the reply had one, else the length the client knows.
    expect(json.input_lens).toEqual([9, 8, 8]);
    expect(json.output_lens).toEqual([3, 0, 2]);
    expect(json.ttfts).toEqual([0.02, 0, 0.0125]);
    expect(json.itls).toEqual([[0.01, 0.015], [], [0]]);
    // E2EL in s; vLLM leaves a failed request's latency at 0.
    expect(json.latencies).toEqual([0.046, 0, 0.0135]);
    expect(json.start_times).toEqual([1_700_000_000, 1_700_000_000.5, 1_700_000_001]);
    expect(json.generated_texts).toEqual([' a b', '', 'héllo 🦙']);
    expect(json.errors).toEqual(['', 'YS_ENGINE_HTTP_STATUS: request serving:1: HTTP 503', '']);
    // Temp files are gone.
    expect((await readdir(outDir)).filter((f) => f.startsWith('.vllm-detailed-'))).toEqual([]);
    await store.close();
  });

  it('writes the arrays in request (dispatch) order, not the journal\'s completion order', async () => {
    const t0 = 1_700_000_000_000;
    const fail = (index: number): GenerateResult => ({ text: '', timing: { sentAt: t0 + index * 10, chunksMs: [], doneMs: 2 }, error: { code: 'YS_ENGINE_HTTP_STATUS', message: `request ${index}: HTTP 500` } });
    const turn = (sentAt: number, text: string) => ok(text, sentAt, [5, 9], { promptTokens: 30, completionTokens: 2, source: 'server' });
    // Journal order is completion order: a long request dispatched first lands last.
    const records = [
      record('serving', 2, ok('c', t0 + 20, [4], { promptTokens: 17, completionTokens: 1, source: 'server' }), 16),
      record('serving', 1, fail(1), 16),
      { ...record('serving', 4, turn(t0 + 40, 'turn 0')), turns: [turn(t0 + 40, 'turn 0'), turn(t0 + 95, 'turn 1')] },
      record('serving', 3, ok('d', t0 + 30, [6]), 16),
      record('serving', 0, ok('a', t0, [900, 1000], { promptTokens: 17, completionTokens: 2, source: 'server' }), 16),
    ];
    const { run, store } = await makeRun(records);
    await store.flush();
    const [file] = await writeVllmExports(makeSummary(), run, undefined, { detailed: true });
    const json = JSON.parse(await readFile(file!, 'utf8')) as Record<string, unknown[]>;
    // A conversation's turns follow each other by send time.
    expect(json.generated_texts).toEqual(['a', '', 'c', 'd', 'turn 0', 'turn 1']);
    expect(json.start_times).toEqual([0, 10, 20, 30, 40, 95].map((ms) => (t0 + ms) / 1000));
    // The failed request keeps its prompt's length; one without usage takes the client's.
    expect(json.input_lens).toEqual([17, 16, 17, 16, 30, 30]);
    expect(json.output_lens).toEqual([2, 0, 1, 1, 2, 2]);
    expect(json.latencies).toEqual([1.001, 0, 0.005, 0.007, 0.01, 0.01]);
    expect(json.errors).toEqual(['', 'YS_ENGINE_HTTP_STATUS: request 1: HTTP 500', '', '', '', '']);
    // Closed loop (no lag recorded): vLLM (rate inf) has every request arrive as the benchmark starts.
    expect(json.queue_times).toEqual([0, 0.01, 0.02, 0.03, 0.04, 0.095]);
    expect(Object.keys(json).slice(-9)).toEqual(['input_lens', 'output_lens', 'ttfts', 'itls', 'latencies', 'start_times', 'queue_times', 'generated_texts', 'errors']);
    await store.close();
  });

  it("counts a resumed attempt's closed-loop queue times from that attempt's first send, not across the downtime", async () => {
    const t0 = 1_700_000_000_000;
    const rec = (index: number, at: number, attempt?: number): SampleRecord => ({ ...record('serving', index, ok('a', t0 + at, [1])), ...(attempt ? { attempt } : {}) });
    const { run, store } = await makeRun([rec(0, 0), rec(1, 40), rec(2, 60_000, 2), rec(3, 60_025, 2)]);
    await store.flush();
    const [file] = await writeVllmExports(makeSummary(), run, undefined, { detailed: true });
    const json = JSON.parse(await readFile(file!, 'utf8')) as Record<string, number[]>;
    expect(json.queue_times).toEqual([0, 0.04, 0, 0.025]);
    await store.close();
  });

  it('streams 20,000 requests with their ITLs through the temp files', async () => {
    const n = 20_000;
    const chunks = Array.from({ length: 16 }, (_, i) => 10 + i * 2.5);
    const records = Array.from({ length: n }, (_, i) => record('serving', i, ok('x'.repeat(64), 1_700_000_000_000 + i, chunks, { promptTokens: 65, completionTokens: 16, source: 'server' }), 64));
    // Completion order differs from dispatch order by up to 64 places, as at concurrency 64.
    for (let i = 0; i + 64 <= n; i += 64) records.splice(i, 64, ...records.slice(i, i + 64).reverse());
    const { run, store } = await makeRun(records);
    await store.flush();
    const [file] = await writeVllmExports(makeSummary(), run, undefined, { detailed: true });
    const json = JSON.parse(await readFile(file!, 'utf8')) as { itls: number[][]; start_times: number[]; output_lens: number[] };
    expect(json.itls).toHaveLength(n);
    expect(json.itls[n - 1]).toHaveLength(15);
    expect(json.start_times[n - 1]).toBe((1_700_000_000_000 + n - 1) / 1000);
    expect(json.start_times.every((x, i) => i === 0 || x > json.start_times[i - 1]!)).toBe(true);
    expect(json.output_lens.every((x) => x === 16)).toBe(true);
    await store.close();
  });

  it('is off by default: the plain export keeps only the arrays vLLM keeps without --save-detailed (latencies, queue_times) and rtfx', async () => {
    const t0 = 1_700_000_000_000;
    const open = (index: number, lagMs: number, queueMs?: number): GenerateResult => {
      const r = ok('a', t0 + index * 10, [1, 2]);
      return { ...r, timing: { ...r.timing, lagMs, ...(queueMs === undefined ? {} : { queueMs }) } };
    };
    const { run, store } = await makeRun([record('serving', 1, open(1, 0.2, 35.5), 4), record('serving', 0, open(0, 3))]);
    await store.flush();
    const [file] = await writeVllmExports(makeSummary(), run);
    const json = JSON.parse(await readFile(file!, 'utf8')) as Record<string, unknown>;
    expect(json).not.toHaveProperty('itls');
    expect(json).not.toHaveProperty('generated_texts');
    expect(json.rtfx).toBe(0);
    expect(json.latencies).toEqual([0.003, 0.003]);
    // Open loop: the wait for a concurrency slot, 0 without one; the client's own lag is not queueing.
    expect(json.queue_times).toEqual([0, 0.0355]);
    await store.close();
  });
});
