/**
 * Hand-built run data for reporter tests: a RunSummary with a quality benchmark (categories, a failed
 * sample) and a serving benchmark (performance), plus a real JournalStore holding matching records;
 * and `runEchoKernel`, a real kernel run on the fake engine for a reporter's end-to-end test.
 * One copy for every reporter package (they may import `@yardstick/core/testing`, never each other).
 */
import { EventEmitter } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunContext, RunEventMap, RunEvents } from '../context.js';
import { createKernelHooks } from '../hooks.js';
import { silentLogger } from '../logger.js';
import { definePlugin, type Plugin } from '../plugin.js';
import { JournalStore } from '../store.js';
import type { Distribution, MetricAggregate, RunSummary, Sample, SampleRecord } from '../types.js';
import { CORE_VERSION } from '../version.js';
import { fakeEngine } from './fake-engine.js';
import { runTestKernel, type TestRun } from './test-kernel.js';

function dist(mean: number): Distribution {
  return { mean, median: mean * 0.9, std: mean / 4, p90: mean * 1.5, p95: mean * 1.7, p99: mean * 2 };
}

function agg(mean: number, n: number): MetricAggregate {
  const stderr = n > 1 ? Math.sqrt((mean * (1 - mean)) / n) : 0;
  return { mean, ci95: [Math.max(0, mean - 1.96 * stderr), Math.min(1, mean + 1.96 * stderr)], stderr, n };
}

export function makeRecord(benchmark: string, index: number, opts: { score?: number; error?: boolean; category?: string; prompt?: string; text?: string } = {}): SampleRecord {
  const sentAt = 1_700_000_000_000 + index * 100;
  const chunks = [40 + index, 50 + index, 61 + index, 70 + index];
  return {
    runId: 'run-test',
    benchmark,
    index,
    sample: {
      id: `${benchmark}-${index}`,
      task: benchmark === 'serving' ? 'serving' : 'gsm8k',
      prompt: opts.prompt ?? `Question ${index}: what is ${index} + ${index}? A "quoted", comma, answer`,
      target: String(index * 2),
      metadata: opts.category ? { category: opts.category } : {},
    },
    result: {
      text: opts.error ? '' : (opts.text ?? `The answer is ${index * 2}.\n#### ${index * 2}`),
      finishReason: opts.error ? undefined : 'stop',
      usage: { promptTokens: 12 + index, completionTokens: opts.error ? 0 : chunks.length, source: 'server' },
      timing: { sentAt, headersMs: 5, firstTokenMs: opts.error ? undefined : chunks[0], chunksMs: opts.error ? [] : chunks, doneMs: opts.error ? 30 : 75 + index },
      error: opts.error ? { code: 'YS_ENGINE_HTTP_STATUS', message: 'HTTP 500 from /v1/completions' } : undefined,
    },
    score:
      opts.score === undefined
        ? { metrics: {}, reasons: {}, details: {} }
        : {
            metrics: { exact_match_strict: opts.score, exact_match_flex: opts.score === 1 ? 1 : 0.5 },
            reasons: { 'scorer-gsm8k': opts.score === 1 ? 'matched 2' : `expected ${index * 2}, got nothing` },
            details: {},
          },
    finishedAt: new Date(sentAt + 100).toISOString(),
  };
}

/** 6 gsm8k samples (one failed request) in two categories, and 4 serving requests. */
export function makeRecords(): SampleRecord[] {
  return [
    makeRecord('gsm8k', 0, { score: 1, category: 'easy' }),
    makeRecord('gsm8k', 1, { score: 0, category: 'easy' }),
    makeRecord('gsm8k', 2, { score: 1, category: 'hard' }),
    makeRecord('gsm8k', 3, { score: 0, category: 'hard', error: true }),
    makeRecord('gsm8k', 4, { score: 0, category: 'hard' }),
    makeRecord('gsm8k', 5, { score: 1, category: 'easy' }),
    ...[0, 1, 2, 3].map((i) => makeRecord('serving', i)),
  ];
}

export function makePerformance(): NonNullable<RunSummary['performance']> {
  return {
    ttft_ms: dist(41.5),
    tpot_ms: dist(10.2),
    itl_ms: dist(10.1),
    e2el_ms: dist(76.5),
    decode_tokens_per_s: dist(98.0),
    output_tokens: dist(4),
    request_throughput: 12.345,
    output_throughput: 49.38,
    total_token_throughput: 230.1,
    max_output_tokens_per_s: 16,
    max_concurrent_requests: 4,
    goodput: 11.0,
    completed: 4,
    failed: 0,
    errors: {},
    duration_s: 0.324,
    total_input_tokens: 54,
    total_output_tokens: 16,
    client_lag_ms: dist(0.21),
    slo: { ttft: 200, tpot: 50 },
    token_count_mismatch: { requests: 4, mismatched: 1, server_tokens: 16, client_tokens: 17, client_source: 'tokenizer' },
  };
}

