import type { GenerateResult, PerformanceSummary, TimingTrace, Usage } from '../types.js';
import { StreamingDistribution, type StreamingDistributionOptions } from './distribution.js';
import { e2elMs, sloTtftMs, tpotMs } from './latency.js';
import { PeakTracker } from './peaks.js';

export interface SloOptions {
  /** Time to first token, ms. */
  ttft?: number;
  /** Time per output token, ms. */
  tpot?: number;
  /** End-to-end latency, ms. */
  e2el?: number;
}

export interface PerformanceOptions extends StreamingDistributionOptions {
  /** Extra percentiles reported as `p<q>` on every distribution (median, p90, p95, p99 are always there). */
  percentiles?: readonly number[];
  /** SLOs in ms; a request counts toward goodput when it meets every one that is set. */
  slo?: SloOptions;
  /**
   * The client is flagged as the bottleneck when its send-lag p99 exceeds
   * max(`lagThresholdMs`, `lagFraction` × mean inter-arrival). Defaults: 5 ms and 0.1.
   */
  lagThresholdMs?: number;
  lagFraction?: number;
  /**
   * When the benchmark's clock started (epoch ms): an open-loop phase's measured schedule start,
   * one inter-arrival gap before its first send. The duration counts from here (or from the first
   * send, if that was earlier: a resumed run's older records), as vLLM's `benchmark_duration` does;
   * without it, from the first send (closed loop, where the two coincide).
   */
  origin?: number;
  /** The run attempt `origin` belongs to (this process's; default 1). Other attempts count from their first send. */
  originAttempt?: number;
  /** Token times kept for the peak metrics before a second pass is asked for (default 1,048,576). */
  peakTokenBudget?: number;
  /** Request spans kept for the peak concurrency before it is swept in windowed passes (default 1,048,576). */
  peakRequestBudget?: number;
}

/**
 * A client-side token count to compare with the server's `usage` (when the engine or kernel counted
 * the output with the tokenizer). Read structurally so `Usage` can grow the field without a cast.
 */
type UsageWithCheck = Usage;

/** Cross-check of the server's output-token counts against a client-side count. */
export interface TokenCountCheck {
  /** Requests where both counts existed. */
  requests: number;
  /** …of which the counts differ. */
  mismatched: number;
  server_tokens: number;
  client_tokens: number;
  /** What the client count was: the tokenizer, streamed content chunks, or both across requests. */
  client_source: 'tokenizer' | 'chunks' | 'mixed';
}

/**
 * Accumulates request timings into vLLM-`bench serve` aggregates in constant memory (a
 * 1,000,000-request run costs the same as a 100,000-request one: see StreamingDistribution).
 *
 * Definitions (vLLM `benchmarks/serve.py`, on successful requests):
 * - TTFT = sent → first content chunk; E2EL = sent → last chunk with `choices` (vLLM's latency; the
 *   last byte where that was not recorded, see `e2elMs`).
 * - TPOT = (E2EL − TTFT) / (output tokens − 1), only for requests with more than one output token.
 * - ITL = gaps between consecutive content chunks, pooled over all requests.
 * - Throughputs over wall time: first send → last byte of the last reply (failed requests included
 *   in the span), as vLLM's benchmark duration waits for every request to return.
 * - Goodput: successful requests meeting every SLO set, per second (TPOT counts as 0 for ≤1 token).
 *   A reply without content is judged on its first chunk with `choices` (vLLM's TTFT), and fails a
 *   TTFT SLO when it has none.
 * - Output tokens from the server's usage; else whatever the engine reported (tokenizer / chunks).
 * - Input tokens from the server's usage; else the prompt length the client knows (`add`'s
 *   `promptTokens`, vLLM's `prompt_len`); else 0.
 * - Peak output tokens/s and peak concurrent requests: see PeakTracker. While `needsReplay` is true
 *   after the last `add`, pass every request to `replay`, then call `endReplay`, before `summarize`.
 */
