import { e2elMs, tpotMs, type ResultsStore, type RunSummary, type SampleRecord } from '@yardstick/core';

/** Fixed per-sample columns, before one column per metric. */
export const FIXED_COLUMNS = [
  'benchmark',
  'index',
  'id',
  'task',
  'category',
  'error_code',
  'error',
  'finish_reason',
  'prompt_tokens',
  'output_tokens',
  'ttft_ms',
  'tpot_ms',
  'e2el_ms',
] as const;

/**
 * Every metric name, in first-seen order: the summary's metrics first (benchmark order), then any
 * that only appear in records (found by one streaming pass, so a metric set only on some samples
 * still gets its column). The pass holds only the set of names.
 */
export async function collectMetricNames(summary: RunSummary, store: ResultsStore): Promise<string[]> {
  const names = new Set<string>();
  for (const b of Object.values(summary.benchmarks)) {
    for (const name of Object.keys(b.aggregates ?? {})) names.add(name);
    for (const name of Object.keys(b.metrics ?? {})) names.add(name);
  }
  for await (const record of store.read()) for (const name in record.score.metrics) names.add(name);
  return [...names];
}

/** A metric named like a fixed column (`id`, `error`…) gets a `metric_` prefix so headers stay unique. */
export function metricColumn(name: string): string {
  return (FIXED_COLUMNS as readonly string[]).includes(name) || name === 'reasons' || name === 'output' ? `metric_${name}` : name;
}

/** Milliseconds to the microsecond: timings are sub-ms, float noise past that is not information. */
function ms(value: number | undefined): number | '' {
  return value === undefined || !Number.isFinite(value) ? '' : Math.round(value * 1000) / 1000;
}

export function sampleRow(record: SampleRecord, metrics: readonly string[], options: { includeOutput: boolean }): (string | number)[] {
  const { result, sample } = record;
  const t = result.timing;
  const out = result.usage?.completionTokens ?? t.chunksMs.length;
  const e2el = e2elMs(t);
  const tpot = tpotMs(e2el, t.firstTokenMs, out);
  const category = sample.metadata?.category;
  const row: (string | number)[] = [
    record.benchmark,
    record.index,
    sample.id,
    sample.task,
    typeof category === 'string' || typeof category === 'number' ? category : '',
    result.error?.code ?? '',
    result.error?.message ?? '',
    result.finishReason ?? '',
    result.usage?.promptTokens ?? '',
    result.error ? '' : out,
    ms(t.firstTokenMs),
    ms(tpot),
    ms(e2el),
  ];
  for (const name of metrics) {
    const v = record.score.metrics[name];
    row.push(typeof v === 'number' && Number.isFinite(v) ? v : '');
  }
  row.push(
    Object.entries(record.score.reasons)
      .map(([scorer, reason]) => `${scorer}: ${reason}`)
      .join(' | '),
  );
  if (options.includeOutput) row.push(result.text);
  return row;
}

export function sampleHeader(metrics: readonly string[], options: { includeOutput: boolean }): string[] {
  return [...FIXED_COLUMNS, ...metrics.map(metricColumn), 'reasons', ...(options.includeOutput ? ['output'] : [])];
}

export const METRICS_HEADER = ['benchmark', 'category', 'metric', 'mean', 'ci_low', 'ci_high', 'stderr', 'n'] as const;

/** One row per benchmark × metric (category empty), then per benchmark × category × metric. */
export function* metricRows(summary: RunSummary): Generator<(string | number)[]> {
  for (const [benchmark, b] of Object.entries(summary.benchmarks)) {
    const groups: [string, { n: number; metrics: Record<string, number>; aggregates?: RunSummary['benchmarks'][string]['aggregates'] }][] = [
      ['', b],
      ...Object.entries(b.categories ?? {}),
    ];
    for (const [category, g] of groups) {
      const names = new Set([...Object.keys(g.aggregates ?? {}), ...Object.keys(g.metrics ?? {})]);
      for (const metric of names) {
        const a = g.aggregates?.[metric];
        const mean = a?.mean ?? g.metrics[metric];
        yield [benchmark, category, metric, num(mean), num(a?.ci95[0]), num(a?.ci95[1]), num(a?.stderr), a?.n ?? g.n];
      }
    }
  }
}

function num(v: number | undefined): number | '' {
  return v === undefined || !Number.isFinite(v) ? '' : v;
}
