import { setPriority } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../../bench/lib/stand-in.js';
import { OpenAICompatibleClient } from '../src/openai/client.js';
import { PerformanceAggregator } from '../src/performance/aggregator.js';
import { clientEngine, createTestKernel } from '../src/testing/index.js';
import { StreamingDistribution } from '../src/performance/distribution.js';
import type { Distribution, GenerateRequest, GenerateResult, PerformanceSummary, Sample } from '../src/types.js';

// The stand-in server (its own process) sends headers at once, the first content chunk 50 ms after
// reading the request, then one chunk every 20 ms: TTFT = 50, ITL = 20, TPOT = (E2EL − TTFT)/(n − 1) = 20.
// Each chunk carries the server's actual send offset (and the first one the time the request arrived):
// the ground truth the client's numbers must match within 1 ms.
const FIRST_MS = 50;
const GAP_MS = 20;
const TOKENS = 6;
const TOLERANCE_MS = 1;

let server: StandIn;
beforeAll(async () => {
  server = await startStandIn({ mode: 'timed', firstMs: FIRST_MS, gapMs: GAP_MS });
  // Both ends of the measurement get CPU first when the machine is shared (needs root; ignored otherwise):
  // what is tested is the client's timing accuracy, not the scheduler's fairness to other processes.
  for (const pid of [server.child.pid!, process.pid]) {
    try {
      setPriority(pid, -15);
    } catch {
      // not permitted: run at normal priority
    }
  }
});
afterAll(async () => {
  await server?.stop();
});

function request(i: number): GenerateRequest {
  return { requestId: `t:${i}`, benchmark: 't', sampleId: String(i), kind: 'completion', prompt: 'Once upon a time', params: { maxTokens: TOKENS, temperature: 0 } };
}

/**
 * What happened on the wire, from what the stand-in writes into each chunk: its actual send offset
 * (ms after reading the request) and, on the first chunk, when it read the request (epoch ms; both
 * processes derive epoch time from the same system clock). On a quiet machine this is the injected
 * schedule; on a busy one the server's timers and the request's delivery slip, and the client must
 * still report what really happened.
 */
function wireTruth(results: GenerateResult[]) {
  const ttft = new StreamingDistribution();
  const itl = new StreamingDistribution();
  const tpot = new StreamingDistribution();
  const serverFirst = new StreamingDistribution();
  const transit = new StreamingDistribution();
  for (const r of results) {
    const parts = r.text.trim().split(/\s+/);
    const [first, readAt] = parts[0]!.split('@').map(Number);
    const offsets = [first!, ...parts.slice(1).map(Number)];
    expect(offsets).toHaveLength(TOKENS);
    const requestTransit = readAt! - r.timing.sentAt;
    transit.add(requestTransit);
    serverFirst.add(first!);
    ttft.add(requestTransit + first!);
    for (let i = 1; i < offsets.length; i++) itl.add(offsets[i]! - offsets[i - 1]!);
    tpot.add((offsets[offsets.length - 1]! - offsets[0]!) / (offsets.length - 1));
  }
  return { ttft: ttft.summarize(), itl: itl.summarize(), tpot: tpot.summarize(), serverFirst: serverFirst.summarize(), transit: transit.summarize() };
}

function expectNear(measured: Distribution, truth: Distribution, what: string): void {
  expect(Math.abs(measured.mean - truth.mean), `${what} mean ${measured.mean} vs wire ${truth.mean}`).toBeLessThanOrEqual(TOLERANCE_MS);
  expect(Math.abs(measured.median - truth.median), `${what} median ${measured.median} vs wire ${truth.median}`).toBeLessThanOrEqual(TOLERANCE_MS);
}

function expectInjected(truth: Distribution, injected: number, what: string): void {
  // The server applied the injected delay: exactly on a quiet machine, late only when starved of CPU
  // (a gap after a late chunk is shorter: the schedule is absolute, so it catches up).
  expect(truth.median, `${what} server median`).toBeGreaterThanOrEqual(injected - 5);
  expect(truth.median, `${what} server median`).toBeLessThan(injected + 25);
}

function expectTruth(perf: PerformanceSummary, results: GenerateResult[]): void {
  expect(perf.completed).toBe(results.length);
  expect(perf.failed).toBe(0);
  expect(perf.total_output_tokens).toBe(results.length * TOKENS);
  const wire = wireTruth(results);
  expectInjected(wire.serverFirst, FIRST_MS, 'first chunk');
  expectInjected(wire.itl, GAP_MS, 'chunk gap');
  // Requests leave at once (warm connections, no client-side queueing): a request reaches the server
  // in well under a millisecond on a quiet machine; the bound only catches gross queueing.
  expect(wire.transit.median, 'request transit median').toBeLessThan(50);
  expectNear(perf.ttft_ms, wire.ttft, 'TTFT');
  expectNear(perf.itl_ms, wire.itl, 'ITL');
  expectNear(perf.tpot_ms, wire.tpot, 'TPOT');
}

async function throughClient(concurrency: number, total: number): Promise<{ perf: PerformanceSummary; results: GenerateResult[] }> {
  const client = new OpenAICompatibleClient({ baseUrl: server.url, connections: concurrency });
  const agg = new PerformanceAggregator({ percentiles: [99] });
  const results: GenerateResult[] = [];
  try {
    // Warm the connections first so TCP connects are not part of the measured TTFT (as the kernel's warm-up does).
    await Promise.all(Array.from({ length: concurrency }, (_, i) => client.generate({ ...request(i), params: { maxTokens: 1, temperature: 0 } })));
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const result = await client.generate(request(next++));
          expect(result.error).toBeUndefined();
          agg.add(result);
          results.push(result);
        }
      }),
    );
  } finally {
    await client.close();
  }
  return { perf: agg.summarize(), results };
}

// Retries: a 1 ms bound cannot hold while another process starves this one of CPU for tens of ms
// (2 cores, parallel test files); a retry re-measures rather than loosening the bound.
describe('timing truth: reported TTFT, ITL and TPOT match the injected delays as they happened on the wire, within 1 ms', { retry: 2 }, () => {
  it('through the OpenAI client + aggregator at concurrency 1', async () => {
    const { perf, results } = await throughClient(1, 12);
    expectTruth(perf, results);
  });

  it('through the OpenAI client + aggregator at concurrency 64', async () => {
    const { perf, results } = await throughClient(64, 128);
    expectTruth(perf, results);
  });

  it('through the kernel (scheduler, store, summary) at concurrency 1 and 64', async () => {
    for (const concurrency of [1, 64]) {
      const { engine } = clientEngine(server.url, { connections: concurrency });
      const total = concurrency === 1 ? 12 : 128;
      const samples: Sample[] = Array.from({ length: total }, (_, i) => ({ id: String(i), task: 'timing', prompt: 'Once upon a time' }));
      const { run } = await createTestKernel({
        engine,
        samples: { timing: samples },
        config: { concurrency, warmup: { requests: concurrency }, generation: { maxTokens: TOKENS, temperature: 0 } },
      });
      const { summary, records } = await run();
      expect(summary.status).toBe('completed');
      expect(records).toHaveLength(total);
      expectTruth(summary.benchmarks.timing!.performance!, records.map((r) => r.result));
    }
  });
});
