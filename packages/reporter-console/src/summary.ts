import Table from 'cli-table3';
import { eventLoopBusy, formatDuration, serverMetricsTable, systemByBenchmarkTable, type BenchmarkSummary, type MetricAggregate, type RunSummary } from '@yardstick/core';
import { fmtNum, fmtValue, type Colors } from './format.js';
import { renderServing } from './serving.js';

export interface SummaryOptions {
  colors: Colors;
  percentiles: readonly number[];
  /** Where the run's files are, printed last. */
  outDir?: string;
}

function table(colors: Colors, head: string[], alignRightFrom = 1): Table.Table {
  return new Table({
    head: head.map((h) => colors.bold(h)),
    // cli-table3 colours heads/borders itself through @colors/colors; we colour (or not) ourselves.
    style: { head: [], border: [] },
    colAligns: head.map((_, i) => (i >= alignRightFrom ? 'right' : 'left')),
  });
}

function ci(a: MetricAggregate | undefined): string {
  if (!a || !Number.isFinite(a.ci95[0]) || !Number.isFinite(a.ci95[1])) return '–';
  return `[${fmtNum(a.ci95[0], 3)}, ${fmtNum(a.ci95[1], 3)}]`;
}

function metricNames(b: BenchmarkSummary): string[] {
  const names = new Set<string>([...Object.keys(b.aggregates ?? {}), ...Object.keys(b.metrics ?? {})]);
  return [...names];
}

function metricsTable(b: BenchmarkSummary, colors: Colors): string | undefined {
  const names = metricNames(b);
  if (names.length === 0) return undefined;
  const t = table(colors, ['metric', 'mean', '95% CI', 'n']);
  for (const name of names) {
    const a = b.aggregates?.[name];
    const mean = a?.mean ?? b.metrics[name];
    t.push([name, colors.bold(fmtNum(mean, 3)), ci(a), fmtNum(a?.n ?? b.n, 0)]);
  }
  return t.toString();
}

function categoriesTable(b: BenchmarkSummary, colors: Colors): string | undefined {
  const cats = Object.entries(b.categories ?? {});
  if (cats.length === 0) return undefined;
  const names = metricNames(b);
  const t = table(colors, ['category', 'n', ...names]);
  for (const [cat, c] of cats.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    t.push([
      cat,
      fmtNum(c.n, 0),
      ...names.map((m) => {
        const a = c.aggregates?.[m];
        const mean = a?.mean ?? c.metrics?.[m];
        if (mean === undefined) return '–';
        return a ? `${fmtNum(mean, 3)} ±${fmtNum((a.ci95[1] - a.ci95[0]) / 2, 3)}` : fmtNum(mean, 3);
      }),
    ]);
  }
  return t.toString();
}

function serverTable(values: Record<string, unknown>, title: string, colors: Colors): string {
  const t = serverMetricsTable(values);
  const grid = table(colors, t.columns);
  for (const row of t.rows) grid.push(row.map((v, i) => (i === 0 ? String(v) : v === null ? '' : fmtValue(v))));
  const caption = `${colors.bold(title)}${t.caption ? colors.dim(` (${t.caption})`) : ''}`;
  return [caption, grid.toString(), ...t.notes.map((n) => colors.dim(n))].join('\n');
}

/** CPU/RSS of the engine server and of Yardstick itself, GPU memory/utilisation when sampled. */
function systemTable(system: NonNullable<RunSummary['system']>, colors: Colors): string {
  const t = table(colors, ['process', 'CPU % mean', 'CPU % peak', 'RSS MB mean', 'RSS MB peak']);
  const proc = (label: string, p: NonNullable<RunSummary['system']>['yardstick'] | undefined) => {
    if (p) t.push([`${label} (pid ${p.pid}${p.processes > 1 ? `, ${p.processes} procs` : ''})`, fmtNum(p.cpu_percent.mean, 1), fmtNum(p.cpu_percent.peak, 1), fmtNum(p.rss_mb.mean, 1), fmtNum(p.rss_mb.peak, 1)]);
  };
  proc('engine server', system.engine);
  proc('yardstick', system.yardstick);
  const out = [t.toString()];
  const elu = system.yardstick.event_loop_utilization;
  if (elu) {
    const { busy, threshold } = eventLoopBusy(elu.mean);
    out.push(colors.dim(`yardstick event loop busy: ${fmtNum(elu.mean * 100, 1)}% mean, ${fmtNum(elu.peak * 100, 1)}% peak ${busy ? `(≥ ${threshold}: the client itself was the limit)` : `(under ${threshold}: the client kept up)`}`));
  }
  if (system.gpu && system.gpu.length > 0) {
    const g = table(colors, ['GPU', 'memory MB mean', 'memory MB peak', 'of MB', 'util % mean', 'util % peak']);
    for (const gpu of system.gpu) g.push([`${gpu.index}: ${gpu.name}`, fmtNum(gpu.memory_used_mb.mean, 0), fmtNum(gpu.memory_used_mb.peak, 0), fmtNum(gpu.memory_total_mb, 0), fmtNum(gpu.utilization_percent.mean, 1), fmtNum(gpu.utilization_percent.peak, 1)]);
    out.push(g.toString());
  }
  return out.join('\n');
}

