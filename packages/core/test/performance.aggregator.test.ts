import { describe, expect, it } from 'vitest';
import { PerformanceAggregator } from '../src/performance/aggregator.js';
import { StreamingDistribution } from '../src/performance/distribution.js';
import { toVllmBenchJson } from '../src/performance/vllm-json.js';
import type { GenerateResult } from '../src/types.js';

/** A hand-built successful request: first token at `ttft`, then one chunk every `gap` ms. */
function trace(sentAt: number, ttft: number, gap: number, tokens: number, extra: Partial<GenerateResult> = {}): GenerateResult {
  const chunksMs = Array.from({ length: tokens }, (_, i) => ttft + i * gap);
  return {
    text: 'x'.repeat(tokens),
    usage: { promptTokens: 10, completionTokens: tokens, source: 'server' },
    timing: { sentAt, firstTokenMs: ttft, chunksMs, doneMs: chunksMs[chunksMs.length - 1]! },
    ...extra,
  };
}

describe('PerformanceAggregator definitions (vLLM bench serve)', () => {
  it('computes TTFT, TPOT, ITL, E2EL, decode speed and token totals from the trace', () => {
    const agg = new PerformanceAggregator({ percentiles: [50, 75] });
    agg.add(trace(1000, 50, 20, 11)); // e2el 250, tpot (250-50)/10 = 20
    agg.add(trace(1100, 100, 10, 5)); // e2el 140, tpot 40/4 = 10
    const s = agg.summarize();
    expect(s.completed).toBe(2);
    expect(s.failed).toBe(0);
    expect(s.ttft_ms.mean).toBe(75);
    expect(s.ttft_ms.median).toBe(75);
    expect(s.ttft_ms.std).toBe(25); // population std, as numpy
    expect(s.tpot_ms.mean).toBe(15);
    expect(s.e2el_ms.mean).toBe(195);
    // ITL pools gaps across requests: ten 20 ms gaps and four 10 ms gaps.
    expect(s.itl_ms.mean).toBeCloseTo((10 * 20 + 4 * 10) / 14, 12);
    expect(s.itl_ms.median).toBe(20);
    expect(s.p75).toBeUndefined();
    expect(s.ttft_ms.p75).toBeCloseTo(87.5, 12); // numpy linear interpolation between 50 and 100
    expect(s.total_input_tokens).toBe(20);
    expect(s.total_output_tokens).toBe(16);
    // wall time: first send 1000 → last done max(1250, 1240) = 1250 ms
    expect(s.duration_s).toBeCloseTo(0.25, 12);
    expect(s.request_throughput).toBeCloseTo(8, 9);
    expect(s.output_throughput).toBeCloseTo(64, 9);
    expect(s.total_token_throughput).toBeCloseTo(144, 9);
    expect(s.goodput).toBeCloseTo(8, 9);
    // seeds' decode speed: tokens / (E2EL − TTFT)
    expect(s.decode_tokens_per_s.mean).toBeCloseTo((11 / 0.2 + 5 / 0.04) / 2, 9);
    expect(s.client_lag_ms).toBeUndefined();
  });

  it('matches numpy percentiles exactly below the cap', () => {
    const agg = new PerformanceAggregator();
    for (let i = 1; i <= 10; i++) agg.add(trace(0, i, 1, 1));
    const s = agg.summarize();
    // np.percentile(range(1, 11), 90) = 9.1, 95 → 9.55, 99 → 9.91, median 5.5
    expect(s.ttft_ms.median).toBeCloseTo(5.5, 12);
    expect(s.ttft_ms.p90).toBeCloseTo(9.1, 12);
    expect(s.ttft_ms.p95).toBeCloseTo(9.55, 12);
    expect(s.ttft_ms.p99).toBeCloseTo(9.91, 12);
    // one-token requests have no TPOT and no ITL
    expect(s.tpot_ms.mean).toBe(0);
    expect(s.itl_ms.mean).toBe(0);
  });

  it('counts failures with reasons and keeps them out of latency metrics', () => {
    const agg = new PerformanceAggregator();
    agg.add(trace(0, 10, 5, 3));
    const fail = (code: string, message: string): GenerateResult => ({
      text: '',
      timing: { sentAt: 5, chunksMs: [], doneMs: 1000 },
      error: { code, message },
    });
    agg.add(fail('YS_ENGINE_HTTP_STATUS', 'HTTP 503 from /v1/completions'));
    agg.add(fail('YS_ENGINE_HTTP_STATUS', 'HTTP 500'));
    agg.add(fail('YS_ENGINE_CONNECT_REFUSED', 'connect ECONNREFUSED'));
    const s = agg.summarize();
    expect(agg.count).toBe(4);
    expect(s.completed).toBe(1);
    expect(s.failed).toBe(3);
    expect(s.errors).toEqual({ YS_ENGINE_HTTP_STATUS: 2, YS_ENGINE_CONNECT_REFUSED: 1 });
    expect(s.error_examples).toEqual({ YS_ENGINE_HTTP_STATUS: 'HTTP 503 from /v1/completions', YS_ENGINE_CONNECT_REFUSED: 'connect ECONNREFUSED' });
    expect(s.e2el_ms.mean).toBe(20);
    // the failed request still spans the wall time (0 → 1005 ms)
    expect(s.duration_s).toBeCloseTo(1.005, 12);
  });

  it('counts goodput only for requests meeting every SLO set', () => {
    const agg = new PerformanceAggregator({ slo: { ttft: 60, tpot: 15 } });
    agg.add(trace(0, 50, 10, 11)); // ttft 50 ok, tpot 10 ok → good
    agg.add(trace(0, 70, 10, 11)); // ttft 70 misses
    agg.add(trace(0, 50, 20, 11)); // tpot 20 misses
    agg.add(trace(0, 50, 0, 1)); // a single token: TPOT counts as 0 (vLLM) → good
    const s = agg.summarize();
    const wall = s.duration_s;
    expect(s.goodput).toBeCloseTo(2 / wall, 9);
    expect(s.request_throughput).toBeCloseTo(4 / wall, 9);
    expect(s.slo).toEqual({ ttft: 60, tpot: 15 });
  });

  it('uses e2el SLO alone when only it is set', () => {
    const agg = new PerformanceAggregator({ slo: { e2el: 100 } });
    agg.add(trace(0, 10, 10, 10)); // e2el 100 → good (≤)
    agg.add(trace(0, 10, 10, 11)); // e2el 110 → not
    expect(agg.summarize().goodput * agg.summarize().duration_s).toBeCloseTo(1, 9);
  });

  it('reports client lag and flags the client as the bottleneck past the threshold', () => {
    const relaxed = new PerformanceAggregator();
    for (let i = 0; i < 100; i++) relaxed.add({ ...trace(i * 10, 1, 1, 2), timing: { ...trace(i * 10, 1, 1, 2).timing, lagMs: 0.2 } });
    const ok = relaxed.summarize();
    expect(ok.client_lag_ms?.p99).toBeCloseTo(0.2, 12);
    expect(ok.client_bottleneck).toBe(false);
    expect(ok.warning).toBeUndefined();

    // 1 ms between arrivals; lag growing to 50 ms: the client could not keep up.
    const late = new PerformanceAggregator();
    for (let i = 0; i < 100; i++) {
      const r = trace(i, 1, 1, 2);
      late.add({ ...r, timing: { ...r.timing, lagMs: i / 2 } });
    }
    const bad = late.summarize();
    expect(bad.client_bottleneck).toBe(true);
    expect(bad.warning).toMatch(/client was the bottleneck: send lag p99 49\.\d+ ms exceeds 5\.00 ms/);
  });

  it('reports queueing for a concurrency slot as the server holding the rate down, not the client', () => {
    // 1 ms between sends; every request waited ever longer for a slot, the client itself was on time.
    const agg = new PerformanceAggregator();
    for (let i = 0; i < 100; i++) {
      const r = trace(i, 1, 1, 2);
      agg.add({ ...r, timing: { ...r.timing, lagMs: 0.1, queueMs: i * 3 } });
    }
    // A failed request's queue time is left out, as vLLM keeps successful ones only.
    agg.add({ text: '', timing: { sentAt: 100, chunksMs: [], doneMs: 1, lagMs: 0.1, queueMs: 10_000 }, error: { code: 'X', message: 'x' } });
    const s = agg.summarize();
    expect(s.client_bottleneck).toBe(false);
    // numpy.percentile over 0, 3, …, 297 (the failed request's 10 s left out).
    expect(s.client_queue_ms!.median).toBeCloseTo(148.5, 9);
    expect(s.client_queue_ms!.p99).toBeCloseTo(294.03, 9);
    expect(s.warning).toMatch(/^requests waited for a free slot under the concurrency cap: queue p99 29\d\.\d+ ms exceeds 5\.00 ms/);
    expect(s.warning).not.toMatch(/client was the bottleneck/);
  });

  it('scales the lag threshold with the inter-arrival time', () => {
    // 1 request/s: 8 ms of lag is under 10% of 1,000 ms.
    const agg = new PerformanceAggregator();
    for (let i = 0; i < 10; i++) {
      const r = trace(i * 1000, 1, 1, 2);
      agg.add({ ...r, timing: { ...r.timing, lagMs: 8 } });
    }
    expect(agg.summarize().client_bottleneck).toBe(false);
  });

  it('cross-checks server token counts against the tokenizer and reports the mismatch', () => {
    const agg = new PerformanceAggregator();
    const a = trace(0, 1, 1, 10);
    agg.add({ ...a, usage: { ...a.usage, tokenizerCompletionTokens: 10 } as GenerateResult['usage'] });
    const b = trace(0, 1, 1, 10);
    agg.add({ ...b, usage: { ...b.usage, tokenizerCompletionTokens: 12 } as GenerateResult['usage'] });
    const s = agg.summarize();
    expect(s.token_count_mismatch).toEqual({ requests: 2, mismatched: 1, server_tokens: 20, client_tokens: 22, client_source: 'tokenizer' });
    expect(s.warning).toMatch(/differ between server usage and the tokenizer on 1\/2 requests/);
  });

  it('compares with streamed chunks when no tokenizer count exists, and falls back to chunks without usage', () => {
    const agg = new PerformanceAggregator();
    const a = trace(0, 1, 1, 4);
    agg.add({ ...a, usage: { completionTokens: 5, source: 'server' } });
    agg.add({ ...trace(0, 1, 1, 3), usage: undefined });
    const s = agg.summarize();
    expect(s.token_count_mismatch).toEqual({ requests: 1, mismatched: 1, server_tokens: 5, client_tokens: 4, client_source: 'chunks' });
    expect(s.output_tokens_source).toEqual({ server: 1, chunks: 1 });
    expect(s.total_output_tokens).toBe(8);
    expect(s.warning).toBeUndefined(); // chunk bundling is not a tokenizer disagreement
  });
});