/** The shape of core's ServerMetricsSummary: counters, a gauge, a histogram and provenance. */
function serverMetrics(): Record<string, unknown> {
  return {
    flavor: 'vllm',
    scrapes: 12,
    window_s: 61,
    prefix_cache_hit_rate: 0.42,
    preemptions: 0,
    kv_cache_usage: { peak: 0.13, mean: 0.08, last: 0.01, samples: 12 },
    ttft_seconds: { count: 4, mean: 0.04, p50: 0.035, p90: 0.06, p99: 0.08 },
    sources: { prefix_cache_hit_rate: 'vllm:prefix_cache_hits_total / vllm:prefix_cache_queries_total' },
    unavailable: ['request_aborted'],
  };
}

export function makeSummary(): RunSummary {
  return {
    runId: 'run-test',
    startedAt: '2026-11-22T06:00:00.000Z',
    finishedAt: '2026-11-22T06:01:30.500Z',
    status: 'completed',
    config: { seed: 1234, plugins: { 'benchmark-gsm8k': { limit: 6 } } },
    engine: { name: 'engine-llamacpp', version: '0.1.0', model: 'stories260K.gguf', mode: 'in-process', launch: 'node-llama-cpp threads=1 model=/work/shared/models/stories260K.gguf' },
    plugins: { 'engine-llamacpp': '0.1.0', 'benchmark-gsm8k': '0.1.0', 'reporter-json': '0.1.0' },
    benchmarks: {
      gsm8k: {
        n: 6,
        failed: 1,
        metrics: { exact_match_strict: 0.5, exact_match_flex: 0.6667 },
        aggregates: { exact_match_strict: agg(0.5, 6), exact_match_flex: agg(0.6667, 6) },
        categories: {
          easy: { n: 3, metrics: { exact_match_strict: 0.6667, exact_match_flex: 0.8333 }, aggregates: { exact_match_strict: agg(0.6667, 3), exact_match_flex: agg(0.8333, 3) } },
          hard: { n: 3, metrics: { exact_match_strict: 0.3333, exact_match_flex: 0.5 }, aggregates: { exact_match_strict: agg(0.3333, 3), exact_match_flex: agg(0.5, 3) } },
        },
      },
      serving: {
        n: 4,
        failed: 0,
        metrics: {},
        aggregates: {},
        performance: makePerformance(),
        serverMetrics: serverMetrics(),
        load: { concurrency: 4 },
      },
    },
    performance: makePerformance(),
    serverMetrics: serverMetrics(),
    extensions: { 'benchmark-serving': { preset: 'tiny' } },
    system: {
      interval_ms: 1000,
      samples: 90,
      duration_s: 90,
      engine: { pid: 4242, cpu_percent: { mean: 97.5, peak: 101.2 }, rss_mb: { mean: 210.4, peak: 230.9, last: 220 }, processes: 1 },
      yardstick: { pid: 4141, cpu_percent: { mean: 12.5, peak: 30 }, rss_mb: { mean: 120.2, peak: 140.7, last: 130 }, processes: 1, event_loop_utilization: { mean: 0.25, peak: 0.5 } },
    },
    warnings: ['client lag p99 12.0 ms exceeded 5 ms: the client may have been the bottleneck'],
  };
}

/**
 * `makeSummary()` as a two-step sweep whose steps carry their own system samples: the first
 * without a GPU, the second with one (so per-benchmark tables show a GPU column with a gap).
 */
export function makeSweepWithSystem(): RunSummary {
  const summary = makeSummary();
  const perf = summary.benchmarks.serving!.performance!;
  const sys = summary.system!;
  summary.benchmarks = {
    'serving[rate=1]': { n: 4, failed: 0, metrics: {}, aggregates: {}, performance: perf, system: { ...sys, samples: 13, duration_s: 12.5, engine: { ...sys.engine!, cpu_percent: { mean: 55.4, peak: 80 } } } },
    'serving[rate=8]': {
      n: 4,
      failed: 0,
      metrics: {},
      aggregates: {},
      performance: { ...perf, request_throughput: 7.9 },
      system: { ...sys, samples: 7, duration_s: 6.25, gpu: [{ index: 0, name: 'A100', memory_used_mb: { mean: 100, peak: 20480 }, memory_total_mb: 81920, utilization_percent: { mean: 87.5, peak: 99 } }] },
    },
  };
  return summary;
}

