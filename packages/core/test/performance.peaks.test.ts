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
 * The peak block of vLLM's `calculate_metrics` (vllm/benchmarks/serve.py), line for line, as the
 * reference: second buckets from the earliest successful start, chunk times from TTFT + cumulative
 * ITL, concurrency over every second a request was active.
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
    const concurrentPerSecond = new Array<number>(durationSeconds).fill(0);
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
      const first = Math.trunc(output.start_time - minStart);
      const last = Math.trunc(output.start_time + output.latency - minStart);
      for (let s = first; s <= last; s++) concurrentPerSecond[s]!++;
    }
    maxOutputTokensPerS = Math.max(...tokensPerSecond);
    maxConcurrentRequests = Math.max(...concurrentPerSecond);
  }
  return { max_output_tokens_per_s: maxOutputTokensPerS, max_concurrent_requests: maxConcurrentRequests };
}

/** A request on a microsecond grid, as the client records it, and the same request as vLLM sees it. */
function randomRequest(rng: ReturnType<typeof createRng>, t0: number): { result: GenerateResult; vllm: VllmOutput } {
  const us = (ms: number) => Math.round(ms * 1000) / 1000;
  const sentAt = us(t0 + uniform(rng) * 9000);
  const ttft = us(5 + uniform(rng) * 400);
  const chunks = Math.floor(uniform(rng) * 40); // 0 = a reply with no content chunk
  const chunksMs: number[] = [];
  let at = ttft;
  for (let i = 0; i < chunks; i++) {
    if (i > 0) at = us(at + uniform(rng) * 120);
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

describe('PeakTracker (vLLM max_output_tokens_per_s, max_concurrent_requests)', () => {
  it('matches a port of vLLM calculate_metrics on random runs, buffered and replayed', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rng = createRng(seed);
      const requests = Array.from({ length: 200 }, () => randomRequest(rng, 1_795_000_000_000 + seed * 1000.123));
      const expected = vllmPeaks(requests.map((r) => r.vllm));

      const buffered = new PeakTracker();
      for (const { result } of requests) buffered.add(result);
      expect(buffered.needsReplay).toBe(false);
      expect(buffered.summarize()).toEqual(expected);

      // A budget far below the run's chunk count: the second pass must give the same figures.
      const replayed = new PeakTracker(64);
      for (const { result } of requests) replayed.add(result);
      expect(replayed.needsReplay).toBe(true);
      for (const { result } of [...requests].reverse()) replayed.replay(result);
      expect(replayed.summarize()).toEqual(expected);
    }
  });

  it('counts chunks per second from the earliest successful start, and requests active in each second', () => {
    const tracker = new PeakTracker();
    const request = (sentAt: number, chunksMs: number[], doneMs: number): GenerateResult => ({ text: '', timing: { sentAt, firstTokenMs: chunksMs[0], chunksMs, doneMs } });
    // Second 0 from t=1000: 3 chunks of A; second 1: 1 chunk of A, 4 of B; A spans seconds 0–1, B 1–2.
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
  it('makes a second pass over the journal when the buffer overflows, with the same figures', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ys-peaks-'));
    try {
      const store = await JournalStore.open(dir);
      const rng = createRng(7);
      const requests = Array.from({ length: 300 }, () => randomRequest(rng, 1_795_000_000_000));
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
      const expected = vllmPeaks(requests.map((r) => r.vllm));
      expect(once.performance).toMatchObject(expected);
      expect(twice.performance).toMatchObject(expected);
      const serving = vllmPeaks(requests.filter((_, i) => i % 2 === 0).map((r) => r.vllm));
      expect(once.benchmarks.serving!.performance).toMatchObject(serving);
      expect(twice.benchmarks.serving!.performance).toMatchObject(serving);
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
