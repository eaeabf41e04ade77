import { describe, expect, it } from 'vitest';
import { dispatch } from '../src/schedule/dispatch.js';
import { netEventLoopUtilization, noteReplyRead } from '../src/schedule/spin-idle.js';

const items = (n: number) => Array.from({ length: n }, (_, i) => i)[Symbol.iterator]();

describe('open-loop waits under a timer tick', () => {
  it('are spun: sends 0.5 ms apart go out on time, not at the next 1 ms timer tick', async () => {
    // Sleeping a timer tick for each such wait sent 92–96% of them 0.05 ms late or more (median
    // ~0.6 ms: the tick is 1 ms), busy machine or not; spinning sends each one as it falls due:
    // 69–86% within 0.05 ms here, and still 25–29% with both cores busy with other processes, which
    // hold this one off the CPU for whole time slices. The best of three attempts counts.
    let best = 0;
    for (let attempt = 0; attempt < 3 && best < 0.5; attempt++) {
      const lags: number[] = [];
      await dispatch(items(300), { rate: 2000, arrival: 'constant', seed: 1, signal: new AbortController().signal }, async (_i, lag) => {
        lags.push(lag ?? -1);
      });
      expect(lags).toHaveLength(300);
      best = Math.max(best, lags.filter((l) => l >= 0 && l < 0.05).length / lags.length);
    }
    expect(best).toBeGreaterThan(0.2);
  });

  it('count their idle turns as idle in the event-loop utilisation, and turns that read replies as active', async () => {
    const delta = (a: { idle: number; active: number }, b: { idle: number; active: number }) => (a.active - b.active) / (a.active - b.active + a.idle - b.idle);
    // Nothing but spinning between sends: Node counts every turn active; the net figure does not.
    let raw0 = performance.eventLoopUtilization();
    let net0 = netEventLoopUtilization();
    await dispatch(items(1500), { rate: 5000, arrival: 'constant', seed: 1, signal: new AbortController().signal }, async () => undefined);
    // Idle here is a few µs per turn; with other processes on the cores a turn that lost the CPU
    // counts as busy, so the margin is kept loose (net 0.16–0.34 here; 0.69–0.79 under two CPU hogs;
    // without the accounting, net is raw).
    const raw = delta(performance.eventLoopUtilization(), raw0);
    const net = delta(netEventLoopUtilization(), net0);
    expect(raw).toBeGreaterThan(0.9);
    expect(raw - net).toBeGreaterThan(0.1);

    // The same with replies read in every turn (each with 50 µs of work): active, spin included.
    let reading = true;
    const reader = () => {
      noteReplyRead();
      const until = performance.now() + 0.05;
      while (performance.now() < until);
      if (reading) setImmediate(reader);
    };
    setImmediate(reader);
    raw0 = performance.eventLoopUtilization();
    net0 = netEventLoopUtilization();
    await dispatch(items(1500), { rate: 5000, arrival: 'constant', seed: 1, signal: new AbortController().signal }, async () => undefined);
    reading = false;
    expect(delta(netEventLoopUtilization(), net0)).toBeGreaterThan(0.8);
  });
});
