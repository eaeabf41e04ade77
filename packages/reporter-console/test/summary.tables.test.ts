import { describe, expect, it, vi } from 'vitest';
import pc from 'picocolors';
import plugin, { renderServing, renderSummary } from '../src/index.js';
import { applyPlugin, makePerformance, makeRecord, makeRun, makeSummary, makeSweepWithSystem } from '@yardstick/core/testing';

const plain = pc.createColors(false);

describe('summary tables', () => {
  const text = renderSummary(makeSummary(), { colors: plain, percentiles: [99], outDir: '/runs/x' });

  it('prints the run header with engine and launch command', () => {
    expect(text).toContain('Yardstick run run-test · completed in 1m 30s');
    expect(text).toContain('engine  engine-llamacpp 0.1.0 · in-process · model stories260K.gguf');
    expect(text).toContain('launch  node-llama-cpp threads=1');
    expect(text).toContain('results in /runs/x');
  });

  it('prints metrics with 95% CI, failed counts and categories', () => {
    expect(text).toContain('gsm8k · n=6 · failed 1');
    expect(text).toMatch(/│ exact_match_strict │ +0\.500 │ +\[0\.100, 0\.900\] │ +6 │/);
    expect(text).toMatch(/│ exact_match_flex +│ +0\.667 │/);
    expect(text).toMatch(/│ easy +│ +3 │ +0\.667 ±0\.433 │ +0\.833 ±0\.294 │/);
    expect(text).toMatch(/│ hard +│ +3 │ +0\.333 ±0\.433 │/);
  });

  it('prints the serving block in vllm bench serve layout, once for a single serving benchmark', () => {
    expect(text).toContain('Successful requests:                     4\n');
    expect(text).toContain('Benchmark duration (s):                  0.32\n');
    expect(text).toContain('Request throughput (req/s):              12.35\n');
    expect(text).toContain('Request goodput (req/s):                 11.00\n');
    expect(text).toContain('Output token throughput (tok/s):         49.38\n');
    expect(text).toContain('Peak output token throughput (tok/s):    16.00\n');
    expect(text).toContain('Peak concurrent requests:                4.00\n');
    expect(text).toContain('Total token throughput (tok/s):          230.10\n');
    expect(text).toContain('---------------Time to First Token----------------\n');
    expect(text).toContain('Mean TTFT (ms):                          41.50\n');
    expect(text).toContain('P99 TPOT (ms):                           20.40\n');
    expect(text).toContain('Median ITL (ms):                         9.09\n');
    expect(text).toContain('Mean E2EL (ms):                          76.50\n');
    expect(text).toContain('P99 lag (ms):                            0.42\n');
    expect(text.match(/Successful requests:/g)).toHaveLength(1);
    expect(text).toMatch(/│ prefix_cache_hit_rate │ +0\.420 │/);
    expect(text).toContain('server metrics (vllm · 12 scrapes over 61.0 s)');
    expect(text).toMatch(/│ kv_cache_usage +│ +│ +0\.080 │ +0\.130 │ +0\.010 │/);
    expect(text).toMatch(/│ ttft_seconds +│ +4 │ +0\.040 │ +│ +│ +0\.035 │ +0\.060 │ +0\.080 │/);
    expect(text).toContain('not exposed by this server: request_aborted');
    expect(text).not.toContain('vllm:prefix_cache_hits_total'); // provenance stays in summary.json
  });

  it("labels percentiles as vLLM's p_word (P50 from the median, P99.9), and prints goodput only under SLOs", () => {
    const perf = makePerformance();
    const out = renderServing(perf, { percentiles: [50, 99.9] });
    expect(out).toContain(`P50 TTFT (ms):                           ${perf.ttft_ms.median.toFixed(2)}\n`);
    expect(out).toMatch(/P99\.9 TTFT \(ms\): +[\d.–]+\n/);
    expect(out).not.toContain('P99_9');
    expect(out).toContain('Request goodput (req/s):');
    const { slo: _slo, ...noSlo } = perf;
    expect(renderServing(noSlo, { percentiles: [99] })).not.toContain('Request goodput');
  });

  it('prints SLOs, the token count check and sampled system resources', () => {
    expect(text).toContain('  under SLOs (ms):                       ttft≤200 tpot≤50\n');
    expect(text).toContain('Mismatched (server vs tokenizer):        1\n');
    expect(text).toContain('system (sampled every 1000 ms during generation)');
    expect(text).toMatch(/│ engine server \(pid 4242\) │ +97\.5 │ +101\.2 │ +210\.4 │ +230\.9 │/);
    expect(text).toMatch(/│ yardstick \(pid 4141\) +│ +12\.5 │/);
    expect(text).toContain('yardstick event loop busy: 25.0% mean, 50.0% peak (under 90%: the client kept up)');
  });

  it("puts each sweep step's system sample side by side, with a dash where a step had no GPU", () => {
    const out = renderSummary(makeSweepWithSystem(), { colors: plain, percentiles: [99] });
    expect(out).toContain("system per benchmark (each one's measured stretch, warm-up left out)");
    expect(out).toMatch(/│ benchmark +│ seconds │ engine CPU % mean │ engine CPU % peak │ engine RSS MB peak │ yardstick CPU % mean │ event loop busy % │ GPU util % mean │ GPU memory MB peak │/);
    expect(out).toMatch(/│ serving\[rate=1\] │ +12\.5 │ +55\.4 │ +80\.0 │ +230\.9 │ +12\.5 │ +25\.0 │ +– │ +– │/);
    expect(out).toMatch(/│ serving\[rate=8\] │ +6\.3 │ +97\.5 │ +101\.2 │ +230\.9 │ +12\.5 │ +25\.0 │ +87\.5 │ +20480\.0 │/);
    expect(text).not.toContain('system per benchmark'); // one benchmark: the run's table says it
  });

  it('compares benchmarks with performance side by side (sweeps)', () => {
    const summary = makeSummary();
    const perf = makePerformance();
    summary.benchmarks = {
      'serving[concurrency=1]': { n: 4, failed: 0, metrics: {}, aggregates: {}, performance: perf },
      'serving[concurrency=8]': { n: 4, failed: 1, metrics: {}, aggregates: {}, performance: { ...perf, failed: 1, request_throughput: 40.5 } },
    };
    const out = renderSummary(summary, { colors: plain, percentiles: [99] });
    expect(out).toContain('serving comparison');
    expect(out).toMatch(/│ serving\[concurrency=1\] │ +4 │ +0 │ +12\.35 │ +11\.00 │ +49\.4 │ +37\.4 │ +83\.0 │ +9\.18 │ +20\.20 │ +153\.0 │/);
    expect(out).toMatch(/│ serving\[concurrency=8\] │ +4 │ +1 │ +40\.50 │/);
    expect(out.match(/Successful requests:/g)).toHaveLength(3); // two benchmarks + the whole run
    expect(text).not.toContain('serving comparison'); // a single serving benchmark: nothing to compare
  });

  it('prints warnings, errors and no ANSI codes when colour is off', () => {
    expect(text).toContain('warnings (1)');
    expect(text).toContain('⚠ client lag p99 12.0 ms exceeded 5 ms');
    expect(text).not.toContain('\x1b[');
    const failed = { ...makeSummary(), status: 'failed' as const, error: { code: 'YS_ENGINE_START_FAILED', message: 'llama-server exited with code 1' } };
    expect(renderSummary(failed, { colors: plain, percentiles: [99] })).toContain('error   YS_ENGINE_START_FAILED: llama-server exited with code 1');
  });

  it('lists failure reasons and configurable percentiles in the serving block', () => {
    const perf = { ...makePerformance(), failed: 2, errors: { YS_ENGINE_HTTP_STATUS: 2 } };
    const block = renderServing(perf, { percentiles: [90, 99] });
    expect(block.split('\n')[0]).toBe('============ Serving Benchmark Result ============');
    expect(block).toContain('Failed requests:                         2\n  YS_ENGINE_HTTP_STATUS:                 2');
    expect(block).toContain('P90 TTFT (ms):                           62.25');
    expect(block.split('\n').at(-1)).toBe('='.repeat(50));
  });

  it('prints the configured concurrency cap and request rate as vLLM does, only when set', () => {
    const perf = makePerformance();
    const open = renderServing(perf, { percentiles: [99], load: { rate: 20, arrival: 'poisson', burstiness: 1, concurrency: 64 } });
    expect(open).toContain('Failed requests:                         0\nMaximum request concurrency:             64\nRequest rate configured (RPS):           20.00\nBenchmark duration (s):');
    const closed = renderServing(perf, { percentiles: [99], load: { concurrency: 8 } });
    expect(closed).toContain('Maximum request concurrency:             8\n');
    expect(closed).not.toContain('Request rate configured');
    expect(renderServing(perf, { percentiles: [99], load: { rate: 5 } })).not.toContain('Maximum request concurrency');
  });

  it('prints client queue time under a concurrency cap with vLLM\'s heading', () => {
    const perf = makePerformance();
    expect(renderServing(perf, { percentiles: [99] })).not.toContain('Client-side Queueing');
    const queued = renderServing({ ...perf, client_queue_ms: { mean: 120.5, median: 100, std: 30, p90: 150, p95: 170, p99: 210.25 } }, { percentiles: [99] });
    expect(queued).toContain('---------------Client-side Queueing---------------\nMean Client Queue Time (ms):             120.50\nMedian Client Queue Time (ms):           100.00\nP99 Client Queue Time (ms):              210.25');
  });

  it('runs as a plugin: setup subscribes to run.events, report writes to stderr', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const { run, hooks, events, store } = await makeRun([]);
      await applyPlugin(plugin, hooks, { progress: 'lines', color: false });
      await hooks.setup.promise(run);
      events.emit('benchmarkStart', { benchmark: 'gsm8k', total: 2, skipped: 0 });
      events.emit('sampleDone', { benchmark: 'gsm8k', record: makeRecord('gsm8k', 0, { score: 1 }) });
      await hooks.report.promise(makeSummary(), run);
      await hooks.teardown.promise(run, undefined);
      const all = written.join('');
      expect(all).toContain('[gsm8k] started: 2 samples');
      expect(all).toContain('[gsm8k] 1/2  50%');
      expect(all).toMatch(/│ exact_match_strict │ +0\.500 │/);
      await store.close();
    } finally {
      spy.mockRestore();
    }
  });
});