export class PerformanceAggregator {
  private readonly ttft: StreamingDistribution;
  private readonly tpot: StreamingDistribution;
  private readonly itl: StreamingDistribution;
  private readonly e2el: StreamingDistribution;
  private readonly decode: StreamingDistribution;
  private readonly outTokens: StreamingDistribution;
  private readonly lag: StreamingDistribution;
  private readonly queue: StreamingDistribution;
  private readonly peaks: PeakTracker;
  private completed = 0;
  private failed = 0;
  private good = 0;
  private inputTokens = 0;
  private outputTokens = 0;
  private firstSent = Infinity;
  private lastSent = -Infinity;
  /** Successful replies that came as one JSON document (no token timings). */
  private unstreamed = 0;
  /**
   * Each run attempt's [first send, last byte] (a resumed run's records carry their attempt): the
   * duration adds them up, so the time between an interruption and its resume is not benchmark time.
   */
  private readonly spans = new Map<number, { from: number; to: number }>();
  private readonly errors: Record<string, number> = {};
  private readonly errorExamples: Record<string, string> = {};
  private readonly sources: Record<string, number> = {};
  private check = { requests: 0, mismatched: 0, server: 0, client: 0, byTokenizer: 0, byChunks: 0 };
  private readonly percentiles: readonly number[];
  private readonly slo: SloOptions | undefined;

  constructor(private readonly options: PerformanceOptions = {}) {
    this.percentiles = (options.percentiles ?? []).filter((p) => ![50, 90, 95, 99].includes(p));
    const slo = options.slo;
    this.slo = slo && (slo.ttft !== undefined || slo.tpot !== undefined || slo.e2el !== undefined) ? slo : undefined;
    const d = () => new StreamingDistribution(options);
    this.ttft = d();
    this.tpot = d();
    this.itl = d();
    this.e2el = d();
    this.decode = d();
    this.outTokens = d();
    this.lag = d();
    this.queue = d();
    this.peaks = new PeakTracker({ tokens: options.peakTokenBudget, requests: options.peakRequestBudget });
  }

  /**
   * One request. `promptTokens`: its prompt length as the client knows it (a synthetic prompt's
   * exact token count), counted as input when the server reports no usage; vLLM likewise keeps
   * its `prompt_len` unless usage replaces it.
   */
  add(result: GenerateResult, promptTokens?: number, attempt = 1): void {
    this.peaks.add(result);
    const t = result.timing;
    if (t.sentAt < this.firstSent) this.firstSent = t.sentAt;
    if (t.sentAt > this.lastSent) this.lastSent = t.sentAt;
    const done = t.sentAt + t.doneMs;
    const span = this.spans.get(attempt);
    if (!span) this.spans.set(attempt, { from: t.sentAt, to: done });
    else {
      if (t.sentAt < span.from) span.from = t.sentAt;
      if (done > span.to) span.to = done;
    }
    if (t.lagMs !== undefined) this.lag.add(t.lagMs);
    if (result.error) {
      this.failed++;
      const code = result.error.code;
      this.errors[code] = (this.errors[code] ?? 0) + 1;
      this.errorExamples[code] ??= result.error.message.slice(0, 500);
      return;
    }
    this.completed++;
    if (t.unstreamed) this.unstreamed++;
    // vLLM keeps client queue times of successful requests only.
    if (t.queueMs !== undefined) this.queue.add(t.queueMs);
    const chunks = t.chunksMs;
    const usage = result.usage as UsageWithCheck | undefined;
    const out = usage?.completionTokens ?? chunks.length;
    const source = usage?.completionTokens !== undefined ? (usage.source ?? 'server') : 'chunks';
    this.sources[source] = (this.sources[source] ?? 0) + 1;
    if (source === 'server') this.crossCheck(out, usage?.tokenizerCompletionTokens, chunks.length);
    this.outputTokens += out;
    this.inputTokens += usage?.promptTokens ?? promptTokens ?? 0;
    this.outTokens.add(out);
    const e2el = e2elMs(t);
    this.e2el.add(e2el);
    const ttft = t.firstTokenMs;
    const tpot = tpotMs(e2el, ttft, out);
    if (ttft !== undefined) {
      this.ttft.add(ttft);
      if (tpot !== undefined) this.tpot.add(tpot);
      if (e2el > ttft) this.decode.add(out / ((e2el - ttft) / 1000));
    }
    for (let i = 1; i < chunks.length; i++) this.itl.add(chunks[i]! - chunks[i - 1]!);
    if (!this.slo || meetsSlo(this.slo, t, e2el, tpot ?? 0, out)) this.good++;
  }

