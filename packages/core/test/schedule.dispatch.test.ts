import { describe, expect, it } from 'vitest';
import { dispatch } from '../src/schedule/dispatch.js';

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
});
