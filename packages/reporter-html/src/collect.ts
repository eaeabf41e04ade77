import { e2elMs, requestsOf, tpotMs, type ResultsStore, type RunSummary, type SampleRecord } from '@yardstick/core';

/** Timing series charted as histograms. */
export const SERIES = ['ttft_ms', 'tpot_ms', 'itl_ms', 'e2el_ms'] as const;
export type SeriesName = (typeof SERIES)[number];

/**
 * A fixed-size uniform sample of a stream (Algorithm R) with a seeded PRNG, so the same run always
 * draws the same histogram and a million requests cost the same memory as ten thousand.
 */
export class Reservoir {
  readonly values: number[] = [];
  seen = 0;
  private state: number;
  constructor(
    private readonly capacity: number,
    seed = 0x9e3779b9,
  ) {
    this.state = seed >>> 0;
  }
  add(value: number): void {
    if (!Number.isFinite(value)) return;
    this.seen++;
    if (this.values.length < this.capacity) this.values.push(value);
    else {
      const j = Math.floor(this.random() * this.seen);
      if (j < this.capacity) this.values[j] = value;
    }
  }
  /** mulberry32 */
  private random(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

export interface SampleRow {
  benchmark: string;
  index: number;
  id: string;
  category: string;
  /** pass / fail on the primary metric (≥ 0.5), error for a failed request, '' without metrics. */
  status: 'pass' | 'fail' | 'error' | '';
  metric: string;
  score: number | null;
  ttft: number | null;
  e2el: number | null;
  tokens: number | null;
  prompt: string;
  output: string;
  reasons: string;
}

export interface Collected {
  /** benchmark → series → reservoir */
  series: Map<string, Record<SeriesName, Reservoir>>;
  /** epoch second of completion → completed requests and output tokens (successful requests only). */
  timeline: Map<number, { requests: number; tokens: number }>;
  rows: SampleRow[];
  total: number;
}

function cut(text: string, max: number, fromEnd: boolean): string {
  if (text.length <= max) return text;
  return fromEnd ? `…${text.slice(text.length - max)}` : `${text.slice(0, max)}…`;
}

function promptOf(record: SampleRecord): string {
  const s = record.sample;
  if (s.prompt !== undefined) return s.prompt;
  const messages = [...(s.messages ?? []), ...(s.turns ?? []).flatMap((t) => t.messages)];
  return [...messages].reverse().find((m) => m.role === 'user')?.content ?? messages.at(-1)?.content ?? '';
}

/** One streaming pass over the store: timing reservoirs, a per-second timeline, the first rows. */
export async function collect(summary: RunSummary, store: ResultsStore, options: { maxRows: number; reservoir: number; excerpt: number }): Promise<Collected> {
  const primary = new Map<string, string | undefined>();
  for (const [name, b] of Object.entries(summary.benchmarks)) primary.set(name, Object.keys(b.aggregates ?? {})[0] ?? Object.keys(b.metrics ?? {})[0]);
  const series = new Map<string, Record<SeriesName, Reservoir>>();
  const timeline = new Map<number, { requests: number; tokens: number }>();
  const rows: SampleRow[] = [];
  let total = 0;
  for await (const record of store.read()) {
    total++;
    const { result } = record;
    // A record has turns or attempts, never both: the order of the two does not matter here.
    const attempts = requestsOf(record);
    let s = series.get(record.benchmark);
    if (!s) {
      s = { ttft_ms: new Reservoir(options.reservoir), tpot_ms: new Reservoir(options.reservoir), itl_ms: new Reservoir(options.reservoir), e2el_ms: new Reservoir(options.reservoir) };
      series.set(record.benchmark, s);
    }
    for (const r of attempts) {
      if (r.error) continue;
      const t = r.timing;
      const out = r.usage?.completionTokens ?? t.chunksMs.length;
      if (t.firstTokenMs !== undefined) {
        s.ttft_ms.add(t.firstTokenMs);
        const tpot = tpotMs(e2elMs(t), t.firstTokenMs, out);
        if (tpot !== undefined) s.tpot_ms.add(tpot);
      }
      s.e2el_ms.add(e2elMs(t));
      for (let i = 1; i < t.chunksMs.length; i++) s.itl_ms.add(t.chunksMs[i]! - t.chunksMs[i - 1]!);
      const second = Math.floor((t.sentAt + t.doneMs) / 1000);
      const bucket = timeline.get(second) ?? { requests: 0, tokens: 0 };
      bucket.requests++;
      bucket.tokens += out;
      timeline.set(second, bucket);
    }
    if (rows.length < options.maxRows) {
      const metric = primary.has(record.benchmark) ? primary.get(record.benchmark) : Object.keys(record.score.metrics)[0];
      const value = metric === undefined ? undefined : record.score.metrics[metric];
      const category = record.sample.metadata?.category;
      const t = result.timing;
      rows.push({
        benchmark: record.benchmark,
        index: record.index,
        id: record.sample.id,
        category: typeof category === 'string' || typeof category === 'number' ? String(category) : '',
        status: result.error ? 'error' : typeof value === 'number' ? (value >= 0.5 ? 'pass' : 'fail') : '',
        metric: metric ?? '',
        score: typeof value === 'number' && Number.isFinite(value) ? value : null,
        ttft: t.firstTokenMs ?? null,
        e2el: result.error ? null : e2elMs(t),
        tokens: result.error ? null : (result.usage?.completionTokens ?? t.chunksMs.length),
        prompt: cut(promptOf(record), options.excerpt, true),
        output: result.error ? `${result.error.code}: ${result.error.message}` : cut(result.text, options.excerpt, false),
        reasons: Object.entries(record.score.reasons)
          .map(([k, v]) => `${k}: ${v}`)
          .join(' | '),
      });
    }
  }
  return { series, timeline, rows, total };
}