/** Each benchmark's measured stretch side by side (from two benchmarks on). */
function systemByBenchmark(summary: RunSummary, colors: Colors): string | undefined {
  const t = systemByBenchmarkTable(summary.benchmarks);
  if (!t) return undefined;
  const grid = table(colors, t.columns);
  for (const row of t.rows) grid.push(row.map((v, i) => (i === 0 ? String(v) : fmtNum(v, 1))));
  return grid.toString();
}

/** One line per benchmark with performance (sweep steps, engines side by side): the numbers to compare. */
function comparisonTable(summary: RunSummary, colors: Colors): string | undefined {
  const rows = Object.entries(summary.benchmarks).filter(([, b]) => b.performance);
  if (rows.length < 2) return undefined;
  const t = table(colors, ['benchmark', 'ok', 'failed', 'req/s', 'goodput', 'out tok/s', 'TTFT p50', 'TTFT p99', 'TPOT p50', 'ITL p99', 'E2EL p99']);
  for (const [name, b] of rows) {
    const p = b.performance!;
    t.push([
      name,
      fmtNum(p.completed, 0),
      p.failed > 0 ? colors.red(fmtNum(p.failed, 0)) : '0',
      fmtNum(p.request_throughput, 2),
      fmtNum(p.goodput, 2),
      fmtNum(p.output_throughput, 1),
      fmtNum(p.ttft_ms?.median, 1),
      fmtNum(p.ttft_ms?.p99, 1),
      fmtNum(p.tpot_ms?.median, 2),
      fmtNum(p.itl_ms?.p99, 2),
      fmtNum(p.e2el_ms?.p99, 1),
    ]);
  }
  return `${t.toString()}\n${colors.dim('times in ms')}`;
}

/**
 * Run-level blocks only when they add something: whole-run performance aggregates every benchmark
 * (worth showing when there are several); run-level server metrics merely repeat per-benchmark ones.
 */
function showRunLevel(summary: RunSummary, key: 'performance' | 'serverMetrics'): boolean {
  if (!summary[key]) return false;
  const perBenchmark = Object.values(summary.benchmarks).filter((b) => b[key] !== undefined).length;
  return key === 'performance' ? perBenchmark !== 1 : perBenchmark === 0;
}

/** The end-of-run report: header, per-benchmark metric and category tables, serving and server metrics, warnings. */
export function renderSummary(summary: RunSummary, options: SummaryOptions): string {
  const c = options.colors;
  const out: string[] = [];
  const took = Date.parse(summary.finishedAt) - Date.parse(summary.startedAt);
  const status =
    summary.status === 'completed' ? c.green(summary.status) : summary.status === 'failed' ? c.red(summary.status) : c.yellow(summary.status);
  out.push('');
  out.push(`${c.bold('Yardstick')} run ${c.bold(summary.runId)} · ${status} in ${formatDuration(took)}`);
  if (summary.engine) {
    const e = summary.engine;
    out.push(`engine  ${e.name}${e.version ? ` ${e.version}` : ''} · ${e.mode} · model ${e.model}`);
    out.push(c.dim(`launch  ${e.launch}`));
  }
  if (summary.error) out.push(c.red(`error   ${summary.error.code}: ${summary.error.message}`));

  for (const [name, b] of Object.entries(summary.benchmarks)) {
    out.push('');
    const failed = b.failed > 0 ? c.red(`failed ${b.failed}`) : 'failed 0';
    out.push(`${c.bold(c.cyan(name))} · n=${b.n} · ${failed}`);
    const metrics = metricsTable(b, c);
    if (metrics) out.push(metrics);
    const cats = categoriesTable(b, c);
    if (cats) out.push(c.dim('by category (mean ±95% CI half-width)'), cats);
    if (b.performance) out.push('', renderServing(b.performance, { percentiles: options.percentiles, title: `Serving Benchmark Result: ${name}`, load: b.load }));
    if (b.serverMetrics && Object.keys(b.serverMetrics).length > 0) out.push(serverTable(b.serverMetrics, 'server metrics', c));
    if (!metrics && !b.performance) out.push(c.dim('(no metrics)'));
  }
  const compare = comparisonTable(summary, c);
  if (compare) out.push('', c.bold('serving comparison'), compare);
  if (showRunLevel(summary, 'performance')) out.push('', renderServing(summary.performance!, { percentiles: options.percentiles }));
  if (showRunLevel(summary, 'serverMetrics') && Object.keys(summary.serverMetrics!).length > 0) {
    out.push('', serverTable(summary.serverMetrics!, 'server metrics (whole run)', c));
  }
  if (summary.system) {
    out.push('', c.bold(`system (sampled every ${fmtNum(summary.system.interval_ms, 0)} ms during generation)`), systemTable(summary.system, c));
  }
  const perBenchmark = systemByBenchmark(summary, c);
  if (perBenchmark) out.push('', c.bold('system per benchmark') + c.dim(' (each one\'s measured stretch, warm-up left out)'), perBenchmark);
  if (summary.warnings.length > 0) {
    out.push('', c.yellow(c.bold(`warnings (${summary.warnings.length})`)));
    for (const w of summary.warnings) out.push(c.yellow(`  ⚠ ${w}`));
  }
  if (options.outDir) out.push('', c.dim(`results in ${options.outDir}`));
  out.push('');
  return out.join('\n');
}
