import { DISTRIBUTION_ROWS, describeLoad, eventLoopVerdict, formatDuration, serverMetricsTable, systemByBenchmarkTable, type BenchmarkSummary, type Distribution, type PerformanceSummary, type PhaseLoad, type RunSummary } from '@yardstick/core';
import { cell, code, fenced, head, metric, num, table, tail } from './format.js';
import { promptText, type Gallery, type GalleryEntry } from './gallery.js';

export interface RenderOptions {
  title?: string;
  excerptChars: number;
  galleries: Map<string, Gallery>;
}

function ci(a: { ci95: [number, number] } | undefined): string {
  return a ? `[${metric(a.ci95[0])}, ${metric(a.ci95[1])}]` : '–';
}

function metricNames(b: { metrics: Record<string, number>; aggregates?: Record<string, unknown> }): string[] {
  return [...new Set([...Object.keys(b.aggregates ?? {}), ...Object.keys(b.metrics ?? {})])];
}

function header(s: RunSummary, title: string | undefined): string[] {
  const rows: [string, string][] = [
    ['Run', code(s.runId)],
    ['Status', s.status === 'completed' ? 'completed' : `**${s.status}**`],
    ['Started', s.startedAt],
    ['Finished', `${s.finishedAt} (${formatDuration(Date.parse(s.finishedAt) - Date.parse(s.startedAt))})`],
  ];
  if (s.engine) {
    rows.push(['Engine', `${s.engine.name}${s.engine.version ? ` ${s.engine.version}` : ''} (${s.engine.mode})`]);
    rows.push(['Model', code(s.engine.model)]);
    rows.push(['Launch', code(s.engine.launch)]);
    if (s.engine.baseUrl) rows.push(['Base URL', code(s.engine.baseUrl)]);
  }
  rows.push(['Plugins', Object.entries(s.plugins).map(([n, v]) => `${n}@${v}`).join(', ')]);
  const out = [`# ${title ?? `Yardstick report: ${s.runId}`}`, '', table(['', ''], rows, ['l', 'l'])];
  if (s.error) out.push('', `> **Error** ${code(s.error.code)}: ${cell(s.error.message)}`);
  return out;
}

function overview(s: RunSummary): string[] {
  const rows = Object.entries(s.benchmarks).map(([name, b]) => {
    const primary = metricNames(b)[0];
    const a = primary ? b.aggregates?.[primary] : undefined;
    return [name, b.n, b.failed, primary ?? '–', primary ? metric(a?.mean ?? b.metrics[primary]) : '–', ci(a), b.performance ? num(b.performance.output_throughput, 2) : '–'];
  });
  if (rows.length === 0) return [];
  return ['## Overview', '', table(['benchmark', 'n', 'failed', 'primary metric', 'mean', '95% CI', 'output tok/s'], rows, ['l', 'r', 'r', 'l', 'r', 'r', 'r'])];
}

export function performance(p: PerformanceSummary, level: string, load?: PhaseLoad): string[] {
  const out = [
    `${level} Performance`,
    '',
    table(
      ['', 'value'],
      [
        ['successful requests', p.completed],
        ['failed requests', p.failed],
        ...Object.entries(p.errors ?? {}).map(([code, n]) => [`  ${code}`, n]),
        ...(load ? [['load', describeLoad(load)]] : []),
        ['duration (s)', num(p.duration_s, 2)],
        ['total input tokens', p.total_input_tokens],
        ['total generated tokens', p.total_output_tokens],
        ['request throughput (req/s)', num(p.request_throughput, 2)],
        ['request goodput (req/s)', num(p.goodput, 2)],
        ['output token throughput (tok/s)', num(p.output_throughput, 2)],
        ...(p.max_output_tokens_per_s === undefined ? [] : [['peak output token throughput (tok/s)', num(p.max_output_tokens_per_s, 2)]]),
        ...(p.max_concurrent_requests === undefined ? [] : [['peak concurrent requests', p.max_concurrent_requests]]),
        ['total token throughput (tok/s)', num(p.total_token_throughput, 2)],
      ],
    ),
    '',
  ];
  const rows = DISTRIBUTION_ROWS.filter(([k]) => p[k] !== undefined).map(([k, label]) => {
    const d = p[k] as Distribution;
    return [label, num(d.mean, 2), num(d.median, 2), num(d.std, 2), num(d.p90, 2), num(d.p95, 2), num(d.p99, 2)];
  });
  out.push(table(['', 'mean', 'median', 'std', 'p90', 'p95', 'p99'], rows));
  const slo = p.slo as Record<string, unknown> | undefined;
  if (slo && typeof slo === 'object') out.push('', `Goodput counts requests meeting every SLO: ${Object.entries(slo).map(([k, v]) => `${k} ≤ ${String(v)} ms`).join(', ')}.`);
  const check = p.token_count_mismatch as { requests?: number; mismatched?: number; server_tokens?: number; client_tokens?: number; client_source?: string } | undefined;
  if (check && typeof check.requests === 'number') {
    out.push('', `Token counts: ${check.mismatched ?? 0} of ${check.requests} requests differ between server usage and the ${check.client_source ?? 'client'} count (server ${check.server_tokens ?? '–'}, client ${check.client_tokens ?? '–'} tokens).`);
  }
  return out;
}

