import { DISTRIBUTION_ROWS, describeLoad, eventLoopVerdict, formatDuration, serverMetricsTable, systemByBenchmarkTable, type BenchmarkSummary, type Distribution, type MetricAggregate, type PerformanceSummary, type PhaseLoad, type RunSummary } from '@yardstick/core';
import type { SampleRow } from './collect.js';
import type { Histogram } from './histogram.js';

/** What the page's script draws; embedded as JSON. */
export interface ChartData {
  quality: {
    benchmark: string;
    /** Position among all benchmarks: the canvas ids are `q-<index>` / `c-<index>`. */
    index: number;
    metrics: BarPoint[];
    categories?: { metric: string; points: BarPoint[] };
  }[];
  histograms: Partial<Record<'ttft_ms' | 'tpot_ms' | 'itl_ms' | 'e2el_ms', Histogram>>;
  timeline?: { seconds: number[]; requests: number[]; tokens: number[]; bucketSeconds: number };
  /** Benchmarks with performance side by side (sweep steps): throughput against latency. */
  comparison?: { labels: string[]; outputThroughput: number[]; ttftP99: number[]; e2elP50: number[]; tpotP50: number[] };
}

/** Comparison data when two or more benchmarks have performance. */
export function comparisonChart(summary: RunSummary): ChartData['comparison'] {
  const rows = Object.entries(summary.benchmarks).filter(([, b]) => b.performance);
  if (rows.length < 2) return undefined;
  const v = (x: number | undefined) => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
  return {
    labels: rows.map(([n]) => n),
    outputThroughput: rows.map(([, b]) => v(b.performance!.output_throughput)),
    ttftP99: rows.map(([, b]) => v(b.performance!.ttft_ms?.p99)),
    e2elP50: rows.map(([, b]) => v(b.performance!.e2el_ms?.median)),
    tpotP50: rows.map(([, b]) => v(b.performance!.tpot_ms?.median)),
  };
}

export interface BarPoint {
  label: string;
  mean: number;
  low: number | null;
  high: number | null;
  n: number;
}

export interface PageInput {
  summary: RunSummary;
  title: string;
  charts: ChartData;
  rows: SampleRow[];
  totalRecords: number;
  chartJs: string;
  clientJs: string;
  css: string;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESC[c]!);
}

/** JSON inside <script>: nothing in it may close the tag or break the JS parser. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Inline JS must not contain `</script`; the escaped form means the same inside strings and regexes. */
export function scriptText(js: string): string {
  return js.replace(/<\/script/gi, '<\\/script');
}

function num(v: unknown, digits = 2): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '–';
  return Number.isInteger(v) && digits <= 2 ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function metricValue(v: unknown): string {
  return typeof v === 'number' && Number.isFinite(v) ? (Math.abs(v) < 100 ? v.toFixed(4) : v.toFixed(2)) : '–';
}

function metricNames(b: { metrics: Record<string, number>; aggregates?: Record<string, MetricAggregate> }): string[] {
  return [...new Set([...Object.keys(b.aggregates ?? {}), ...Object.keys(b.metrics ?? {})])];
}

export function point(label: string, a: MetricAggregate | undefined, mean: number | undefined, n: number): BarPoint {
  const finite = (x: number | undefined) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  return { label, mean: finite(a?.mean ?? mean) ?? 0, low: finite(a?.ci95[0]), high: finite(a?.ci95[1]), n: a?.n ?? n };
}

/** Chart data for the quality section: every metric per benchmark, the primary one per category. */
export function qualityCharts(summary: RunSummary): ChartData['quality'] {
  const out: ChartData['quality'] = [];
  for (const [index, [name, b]] of Object.entries(summary.benchmarks).entries()) {
    const names = metricNames(b);
    if (names.length === 0) continue;
    const entry: ChartData['quality'][number] = { benchmark: name, index, metrics: names.map((m) => point(m, b.aggregates?.[m], b.metrics[m], b.n)) };
    const cats = Object.entries(b.categories ?? {});
    if (cats.length > 0) {
      const m = names[0]!;
      entry.categories = { metric: m, points: cats.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([c, v]) => point(c, v.aggregates?.[m], v.metrics?.[m], v.n)) };
    }
    out.push(entry);
  }
  return out;
}

