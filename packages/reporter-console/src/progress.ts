import cliProgress from 'cli-progress';
import { formatDuration, type RunEventMap, type RunEvents } from '@yardstick/core';
import { fmtNum, fmtRate, type Colors } from './format.js';

export interface ProgressStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  mode: 'bar' | 'lines';
  /** Line mode: print at least this often (ms) while something moves. */
  intervalMs: number;
  /** Line mode: print every N percent. */
  stepPercent: number;
  colors: Colors;
  /** Injectable clock (tests). */
  now?: () => number;
}

/** What the progress display knows about one benchmark; updated by events, read by the renderers. */
export class BenchmarkProgress {
  total: number | undefined;
  /** Samples done in an earlier attempt (resume), counted as progress but not in the running score. */
  skipped: number;
  done = 0;
  failed = 0;
  requests = 0;
  /** The running score: the first metric any record carried, or the success rate when none. */
  metric: string | undefined;
  private metricSum = 0;
  private metricN = 0;
  ended = false;
  /** When measuring starts: after the phase's warm-up, if it has one. */
  readonly startedAt: number;
  endedAt: number | undefined;
  /** Time of the last finished sample or request: where the benchmark really ended. */
  lastActivityAt: number | undefined;

  constructor(
    readonly name: string,
    total: number | undefined,
    skipped: number,
    now: number,
    warmupMs = 0,
  ) {
    this.total = total;
    this.skipped = skipped;
    this.startedAt = now + warmupMs;
  }

  /** Still in the phase's warm-up: nothing is measured yet, so no rate or ETA. */
  warmingUp(now: number): boolean {
    return !this.ended && this.done === 0 && now < this.startedAt;
  }

  onSample(record: RunEventMap['sampleDone']['record']): void {
    this.done++;
    if (record.result.error) this.failed++;
    const metrics = record.score.metrics;
    if (this.metric === undefined) {
      for (const key in metrics) {
        this.metric = key;
        break;
      }
    }
    if (this.metric !== undefined) {
      const v = metrics[this.metric];
      if (typeof v === 'number' && Number.isFinite(v)) {
        this.metricSum += v;
        this.metricN++;
      } else if (record.result.error) {
        // A failed request without the metric scores as 0: it is a wrong answer, not a missing one.
        this.metricN++;
      }
    }
  }

  /**
   * Samples that take several requests (turns, repeats): then req/s is worth showing too. A margin,
   * because requests finish before their sample is scored, so a few are always ahead.
   */
  get multiRequest(): boolean {
    return this.done > 0 && this.requests >= this.done * 1.5;
  }

  /** Progress value: samples finished, including those carried over from a resumed run. */
  get value(): number {
    return this.skipped + this.done;
  }

  /** Known total, widened if the benchmark yields more than announced (never shows >100%). */
  get effectiveTotal(): number | undefined {
    return this.total === undefined ? undefined : Math.max(this.total, this.value);
  }

  elapsedMs(now: number): number {
    return Math.max(0, (this.endedAt ?? now) - this.startedAt);
  }

  rate(now: number): number {
    const s = this.elapsedMs(now) / 1000;
    return s > 0 ? this.done / s : 0;
  }

  etaMs(now: number): number | undefined {
    const total = this.effectiveTotal;
    const rate = this.rate(now);
    if (total === undefined || rate <= 0) return undefined;
    return ((total - this.value) / rate) * 1000;
  }

  scoreText(): string {
    if (this.metric !== undefined && this.metricN > 0) return `${this.metric} ${fmtNum(this.metricSum / this.metricN, 3)}`;
    if (this.done === 0) return '';
    return `ok ${(((this.done - this.failed) / this.done) * 100).toFixed(1)}%`;
  }
}

/**
 * Live progress driven by `run.events`. Event handlers only update counters (a serving run may
 * emit tens of thousands of events per second); drawing happens on a timer (bar) or when a
 * threshold is crossed (lines), so the display never slows the run down.
 */