  /** The peak metrics need another pass over the requests (a long run overflowed their buffers). */
  get needsReplay(): boolean {
    return this.peaks.needsReplay;
  }

  /** A replay pass for the peak metrics: every request given to `add`, again, then `endReplay()`. */
  replay(result: GenerateResult): void {
    this.peaks.replay(result);
  }

  endReplay(): void {
    this.peaks.endReplay();
  }

  /** Requests added, successful or not. */
  get count(): number {
    return this.completed + this.failed;
  }

  private crossCheck(server: number, tokenizer: number | undefined, chunks: number): void {
    // Prefer a tokenizer count; streamed chunks are usually one token each but may bundle several.
    const client = tokenizer ?? (chunks > 0 ? chunks : undefined);
    if (client === undefined) return;
    const c = this.check;
    c.requests++;
    c.server += server;
    c.client += client;
    if (client !== server) c.mismatched++;
    if (tokenizer !== undefined) c.byTokenizer++;
    else c.byChunks++;
  }

  summarize(): PerformanceSummary {
    const started = Number.isFinite(this.firstSent);
    const durationS = started ? Math.max(1e-9, this.durationMs() / 1000) : 0;
    const per = (x: number) => (durationS > 0 ? x / durationS : 0);
    const ps = this.percentiles;
    const summary: PerformanceSummary = {
      ttft_ms: this.ttft.summarize(ps),
      tpot_ms: this.tpot.summarize(ps),
      itl_ms: this.itl.summarize(ps),
      e2el_ms: this.e2el.summarize(ps),
      decode_tokens_per_s: this.decode.summarize(ps),
      output_tokens: this.outTokens.summarize(ps),
      request_throughput: per(this.completed),
      output_throughput: per(this.outputTokens),
      total_token_throughput: per(this.outputTokens + this.inputTokens),
      goodput: per(this.good),
      completed: this.completed,
      failed: this.failed,
      errors: { ...this.errors },
      duration_s: durationS,
      total_input_tokens: this.inputTokens,
      total_output_tokens: this.outputTokens,
      ...this.peaks.summarize(),
    };
    if (this.slo) summary.slo = { ...this.slo };
    if (this.failed > 0) summary.error_examples = { ...this.errorExamples };
    if (this.completed > 0) summary.output_tokens_source = { ...this.sources };
    if (this.check.requests > 0) summary.token_count_mismatch = this.tokenCheck();
    const approximate = [this.ttft, this.tpot, this.itl, this.e2el].some((d) => d.approximate);
    if (approximate) summary.percentiles_approximate = { sketch: 'DDSketch', relative_accuracy: this.options.relativeAccuracy ?? 0.001 };
    const warnings: string[] = [];
    // vLLM warns the same way: a run where nothing succeeded measured nothing, and is most often misconfigured.
    if (this.completed === 0 && this.failed > 0) {
      const codes = Object.entries(this.errors)
        .map(([code, n]) => `${code} ×${n}`)
        .join(', ');
      warnings.push(`all ${this.failed} requests failed (${codes}): nothing was measured; see error_examples`);
    }
    if (this.unstreamed > 0) {
      warnings.push(
        `${this.unstreamed} of ${this.completed} replies were not streamed (one JSON document each): their TTFT is their whole latency and they add no ITL; stream them for token timings`,
      );
    }
    if (this.lag.count > 0) {
      summary.client_lag_ms = this.lag.summarize(ps);
      const bottleneck = this.clientBottleneck(summary.client_lag_ms.p99);
      summary.client_bottleneck = bottleneck !== undefined;
      if (bottleneck) warnings.push(bottleneck);
    }
    if (this.queue.count > 0) {
      summary.client_queue_ms = this.queue.summarize(ps);
      const queued = this.slotQueueing(summary.client_queue_ms.p99);
      if (queued) warnings.push(queued);
    }
    const mismatch = summary.token_count_mismatch as TokenCountCheck | undefined;
    if (mismatch && mismatch.mismatched > 0 && mismatch.client_source !== 'chunks')
      warnings.push(
        `output token counts differ between server usage and the tokenizer on ${mismatch.mismatched}/${mismatch.requests} requests ` +
          `(server ${mismatch.server_tokens}, tokenizer ${mismatch.client_tokens})`,
      );
    // The kernel copies `warning` into `summary.warnings` (prefixed with the benchmark name).
    if (warnings.length > 0) summary.warning = warnings.join('; ');
    return summary;
  }