describe('StreamingDistribution', () => {
  it('keeps Welford mean/std exact and switches to a bounded sketch past the cap', () => {
    const d = new StreamingDistribution({ exactCap: 1000, relativeAccuracy: 0.001 });
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    for (let i = 1; i <= n; i++) {
      const x = (i % 1000) + 1; // uniform over 1..1000
      d.add(x);
      sum += x;
      sq += x * x;
    }
    expect(d.approximate).toBe(true);
    const mean = sum / n;
    expect(d.mean).toBeCloseTo(mean, 9);
    expect(d.std).toBeCloseTo(Math.sqrt(sq / n - mean * mean), 6);
    const [p50, p99] = d.quantiles([50, 99]);
    expect(Math.abs(p50! - 500.5) / 500.5).toBeLessThan(0.003);
    expect(Math.abs(p99! - 990) / 990).toBeLessThan(0.003);
    expect(d.min).toBe(1);
    expect(d.max).toBe(1000);
  });

  it('returns zeros when empty, like vLLM on `x or 0`', () => {
    expect(new StreamingDistribution().summarize([75])).toEqual({ mean: 0, median: 0, std: 0, p90: 0, p95: 0, p99: 0, p75: 0 });
  });
});

describe('toVllmBenchJson', () => {
  it('uses vLLM bench serve result-JSON names', () => {
    const agg = new PerformanceAggregator({ percentiles: [99.9] });
    agg.add(trace(0, 50, 20, 11));
    const json = toVllmBenchJson(agg.summarize(), {
      model: 'stories260K',
      backend: 'llamacpp',
      requestRate: 4,
      burstiness: 1,
      maxConcurrency: 8,
      percentiles: [50, 99, 99.9],
      date: new Date(2026, 0, 2, 3, 4, 5),
    });
    expect(json).toMatchObject({
      date: '20260102-030405',
      backend: 'llamacpp',
      model_id: 'stories260K',
      tokenizer_id: 'stories260K',
      num_prompts: 1,
      request_rate: 4,
      burstiness: 1,
      max_concurrency: 8,
      completed: 1,
      failed: 0,
      total_input_tokens: 10,
      total_output_tokens: 11,
      request_goodput: null,
      mean_ttft_ms: 50,
      median_ttft_ms: 50,
      std_ttft_ms: 0,
      p99_ttft_ms: 50,
      'p99.9_ttft_ms': 50,
      p50_tpot_ms: 20,
      mean_itl_ms: 20,
      mean_e2el_ms: 250,
      // 11 chunks within the first second; one request in flight.
      max_output_tokens_per_s: 11,
      max_concurrent_requests: 1,
    });
    for (const key of ['duration', 'request_throughput', 'output_throughput', 'total_token_throughput']) expect(typeof json[key]).toBe('number');
    expect(toVllmBenchJson(agg.summarize(), { model: 'm' }).request_rate).toBe('inf');
    expect(json.mean_client_queue_time_ms).toBeUndefined();
  });

  it('adds vLLM client queue time fields when requests queued for a concurrency slot', () => {
    const agg = new PerformanceAggregator();
    for (const queueMs of [0, 10, 20, 30]) {
      const r = trace(0, 50, 20, 3);
      agg.add({ ...r, timing: { ...r.timing, lagMs: 0, queueMs } });
    }
    const json = toVllmBenchJson(agg.summarize(), { model: 'm', requestRate: 10, maxConcurrency: 2 });
    expect(json).toMatchObject({ mean_client_queue_time_ms: 15, median_client_queue_time_ms: 15 });
    expect(json.p99_client_queue_time_ms).toBeCloseTo(29.7, 12); // numpy.percentile([0, 10, 20, 30], 99)
    expect(json.std_client_queue_time_ms).toBeCloseTo(Math.sqrt(125), 12);
  });
});

describe('replies that were not streamed', () => {
  it('are named in a warning: their TTFT is their whole latency and they add no ITL', () => {
    const agg = new PerformanceAggregator();
    agg.add({ text: 'a', usage: { completionTokens: 3, source: 'server' }, timing: { sentAt: 1000, firstTokenMs: 40, chunksMs: [40], doneMs: 40, unstreamed: true } });
    agg.add({ text: 'b', usage: { completionTokens: 3, source: 'server' }, timing: { sentAt: 1000, firstTokenMs: 10, chunksMs: [10, 20, 30], doneMs: 30 } });
    expect(agg.summarize().warning).toMatch(/1 of 2 replies were not streamed/);
    const streamed = new PerformanceAggregator();
    streamed.add({ text: 'b', usage: { completionTokens: 3, source: 'server' }, timing: { sentAt: 1000, firstTokenMs: 10, chunksMs: [10, 20, 30], doneMs: 30 } });
    expect(streamed.summarize().warning).toBeUndefined();
  });
});
