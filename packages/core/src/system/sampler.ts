import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { netEventLoopUtilization } from '../schedule/spin-idle.js';
import { GpuMonitor } from './gpu-monitor.js';
import type { GpuReading } from './nvidia.js';
import { readProcess, readProcessTree, type ProcessReading } from './proc.js';

export interface SystemSamplerOptions {
  /** Sampling period (default 1000 ms). */
  intervalMs?: number;
  /** The engine server's PID, or a getter (the engine may start after the sampler, or restart). */
  pid?: number | (() => number | undefined);
  /** Sum the engine's child processes too (vLLM/SGLang workers). Default true. */
  includeChildren?: boolean;
  /** Query `nvidia-smi` (default 'auto': used when present, silently skipped otherwise). */
  gpu?: boolean | 'auto';
  /** nvidia-smi executable (default `nvidia-smi` on PATH). */
  nvidiaSmi?: string;
}

export interface PeakMean {
  mean: number;
  peak: number;
}

export interface ProcessStats {
  pid: number;
  /** Percent of one core (200 = two cores busy), per sampling interval. */
  cpu_percent: PeakMean;
  rss_mb: PeakMean & { last: number };
  /** Most processes seen in the tree at once (1 without children). */
  processes: number;
  /**
   * Yardstick only: the share of time its event loop was busy (0–1), over the whole sampling
   * window (mean) and the busiest interval (peak). Near 1, the client itself is the limit.
   */
  event_loop_utilization?: PeakMean;
}

export interface GpuStats {
  index: number;
  name: string;
  memory_used_mb: PeakMean;
  memory_total_mb: number;
  utilization_percent: PeakMean;
}

/** What `summary.system` holds. */
export interface SystemSummary {
  interval_ms: number;
  samples: number;
  duration_s: number;
  /** The engine server's process tree; absent for in-process engines or when no PID was known. */
  engine?: ProcessStats;
  /** Yardstick's own process (client, scheduler, scoring). */
  yardstick: ProcessStats;
  /** One entry per GPU; absent when nvidia-smi is not available. */
  gpu?: GpuStats[];
}

class ProcessSeries {
  private firstAt = 0;
  private last: { at: number; cpu: number } | undefined;
  private cpuTotal = 0;
  private cpuPeak = 0;
  private rssSum = 0;
  private rssPeak = 0;
  private rssLast = 0;
  private n = 0;
  private processes = 0;

  constructor(readonly pid: number) {}

  add(at: number, r: ProcessReading): void {
    if (this.last) {
      // A counter that went down means a child exited (or the process restarted): count from zero.
      const cpu = r.cpuSeconds >= this.last.cpu ? r.cpuSeconds - this.last.cpu : r.cpuSeconds;
      this.cpuTotal += cpu;
      const dt = (at - this.last.at) / 1000;
      if (dt > 0) this.cpuPeak = Math.max(this.cpuPeak, (cpu / dt) * 100);
    } else this.firstAt = at;
    this.last = { at, cpu: r.cpuSeconds };
    const mb = r.rssBytes / 2 ** 20;
    this.rssSum += mb;
    this.rssPeak = Math.max(this.rssPeak, mb);
    this.rssLast = mb;
    this.processes = Math.max(this.processes, r.processes);
    this.n++;
  }

  summarize(): ProcessStats | undefined {
    if (!this.last || this.n === 0) return undefined;
    const wall = (this.last.at - this.firstAt) / 1000;
    const mean = wall > 0 ? (this.cpuTotal / wall) * 100 : 0;
    return {
      pid: this.pid,
      cpu_percent: { mean, peak: Math.max(this.cpuPeak, mean) },
      rss_mb: { mean: this.rssSum / this.n, peak: this.rssPeak, last: this.rssLast },
      processes: this.processes,
    };
  }
}

class GpuSeries {
  private n = 0;
  private memSum = 0;
  private memPeak = 0;
  private utilSum = 0;
  private utilPeak = 0;
  private total = 0;
  constructor(
    readonly index: number,
    readonly name: string,
  ) {}