function card(label: string, value: string, sub = '', cls = ''): string {
  return `<div class="card ${cls}"><div class="card-label" title="${esc(label)}">${esc(label)}</div><div class="card-value">${value}</div>${sub ? `<div class="card-sub">${sub}</div>` : ''}</div>`;
}

function cards(s: RunSummary, totalRecords: number): string {
  const out: string[] = [];
  const took = Date.parse(s.finishedAt) - Date.parse(s.startedAt);
  out.push(card('status', esc(s.status), `${esc(formatDuration(took))}`, `status-${esc(s.status)}`));
  const failed = Object.values(s.benchmarks).reduce((n, b) => n + b.failed, 0);
  out.push(card('samples', num(totalRecords, 0), failed > 0 ? `<span class="bad">${num(failed, 0)} failed</span>` : 'none failed'));
  for (const [name, b] of Object.entries(s.benchmarks)) {
    const m = metricNames(b)[0];
    if (!m) continue;
    const a = b.aggregates?.[m];
    const ci = a ? `95% CI ${metricValue(a.ci95[0])} – ${metricValue(a.ci95[1])}` : '';
    out.push(card(`${name} · ${m}`, esc(metricValue(a?.mean ?? b.metrics[m])), esc(ci), 'quality'));
  }
  const p = s.performance ?? Object.values(s.benchmarks).find((b) => b.performance)?.performance;
  if (p) {
    out.push(card('output throughput', `${num(p.output_throughput)} <small>tok/s</small>`, `${num(p.request_throughput)} req/s · goodput ${num(p.goodput)}`));
    out.push(card('TTFT median', `${num(p.ttft_ms?.median)} <small>ms</small>`, `p99 ${num(p.ttft_ms?.p99)} ms`));
    out.push(card('TPOT median', `${num(p.tpot_ms?.median)} <small>ms</small>`, `p99 ${num(p.tpot_ms?.p99)} ms`));
    out.push(card('E2EL median', `${num(p.e2el_ms?.median)} <small>ms</small>`, `p99 ${num(p.e2el_ms?.p99)} ms`));
  }
  return `<section class="cards">${out.join('')}</section>`;
}

function header(s: RunSummary, title: string): string {
  const rows: [string, string][] = [
    ['run', `<code>${esc(s.runId)}</code>`],
    ['started', esc(s.startedAt)],
    ['finished', esc(s.finishedAt)],
  ];
  if (s.engine) {
    rows.push(['engine', `${esc(s.engine.name)}${s.engine.version ? ` ${esc(s.engine.version)}` : ''} · ${esc(s.engine.mode)}`]);
    rows.push(['model', `<code>${esc(s.engine.model)}</code>`]);
    rows.push(['launch', `<code class="wrap">${esc(s.engine.launch)}</code>`]);
  }
  rows.push(['plugins', Object.entries(s.plugins).map(([n, v]) => `${esc(n)}@${esc(v)}`).join(', ')]);
  const error = s.error ? `<div class="error"><b>${esc(s.error.code)}</b>: ${esc(s.error.message)}</div>` : '';
  return `<header><h1>${esc(title)}</h1><table class="meta">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>${error}</header>`;
}

