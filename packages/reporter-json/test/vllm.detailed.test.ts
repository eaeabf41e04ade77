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
  it('adds one entry per request to each array, in journal order, times in seconds', async () => {
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
    expect(json.input_lens).toEqual([8, 8, 8]);
    expect(json.output_lens).toEqual([3, 0, 2]);
    expect(json.ttfts).toEqual([0.02, 0, 0.0125]);
    expect(json.itls).toEqual([[0.01, 0.015], [], [0]]);
    expect(json.start_times).toEqual([1_700_000_000, 1_700_000_000.5, 1_700_000_001]);
    expect(json.generated_texts).toEqual([' a b', '', 'héllo 🦙']);
    expect(json.errors).toEqual(['', 'YS_ENGINE_HTTP_STATUS: request serving:1: HTTP 503', '']);
    // Temp files are gone.
    expect((await readdir(outDir)).filter((f) => f.startsWith('.vllm-detailed-'))).toEqual([]);
    await store.close();
  });

  it('streams 20,000 requests with their ITLs through the temp files', async () => {
    const n = 20_000;
    const chunks = Array.from({ length: 16 }, (_, i) => 10 + i * 2.5);
    const records = Array.from({ length: n }, (_, i) => record('serving', i, ok('x'.repeat(64), 1_700_000_000_000 + i, chunks, { promptTokens: 65, completionTokens: 16, source: 'server' }), 64));
    const { run, store } = await makeRun(records);
    await store.flush();
    const [file] = await writeVllmExports(makeSummary(), run, undefined, { detailed: true });
    const json = JSON.parse(await readFile(file!, 'utf8')) as { itls: number[][]; start_times: number[]; output_lens: number[] };
    expect(json.itls).toHaveLength(n);
    expect(json.itls[n - 1]).toHaveLength(15);
    expect(json.start_times[n - 1]).toBe((1_700_000_000_000 + n - 1) / 1000);
    expect(json.output_lens.every((x) => x === 16)).toBe(true);
    await store.close();
  });

  it('is off by default: the plain export has no per-request arrays', async () => {
    const { run, store } = await makeRun([record('serving', 0, ok('a', 1_700_000_000_000, [1]), 4)]);
    const [file] = await writeVllmExports(makeSummary(), run);
    expect(JSON.parse(await readFile(file!, 'utf8'))).not.toHaveProperty('itls');
    await store.close();
  });
});
