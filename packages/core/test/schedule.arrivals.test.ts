import { describe, expect, it } from 'vitest';
import { arrivalTimesMs, resolveArrival, type ArrivalProfile } from '../src/schedule/arrivals.js';
import { dispatch } from '../src/schedule/dispatch.js';
import { partialLoadSchema, rootConfigSchema } from '../src/config/schema.js';
import { PerformanceAggregator } from '../src/performance/aggregator.js';
import type { GenerateResult } from '../src/types.js';

const take = (g: Generator<number>, n: number) => Array.from({ length: n }, () => g.next().value as number);

describe("arrival schedule (vLLM bench serve's get_request)", () => {
  it('sends the first request one gap after the start, constant spacing exact', () => {
    expect(take(arrivalTimesMs({ rate: 10, arrival: 'constant', burstiness: Infinity }, 1), 3)).toEqual([100, 200, 300]);
    const poisson = take(arrivalTimesMs({ rate: 10, arrival: 'poisson', burstiness: 1 }, 7), 5);
    expect(poisson[0]).toBeGreaterThan(0);
    for (let i = 1; i < poisson.length; i++) expect(poisson[i]).toBeGreaterThan(poisson[i - 1]!);
  });

  it('with a known count, scales the gaps so the last send is due at exactly count / rate, whatever the seed', () => {
    for (const profile of [
      { rate: 10, arrival: 'poisson', burstiness: 1 },
      { rate: 10, arrival: 'gamma', burstiness: 0.3 },
      { rate: 250, arrival: 'gamma', burstiness: 4 },
    ] satisfies ArrivalProfile[]) {
      const lasts: number[] = [];
      for (let seed = 1; seed <= 20; seed++) {
        const times = take(arrivalTimesMs(profile, seed, 100), 101);
        expect(times[99]).toBeCloseTo((100 / profile.rate) * 1000, 6);
        expect(times[100]).toBeGreaterThan(times[99]!); // past the count: the same scale, on and on
        lasts.push(take(arrivalTimesMs(profile, seed), 100)[99]!);
      }
      // Unscaled, the 100th send wanders with the seed: the reason vLLM scales.
      expect(Math.max(...lasts) - Math.min(...lasts)).toBeGreaterThan(1000 / profile.rate);
    }
  });

  it('keeps the seed: the same schedule twice, another with another seed', () => {
    const profile: ArrivalProfile = { rate: 50, arrival: 'poisson', burstiness: 1 };
    expect(take(arrivalTimesMs(profile, 3, 40), 40)).toEqual(take(arrivalTimesMs(profile, 3, 40), 40));
    expect(take(arrivalTimesMs(profile, 4, 40), 40)).not.toEqual(take(arrivalTimesMs(profile, 3, 40), 40));
  });

  it('reads burstiness as vLLM does: alone it means gamma; Poisson reports 1 and constant spacing Infinity', () => {
    expect(resolveArrival({})).toEqual({ arrival: 'poisson', burstiness: 1 });
    expect(resolveArrival({ burstiness: 0.5 })).toEqual({ arrival: 'gamma', burstiness: 0.5 });
    expect(resolveArrival({ burstiness: 1 })).toEqual({ arrival: 'poisson', burstiness: 1 });
    expect(resolveArrival({ arrival: 'gamma' })).toEqual({ arrival: 'gamma', burstiness: 1 });
    expect(resolveArrival({ arrival: 'constant' })).toEqual({ arrival: 'constant', burstiness: Infinity });
    expect(resolveArrival({ arrival: 'poisson', burstiness: 2 })).toMatch(/burstiness 2 applies to gamma arrivals, but arrival is 'poisson'/);
  });

  it('config: a burstiness beside an arrival that cannot use it is refused at its key; no defaults are filled in', () => {
    const bad = rootConfigSchema.safeParse({ load: { rate: 5, arrival: 'constant', burstiness: 0.5 } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['load', 'burstiness']);
    // A level that sets neither leaves both unset, so merging it over another level keeps that level's law.
    expect(partialLoadSchema.parse({ numRequests: 10 })).toEqual({ numRequests: 10 });
  });
});

describe('open-loop dispatch: the measured clock', () => {
  it('reports where the measured schedule starts, one gap before the first send', async () => {
    let origin = 0;
    const sentAt: number[] = [];
    await dispatch(
      [0, 1, 2][Symbol.iterator](),
      { rate: 50, arrival: 'constant', seed: 1, count: 3, signal: new AbortController().signal, onMeasuring: (t) => (origin = t) },
      async () => {
        sentAt.push(performance.timeOrigin + performance.now());
      },
    );
    expect(sentAt).toHaveLength(3);
    // Due at origin + 20, 40, 60 ms: never early, late by timers only.
    sentAt.forEach((t, i) => {
      expect(t - origin).toBeGreaterThanOrEqual(20 * (i + 1) - 1e-6);
      expect(t - origin).toBeLessThan(20 * (i + 1) + 15);
    });
  });

  it('after a warm-up, measures from the warm-up end on its own schedule', async () => {
    let origin = 0;
    let warmupEndedAt = 0;
    const measured: number[] = [];
    let warm = 0;
    const t0 = performance.timeOrigin + performance.now();
    await dispatch(
      [0, 1, 2, 3][Symbol.iterator](),
      { rate: 100, arrival: 'constant', seed: 1, count: 4, signal: new AbortController().signal, onMeasuring: (t) => (origin = t) },
      async (_item, _lag, _queue, isWarmup) => {
        if (isWarmup) warm++;
        else measured.push(performance.timeOrigin + performance.now());
      },
      { ms: 50, items: [9, 9, 9, 9, 9, 9, 9, 9, 9, 9][Symbol.iterator](), onEnd: () => (warmupEndedAt = performance.timeOrigin + performance.now()) },
    );
    expect(warm).toBeGreaterThanOrEqual(3);
    expect(origin - t0).toBeGreaterThanOrEqual(50 - 1);
    expect(warmupEndedAt).toBeGreaterThan(0);
    expect(measured).toHaveLength(4);
    expect(measured[0]! - origin).toBeGreaterThanOrEqual(10 - 1e-6);
  });
});

describe('benchmark duration', () => {
  const result = (sentAt: number, doneMs: number): GenerateResult => ({
    text: 'ab',
    finishReason: 'length',
    usage: { promptTokens: 4, completionTokens: 2 },
    timing: { sentAt, firstTokenMs: doneMs / 2, chunksMs: [doneMs / 2, doneMs], doneMs },
  });

  it("counts from the measured schedule's start when given (vLLM's clock), else from the first send", () => {
    // 10 requests at 10 req/s, constant: sent at 100, 200, … 1000 ms after the start, 500 ms each.
    const add = (a: PerformanceAggregator) => {
      for (let i = 1; i <= 10; i++) a.add(result(1_000_000 + i * 100, 500));
      return a.summarize();
    };
    const vllm = add(new PerformanceAggregator({ origin: 1_000_000 }));
    expect(vllm.duration_s).toBeCloseTo(1.5, 9);
    expect(vllm.request_throughput).toBeCloseTo(10 / 1.5, 9);
    expect(add(new PerformanceAggregator()).duration_s).toBeCloseTo(1.4, 9);
    // An origin after the first send (a resumed run's older records) does not shorten it.
    expect(add(new PerformanceAggregator({ origin: 1_000_500 })).duration_s).toBeCloseTo(1.4, 9);
  });
});
