import { describe, expect, it } from 'vitest';
import { dispatch } from '../src/schedule/dispatch.js';
import { addSpinIdle, netEventLoopUtilization, noteReplyRead, spinIdleMs } from '../src/schedule/spin-idle.js';

const items = (n: number) => Array.from({ length: n }, (_, i) => i)[Symbol.iterator]();

describe('open-loop waits under a timer tick', () => {
  it('are spun from 5,000 req/s: sends 0.1 ms apart go out on time, not at the next 1 ms timer tick', async () => {
    // Sleeping a timer tick for each such wait sent ~95% of them 0.05 ms late or more (a batch per
    // 1 ms tick), busy machine or not; spinning sends each one as it falls due: 83–97% within
    // 0.05 ms here, and still 35–46% with both cores busy with other processes, which hold this one
    // off the CPU for whole time slices. The best of three attempts counts.
    let best = 0;
    for (let attempt = 0; attempt < 3 && best < 0.5; attempt++) {
      const lags: number[] = [];
      await dispatch(items(1000), { rate: 10_000, arrival: 'constant', seed: 1, signal: new AbortController().signal }, async (_i, lag) => {
        lags.push(lag ?? -1);
      });
      expect(lags).toHaveLength(1000);
      best = Math.max(best, lags.filter((l) => l >= 0 && l < 0.05).length / lags.length);
    }
    expect(best).toBeGreaterThan(0.2);
  });

  it('are slept one timer tick below 5,000 req/s, where spinning would take a core for nothing', async () => {
    // 2,000 req/s, 0.5 ms apart: sleeping used 5–12% of a core here; spinning used 84–96%, and
    // 34–46% with both cores busy with other processes. The lower of two attempts counts.
    let least = Infinity;
    for (let attempt = 0; attempt < 2; attempt++) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await dispatch(items(300), { rate: 2000, arrival: 'constant', seed: 1, signal: new AbortController().signal }, async () => undefined);
      const cpu = process.cpuUsage(cpu0);
      least = Math.min(least, (cpu.user + cpu.system) / 1000 / (performance.now() - t0));
    }
    expect(least).toBeLessThan(0.3);
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

  it('count each moment of idle spinning once, however many dispatchers spin in the loop', async () => {
    // Two open loops in one process spin through the same turns: counting each one's would read
    // the loop idle twice over (0.07 busy where one loop alone read 0.41).
    const before = spinIdleMs();
    const t = performance.now();
    addSpinIdle(t, t + 0.01);
    addSpinIdle(t + 0.005, t + 0.012);
    addSpinIdle(t + 0.001, t + 0.003);
    expect(spinIdleMs() - before).toBeCloseTo(0.012, 9);

    const net0 = netEventLoopUtilization();
    const wall0 = performance.now();
    const run = () => dispatch(items(1000), { rate: 5000, arrival: 'constant', seed: 1, signal: new AbortController().signal }, async () => undefined);
    await Promise.all([run(), run()]);
    const net = netEventLoopUtilization();
    // Idle, as counted, cannot exceed the time that passed.
    expect(net.idle - net0.idle).toBeLessThanOrEqual(performance.now() - wall0 + 1e-6);
  });
});