  /** The attempts' spans added up, this process's attempt counted from its schedule's origin when known. */
  private durationMs(): number {
    const { origin, originAttempt = 1 } = this.options;
    let total = 0;
    for (const [attempt, span] of this.spans) total += span.to - (attempt === originAttempt && origin !== undefined ? Math.min(span.from, origin) : span.from);
    return total;
  }

  private tokenCheck(): TokenCountCheck {
    const c = this.check;
    return {
      requests: c.requests,
      mismatched: c.mismatched,
      server_tokens: c.server,
      client_tokens: c.client,
      client_source: c.byChunks === 0 ? 'tokenizer' : c.byTokenizer === 0 ? 'chunks' : 'mixed',
    };
  }

  /** A warning when the client's own lag behind the open-loop schedule was large enough to distort results. */
  private clientBottleneck(lagP99: number): string | undefined {
    const { threshold, why } = this.lateness();
    if (lagP99 <= threshold) return undefined;
    return (
      `client was the bottleneck: send lag p99 ${lagP99.toFixed(2)} ms exceeds ${threshold.toFixed(2)} ms (${why}); ` +
      'the offered load was lower than configured, so latencies and throughput understate what the server would see'
    );
  }

  /** A warning when requests queued for a concurrency slot: the server, not the client, held the rate down. */
  private slotQueueing(queueP99: number): string | undefined {
    const { threshold, why } = this.lateness();
    if (queueP99 <= threshold) return undefined;
    return (
      `requests waited for a free slot under the concurrency cap: queue p99 ${queueP99.toFixed(2)} ms exceeds ${threshold.toFixed(2)} ms (${why}); ` +
      'the server did not keep up with the configured rate at this concurrency, so it was offered less than the rate configured'
    );
  }

  /** How late a send may be before it distorts the offered load: max(floor, fraction × mean inter-arrival). */
  private lateness(): { threshold: number; why: string } {
    const sends = this.count;
    const meanInterArrival = sends > 1 ? (this.lastSent - this.firstSent) / (sends - 1) : Infinity;
    const fraction = this.options.lagFraction ?? 0.1;
    const floor = this.options.lagThresholdMs ?? 5;
    const threshold = Number.isFinite(meanInterArrival) ? Math.max(floor, fraction * meanInterArrival) : floor;
    return { threshold, why: `max of ${floor} ms and ${fraction * 100}% of the ${meanInterArrival.toFixed(2)} ms mean inter-arrival` };
  }
}

/**
 * vLLM's goodput test of one successful request: every SLO set is met (`slo >= value`). A reply
 * without a content chunk has no TTFT here; vLLM's is its first chunk with `choices`, and TPOT then
 * runs from there too. With neither, the TTFT SLO is not met (it used to pass as a 0 ms TTFT).
 */
function meetsSlo(slo: SloOptions, t: TimingTrace, e2el: number, tpot: number, out: number): boolean {
  if (slo.e2el !== undefined && e2el > slo.e2el) return false;
  const ttft = sloTtftMs(t);
  if (t.firstTokenMs === undefined) tpot = tpotMs(e2el, ttft, out) ?? tpot;
  if (slo.ttft !== undefined && (ttft === undefined || ttft > slo.ttft)) return false;
  return slo.tpot === undefined || tpot <= slo.tpot;
}
