import { describe, expect, it } from 'vitest';
import { dispatch } from '../src/schedule/dispatch.js';
import { arrivalTimesMs } from '../src/schedule/arrivals.js';

const items = (n: number) => Array.from({ length: n }, (_, i) => i)[Symbol.iterator]();

describe('dispatch', () => {
  it('open loop: holds the in-flight cap, waits for every handler, and passes the lag', async () => {
    let inFlight = 0;
    let peak = 0;
    const done: number[] = [];
    const lags: number[] = [];
    const count = await dispatch(items(40), { rate: 2000, arrival: 'constant', concurrency: 3, seed: 1, signal: new AbortController().signal }, async (i, lag) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      lags.push(lag ?? -1);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      done.push(i);
    });
    expect(count).toBe(40);
    expect(done).toHaveLength(40); // resolved only after the last handler finished
    expect(peak).toBe(3);
    expect(lags.every((l) => l >= 0)).toBe(true);
  });

  it('open loop: no request goes out before its arrival time, and each lag is the real lateness', async () => {
    // Poisson at 5,000 req/s: most gaps are far under the timers' 1 ms, where a send can go out
    // early (this loop once sent most of them 0.3-0.9 ms early) or late (counted as lag).
    const n = 600;
    const due = arrivalTimesMs({ rate: 5000, arrival: 'poisson', burstiness: 1 }, 11);
    const dueMs = Array.from({ length: n }, () => due.next().value as number);
    const sent: { i: number; at: number; lag: number }[] = [];
    const before = performance.now();
    await dispatch(items(n), { rate: 5000, arrival: 'poisson', seed: 11, signal: new AbortController().signal }, async (i, lag) => {
      sent.push({ i, at: performance.now() - before, lag: lag ?? -1 });
      await new Promise((r) => setImmediate(r));
    });
    const after = performance.now();
    expect(sent).toHaveLength(n);
    // dispatch's own clock starts between `before` and the first call: each send is at least
    // its arrival time after `before`, and its lag at most the time since then.
    for (const s of sent) {
      expect(s.at).toBeGreaterThanOrEqual(dueMs[s.i]!);
      expect(s.lag).toBeGreaterThanOrEqual(0);
      expect(s.lag).toBeLessThanOrEqual(s.at - dueMs[s.i]! + 1e-6);
    }
    expect(after - before).toBeGreaterThanOrEqual(dueMs[n - 1]!);
  });

  it('open loop: a request finishing after the next send fell due sends it then, not at the next timer tick', async () => {
    // Constant arrivals 0.2 ms apart: the second send is due in less than a timer tick. The first
    // handler finishes at ~0.5 ms, inside a setImmediate callback that holds the loop (as a reply
    // read in a long event-loop turn would): the second send must go out right after it, ~0.3 ms
    // late, not ~0.8 ms late at a 1 ms timer. This loop once slept a timer tick for such waits; it
    // now spins them (Dispatcher.spinUntil). A machine too slow to reach the callback within
    // 0.8 ms makes a round inconclusive.
    let checked = 0;
    for (let attempt = 0; attempt < 5 && checked === 0; attempt++) {
      let start = 0;
      let resolvedAt = 0;
      let secondAt = 0;
      // Started from a timer callback: the event loop's cached time is fresh, so its 1 ms tick is a real 1 ms.
      await new Promise((r) => setTimeout(r, 5));
      await dispatch(items(2), { rate: 5000, arrival: 'constant', seed: 1, signal: new AbortController().signal }, (i) => {
        if (i === 1) {
          secondAt = performance.now();
          return Promise.resolve();
        }
        start = performance.now();
        return new Promise<void>((resolve) =>
          setImmediate(() => {
            while (performance.now() - start < 0.5);
            resolvedAt = performance.now();
            resolve();
          }),
        );
      });
      if (resolvedAt - start > 0.8) continue; // the timer could have fired first: inconclusive
      checked++;
      expect(secondAt - resolvedAt).toBeLessThan(0.3);
      expect(secondAt - start).toBeLessThan(1);
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('open loop: an abort wakes a loop sleeping until its next send, which is not sent', async () => {
    // 0.5 req/s: the first send is due one gap (2 s) after the start, as vLLM's; the run is aborted at 50 ms.
    const controller = new AbortController();
    const sent: number[] = [];
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    setTimeout(() => controller.abort(), 50);
    const t0 = performance.now();
    const count = await dispatch(items(5), { rate: 0.5, arrival: 'constant', seed: 1, signal: controller.signal }, async (i) => {
      sent.push(i);
    });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(sent).toEqual([]);
    expect(count).toBe(0);
    // Nor is its 2 s sleep's timer left behind to hold the process open.
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('open loop with a cap: time waiting for a slot is queue time, not client lag', async () => {
    // 100 req/s offered, 2 slots, 100 ms per request: the server takes 20 req/s, so sends fall
    // further and further behind. All of that lateness is the slots' (the server's), none the client's.
    const sent: { lag: number; queue: number | undefined }[] = [];
    const t0 = performance.now();
    await dispatch(items(12), { rate: 100, arrival: 'constant', concurrency: 2, seed: 1, signal: new AbortController().signal }, async (_i, lag, queue) => {
      sent.push({ lag: lag ?? -1, queue });
      await new Promise((r) => setTimeout(r, 100));
    });
    const wall = performance.now() - t0;
    expect(wall).toBeGreaterThan(550);
    expect(sent.every((s) => s.queue !== undefined && s.lag >= 0 && s.lag < 20)).toBe(true);
    // Item 11 was due at 110 ms and went out after five rounds of 100 ms: ≈ 400 ms in the queue.
    expect(sent[11]!.queue!).toBeGreaterThan(350);
    expect(sent[11]!.lag + sent[11]!.queue!).toBeGreaterThan(380);
    // Without a cap there is no queue: every late ms is the client's.
    const uncapped: (number | undefined)[] = [];
    await dispatch(items(3), { rate: 100, arrival: 'constant', seed: 1, signal: new AbortController().signal }, async (_i, _lag, queue) => void uncapped.push(queue));
    expect(uncapped).toEqual([undefined, undefined, undefined]);
  });

  it('closed loop: N workers, every item once', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    const count = await dispatch(items(25), { concurrency: 4, seed: 1, signal: new AbortController().signal }, async (i) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      seen.push(i);
    });
    expect(count).toBe(25);
    expect(peak).toBe(4);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('open loop with a warm-up: the first ms go to the warm-up on the same schedule, then measuring starts without a gap', async () => {
    // 500 req/s constant (one every 2 ms), 100 ms of warm-up, then 20 measured items.
    const sends: { kind: 'warm' | 'measured' | 'end'; at: number }[] = [];
    const t0 = performance.now();
    const warmItems = (function* () {
      for (let i = 0; ; i++) yield -1 - i;
    })();
    const count = await dispatch(
      items(20),
      { rate: 500, arrival: 'constant', seed: 1, signal: new AbortController().signal },
      async (i, _lag, _queue, warmup) => {
        // Warm-up items (negative here) come flagged; measured ones do not.
        expect(warmup).toBe(i < 0);
        sends.push({ kind: warmup ? 'warm' : 'measured', at: performance.now() - t0 });
      },
      { ms: 100, items: warmItems, onEnd: () => void sends.push({ kind: 'end', at: 0 }) },
    );
    expect(count).toBe(20);
    // onEnd once, exactly between the last warm-up send and the first measured one.
    const end = sends.findIndex((s) => s.kind === 'end');
    expect(sends.filter((s) => s.kind === 'end')).toHaveLength(1);
    expect(sends.slice(0, end).every((s) => s.kind === 'warm')).toBe(true);
    expect(sends.slice(end + 1).every((s) => s.kind === 'measured')).toBe(true);
    const warm = sends.filter((s) => s.kind === 'warm');
    const measured = sends.filter((s) => s.kind === 'measured');
    // 50 schedule slots in 100 ms; timer slack may cost one at the edge.
    expect(warm.length).toBeGreaterThanOrEqual(49);
    expect(warm.length).toBeLessThanOrEqual(50);
    expect(measured).toHaveLength(20);
    // Every warm-up send precedes every measured one, and the first measured send follows on the schedule.
    expect(Math.max(...warm.map((s) => s.at))).toBeLessThanOrEqual(Math.min(...measured.map((s) => s.at)));
    expect(measured[0]!.at).toBeGreaterThanOrEqual(98);
    expect(measured[0]!.at).toBeLessThan(130);
  });

  it('closed loop with a warm-up: workers run warm-up items until it ends, duration counts after it', async () => {
    let warm = 0;
    const t0 = performance.now();
    let firstMeasured = -1;
    const warmItems = (function* () {
      for (;;) yield 0;
    })();
    const count = await dispatch(
      items(1e6),
      { concurrency: 3, seed: 1, durationMs: 60, signal: new AbortController().signal },
      async (_i, _lag, _queue, warmup) => {
        if (warmup) warm++;
        else if (firstMeasured < 0) firstMeasured = performance.now() - t0;
        await new Promise((r) => setTimeout(r, 5));
      },
      { ms: 50, items: warmItems },
    );
    expect(warm).toBeGreaterThan(3);
    expect(firstMeasured).toBeGreaterThanOrEqual(49);
    // 60 ms of measured dispatch after the warm-up at 3 workers × ~5 ms: well over 3, far under 1e6.
    expect(count).toBeGreaterThan(6);
    expect(count).toBeLessThan(200);
  });
});
