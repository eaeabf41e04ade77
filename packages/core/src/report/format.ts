import { eventLoopBusy } from '../event-loop.js';
import type { PerformanceSummary, PhaseLoad } from '../types.js';

/**
 * A duration for people: 850 ms · 12.3 s · 4m 05s · 2h 03m. '–' for a missing or negative one
 * (e.g. a run whose clock went backwards). Shared by the console, markdown and html reporters.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/**
 * The per-request distributions of a PerformanceSummary, in the order reports list them, each with
 * its row label (the vLLM bench serve names, units in brackets).
 */
export const DISTRIBUTION_ROWS: readonly (readonly [keyof PerformanceSummary, string])[] = [
  ['ttft_ms', 'TTFT (ms)'],
  ['tpot_ms', 'TPOT (ms)'],
  ['itl_ms', 'ITL (ms)'],
  ['e2el_ms', 'E2EL (ms)'],
  ['decode_tokens_per_s', 'decode speed (tok/s)'],
  ['output_tokens', 'output tokens'],
  ['client_lag_ms', 'client lag (ms)'],
  ['client_queue_ms', 'client queue (ms)'],
];

/**
 * Which side of the kernel's busy threshold a run's event-loop share fell on, in the words the
 * markdown and html reports print after the figures.
 */
export function eventLoopVerdict(mean: number): string {
  const { busy, threshold } = eventLoopBusy(mean);
  return busy ? `at ≥ ${threshold} the client itself was the limit` : `under ${threshold}, the client kept up`;
}

/**
 * A phase's load in one phrase for the markdown and html reports: `closed loop, 8 in flight`,
 * `Poisson arrivals at 20 req/s, at most 64 in flight`, `gamma arrivals (burstiness 0.5) at 4 req/s`.
 */
export function describeLoad(load: PhaseLoad): string {
  const parts: string[] = [];
  if (load.rate === undefined) parts.push(`closed loop, ${load.concurrency ?? 1} in flight`);
  else {
    const arrival = load.arrival ?? 'poisson';
    const shape = arrival === 'gamma' ? `gamma arrivals (burstiness ${load.burstiness ?? 1})` : arrival === 'poisson' ? 'Poisson arrivals' : 'constant arrivals';
    parts.push(`${shape} at ${load.rate} req/s`);
    if (load.concurrency !== undefined) parts.push(`at most ${load.concurrency} in flight`);
  }
  if (load.warmup_s) parts.push(`after a ${load.warmup_s} s warm-up at that load`);
  if (load.duration_s !== undefined) parts.push(`for ${load.duration_s} s`);
  if (load.num_requests !== undefined) parts.push(`${load.duration_s !== undefined ? 'up to ' : ''}${load.num_requests} requests`);
  return parts.join(', ');
}
