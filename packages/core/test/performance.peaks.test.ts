import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PeakTracker } from '../src/performance/peaks.js';
import { createRng, uniform } from '../src/schedule/arrivals.js';
import { JournalStore } from '../src/store.js';
import { summarizeStore } from '../src/summarize.js';
import type { GenerateResult, SampleRecord } from '../src/types.js';

/** vLLM's RequestFuncOutput, the fields its peak metrics read (seconds, as vLLM keeps them). */
interface VllmOutput {
  success: boolean;
  start_time: number;
  ttft: number;
  itl: number[];
  latency: number;
}

/**
 * The peak block of vLLM's `calculate_metrics` (vllm/benchmarks/serve.py, current main), line for
 * line, as the reference: second buckets from the earliest successful start with chunk times from
 * TTFT + cumulative ITL; peak concurrency by a sweep over half-open [start, start + latency) with
 * events sorted by (time, delta). Event times are whole microseconds here (the client's resolution),
 * so exact ties are exact and the tie rule is what is tested.
 */
function vllmPeaks(outputs: VllmOutput[]): { max_output_tokens_per_s: number; max_concurrent_requests: number } {
  let maxOutputTokensPerS = 0;
  let maxConcurrentRequests = 0;
  const successful = outputs.filter((o) => o.success);
  if (successful.length > 0) {
    const minStart = Math.min(...successful.map((o) => o.start_time));
    const maxEnd = Math.max(...successful.map((o) => o.start_time + o.latency));
    const durationSeconds = Math.trunc(Math.ceil(maxEnd - minStart)) + 1;
    const tokensPerSecond = new Array<number>(durationSeconds).fill(0);
    for (const output of successful) {
      const tokenTimes = [output.start_time + output.ttft];
      let current = tokenTimes[0]!;
      for (const itl of output.itl) {
        current += itl;
        tokenTimes.push(current);
      }
      for (const t of tokenTimes) {
        const bucket = Math.trunc(t - minStart);
        if (bucket >= 0 && bucket < durationSeconds) tokensPerSecond[bucket]!++;
      }
    }
    const events: [number, number][] = [];
    for (const output of successful) {
      const startUs = Math.round(output.start_time * 1e6);
      events.push([startUs, 1]);
      events.push([startUs + Math.round(output.latency * 1e6), -1]);
    }
    events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let current = 0;
    let peak = 0;
    for (const [, delta] of events) {
      current += delta;
      if (current > peak) peak = current;
    }
    maxOutputTokensPerS = Math.max(...tokensPerSecond);
    maxConcurrentRequests = peak;
  }
  return { max_output_tokens_per_s: maxOutputTokensPerS, max_concurrent_requests: maxConcurrentRequests };
}

/**
 * A request on a microsecond grid, as the client records it, and the same request as vLLM sees it.
 * With `after`, it starts exactly when that one ended (a closed-loop slot handed on: an exact tie).
 */
function randomRequest(rng: ReturnType<typeof createRng>, t0: number, after?: GenerateResult): { result: GenerateResult; vllm: VllmOutput } {
  const us = (ms: number) => Math.round(ms * 1000) / 1000;
  const sentAt = after ? us(after.timing.sentAt + after.timing.doneMs) : us(t0 + uniform(rng) * 9000);
  const ttft = us(5 + uniform(rng) * 400);
  const chunks = Math.floor(uniform(rng) * 40); // 0 = a reply with no content chunk
  const chunksMs: number[] = [];
  let at = ttft;
  for (let i = 0; i < chunks; i++) {
    if (i > 0) at = us(at + uniform(rng) * (uniform(rng) < 0.05 ? 2000 : 120));
    chunksMs.push(at);
  }
  const doneMs = us((chunksMs[chunksMs.length - 1] ?? ttft) + uniform(rng) * 5);
  const failed = uniform(rng) < 0.1;
  const result: GenerateResult = {
    text: 'x'.repeat(chunks),
    timing: { sentAt, firstTokenMs: chunks > 0 ? ttft : undefined, chunksMs, doneMs },
    ...(failed ? { error: { code: 'YS_ENGINE_HTTP_STATUS', message: 'HTTP 500' } } : {}),
  };
  const itl = chunksMs.slice(1).map((c, i) => (c - chunksMs[i]!) / 1000);
  // vLLM's ttft for a reply without content chunks stays 0.0, so its one counted token lands at the start.
  return { result, vllm: { success: !failed, start_time: sentAt / 1000, ttft: chunks > 0 ? ttft / 1000 : 0, itl, latency: doneMs / 1000 } };
}

/** `n` random requests, a quarter of them handed on from the one before. */
function randomRun(rng: ReturnType<typeof createRng>, n: number, t0: number): { result: GenerateResult; vllm: VllmOutput }[] {
  const run: { result: GenerateResult; vllm: VllmOutput }[] = [];
  for (let i = 0; i < n; i++) run.push(randomRequest(rng, t0, i > 0 && uniform(rng) < 0.25 ? run[i - 1]!.result : undefined));
  return run;
}

/** Every replay pass the tracker asks for, each over the requests in a new order. */
function replayAll(tracker: PeakTracker, requests: { result: GenerateResult }[], rng: ReturnType<typeof createRng>): number {
  let passes = 0;
  while (tracker.needsReplay) {
    const order = requests.map((r) => ({ r, key: uniform(rng) })).sort((a, b) => a.key - b.key);
    for (const { r } of order) tracker.replay(r.result);
    tracker.endReplay();
    passes++;
  }
  return passes;
}

