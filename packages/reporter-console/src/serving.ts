import type { Distribution, PerformanceSummary, PhaseLoad } from '@yardstick/core';
import { fmtNum } from './format.js';

const WIDTH = 50;

/** `{:<40} {:<10}` as vLLM prints each row. */
function row(label: string, value: string): string {
  return `${label.padEnd(40)} ${value}`;
}

/** `{s:{c}^{n}}`: a title centred in a rule, as vLLM's section headers. */
function rule(title: string, fill = '-'): string {
  const text = title ? title : '';
  const total = Math.max(0, WIDTH - text.length);
  const left = Math.floor(total / 2);
  return `${fill.repeat(left)}${text}${fill.repeat(total - left)}`;
}

/** vLLM's `p_word`: `P99`, `P99.9`. */
function pLabel(q: number): string {
  return `P${String(q)}`;
}

function distRows(d: Distribution | undefined, short: string, unit: string, percentiles: readonly number[]): string[] {
  if (!d) return [row(`Mean ${short} (${unit}):`, '–')];
  const rows = [row(`Mean ${short} (${unit}):`, fmtNum(d.mean, 2)), row(`Median ${short} (${unit}):`, fmtNum(d.median, 2))];
  for (const q of percentiles) {
    // The summary keeps p50 as `median` (it is always there), not under a `p50` key of its own.
    const value = q === 50 ? d.median : d[`p${String(q)}`];
    rows.push(row(`${pLabel(q)} ${short} (${unit}):`, fmtNum(value, 2)));
  }
  return rows;
}

/**
 * The serving result block in `vllm bench serve`'s layout (same labels, same column widths), so
 * numbers can be compared line by line; plus what vLLM does not print: goodput under SLOs when
 * set, failure reasons, per-request decode speed and the client's own lag.
 */
export function renderServing(perf: PerformanceSummary, options: { title?: string; percentiles: readonly number[]; load?: PhaseLoad }): string {
  const lines: string[] = [];
  lines.push(rule(options.title ? ` ${options.title} ` : ' Serving Benchmark Result ', '='));
  lines.push(row('Successful requests:', fmtNum(perf.completed, 0)));
  lines.push(row('Failed requests:', fmtNum(perf.failed, 0)));
  for (const [code, count] of Object.entries(perf.errors ?? {})) lines.push(row(`  ${code}:`, fmtNum(count, 0)));
  // vLLM prints these two only when set: a cap on requests in flight, and a finite request rate.
  const load = options.load;
  if (load?.concurrency !== undefined) lines.push(row('Maximum request concurrency:', String(load.concurrency)));
  if (load?.rate !== undefined) lines.push(row('Request rate configured (RPS):', fmtNum(load.rate, 2)));
  lines.push(row('Benchmark duration (s):', fmtNum(perf.duration_s, 2)));
  lines.push(row('Total input tokens:', fmtNum(perf.total_input_tokens, 0)));
  lines.push(row('Total generated tokens:', fmtNum(perf.total_output_tokens, 0)));
  lines.push(row('Request throughput (req/s):', fmtNum(perf.request_throughput, 2)));
  // As vLLM: goodput only under SLOs (without any, every completed request counts and it would just repeat the throughput).
  const slo = sloText(perf.slo);
  if (slo) {
    lines.push(row('Request goodput (req/s):', fmtNum(perf.goodput, 2)));
    lines.push(row('  under SLOs (ms):', slo));
  }
  lines.push(row('Output token throughput (tok/s):', fmtNum(perf.output_throughput, 2)));
  if (perf.max_output_tokens_per_s !== undefined) lines.push(row('Peak output token throughput (tok/s):', fmtNum(perf.max_output_tokens_per_s, 2)));
  if (perf.max_concurrent_requests !== undefined) lines.push(row('Peak concurrent requests:', fmtNum(perf.max_concurrent_requests, 2)));
  lines.push(row('Total token throughput (tok/s):', fmtNum(perf.total_token_throughput, 2)));
  lines.push(rule('Time to First Token'));
  lines.push(...distRows(perf.ttft_ms, 'TTFT', 'ms', options.percentiles));
  lines.push(rule('Time per Output Token (excl. 1st token)'));
  lines.push(...distRows(perf.tpot_ms, 'TPOT', 'ms', options.percentiles));
  lines.push(rule('Inter-token Latency'));
  lines.push(...distRows(perf.itl_ms, 'ITL', 'ms', options.percentiles));
  lines.push(rule('End-to-end Latency'));
  lines.push(...distRows(perf.e2el_ms, 'E2EL', 'ms', options.percentiles));
  if (perf.decode_tokens_per_s) {
    lines.push(rule('Per-request Decode Speed'));
    lines.push(...distRows(perf.decode_tokens_per_s, 'decode', 'tok/s', options.percentiles));
  }
  if (perf.client_lag_ms) {
    lines.push(rule('Client Lag behind Schedule'));
    lines.push(...distRows(perf.client_lag_ms, 'lag', 'ms', options.percentiles));
  }
  if (perf.client_queue_ms) {
    // vLLM's heading and label for the same measure.
    lines.push(rule('Client-side Queueing'));
    lines.push(...distRows(perf.client_queue_ms, 'Client Queue Time', 'ms', options.percentiles));
  }
  const check = tokenCheck(perf.token_count_mismatch);
  if (check) {
    lines.push(rule('Token Count Check'));
    lines.push(row('Requests checked:', fmtNum(check.requests, 0)));
    lines.push(row(`Mismatched (server vs ${check.client_source}):`, fmtNum(check.mismatched, 0)));
    lines.push(row('Tokens server / client:', `${fmtNum(check.server_tokens, 0)} / ${fmtNum(check.client_tokens, 0)}`));
  }
  lines.push('='.repeat(WIDTH));
  if (isRecord(perf.percentiles_approximate)) lines.push(`(percentiles from a ${String(perf.percentiles_approximate.sketch ?? 'sketch')}, relative accuracy ${String(perf.percentiles_approximate.relative_accuracy ?? '?')})`);
  return lines.join('\n');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `ttft≤200 tpot≤50` from the SLOs the aggregator copied into the summary. */
function sloText(slo: unknown): string | undefined {
  if (!isRecord(slo)) return undefined;
  const parts = Object.entries(slo)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${k}≤${String(v)}`);
  return parts.length ? parts.join(' ') : undefined;
}

interface TokenCheck {
  requests: number;
  mismatched: number;
  server_tokens: number;
  client_tokens: number;
  client_source: string;
}

function tokenCheck(v: unknown): TokenCheck | undefined {
  if (!isRecord(v) || typeof v.requests !== 'number' || typeof v.mismatched !== 'number') return undefined;
  return {
    requests: v.requests,
    mismatched: v.mismatched,
    server_tokens: typeof v.server_tokens === 'number' ? v.server_tokens : Number.NaN,
    client_tokens: typeof v.client_tokens === 'number' ? v.client_tokens : Number.NaN,
    client_source: typeof v.client_source === 'string' ? v.client_source : 'client',
  };
}