  add(g: GpuReading): void {
    this.n++;
    this.memSum += g.memoryUsedMiB;
    this.memPeak = Math.max(this.memPeak, g.memoryUsedMiB);
    this.utilSum += g.utilizationPercent;
    this.utilPeak = Math.max(this.utilPeak, g.utilizationPercent);
    this.total = g.memoryTotalMiB;
  }

  summarize(): GpuStats {
    return {
      index: this.index,
      name: this.name,
      memory_used_mb: { mean: this.memSum / this.n, peak: this.memPeak },
      memory_total_mb: this.total,
      utilization_percent: { mean: this.utilSum / this.n, peak: this.utilPeak },
    };
  }
}

/** One window's readings: constant state however long it runs. */
class SystemSeries {
  samples = 0;
  stoppedAt = 0;
  readonly self = new ProcessSeries(process.pid);
  engine: ProcessSeries | undefined;
  readonly gpus = new Map<number, GpuSeries>();
  /** Event-loop utilisation readings: the first one, the latest, and the busiest interval. */
  private eluFirst: EventLoopUtilization | undefined;
  private eluLast: EventLoopUtilization | undefined;
  private eluPeak = 0;

  constructor(readonly startedAt: number) {}

  addSelf(at: number, elu: EventLoopUtilization, cpuSeconds: number, rssBytes: number): void {
    if (this.eluLast) this.eluPeak = Math.max(this.eluPeak, performance.eventLoopUtilization(elu, this.eluLast).utilization);
    else this.eluFirst = elu;
    this.eluLast = elu;
    this.self.add(at, { cpuSeconds, rssBytes, processes: 1 });
  }

  addEngine(at: number, pid: number, r: ProcessReading): void {
    if (this.engine?.pid !== pid) this.engine = new ProcessSeries(pid);
    this.engine.add(at, r);
  }

  addGpu(g: GpuReading): void {
    let series = this.gpus.get(g.index);
    if (!series) this.gpus.set(g.index, (series = new GpuSeries(g.index, g.name)));
    series.add(g);
  }

  summarize(intervalMs: number, end: number): SystemSummary {
    const summary: SystemSummary = {
      interval_ms: intervalMs,
      samples: this.samples,
      duration_s: this.startedAt ? (end - this.startedAt) / 1000 : 0,
      yardstick: this.self.summarize() ?? emptyStats(process.pid),
    };
    if (this.eluFirst && this.eluLast && this.eluLast !== this.eluFirst) {
      const mean = performance.eventLoopUtilization(this.eluLast, this.eluFirst).utilization;
      summary.yardstick.event_loop_utilization = { mean, peak: Math.max(mean, this.eluPeak) };
    }
    const engine = this.engine?.summarize();
    if (engine) summary.engine = engine;
    if (this.gpus.size > 0) summary.gpu = [...this.gpus.values()].map((g) => g.summarize());
    return summary;
  }
}

/** A part of the run sampled on its own (one benchmark phase's measured stretch). */
export interface SystemWindow {
  /** Takes the window's last reading and summarises it from its first reading to that one. */
  close(): Promise<SystemSummary>;
}

/** What the kernel hands each benchmark phase: a way to open a window on the running sampler. */
export interface SystemWindows {
  window(): SystemWindow;
}

/**
 * Samples CPU and RSS of the engine server (with its children) and of Yardstick itself, and GPU
 * memory / utilisation through nvidia-smi when present, on an interval; summarises peak and mean,
 * for the whole run and for any windows opened on it (each benchmark phase's measured stretch, so
 * its warm-up is left out). Holds a constant amount of state per open window however long the run.
 * Never throws: a vanished process or a missing nvidia-smi just leaves that part out.
 */
export class SystemSampler implements SystemWindows {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  /**
   * Readings run one after another: two in flight at once could land out of order, and a CPU
   * counter that seems to go down reads as a restarted process.
   */
  private queue: Promise<void> = Promise.resolve();
  private run: SystemSeries | undefined;
  /** Series that take each interval reading: the run's and every open window's. */
  private readonly open = new Set<SystemSeries>();
  private gpuEnabled: boolean;
  private readonly gpu: GpuMonitor;
  private readonly intervalMs: number;

