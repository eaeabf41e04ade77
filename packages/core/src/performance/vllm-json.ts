import type { Distribution, GenerateResult, PerformanceSummary } from '../types.js';
import { e2elMs, sloTtftMs } from './latency.js';

/** Run facts vLLM puts beside the metrics in its result JSON. */
export interface VllmBenchMeta {
  /** `model_id` (the served model / path). */
  model: string;
  /** Defaults to `model`. */
  tokenizer?: string;
  /**
   * vLLM's `--backend`, written as both `backend` and `endpoint_type`: `openai` (completions, its
   * default) or `openai-chat` (chat completions). Defaults to `openai`.
   */
  backend?: string;
  /** vLLM's `--label`: null unless one was given. */
  label?: string;
  /** Requests sent (vLLM's `--num-prompts`); defaults to completed + failed. */
  numPrompts?: number;
  /** Requests/s, or undefined for an unthrottled (closed-loop) run → `"inf"`. */
  requestRate?: number;
  /** Gamma shape factor as used (1 = Poisson, Infinity = constant spacing, vLLM's `--burstiness inf`). */
  burstiness?: number;
  maxConcurrency?: number;
  /** Percentiles to emit as `p<q>_<metric>_ms` (vLLM `--metric-percentiles`); default [99]. */
  percentiles?: readonly number[];
  /** Defaults to now, formatted as vLLM does (`YYYYMMDD-HHMMSS`). */
  date?: Date;
}

export type VllmBenchJson = Record<string, string | number | null>;

/**
 * The summary in vLLM `bench serve --save-result` field names (vllm/benchmarks/serve.py), so
 * dashboards built on those files read Yardstick runs unchanged. Times in ms, durations in s.
 */
export function toVllmBenchJson(summary: PerformanceSummary, meta: VllmBenchMeta): VllmBenchJson {
  const out: VllmBenchJson = {
    date: formatDate(meta.date ?? new Date()),
    endpoint_type: meta.backend ?? 'openai',
    backend: meta.backend ?? 'openai',
    label: meta.label ?? null,
    model_id: meta.model,
    tokenizer_id: meta.tokenizer ?? meta.model,
    num_prompts: meta.numPrompts ?? summary.completed + summary.failed,
    request_rate: meta.requestRate === undefined || !Number.isFinite(meta.requestRate) ? 'inf' : meta.requestRate,
    // vLLM's json.dump writes float('inf') as a bare `Infinity`, which is not JSON: "inf", as request_rate.
    burstiness: meta.burstiness === undefined ? 1 : Number.isFinite(meta.burstiness) ? meta.burstiness : 'inf',
    max_concurrency: meta.maxConcurrency ?? null,
    duration: summary.duration_s,
    completed: summary.completed,
    failed: summary.failed,
    total_input_tokens: summary.total_input_tokens,
    total_output_tokens: summary.total_output_tokens,
    request_throughput: summary.request_throughput,
    // vLLM writes null when no SLO was given.
    request_goodput: summary.slo === undefined ? null : summary.goodput,
    output_throughput: summary.output_throughput,
    total_token_throughput: summary.total_token_throughput,
    max_output_tokens_per_s: summary.max_output_tokens_per_s ?? null,
    max_concurrent_requests: summary.max_concurrent_requests ?? null,
    // vLLM's inverse real-time factor, for audio input: 0 for text, as vLLM writes it.
    rtfx: 0,
  };
  const percentiles = meta.percentiles ?? [99];
  const metrics: [string, Distribution][] = [
    ['ttft', summary.ttft_ms],
    ['tpot', summary.tpot_ms],
    ['itl', summary.itl_ms],
    ['e2el', summary.e2el_ms],
  ];
  // vLLM's client queue time (requests waiting for a slot under --max-concurrency), when measured.
  if (summary.client_queue_ms) metrics.push(['client_queue_time', summary.client_queue_ms]);
  for (const [name, d] of metrics) {
    out[`mean_${name}_ms`] = d.mean;
    out[`median_${name}_ms`] = d.median;
    out[`std_${name}_ms`] = d.std;
    for (const p of percentiles) {
      // vLLM: `str(int(p)) if int(p) == p else str(p)`; JS number formatting agrees for both cases.
      const value = p === 50 ? d.median : d[`p${p}`];
      out[`p${p}_${name}_ms`] = value ?? null;
    }
  }
  return out;
}

function formatDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

/**
 * vLLM's per-request arrays, in the order its result JSON has them (vllm/benchmarks/serve.py
 * `benchmark()`). Each holds one entry per request sent (failed ones included), all in request
 * (dispatch) order.
 */
export const VLLM_DETAIL_FIELDS = ['input_lens', 'output_lens', 'ttfts', 'itls', 'latencies', 'start_times', 'queue_times', 'generated_texts', 'errors'] as const;
export type VllmDetailField = (typeof VLLM_DETAIL_FIELDS)[number];
/** The arrays vLLM keeps in its result file without `--save-detailed` (it strips only the others). */
export const VLLM_PLAIN_FIELDS = ['latencies', 'queue_times'] as const satisfies readonly VllmDetailField[];

/** One request's entries of the `--save-detailed` arrays (times in seconds, as vLLM writes them). */
export type VllmRequestDetail = { [K in VllmDetailField]: K extends 'itls' ? number[] : K extends 'generated_texts' | 'errors' ? string : K extends 'queue_times' ? number | null : number };

/** ms → s at the client's µs resolution: a difference of two ms times carries float noise past it (2.928 ms, not 2.9279999…). */
const msToS = (ms: number) => Math.round(ms * 1000) / 1e6;

/**
 * A request as vLLM's `RequestFuncOutput` fields land in the detailed result: `input_lens` its
 * `prompt_len` (the server's usage when the reply had one, else the length the client knows,
 * `promptLen`, so a failed request keeps its prompt's length; else 0), `output_lens` the same count
 * the aggregates use (usage, else content chunks; 0 when failed), `ttfts` and `itls` from the
 * content-chunk times (a reply without content: its first chunk with `choices`, vLLM's TTFT),
 * `latencies` the E2EL the aggregates use (0 when failed, as vLLM leaves it), `start_times` the send
 * time (epoch seconds: vLLM's `perf_counter()` has no fixed origin, so only differences between
 * entries carry meaning either way), `queue_times` vLLM's `client_queue_time` (send time minus
 * arrival time): in open loop the wait for a concurrency slot (0 without a cap; the client's own lag
 * is not queueing, as vLLM's arrival is taken after its own sleep), and `null` in closed loop, where
 * vLLM (rate inf) has every request arrive as the benchmark starts: the caller fills in the send
 * time minus the benchmark's first send, which needs every request. `errors` '' on success.
 */
export function vllmRequestDetail(result: GenerateResult, promptLen?: number): VllmRequestDetail {
  const t = result.timing;
  const chunks = t.chunksMs;
  const itls: number[] = [];
  for (let i = 1; i < chunks.length; i++) itls.push(msToS(chunks[i]! - chunks[i - 1]!));
  return {
    input_lens: result.usage?.promptTokens ?? promptLen ?? 0,
    output_lens: result.error ? 0 : (result.usage?.completionTokens ?? chunks.length),
    ttfts: msToS(sloTtftMs(t) ?? 0),
    itls,
    latencies: result.error ? 0 : msToS(e2elMs(t)),
    start_times: t.sentAt / 1000,
    queue_times: t.lagMs === undefined ? null : msToS(t.queueMs ?? 0),
    generated_texts: result.text,
    errors: result.error ? `${result.error.code}: ${result.error.message}` : '',
  };
}