export class ProgressView {
  private readonly benches = new Map<string, BenchmarkProgress>();
  private readonly now: () => number;
  private multibar: cliProgress.MultiBar | undefined;
  private readonly bars = new Map<string, cliProgress.SingleBar>();
  private timer: NodeJS.Timeout | undefined;
  private readonly lastLine = new Map<string, { at: number; bucket: number; value: number; requests: number }>();
  private events: RunEvents | undefined;
  private stopped = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly options: ProgressOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
  }

  attach(events: RunEvents): void {
    this.events = events;
    events.on('benchmarkStart', this.onStart);
    events.on('sampleDone', this.onSample);
    events.on('requestDone', this.onRequest);
    events.on('benchmarkEnd', this.onEnd);
    // Drawing cadence: the bar redraws 5×/s; line mode checks the time-based throttle once a second.
    this.timer = setInterval(() => this.tick(), this.options.mode === 'bar' ? 200 : 1000);
    this.timer.unref();
  }

  /** Final redraw and release of the terminal; idempotent (report and teardown both call it). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.events) {
      this.events.off('benchmarkStart', this.onStart);
      this.events.off('sampleDone', this.onSample);
      this.events.off('requestDone', this.onRequest);
      this.events.off('benchmarkEnd', this.onEnd);
    }
    process.off('exit', this.onExit);
    if (this.multibar) {
      for (const [name, bar] of this.bars) {
        const b = this.benches.get(name);
        if (b) bar.update(b.value, this.payload(b));
      }
      this.multibar.stop();
    }
  }

  get(benchmark: string): BenchmarkProgress | undefined {
    return this.benches.get(benchmark);
  }

  /**
   * The kernel runs benchmarks one after another but sends every `benchmarkEnd` only once all are
   * summarised, so a benchmark counts as finished as soon as the next one starts: its rate and
   * duration then stop at its last sample instead of decaying while the next one runs.
   */
  private finishOthers(except: string): void {
    for (const b of this.benches.values()) if (b.name !== except && !b.ended) this.finish(b);
  }

  private readonly onStart = guard((e: RunEventMap['benchmarkStart']): void => {
    this.finishOthers(e.benchmark);
    const b = new BenchmarkProgress(e.benchmark, e.total, e.skipped, this.now(), e.warmupMs);
    this.benches.set(e.benchmark, b);
    if (this.options.mode === 'bar') this.createBar(b);
    else {
      const total = e.total === undefined ? 'unknown number of' : String(e.total);
      const resumed = e.skipped > 0 ? ` (${e.skipped} already done)` : '';
      const warmup = e.warmupMs ? ` after a ${formatDuration(e.warmupMs)} warm-up` : '';
      this.line(`${this.tag(b)} started: ${total} samples${resumed}${warmup}`);
      this.lastLine.set(e.benchmark, { at: this.now(), bucket: this.bucket(b), value: b.value, requests: 0 });
    }
  });

  private readonly onSample = guard((e: RunEventMap['sampleDone']): void => {
    const b = this.benches.get(e.benchmark) ?? this.implicitStart(e.benchmark);
    b.onSample(e.record);
    b.lastActivityAt = this.now();
    if (this.options.mode === 'lines') {
      const last = this.lastLine.get(e.benchmark);
      if (last && !b.ended && this.bucket(b) > last.bucket) this.progressLine(b);
    }
  });

  private readonly onRequest = guard((e: RunEventMap['requestDone']): void => {
    const b = this.benches.get(e.benchmark) ?? this.implicitStart(e.benchmark);
    b.requests++;
    b.lastActivityAt = this.now();
  });

  private readonly onEnd = guard((e: RunEventMap['benchmarkEnd']): void => {
    const b = this.benches.get(e.benchmark);
    if (b && !b.ended) this.finish(b);
  });

  private finish(b: BenchmarkProgress): void {
    b.ended = true;
    b.endedAt = b.lastActivityAt ?? this.now();
    if (this.options.mode === 'bar') {
      const bar = this.bars.get(b.name);
      bar?.update(b.value, this.payload(b));
      bar?.stop();
    } else {
      const n = b.effectiveTotal === undefined ? `${b.value}` : `${b.value}/${b.effectiveTotal}`;
      const c = this.options.colors;
      this.line(
        `${this.tag(b)} ${c.green('done')}: ${n} in ${formatDuration(b.elapsedMs(this.now()))} · ${fmtRate(b.rate(this.now()), 'samples')}` +
          `${b.scoreText() ? ` · ${b.scoreText()}` : ''} · failed ${b.failed > 0 ? c.red(String(b.failed)) : '0'}`,
      );
    }
  }

  /** Events for a benchmark the kernel never announced (defensive): track it with an unknown total. */
  private implicitStart(benchmark: string): BenchmarkProgress {
    this.onStart({ benchmark, total: undefined, skipped: 0 });
    return this.benches.get(benchmark)!;
  }

  private bucket(b: BenchmarkProgress): number {
    const total = b.effectiveTotal;
    if (!total) return 0;
    return Math.floor(((b.value / total) * 100) / this.options.stepPercent);
  }

  private tick(): void {
    if (this.options.mode === 'bar') {
      for (const [name, bar] of this.bars) {
        const b = this.benches.get(name);
        if (!b || b.ended) continue;
        const total = b.effectiveTotal;
        if (total !== undefined && total !== bar.getTotal()) bar.setTotal(total);
        bar.update(b.value, this.payload(b));
      }
      return;
    }
    const now = this.now();
    for (const b of this.benches.values()) {
      const last = this.lastLine.get(b.name);
      if (b.ended || !last) continue;
      // Finished requests alone count as movement only when samples take several (turns, repeats).
      const moved = b.value !== last.value || (b.multiRequest && b.requests !== last.requests);
      if (moved && now - last.at >= this.options.intervalMs) this.progressLine(b);
    }
  }

  private progressLine(b: BenchmarkProgress): void {
    const now = this.now();
    const total = b.effectiveTotal;
    const parts: string[] = [];
    if (total !== undefined) {
      const pct = total > 0 ? Math.floor((b.value / total) * 100) : 100;
      parts.push(`${b.value}/${total} ${String(pct).padStart(3)}%`);
    } else parts.push(`${b.value} done`);
    parts.push(fmtRate(b.rate(now), 'samples'));
    if (b.multiRequest) parts.push(fmtRate(b.requests / (b.elapsedMs(now) / 1000), 'req'));
    const eta = b.etaMs(now);
    if (eta !== undefined && total !== undefined && b.value < total) parts.push(`ETA ${formatDuration(eta)}`);
    const score = b.scoreText();
    if (score) parts.push(score);
    if (b.failed > 0) parts.push(this.options.colors.red(`failed ${b.failed}`));
    this.line(`${this.tag(b)} ${parts.join(' · ')}`);
    this.lastLine.set(b.name, { at: now, bucket: this.bucket(b), value: b.value, requests: b.requests });
  }

  private tag(b: BenchmarkProgress): string {
    return this.options.colors.bold(`[${b.name}]`);
  }

  private line(text: string): void {
    this.stream.write(`${text}\n`);
  }

  private payload(b: BenchmarkProgress): Record<string, string> {
    const now = this.now();
    const eta = b.etaMs(now);
    const c = this.options.colors;
    const reqRate = b.multiRequest ? ` · ${fmtRate(b.requests / Math.max(1e-9, b.elapsedMs(now) / 1000), 'req')}` : '';
    return {
      name: c.bold(b.name),
      rate: b.warmingUp(now) ? `warming up, measuring in ${formatDuration(b.startedAt - now)}` : fmtRate(b.rate(now), 'samples') + reqRate,
      etaText: b.ended ? formatDuration(b.elapsedMs(now)) : eta === undefined ? '–' : formatDuration(eta),
      etaLabel: b.ended ? 'took' : 'ETA',
      score: b.scoreText() ? ` | ${c.cyan(b.scoreText())}` : '',
      failedText: b.failed > 0 ? ` | ${c.red(`failed ${b.failed}`)}` : '',
      elapsed: formatDuration(b.elapsedMs(now)),
    };
  }

  /** A second Ctrl-C exits at once, without `report`/`teardown`: give the terminal its cursor back. */
  private readonly onExit = (): void => {
    if (!this.stopped && this.stream.isTTY) this.stream.write('\x1b[?25h\n');
  };

  private createBar(b: BenchmarkProgress): void {
    if (!this.multibar) process.once('exit', this.onExit);
    this.multibar ??= new cliProgress.MultiBar(
      {
        stream: this.stream as NodeJS.WritableStream,
        hideCursor: true,
        clearOnComplete: false,
        stopOnComplete: false,
        barsize: 28,
        fps: 10,
        // Rendering on a stream that is not a terminal only when the user forced `progress: bar`.
        noTTYOutput: this.stream.isTTY !== true,
        notTTYSchedule: 2000,
        barCompleteChar: '█',
        barIncompleteChar: '░',
        autopadding: true,
      },
      cliProgress.Presets.shades_classic,
    );
    const known = b.total !== undefined;
    const format = known
      ? '{name} {bar} {percentage}% | {value}/{total} | {rate} | {etaLabel} {etaText}{score}{failedText}'
      : '{name} {value} done | {rate} | {elapsed}{score}{failedText}';
    const bar = this.multibar.create(b.effectiveTotal ?? 0, b.value, this.payload(b), { format });
    this.bars.set(b.name, bar);
  }
}

/**
 * The kernel emits events synchronously from its hot path: a display bug must never fail a run, so
 * listener errors are swallowed (the progress view is cosmetic; the results are already durable).
 */
function guard<T>(fn: (payload: T) => void): (payload: T) => void {
  return (payload: T) => {
    try {
      fn(payload);
    } catch {
      // ignore: see above
    }
  };
}