/** A typed event emitter standing in for the kernel's RunEvents. */
export class TestEvents implements RunEvents {
  private readonly emitter = new EventEmitter();
  on<K extends keyof RunEventMap>(event: K, listener: (payload: RunEventMap[K]) => void): void {
    this.emitter.on(event, listener);
  }
  off<K extends keyof RunEventMap>(event: K, listener: (payload: RunEventMap[K]) => void): void {
    this.emitter.off(event, listener);
  }
  emit<K extends keyof RunEventMap>(event: K, payload: RunEventMap[K]): void {
    this.emitter.emit(event, payload);
  }
}

/** What `makeRun` returns (not to be confused with `runTestKernel`'s TestRun). */
export interface ReporterTestRun {
  run: RunContext;
  events: TestEvents;
  store: JournalStore;
  outDir: string;
  hooks: ReturnType<typeof createKernelHooks>;
}

/** A run folder with a real journal holding `records`, and the kernel's real hooks. */
export async function makeRun(records: SampleRecord[] = makeRecords()): Promise<ReporterTestRun> {
  const outDir = await mkdtemp(join(tmpdir(), 'ys-reporter-'));
  const store = await JournalStore.open(outDir, { sync: false });
  await Promise.all(records.map((r) => store.append(r)));
  const events = new TestEvents();
  const hooks = createKernelHooks();
  // Only the fields reporters read are real; the rest is never touched by them.
  const run = {
    runId: 'run-test',
    outDir,
    mode: 'run',
    config: { baseDir: outDir },
    signal: new AbortController().signal,
    logger: silentLogger(),
    store,
    events,
    resumed: false,
    warn() {},
    extend() {},
  } as unknown as RunContext;
  return { run, events, store, outDir, hooks };
}

/** Applies a plugin with parsed options to real kernel hooks, as the kernel does. */
export async function applyPlugin(plugin: Plugin, hooks: ReporterTestRun['hooks'], rawOptions: Record<string, unknown> = {}): Promise<void> {
  const options: unknown = plugin.configSchema ? plugin.configSchema.parse(rawOptions) : rawOptions;
  await plugin.apply?.({ hooks, options, logger: silentLogger(), config: {}, container: undefined as never });
}

/** Scores `contains` = 1 when the engine's reply contains the sample's target. */
export const echoScorer: Plugin = definePlugin({
  name: 'scorer-echo',
  version: CORE_VERSION,
  kind: 'scorer',
  core: `^${CORE_VERSION}`,
  apply({ hooks }) {
    hooks.score.tapPromise({ name: 'scorer-echo' }, async (card, s) => ({
      ...card,
      metrics: { ...card.metrics, contains: s.result.text.includes(String(s.sample.target)) ? 1 : 0 },
      reasons: { ...card.reasons, 'scorer-echo': `looked for ${String(s.sample.target)}` },
    }));
  },
});

export interface EchoRunOptions {
  /** How many samples (default 12); the first half is category `first`, the rest `second`. */
  count?: number;
  /** Every `yesEvery`-th prompt ends in the target "yes" (default 3: a third score 1). */
  yesEvery?: number;
  /** Which request (1-based) the engine fails with an HTTP error (default 5; 0 = none fails). */
  failRequest?: number;
}

/** Echo samples: the prompt ends in "answer yes" or "answer no", the target is "yes". */
export function echoSamples({ count = 12, yesEvery = 3 }: EchoRunOptions = {}): Sample[] {
  return Array.from({ length: count }, (_, i) => ({
    id: String(i),
    task: 'echo',
    prompt: `question ${i}, answer ${i % yesEvery === 0 ? 'yes' : 'no'}`,
    target: 'yes',
    metadata: { category: i < count / 2 ? 'first' : 'second' },
  }));
}

/**
 * A real kernel run of the `echo` benchmark on the fake engine (which replies with the prompt's last
 * 12 characters, so `contains` is real), scored by `echoScorer`, with `reporter` applied.
 */
export async function runEchoKernel(reporter: Plugin, reporterOptions: unknown = {}, options: EchoRunOptions = {}): Promise<TestRun> {
  const failRequest = options.failRequest ?? 5;
  let n = 0;
  const engine = fakeEngine({ reply: (r) => (++n === failRequest ? new Error('boom') : (r.prompt ?? '').slice(-12)) });
  return runTestKernel({ engine, samples: { echo: echoSamples(options) }, plugins: [echoScorer, [reporter, reporterOptions]] });
}
