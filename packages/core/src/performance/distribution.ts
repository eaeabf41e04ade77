import { DDSketch } from '@datadog/sketches-js';
import type { Distribution } from '../types.js';

export interface StreamingDistributionOptions {
  /**
   * Values kept exactly (numpy-identical percentiles) before switching to the sketch. Bounded so a
   * 1,000,000-request run holds at most `exactCap` doubles per metric (default 262,144 = 2 MiB: the
   * seeds-default preset's ~100,000 ITLs stay exact; the buffer grows by doubling, only as needed).
   */
  exactCap?: number;
  /** DDSketch relative accuracy once past the cap (default 0.001: quantiles within ±0.1%). */
  relativeAccuracy?: number;
}

/** The percentiles always present in a Distribution (`median` is p50). */
const FIXED = [90, 95, 99] as const;

/**
 * One metric's values, summarised in constant memory: Welford's running mean and variance (exact,
 * numerically stable), exact values up to a cap (so small and medium runs report exactly what numpy
 * would), then a DDSketch — a mergeable quantile sketch with a relative-error guarantee, which is the
 * right guarantee for latencies spanning microseconds to minutes.
 */
export class StreamingDistribution {
  private n = 0;
  private meanValue = 0;
  private m2 = 0;
  private minValue = Infinity;
  private maxValue = -Infinity;
  private exact: Float64Array;
  private sketch: DDSketch | undefined;
  private readonly cap: number;
  private readonly accuracy: number;

  constructor(options: StreamingDistributionOptions = {}) {
    this.cap = Math.max(1, options.exactCap ?? 262_144);
    this.accuracy = options.relativeAccuracy ?? 0.001;
    this.exact = new Float64Array(Math.min(this.cap, 1024));
  }

  get count(): number {
    return this.n;
  }

  /** True once values no longer fit the exact buffer and quantiles come from the sketch. */
  get approximate(): boolean {
    return this.sketch !== undefined;
  }

  add(x: number): void {
    if (!Number.isFinite(x)) return;
    const n = ++this.n;
    const delta = x - this.meanValue;
    this.meanValue += delta / n;
    this.m2 += delta * (x - this.meanValue);
    if (x < this.minValue) this.minValue = x;
    if (x > this.maxValue) this.maxValue = x;
    if (this.sketch) {
      this.sketch.accept(x);
      return;
    }
    if (n <= this.cap) {
      if (n > this.exact.length) {
        const grown = new Float64Array(Math.min(this.cap, this.exact.length * 2));
        grown.set(this.exact);
        this.exact = grown;
      }
      this.exact[n - 1] = x;
      return;
    }
    // Past the cap: move everything into the sketch and drop the buffer.
    const sketch = new DDSketch({ relativeAccuracy: this.accuracy });
    for (let i = 0; i < n - 1; i++) sketch.accept(this.exact[i]!);
    sketch.accept(x);
    this.sketch = sketch;
    this.exact = new Float64Array(0);
  }

  get mean(): number {
    return this.n ? this.meanValue : 0;
  }

  /** Population standard deviation (numpy's `np.std` default, as vLLM reports). */
  get std(): number {
    return this.n ? Math.sqrt(this.m2 / this.n) : 0;
  }

  get min(): number {
    return this.n ? this.minValue : 0;
  }

  get max(): number {
    return this.n ? this.maxValue : 0;
  }

  /** Quantile at `p` percent; 0 when empty (vLLM's `np.percentile(x or 0, p)`). */
  quantile(p: number): number {
    return this.quantiles([p])[0]!;
  }

  quantiles(ps: readonly number[]): number[] {
    if (this.n === 0) return ps.map(() => 0);
    if (this.sketch) {
      const sketch = this.sketch;
      // The sketch's extreme bins are approximate; clamp into the exact observed range.
      return ps.map((p) => Math.min(this.maxValue, Math.max(this.minValue, sketch.getValueAtQuantile(p / 100))));
    }
    const sorted = this.exact.slice(0, this.n).sort();
    return ps.map((p) => interpolate(sorted, p / 100));
  }

  summarize(percentiles: readonly number[] = []): Distribution {
    const wanted = [50, ...FIXED, ...percentiles];
    const values = this.quantiles(wanted);
    const d: Distribution = {
      mean: this.mean,
      median: values[0]!,
      std: this.std,
      p90: values[1]!,
      p95: values[2]!,
      p99: values[3]!,
    };
    for (let i = 0; i < percentiles.length; i++) d[`p${percentiles[i]}`] = values[4 + i]!;
    return d;
  }
}

/** Linear interpolation between closest ranks: numpy's default `np.percentile`, as vLLM uses. */
function interpolate(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
