import { describe, expect, it } from 'vitest';
import { describeLoad, DISTRIBUTION_ROWS, formatDuration } from '../src/index.js';

describe('report formatting', () => {
  it('formats durations from milliseconds to hours', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4m 05s');
    expect(formatDuration(7_380_000)).toBe('2h 03m');
    expect(formatDuration(-1)).toBe('–');
    expect(formatDuration(Number.NaN)).toBe('–');
  });

  it('lists the performance distributions in report order', () => {
    expect(DISTRIBUTION_ROWS.map(([k]) => k)).toEqual(['ttft_ms', 'tpot_ms', 'itl_ms', 'e2el_ms', 'decode_tokens_per_s', 'output_tokens', 'client_lag_ms', 'client_queue_ms']);
  });
});

describe('describeLoad', () => {
  it('names the loop, the arrivals, the cap and the limits', () => {
    expect(describeLoad({ concurrency: 8, num_requests: 100 })).toBe('closed loop, 8 in flight, 100 requests');
    expect(describeLoad({ rate: 20, arrival: 'poisson', burstiness: 1, concurrency: 64 })).toBe('Poisson arrivals at 20 req/s, at most 64 in flight');
    expect(describeLoad({ rate: 4, arrival: 'gamma', burstiness: 0.5, duration_s: 30, num_requests: 1000 })).toBe('gamma arrivals (burstiness 0.5) at 4 req/s, for 30 s, up to 1000 requests');
    expect(describeLoad({ rate: 2.5, arrival: 'constant' })).toBe('constant arrivals at 2.5 req/s');
    expect(describeLoad({ concurrency: 4, warmup_s: 2, duration_s: 10 })).toBe('closed loop, 4 in flight, after a 2 s warm-up at that load, for 10 s');
  });
});
