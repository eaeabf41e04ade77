import { join } from 'node:path';
import * as core from '@yardstick/core';
import { VLLM_DETAIL_FIELDS, VLLM_PLAIN_FIELDS, writeReportFile, type PerformanceSummary, type RunContext, type RunSummary } from '@yardstick/core';
import { VllmDetailArrays } from './vllm-detailed.js';

export interface VllmMeta {
  model: string;
  backend?: string;
  label?: string;
  requestRate?: number;
  burstiness?: number;
  maxConcurrency?: number;
  percentiles?: readonly number[];
  date?: Date;
}
export type ToVllm = (summary: PerformanceSummary, meta: VllmMeta) => Record<string, string | number | null>;

/**
 * Core's vLLM-result mapper (`performance/vllm-json.ts`), looked up on core's public entry: plugins
 * import nothing else from core, and until core exports it this export is skipped (returns []).
 */
export function vllmMapper(): ToVllm | undefined {
  const fn = (core as Record<string, unknown>).toVllmBenchJson;
  return typeof fn === 'function' ? (fn as ToVllm) : undefined;
}

/**
 * vLLM's `--backend` (also its `endpoint_type`) for what a benchmark sent: `openai-chat` for chat
 * completions, else `openai`, vLLM's default (completions). From the benchmark's source, found by
 * name; a sweep step is its source's name plus `[concurrency=8]` or `[rate=4]`. Samples that pick
 * their own kind against their source's are not looked at (benchmark-serving's sources say it).
 */
export function vllmBackendOf(run: RunContext, benchmark: string): 'openai' | 'openai-chat' {
  const registry: RunContext['benchmarks'] | undefined = run.benchmarks;
  const sources = registry?.list() ?? [];
  for (let name = benchmark; ; ) {
    const source = sources.find((s) => s.name === name);
    if (source) return source.kind === 'chat' ? 'openai-chat' : 'openai';
    const base = name.replace(/\[[^\]]*\]$/, '');
    if (base === name) return 'openai';
    name = base;
  }
}

/** File-name-safe benchmark name (sweep phases carry `@rate=…` style suffixes). */
function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9._=-]+/g, '_');
}

/** A summary without per-phase loads: the root config's, read as the run read it (resolveArrival). */
function rootBurstiness(load: { arrival?: core.Arrival; burstiness?: number }): number | undefined {
  const law = core.resolveArrival(load);
  return typeof law === 'string' ? load.burstiness : law.burstiness;
}

/**
 * One `vllm-bench.<benchmark>.json` per benchmark with performance, in vLLM `bench serve
 * --save-result` field names, so dashboards built on those files read Yardstick runs unchanged.
 */
export async function writeVllmExports(summary: RunSummary, run: RunContext, toVllm: ToVllm | undefined = vllmMapper(), options: { detailed?: boolean } = {}): Promise<string[]> {
  if (!toVllm) return [];
  const config = run.config as Partial<RunContext['config']> | undefined;
  const load = config?.load ?? {};
  const written: string[] = [];
  const withPerformance = Object.entries(summary.benchmarks).filter(([, b]) => b.performance);
  let detail: VllmDetailArrays | undefined;
  try {
    // vLLM keeps `latencies` and `queue_times` in every result file; `--save-detailed` adds the rest.
    if (withPerformance.length > 0) {
      detail = await VllmDetailArrays.create(run.outDir, options.detailed ? VLLM_DETAIL_FIELDS : VLLM_PLAIN_FIELDS);
      await detail.collect(run.store.read(), new Set(withPerformance.map(([name]) => name)));
    }
    for (const [name, b] of withPerformance) {
      // The phase's own load (plugin options and sweep steps included) when the summary records it;
      // summaries written before it existed fall back to the root config.
      const phase = b.load;
      const json = toVllm(b.performance!, {
        model: summary.engine?.model ?? 'unknown',
        backend: vllmBackendOf(run, name),
        // vLLM's label is its --label, null when not given: the run's configured name, if any.
        label: config?.name,
        requestRate: phase ? phase.rate : load.rate,
        // Constant spacing is vLLM's `--burstiness inf` (the summary leaves its burstiness out).
        burstiness: phase ? (phase.arrival === 'constant' ? Infinity : phase.burstiness) : rootBurstiness(load),
        maxConcurrency: phase ? phase.concurrency : (load.concurrency ?? config?.concurrency),
        percentiles: config?.percentiles,
        date: new Date(summary.startedAt),
      });
      const file = join(run.outDir, `vllm-bench.${safe(name)}.json`);
      await writeReportFile(file, detail!.assemble(name, json), 'reporter-json', { details: () => ({ benchmark: name }) });
      written.push(file);
    }
  } finally {
    await detail?.close();
  }
  return written;
}