  constructor(private readonly options: SystemSamplerOptions = {}) {
    this.intervalMs = Math.max(10, options.intervalMs ?? 1000);
    this.gpuEnabled = options.gpu !== false;
    this.gpu = new GpuMonitor(options.nvidiaSmi ?? 'nvidia-smi', this.intervalMs);
  }

  /** Takes a first sample and keeps sampling until `stop()`. Idempotent. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.run = new SystemSeries(performance.now());
    this.open.add(this.run);
    this.tick();
  }

  /** Takes a last sample and returns the summary. Safe to call without `start()`. */
  async stop(): Promise<SystemSummary> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    try {
      if (this.running && this.run) {
        this.running = false;
        await this.finish(this.run);
      }
    } finally {
      this.gpu.stop();
    }
    return this.summarize();
  }

  summarize(): SystemSummary {
    const run = this.run ?? new SystemSeries(0);
    return run.summarize(this.intervalMs, this.running ? performance.now() : run.stoppedAt);
  }

  /**
   * Opens a window: a reading now, every interval reading while it is open, and one at `close()`.
   * Works whether or not the sampler runs (then the window has its two readings only).
   */
  window(): SystemWindow {
    const series = new SystemSeries(performance.now());
    this.open.add(series);
    void this.reading([series]);
    let closed: Promise<SystemSummary> | undefined;
    return {
      close: () =>
        (closed ??= this.finish(series).then(() => series.summarize(this.intervalMs, series.stoppedAt))),
    };
  }

  /** Ends a series: it leaves the interval readings, takes a last one of its own, and is stamped stopped. */
  private async finish(series: SystemSeries): Promise<void> {
    this.open.delete(series);
    try {
      await this.reading([series]);
    } finally {
      series.stoppedAt = performance.now();
      // Windows used without start(): the last one closed ends nvidia-smi (stop() does otherwise).
      if (!this.running && this.open.size === 0) this.gpu.stop();
    }
  }

  private tick(): void {
    void this.reading().finally(() => {
      if (this.running) {
        this.timer = setTimeout(() => this.tick(), this.intervalMs);
        // Sampling must never keep the process alive on its own.
        this.timer.unref();
      }
    });
  }

  /** Queues one reading for `targets` (default: every series open when it runs). */
  private reading(targets?: SystemSeries[]): Promise<void> {
    const next = this.queue.then(() => this.sample(targets ?? [...this.open]));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async sample(targets: SystemSeries[]): Promise<void> {
    if (targets.length === 0) return;
    const at = performance.now();
    const elu = netEventLoopUtilization();
    const cpu = process.cpuUsage();
    const rss = process.memoryUsage.rss();
    for (const t of targets) t.addSelf(at, elu, (cpu.user + cpu.system) / 1e6, rss);
    const pid = typeof this.options.pid === 'function' ? this.options.pid() : this.options.pid;
    const tasks: Promise<void>[] = [];
    if (pid !== undefined && pid > 0) {
      tasks.push(
        (this.options.includeChildren === false ? readProcess(pid) : readProcessTree(pid)).then((r) => {
          if (r) for (const t of targets) t.addEngine(at, pid, r);
        }),
      );
    }
    if (this.gpuEnabled) {
      tasks.push(
        this.gpu.read(this.options.gpu === true).then((gpus) => {
          if (!gpus) {
            // 'auto' stops asking after the first miss (a miss means nvidia-smi has ended: see
            // GpuMonitor.read); an explicit `true` keeps trying.
            if (this.options.gpu !== true) this.gpuEnabled = false;
            return;
          }
          for (const g of gpus) for (const t of targets) t.addGpu(g);
        }),
      );
    }
    await Promise.all(tasks);
    for (const t of targets) t.samples++;
  }
}

function emptyStats(pid: number): ProcessStats {
  return { pid, cpu_percent: { mean: 0, peak: 0 }, rss_mb: { mean: 0, peak: 0, last: 0 }, processes: 0 };
}
