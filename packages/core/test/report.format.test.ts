import { describe, expect, it } from 'vitest';
import { DISTRIBUTION_ROWS, formatDuration } from '../src/index.js';

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