function system(sys: NonNullable<RunSummary['system']>, benchmarks: RunSummary['benchmarks']): string[] {
  const rows: unknown[][] = [];
  for (const [label, p] of [['engine server', sys.engine], ['yardstick', sys.yardstick]] as const) {
    if (p) rows.push([`${label} (pid ${p.pid})`, num(p.cpu_percent.mean, 1), num(p.cpu_percent.peak, 1), num(p.rss_mb.mean, 1), num(p.rss_mb.peak, 1)]);
  }
  const out = ['## System', '', `Sampled every ${sys.interval_ms} ms during generation (${sys.samples} samples).`, '', table(['process', 'CPU % mean', 'CPU % peak', 'RSS MB mean', 'RSS MB peak'], rows)];
  const elu = sys.yardstick.event_loop_utilization;
  if (elu) out.push('', `Yardstick's event loop was busy ${num(elu.mean * 100, 1)}% of the time (peak interval ${num(elu.peak * 100, 1)}%): ${eventLoopVerdict(elu.mean)}.`);
  if (sys.gpu?.length) {
    out.push(
      '',
      table(
        ['GPU', 'memory MB mean', 'memory MB peak', 'total MB', 'util % mean', 'util % peak'],
        sys.gpu.map((g) => [`${g.index}: ${g.name}`, num(g.memory_used_mb.mean, 0), num(g.memory_used_mb.peak, 0), num(g.memory_total_mb, 0), num(g.utilization_percent.mean, 1), num(g.utilization_percent.peak, 1)]),
      ),
    );
  }
  const perBenchmark = systemByBenchmarkTable(benchmarks);
  if (perBenchmark) {
    out.push('', "Per benchmark, each one's measured stretch (warm-up left out):", '', table(perBenchmark.columns, perBenchmark.rows.map((r) => r.map((v, i) => (i === 0 ? v : num(v, 1))))));
  }
  return out;
}

function serverMetrics(values: Record<string, unknown>, level: string): string[] {
  const t = serverMetricsTable(values);
  if (t.rows.length === 0 && t.notes.length === 0) return [];
  const out = [`${level} Server metrics`, ''];
  if (t.caption) out.push(`${t.caption}.`, '');
  if (t.rows.length) out.push(table(t.columns, t.rows.map((r) => r.map((v, i) => (i === 0 ? v : v === null ? '' : typeof v === 'number' ? num(v) : v)))), '');
  out.push(...t.notes.map((n) => `_${cell(n)}_`));
  return out;
}

function entry(e: GalleryEntry, ok: boolean, excerpt: number): string[] {
  const r = e.record;
  const mark = ok ? '✓' : '✗';
  const verdict = r.result.error ? `request failed: ${code(r.result.error.code)}` : e.metric ? `${e.metric} = ${metric(e.value)}` : '';
  const category = r.sample.metadata?.category;
  const out = [`**${mark} ${code(r.sample.id)}** · ${verdict}${typeof category === 'string' ? ` · ${cell(category)}` : ''}`, ''];
  const prompt = promptText(r);
  if (prompt !== undefined) out.push('Prompt (end):', '', fenced(tail(prompt, excerpt)), '');
  if (r.result.error) out.push(`Error: ${cell(r.result.error.message)}`, '');
  else out.push('Output:', '', fenced(head(r.result.text, excerpt)), '');
  if (r.sample.target !== undefined) out.push(`Target: ${code(head(typeof r.sample.target === 'string' ? r.sample.target : JSON.stringify(r.sample.target), 200).replace(/\n/g, ' '))}`, '');
  const reasons = Object.entries(r.score.reasons);
  if (reasons.length > 0) out.push(...reasons.map(([scorer, reason]) => `- ${scorer}: ${cell(reason)}`), '');
  return out;
}

