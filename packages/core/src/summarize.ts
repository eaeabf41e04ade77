import { PerformanceAggregator, type PerformanceOptions } from './performance/aggregator.js';
import { clientPromptTokens, requestsOf } from './record-requests.js';
import { RunningMean } from './stats.js';
import type { ResultsStore } from './store.js';
import type { BenchmarkSummary, PerformanceSummary, SampleRecord } from './types.js';

interface Group {
  n: number;
  metrics: Map<string, RunningMean>;
}

const newGroup = (): Group => ({ n: 0, metrics: new Map() });

function addTo(group: Group, record: SampleRecord): void {
  group.n++;
  const { metrics, weights } = record.score;
  for (const [name, value] of Object.entries(metrics)) {
    let m = group.metrics.get(name);
    if (!m) group.metrics.set(name, (m = new RunningMean()));
    m.add(value, weights?.[name] ?? 1);
  }
}

function finish(group: Group) {
  const aggregates = Object.fromEntries([...group.metrics].map(([k, m]) => [k, m.result()]));
  const metrics = Object.fromEntries(Object.entries(aggregates).map(([k, a]) => [k, a.mean]));
  return { n: group.n, metrics, aggregates };
}

export interface StoreTotals {
  benchmarks: Record<string, BenchmarkSummary>;
  performance?: PerformanceSummary;
  warnings: string[];
}

/**
 * One streaming pass over the journal (more when a long serving run's peak metrics need them):
 * per-benchmark metric means with 95% CIs, per-category breakdowns and timing aggregates. Computed
 * from the store (not from memory) so a resumed run's summary covers the samples finished before
 * the interruption too.
 */
export async function summarizeStore(
  store: ResultsStore,
  options: PerformanceOptions & { order?: readonly string[]; origins?: Readonly<Record<string, number>>; attempt?: number },
): Promise<StoreTotals> {
  const groups = new Map<string, { all: Group; failed: number; categories: Map<string, Group>; tasks: Set<string>; perf: PerformanceAggregator }>();
  // Each benchmark's clock starts at its own measured schedule's start when it had one; the run's at the earliest.
  const { origins, attempt: current, ...rest } = options;
  const shared: PerformanceOptions & { order?: readonly string[] } = current === undefined ? rest : { ...rest, originAttempt: current };
  const starts = Object.values(origins ?? {});
  const overall = new PerformanceAggregator(starts.length > 0 ? { ...shared, origin: Math.min(...starts) } : shared);
  const perfOf = (benchmark: string) => {
    const origin = origins?.[benchmark];
    return new PerformanceAggregator(origin === undefined ? shared : { ...shared, origin });
  };
  for await (const record of store.read()) {
    let g = groups.get(record.benchmark);
    if (!g) groups.set(record.benchmark, (g = { all: newGroup(), failed: 0, categories: new Map(), tasks: new Set(), perf: perfOf(record.benchmark) }));
    addTo(g.all, record);
    const requests = requestsOf(record);
    if (requests.some((r) => r.error)) g.failed++;
    g.tasks.add(record.sample.task);
    const category = record.sample.metadata?.category;
    const key = typeof category === 'string' ? category : record.sample.task;
    let c = g.categories.get(key);
    if (!c) g.categories.set(key, (c = newGroup()));
    addTo(c, record);
    const promptTokens = clientPromptTokens(record);
    for (const r of requests) {
      // Cache hits and re-scored predictions were not timed against an engine.
      if (r.cached) continue;
      g.perf.add(r, promptTokens, record.attempt);
      overall.add(r, promptTokens, record.attempt);
    }
  }
  // A long run's peak metrics need more passes: the earliest start before chunks can be bucketed,
  // and the peak concurrency swept one time window per pass (see PeakTracker).
  const aggregators = [overall, ...[...groups.values()].map((g) => g.perf)];
  while (aggregators.some((a) => a.needsReplay)) {
    for await (const record of store.read()) {
      const perf = groups.get(record.benchmark)?.perf;
      for (const r of requestsOf(record)) {
        if (r.cached) continue;
        perf?.replay(r);
        overall.replay(r);
      }
    }
    for (const a of aggregators) a.endReplay();
  }
  const benchmarks: Record<string, BenchmarkSummary> = {};
  const warnings: string[] = [];
  const names = [...groups.keys()].sort((a, b) => rank(shared.order, a) - rank(shared.order, b));
  for (const name of names) {
    const g = groups.get(name)!;
    const summary: BenchmarkSummary = { ...finish(g.all), failed: g.failed };
    if (g.categories.size > 1 || g.tasks.size > 1) summary.categories = Object.fromEntries([...g.categories].map(([k, c]) => [k, finish(c)]));
    if (g.perf.count > 0) {
      summary.performance = g.perf.summarize();
      const w = (summary.performance as { warning?: unknown }).warning;
      if (typeof w === 'string') warnings.push(`${name}: ${w}`);
    }
    benchmarks[name] = summary;
  }
  // Whenever any request went to an engine, failed ones included: a run whose every request failed
  // reports completed 0, its failures and their reasons here too, as each benchmark does.
  return { benchmarks, performance: overall.count > 0 ? overall.summarize() : undefined, warnings };
}

function rank(order: readonly string[] | undefined, name: string): number {
  if (!order) return 0;
  const base = name.replace(/\[.*\]$/, '');
  const i = order.indexOf(base);
  return i < 0 ? order.length : i;
}