function table(head: string[], rows: string[][], cls = ''): string {
  return `<table class="grid ${cls}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function benchmarkQuality(name: string, b: BenchmarkSummary, index: number): string {
  const names = metricNames(b);
  const parts = [`<h3>${esc(name)} <small>n = ${b.n} · failed = ${b.failed}</small></h3>`];
  if (names.length === 0) return '';
  parts.push('<div class="row">');
  parts.push(`<div class="chart"><canvas id="q-${index}" aria-label="${esc(name)} metrics"></canvas></div>`);
  if (b.categories && Object.keys(b.categories).length > 0) parts.push(`<div class="chart"><canvas id="c-${index}" aria-label="${esc(name)} by category"></canvas></div>`);
  parts.push('</div>');
  parts.push(
    table(
      ['metric', 'mean', '95% CI', 'stderr', 'n'],
      names.map((m) => {
        const a = b.aggregates?.[m];
        return [esc(m), `<b>${metricValue(a?.mean ?? b.metrics[m])}</b>`, a ? `[${metricValue(a.ci95[0])}, ${metricValue(a.ci95[1])}]` : '–', metricValue(a?.stderr), String(a?.n ?? b.n)];
      }),
    ),
  );
  const cats = Object.entries(b.categories ?? {});
  if (cats.length > 0) {
    parts.push(
      table(
        ['category', 'n', ...names],
        cats
          .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
          .map(([c, v]) => [esc(c), String(v.n), ...names.map((m) => metricValue(v.aggregates?.[m]?.mean ?? v.metrics?.[m]))]),
        'compact',
      ),
    );
  }
  return `<div class="bench">${parts.join('')}</div>`;
}

function performanceTable(label: string, p: PerformanceSummary, load?: PhaseLoad): string {
  const through = table(
    ['', 'value'],
    [
      ...(load ? [['load', esc(describeLoad(load))]] : []),
      ['successful / failed requests', `${num(p.completed, 0)} / ${p.failed > 0 ? `<span class="bad">${num(p.failed, 0)}</span>` : '0'}`],
      ...Object.entries(p.errors ?? {}).map(([code, n]) => [`&nbsp;&nbsp;${esc(code)}`, num(n, 0)]),
      ['duration (s)', num(p.duration_s)],
      ['input / generated tokens', `${num(p.total_input_tokens, 0)} / ${num(p.total_output_tokens, 0)}`],
      ['request throughput (req/s)', num(p.request_throughput)],
      ['goodput (req/s)', num(p.goodput)],
      ['output token throughput (tok/s)', num(p.output_throughput)],
      ...(p.max_output_tokens_per_s === undefined ? [] : [['peak output token throughput (tok/s)', num(p.max_output_tokens_per_s)]]),
      ...(p.max_concurrent_requests === undefined ? [] : [['peak concurrent requests', num(p.max_concurrent_requests, 0)]]),
      ['total token throughput (tok/s)', num(p.total_token_throughput)],
    ],
    'kv',
  );
  const dists = table(
    ['', 'mean', 'median', 'std', 'p90', 'p95', 'p99'],
    DISTRIBUTION_ROWS.filter(([k]) => p[k] !== undefined).map(([k, l]) => {
      const d = p[k] as Distribution;
      return [esc(l), num(d.mean), num(d.median), num(d.std), num(d.p90), num(d.p95), num(d.p99)];
    }),
  );
  const notes: string[] = [];
  const slo = p.slo as Record<string, unknown> | undefined;
  if (slo && typeof slo === 'object') notes.push(`Goodput counts requests meeting every SLO: ${Object.entries(slo).map(([k, v]) => `${esc(k)} ≤ ${esc(v)} ms`).join(', ')}.`);
  const check = p.token_count_mismatch as { requests?: number; mismatched?: number; server_tokens?: number; client_tokens?: number; client_source?: string } | undefined;
  if (check && typeof check.requests === 'number') {
    notes.push(`Token counts: ${esc(check.mismatched ?? 0)} of ${esc(check.requests)} requests differ between server usage and the ${esc(check.client_source ?? 'client')} count (server ${esc(check.server_tokens)}, client ${esc(check.client_tokens)}).`);
  }
  const noteHtml = notes.map((n) => `<p class="hint">${n}</p>`).join('');
  return `<div class="bench"><h3>${esc(label)}</h3><div class="row">${through}${dists}</div>${noteHtml}</div>`;
}

function systemSection(sys: NonNullable<RunSummary['system']>, benchmarks: RunSummary['benchmarks']): string {
  const rows: string[][] = [];
  for (const [label, p] of [['engine server', sys.engine], ['yardstick', sys.yardstick]] as const) {
    if (p) rows.push([`${label} <small>pid ${p.pid}</small>`, num(p.cpu_percent.mean, 1), num(p.cpu_percent.peak, 1), num(p.rss_mb.mean, 1), num(p.rss_mb.peak, 1)]);
  }
  let html = table(['process', 'CPU % mean', 'CPU % peak', 'RSS MB mean', 'RSS MB peak'], rows);
  const elu = sys.yardstick.event_loop_utilization;
  if (elu) html += `<p class="hint">Yardstick's event loop was busy ${num(elu.mean * 100, 1)}% of the time (peak interval ${num(elu.peak * 100, 1)}%): ${eventLoopVerdict(elu.mean)}.</p>`;
  if (sys.gpu?.length) {
    html += table(
      ['GPU', 'memory MB mean', 'memory MB peak', 'total MB', 'util % mean', 'util % peak'],
      sys.gpu.map((g) => [`${g.index}: ${esc(g.name)}`, num(g.memory_used_mb.mean, 0), num(g.memory_used_mb.peak, 0), num(g.memory_total_mb, 0), num(g.utilization_percent.mean, 1), num(g.utilization_percent.peak, 1)]),
    );
  }
  const perBenchmark = systemByBenchmarkTable(benchmarks);
  if (perBenchmark) {
    html += `<h3>Per benchmark <small>each one's measured stretch, warm-up left out</small></h3>`;
    html += table(perBenchmark.columns, perBenchmark.rows.map((r) => r.map((v, i) => (i === 0 ? esc(v) : num(v, 1)))));
  }
  return `<section><h2>System <small>sampled every ${esc(sys.interval_ms)} ms during generation</small></h2><div class="bench">${html}</div></section>`;
}