function gallery(g: Gallery | undefined, excerpt: number): string[] {
  if (!g || (g.failures.length === 0 && g.successes.length === 0)) return [];
  const out = ['### Samples', ''];
  if (g.failures.length > 0) {
    out.push(`#### First ${g.failures.length} failure${g.failures.length > 1 ? 's' : ''}`, '');
    for (const e of g.failures) out.push(...entry(e, false, excerpt));
  }
  if (g.successes.length > 0) {
    out.push(`#### First ${g.successes.length} success${g.successes.length > 1 ? 'es' : ''}`, '');
    for (const e of g.successes) out.push(...entry(e, true, excerpt));
  }
  return out;
}

function benchmark(name: string, b: BenchmarkSummary, options: RenderOptions): string[] {
  const out = [`## ${name}`, '', `n = ${b.n} · failed = ${b.failed}`, ''];
  const names = metricNames(b);
  if (names.length > 0) {
    out.push('### Metrics', '');
    out.push(
      table(
        ['metric', 'mean', '95% CI', 'stderr', 'n'],
        names.map((m) => {
          const a = b.aggregates?.[m];
          return [m, `**${metric(a?.mean ?? b.metrics[m])}**`, ci(a), metric(a?.stderr), a?.n ?? b.n];
        }),
      ),
      '',
    );
  }
  const cats = Object.entries(b.categories ?? {}).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  if (cats.length > 0) {
    out.push('### By category', '', 'Mean with 95% CI.', '');
    out.push(
      table(
        ['category', 'n', ...names],
        cats.map(([cat, c]) => [
          cat,
          c.n,
          ...names.map((m) => {
            const a = c.aggregates?.[m];
            const mean = a?.mean ?? c.metrics?.[m];
            return mean === undefined ? '–' : `${metric(mean)} ${ci(a)}`;
          }),
        ]),
      ),
      '',
    );
  }
  if (b.performance) out.push(...performance(b.performance, '###', b.load), '');
  if (b.serverMetrics) out.push(...serverMetrics(b.serverMetrics, '###'), '');
  out.push(...gallery(options.galleries.get(name), options.excerptChars));
  return out;
}

/** One row per benchmark with performance (sweep steps side by side), when there are several. */
function comparison(s: RunSummary): string[] {
  const rows = Object.entries(s.benchmarks).filter(([, b]) => b.performance);
  if (rows.length < 2) return [];
  return [
    '## Serving comparison',
    '',
    'Times in ms.',
    '',
    table(
      ['benchmark', 'ok', 'failed', 'req/s', 'goodput', 'out tok/s', 'TTFT p50', 'TTFT p99', 'TPOT p50', 'ITL p99', 'E2EL p99'],
      rows.map(([name, b]) => {
        const p = b.performance!;
        return [name, p.completed, p.failed, num(p.request_throughput, 2), num(p.goodput, 2), num(p.output_throughput, 1), num(p.ttft_ms?.median, 1), num(p.ttft_ms?.p99, 1), num(p.tpot_ms?.median, 2), num(p.itl_ms?.p99, 2), num(p.e2el_ms?.p99, 1)];
      }),
    ),
    '',
  ];
}

/** The whole report.md. */
export function renderMarkdown(s: RunSummary, options: RenderOptions): string {
  const out: string[] = [...header(s, options.title), ''];
  out.push(...overview(s), '');
  out.push(...comparison(s));
  for (const [name, b] of Object.entries(s.benchmarks)) out.push(...benchmark(name, b, options));
  const perBenchPerf = Object.values(s.benchmarks).filter((b) => b.performance).length;
  if (s.performance && perBenchPerf !== 1) out.push(...performance(s.performance, '## Whole run:'), '');
  // Run-level server metrics only repeat the per-benchmark ones; shown when no benchmark has them.
  const perBenchServer = Object.values(s.benchmarks).filter((b) => b.serverMetrics).length;
  if (s.serverMetrics && perBenchServer === 0) out.push(...serverMetrics(s.serverMetrics, '## Whole run:'), '');
  if (s.system) out.push(...system(s.system, s.benchmarks), '');
  if (s.warnings.length > 0) out.push('## Warnings', '', ...s.warnings.map((w) => `- ${cell(w)}`), '');
  out.push('---', '', `_Generated by Yardstick reporter-markdown. Raw data: \`summary.json\`, \`samples.jsonl\`._`, '');
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}
