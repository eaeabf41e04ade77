import { spawn, type ChildProcess } from 'node:child_process';
import { GPU_QUERY, parseGpuCsv, queryGpus, type GpuReading } from './nvidia.js';

/** How long the first reading may take (nvidia-smi initialises the driver library first), as one query may. */
const FIRST_READING_MS = 5000;

/**
 * GPU readings from one long-lived `nvidia-smi --query-gpu=… -lms <interval>`, which prints a line
 * per GPU every interval, rather than one nvidia-smi started per reading.
 *
 * Why: starting a process forks Yardstick's, and the event loop waits while the fork copies its
 * page tables: 3–7 ms per start at 358 MB RSS on the 2-vCPU VM. Once a second that held every send
 * due and every reply arriving in that window (at 20,000 req/s, ~100 requests late each second,
 * and their TTFT read late too). Here the fork happens once, as sampling starts.
 *
 * Falls back to one query per reading when the looping process ends by itself after printing
 * readings (an nvidia-smi without `-lms`, a stand-in that prints once). Without any usable output
 * (no nvidia-smi, no driver, no GPU) a reading is undefined, as one query's would be. A looping
 * process that stops printing for several intervals counts as gone. If Yardstick dies without
 * stopping it, its next write hits a closed pipe and it exits too.
 */
export class GpuMonitor {
  private child: ChildProcess | undefined;
  private started = false;
  /** The latest reading per GPU index. */
  private readonly latest = new Map<number, GpuReading>();
  private lastLineAt = 0;
  private partial = '';
  /** The looping process has ended: readings come from one query each from then on (or none without output). */
  private ended = false;
  private first: Promise<void> | undefined;
  private firstDone: (() => void) | undefined;

  constructor(
    private readonly binary: string,
    private readonly intervalMs: number,
  ) {}

  /** The latest reading of every GPU, or undefined when nvidia-smi gave none. */
  async read(): Promise<GpuReading[] | undefined> {
    if (!this.started) this.start();
    await this.first;
    if (this.ended) return this.latest.size > 0 ? queryGpus(this.binary) : undefined;
    if (performance.now() - this.lastLineAt > Math.max(5 * this.intervalMs, FIRST_READING_MS)) {
      // Silent for several intervals: a hung nvidia-smi. Its last readings are not current.
      this.stop();
      return undefined;
    }
    return [...this.latest.values()].sort((a, b) => a.index - b.index);
  }

  /** Ends the looping process. Idempotent; a later read falls back to one query per reading. */
  stop(): void {
    this.ended = true;
    this.child?.kill();
    this.child = undefined;
    this.firstDone?.();
  }

  private start(): void {
    this.started = true;
    this.first = new Promise<void>((resolve) => {
      this.firstDone = () => {
        this.firstDone = undefined;
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => this.stop(), FIRST_READING_MS);
      timer.unref();
    });
    let child: ChildProcess;
    try {
      child = spawn(this.binary, [...GPU_QUERY, '-lms', String(Math.max(100, Math.round(this.intervalMs)))], { stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
    } catch {
      this.stop();
      return;
    }
    this.child = child;
    // Never keeps Yardstick alive on its own, nor outlives it for long (see the class comment).
    child.unref();
    const stdout = child.stdout!;
    (stdout as unknown as { unref?: () => void }).unref?.();
    stdout.setEncoding('utf8');
    stdout.on('data', (text: string) => this.take(text));
    child.once('error', () => this.ended || this.stop());
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
      this.ended = true;
      this.firstDone?.();
    });
  }

  private take(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    const readings = parseGpuCsv(lines.join('\n'));
    if (readings.length === 0) return;
    for (const r of readings) this.latest.set(r.index, r);
    this.lastLineAt = performance.now();
    this.firstDone?.();
  }
}