function serverMetrics(label: string, values: Record<string, unknown>): string {
  const t = serverMetricsTable(values);
  if (t.rows.length === 0 && t.notes.length === 0) return '';
  const rows = t.rows.map((r) => r.map((v, i) => (i === 0 ? esc(v) : v === null ? '' : typeof v === 'number' ? metricValue(v) : esc(v))));
  const caption = t.caption ? ` <small>${esc(t.caption)}</small>` : '';
  return `<div class="bench"><h3>${esc(label)}${caption}</h3>${rows.length ? table(t.columns, rows) : ''}${t.notes.map((n) => `<p class="hint">${esc(n)}</p>`).join('')}</div>`;
}

function samplesTable(rows: SampleRow[], total: number): string {
  const head = ['benchmark', '#', 'id', 'category', 'status', 'primary metric', 'TTFT ms', 'E2EL ms', 'tokens', 'prompt (end)', 'output', 'reasons'];
  const numeric = new Set([1, 5, 6, 7, 8]);
  const body = rows
    .map((r) => {
      const cells: [string, string | number | null][] = [
        [esc(r.benchmark), r.benchmark],
        [String(r.index), r.index],
        [`<code>${esc(r.id)}</code>`, r.id],
        [esc(r.category), r.category],
        [r.status ? `<span class="badge ${r.status}">${r.status}</span>` : '', r.status],
        [r.score === null ? '' : `<span title="${esc(r.metric)}">${metricValue(r.score)}</span>`, r.score],
        [num(r.ttft), r.ttft],
        [num(r.e2el), r.e2el],
        [r.tokens === null ? '–' : String(r.tokens), r.tokens],
        [`<div class="text">${esc(r.prompt)}</div>`, r.prompt],
        [`<div class="text">${esc(r.output)}</div>`, r.output],
        [`<div class="text small">${esc(r.reasons)}</div>`, r.reasons],
      ];
      return `<tr>${cells.map(([html, key], i) => `<td${numeric.has(i) ? ' class="num"' : ''} data-sort="${esc(key ?? '')}">${html}</td>`).join('')}</tr>`;
    })
    .join('');
  const note = total > rows.length ? `first ${rows.length} of ${num(total, 0)} samples` : `${rows.length} samples`;
  return `<section><h2>Samples <small>${note} · click a column to sort</small></h2><input id="filter" type="search" placeholder="filter rows…" aria-label="filter samples"><div class="scroll"><table class="grid samples" id="samples"><thead><tr>${head.map((h, i) => `<th data-col="${i}"${numeric.has(i) ? ' data-numeric="1"' : ''}>${esc(h)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table></div></section>`;
}

/** The whole page: everything inline (styles, Chart.js, data, script); opens from a file:// URL offline. */
export function renderPage(input: PageInput): string {
  const s = input.summary;
  const benches = Object.entries(s.benchmarks);
  const quality = benches.map(([n, b], i) => benchmarkQuality(n, b, i)).filter(Boolean);
  const perfBenches = benches.filter(([, b]) => b.performance);
  const perf = perfBenches.map(([n, b]) => performanceTable(n, b.performance!, b.load));
  if (s.performance && perfBenches.length !== 1) perf.push(performanceTable('whole run', s.performance));
  const server = benches.filter(([, b]) => b.serverMetrics).map(([n, b]) => serverMetrics(`${n}: server metrics`, b.serverMetrics!));
  if (s.serverMetrics && server.length === 0) server.push(serverMetrics('whole run: server metrics', s.serverMetrics));
  const h = input.charts.histograms;
  const histCanvases = (['ttft_ms', 'tpot_ms', 'itl_ms', 'e2el_ms'] as const)
    .filter((k) => h[k])
    .map((k) => `<div class="chart"><canvas id="h-${k}" aria-label="${k} histogram"></canvas></div>`)
    .join('');
  const sections: string[] = [];
  if (quality.length) sections.push(`<section><h2>Quality</h2><p class="hint">Bars are means; whiskers the 95% confidence interval.</p>${quality.join('')}</section>`);
  if (perf.length || histCanvases || input.charts.timeline) {
    const compare = input.charts.comparison ? '<div class="chart wide"><canvas id="comparison" aria-label="throughput and latency per benchmark"></canvas></div>' : '';
    const timeline = input.charts.timeline ? '<div class="chart wide"><canvas id="timeline" aria-label="throughput over time"></canvas></div>' : '';
    sections.push(`<section><h2>Performance</h2>${compare}${histCanvases ? `<div class="grid2">${histCanvases}</div>` : ''}${timeline}${perf.join('')}</section>`);
  }
  if (server.length) sections.push(`<section><h2>Server metrics</h2>${server.join('')}</section>`);
  if (s.system) sections.push(systemSection(s.system, s.benchmarks));
  if (s.warnings.length) sections.push(`<section class="warnings"><h2>Warnings</h2><ul>${s.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></section>`);
  sections.push(samplesTable(input.rows, input.totalRecords));
  sections.push(`<section><details><summary>Resolved config</summary><pre>${esc(JSON.stringify(s.config, null, 2))}</pre></details></section>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="yardstick reporter-html">
<title>${esc(input.title)}</title>
<style>${input.css}</style>
</head>
<body>
${header(s, input.title)}
${cards(s, input.totalRecords)}
${sections.join('\n')}
<footer>Generated by Yardstick reporter-html · self-contained, no network access · raw data in summary.json and samples.jsonl</footer>
<script type="application/json" id="ys-data">${scriptJson(input.charts)}</script>
<script>${scriptText(input.chartJs)}</script>
<script>${scriptText(input.clientJs)}</script>
</body>
</html>
`;
}
