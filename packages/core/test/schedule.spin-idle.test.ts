import { describe, expect, it } from 'vitest';
import { dispatch } from '../src/schedule/dispatch.js';
import { netEventLoopUtilization, noteReplyRead } from '../src/schedule/spin-idle.js';

const items = (n: number) => Array.from({ length: n }, (_, i) => i)[Symbol.iterator]();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('open-loop waits under a timer tick', () => {
  it('are spun: sends 0.1 ms apart go out on time, not in 1 ms timer batches', async () => {
    // Sleeping a timer tick for each such wait sent them in batches, each up to 1 ms late (a median
    // lag near 0.5 ms); spinning sends each one as it falls due.
    const lags: number[] = [];
    await dispatch(items(1000), { rate: 10_000, arrival: 'constant', seed: 1, signal: new AbortController().signal }, async (_i, lag) => {
      lags.push(lag ?? -1);
    });
    expect(lags).toHaveLength(1000);
    expect(median(lags)).toBeLessThan(0.25);
  });

  it('count their idle turns as idle in the event-loop utilisation, and turns that read replies as active', async () => {
    const delta = (a: { idle: number; active: number }, b: { idle: number; active: number }) => (a.active - b.active) / (a.active - b.active + a.idle - b.idle);
    // Nothing but spinning between sends: Node counts every turn active; the net figure does not.
    let raw0 = performance.eventLoopUtilization();
    let net0 = netEventLoopUtilization();
    await dispatch(items(1500), { rate: 5000, arrival: 'constant', seed: 1, signal: new AbortController().signal }, async () => undefined);
    expect(delta(performance.eventLoopUtilization(), raw0)).toBeGreaterThan(0.9);
    expect(delta(netEventLoopUtilization(), net0)).toBeLessThan(0.6);

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