describe('PeakTracker (vLLM max_output_tokens_per_s, max_concurrent_requests)', () => {
  it('matches a port of vLLM calculate_metrics on random runs, buffered and replayed', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rng = createRng(seed);
      const requests = randomRun(rng, 200, 1_795_000_000_000 + seed * 1000.123);
      const expected = vllmPeaks(requests.map((r) => r.vllm));

      const buffered = new PeakTracker();
      for (const { result } of requests) buffered.add(result);
      expect(buffered.needsReplay).toBe(false);
      expect(buffered.summarize()).toEqual(expected);

      // Budgets far below the run's size: the replay passes must give the same figures. A request
      // budget of 3 splits the sweep into windows of ≤ 6 events (one per pass), with requests
      // spanning several windows.
      for (const budgets of [{ tokens: 64 }, { requests: 3 }, { tokens: 64, requests: 7 }]) {
        const replayed = new PeakTracker(budgets);
        for (const { result } of requests) replayed.add(result);
        expect(replayed.needsReplay).toBe(true);
        const passes = replayAll(replayed, requests, rng);
        if (budgets.requests) expect(passes).toBeGreaterThan(2);
        expect(replayed.summarize()).toEqual(expected);
      }
    }
  });

  it('counts requests in flight at one instant: a hand-over at the same microsecond is not an overlap', () => {
    const request = (sentAt: number, doneMs: number): GenerateResult => ({ text: 'x', timing: { sentAt, firstTokenMs: doneMs, chunksMs: [doneMs], doneMs } });
    // Three requests in one second, one after another: vLLM's older per-second buckets said 3.
    const serial = new PeakTracker();
    serial.add(request(1000, 100));
    serial.add(request(1100, 200)); // starts as the first ends
    serial.add(request(1300.001, 100));
    expect(serial.summarize().max_concurrent_requests).toBe(1);
    // Overlap by one microsecond counts.
    const overlapping = new PeakTracker();
    overlapping.add(request(1000, 100));
    overlapping.add(request(1099.999, 50));
    expect(overlapping.summarize().max_concurrent_requests).toBe(2);
    // The same answers from windowed passes (a budget of one request: each busy second is its own
    // window). A ends exactly on the boundary of the window where the peak is: it must be counted in
    // flight as that window opens and leave before C arrives (D, C, E, F = 4).
    const spread = [request(1000, 2000), request(2000, 2000), request(3000, 500), request(3000.5, 500), request(3000.7, 500), request(1500, 100)];
    const windowed = new PeakTracker({ requests: 1 });
    for (const r of spread) windowed.add(r);
    expect(replayAll(windowed, spread.map((result) => ({ result })), createRng(1))).toBeGreaterThan(2);
    expect(windowed.summarize().max_concurrent_requests).toBe(4);
    const whole = new PeakTracker();
    for (const r of spread) whole.add(r);
    expect(whole.summarize().max_concurrent_requests).toBe(4);
  });

  it('counts chunks per second from the earliest successful start', () => {
    const tracker = new PeakTracker();
    const request = (sentAt: number, chunksMs: number[], doneMs: number): GenerateResult => ({ text: '', timing: { sentAt, firstTokenMs: chunksMs[0], chunksMs, doneMs } });
    // Second 0 from t=1000: 3 chunks of A; second 1: 1 chunk of A, 4 of B; A (1000–2600) and B (2100–3100) overlap.
    tracker.add(request(1000, [100, 500, 900, 1500], 1600));
    tracker.add(request(2100, [50, 100, 150, 200], 1000));
    // A failed request neither counts nor moves the start.
    tracker.add({ text: '', timing: { sentAt: 0, chunksMs: [1, 2, 3, 4, 5, 6], doneMs: 10 }, error: { code: 'X', message: 'x' } });
    expect(tracker.summarize()).toEqual({ max_output_tokens_per_s: 5, max_concurrent_requests: 2 });
  });

  it('is zero with no successful request', () => {
    const tracker = new PeakTracker();
    tracker.add({ text: '', timing: { sentAt: 5, chunksMs: [], doneMs: 1 }, error: { code: 'X', message: 'x' } });
    expect(tracker.needsReplay).toBe(false);
    expect(tracker.summarize()).toEqual({ max_output_tokens_per_s: 0, max_concurrent_requests: 0 });
  });
});

describe('summarizeStore with the peak metrics', () => {
  it('makes more passes over the journal when the buffers overflow, with the same figures', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ys-peaks-'));
    try {
      const store = await JournalStore.open(dir);
      const rng = createRng(7);
      const requests = randomRun(rng, 300, 1_795_000_000_000);
      const appended = requests.map(({ result }, i) => {
        const record: SampleRecord = {
          benchmark: i % 2 === 0 ? 'serving' : 'other',
          sample: { id: String(i), task: 'serving' },
          result,
          runId: 'peaks',
          index: i,
          score: { metrics: {}, reasons: {}, details: {} },
          finishedAt: new Date(0).toISOString(),
        };
        return store.append(record);
      });
      await Promise.all(appended);
      const once = await summarizeStore(store, {});
      const twice = await summarizeStore(store, { peakTokenBudget: 16 });
      const windowed = await summarizeStore(store, { peakTokenBudget: 16, peakRequestBudget: 20 });
      const expected = vllmPeaks(requests.map((r) => r.vllm));
      expect(once.performance).toMatchObject(expected);
      expect(twice.performance).toMatchObject(expected);
      expect(windowed.performance).toMatchObject(expected);
      const serving = vllmPeaks(requests.filter((_, i) => i % 2 === 0).map((r) => r.vllm));
      expect(once.benchmarks.serving!.performance).toMatchObject(serving);
      expect(twice.benchmarks.serving!.performance).toMatchObject(serving);
      expect(windowed.benchmarks.serving!.performance).toMatchObject(serving);
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
