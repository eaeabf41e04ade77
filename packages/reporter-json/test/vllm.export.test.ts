import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import plugin, { vllmBackendOf, vllmMapper, writeVllmExports } from '../src/index.js';
import type { RunContext } from '@yardstick/core';
import { applyPlugin, makeRun, makeSummary } from '@yardstick/core/testing';

describe('reporter-json vLLM result export', () => {
  const available = vllmMapper() !== undefined;

  it.runIf(available)('writes vllm-bench.<benchmark>.json in vLLM field names for benchmarks with performance', async () => {
    const { run, hooks, outDir, store } = await makeRun([]);
    await applyPlugin(plugin, hooks);
    await hooks.report.promise(makeSummary(), run);
    const files = (await readdir(outDir)).filter((f) => f.startsWith('vllm-bench.'));
    expect(files).toEqual(['vllm-bench.serving.json']);
    const json = JSON.parse(await readFile(join(outDir, files[0]!), 'utf8')) as Record<string, unknown>;
    expect(json).toMatchObject({ completed: 4, failed: 0, mean_ttft_ms: 41.5, median_tpot_ms: 9.18, p99_e2el_ms: 153, request_throughput: 12.345, model_id: 'stories260K.gguf' });
    await store.close();
  });

  it.runIf(!available)('skips the export while core does not export toVllmBenchJson', async () => {
    const { run, hooks, outDir, store } = await makeRun([]);
    await applyPlugin(plugin, hooks);
    await hooks.report.promise(makeSummary(), run);
    expect((await readdir(outDir)).filter((f) => f.startsWith('vllm-bench.'))).toEqual([]);
    await store.close();
  });

  it('passes run facts to the mapper and names files per benchmark (root load for summaries without a phase load)', async () => {
    const { run, outDir, store } = await makeRun([]);
    (run as { config: object }).config = { name: 'sweep', concurrency: 8, percentiles: [50, 99], load: { rate: 4, burstiness: 0.5 } };
    const summary = makeSummary();
    delete summary.benchmarks.serving!.load;
    summary.benchmarks['serving@rate=4 req/s'] = summary.benchmarks.serving!;
    const seen: unknown[] = [];
    const files = await writeVllmExports(summary, run, (perf, meta) => {
      seen.push(meta);
      return { completed: perf.completed, model_id: meta.model };
    });
    expect(files.map((f) => f.slice(outDir.length + 1))).toEqual(['vllm-bench.serving.json', 'vllm-bench.serving_rate=4_req_s.json']);
    expect(seen[0]).toMatchObject({ model: 'stories260K.gguf', backend: 'openai', label: 'sweep', requestRate: 4, burstiness: 0.5, maxConcurrency: 8, percentiles: [50, 99] });
    // The mapper's fields, then the arrays vLLM keeps in every result file (no records here: empty).
    expect(JSON.parse(await readFile(files[0]!, 'utf8'))).toEqual({ completed: 4, model_id: 'stories260K.gguf', latencies: [], queue_times: [] });
    await store.close();
  });

  it('can be switched off', async () => {
    const { run, hooks, outDir, store } = await makeRun([]);
    await applyPlugin(plugin, hooks, { vllm: false });
    await hooks.report.promise(makeSummary(), run);
    expect((await readdir(outDir)).filter((f) => f.startsWith('vllm-bench.'))).toEqual([]);
    await store.close();
  });
});

describe("reporter-json vLLM export: vLLM's backend and label", () => {
  it.runIf(vllmMapper() !== undefined)('writes openai-chat for chat sources (sweep steps by their source), openai otherwise, and a null label unless configured', async () => {
    const { run, store } = await makeRun([]);
    (run as { config: object }).config = { percentiles: [99] };
    const sources = [
      { name: 'serving', kind: 'chat' as const, samples: () => [] },
      { name: 'plain', kind: 'completion' as const, samples: () => [] },
    ];
    (run as { benchmarks: RunContext['benchmarks'] }).benchmarks = { register() {}, list: () => sources };
    const summary = makeSummary();
    const base = summary.benchmarks.serving!;
    summary.benchmarks = { 'serving[concurrency=8]': base, plain: base, unknown: base };
    const files = await writeVllmExports(summary, run);
    const jsons = await Promise.all(files.map(async (f) => JSON.parse(await readFile(f, 'utf8')) as Record<string, unknown>));
    expect(jsons.map((j) => [j.backend, j.endpoint_type, j.label])).toEqual([
      ['openai-chat', 'openai-chat', null],
      ['openai', 'openai', null],
      ['openai', 'openai', null],
    ]);
    expect(vllmBackendOf(run, 'serving[concurrency=8]')).toBe('openai-chat');
    await store.close();
  });
});

describe('reporter-json vLLM export: each phase its own load', () => {
  it.runIf(vllmMapper() !== undefined)('writes request_rate, burstiness and max_concurrency from the phase, not the root config', async () => {
    const { run, outDir, store } = await makeRun([]);
    (run as { config: object }).config = { concurrency: 1, percentiles: [99] };
    const summary = makeSummary();
    const base = summary.benchmarks.serving!;
    summary.benchmarks = {
      'serving[rate=4]': { ...base, load: { rate: 4, arrival: 'gamma', burstiness: 0.5 } },
      'serving[concurrency=8]': { ...base, load: { concurrency: 8 } },
      'serving[rate=2]': { ...base, load: { rate: 2, arrival: 'constant' } },
    };
    const files = await writeVllmExports(summary, run);
    const [open, closed, constant] = await Promise.all(files.map(async (f) => JSON.parse(await readFile(f, 'utf8')) as Record<string, unknown>));
    // vLLM: an uncapped open loop has max_concurrency null; a closed loop has request_rate "inf".
    expect(open).toMatchObject({ request_rate: 4, burstiness: 0.5, max_concurrency: null });
    expect(closed).toMatchObject({ request_rate: 'inf', burstiness: 1, max_concurrency: 8 });
    // Constant spacing is vLLM's --burstiness inf, written as request_rate's "inf" (a bare Infinity is not JSON).
    expect(constant).toMatchObject({ request_rate: 2, burstiness: 'inf' });
    await store.close();
  });
});
