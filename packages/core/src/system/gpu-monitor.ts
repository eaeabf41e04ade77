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
 * readings (an nvidia-smi without `-lms`, a stand-in that prints once), or when asked to keep
 * trying after it gave nothing; one that gave nothing gets one plain query in its place. Without
 * any usable output (no nvidia-smi, no driver, no GPU), a reading is undefined, as one query's
 * would be. A looping process silent for several intervals counts as hung and is ended. It is
 * killed when Yardstick exits, and a closed pipe ends it at its next write if Yardstick dies.
 */
export class GpuMonitor {
  private child: ChildProcess | undefined;
  private started = false;
  /**
   * nvidia-smi prints one block of lines per interval, one per GPU by rising index: the last whole
   * block, and the one coming in (a block can arrive in two reads).
   */
  private done = new Map<number, GpuReading>();
  private current = new Map<number, GpuReading>();
  private lastIndex = -Infinity;
  private lastLineAt = 0;
  /** The looping process gave nothing and one plain query was tried in its place (see read). */
  private queriedInstead = false;
  /** Ends the looping process if Yardstick exits without stop() (an uncaught error, process.exit). */
  private readonly killOnExit = (): void => void this.child?.kill();
  private partial = '';
  /** The looping process has ended: readings come from one query each from then on (or none without output). */
  private ended = false;
  private first: Promise<void> | undefined;
  private firstDone: (() => void) | undefined;

  constructor(
    private readonly binary: string,
    private readonly intervalMs: number,
    /** The shortest silence that counts as hung (default FIRST_READING_MS); tests shorten it. */
    private readonly minSilentMs = FIRST_READING_MS,
  ) {}

  /**
   * The latest reading of every GPU, or undefined when nvidia-smi gave none. `keepTrying`: after the
   * looping process gave nothing, query once per reading anyway (the sampler's `gpu: true`).
   */
  async read(keepTrying = false): Promise<GpuReading[] | undefined> {
    if (!this.started && !this.ended) this.start();
    await this.first;
    if (!this.ended && this.silentTooLong()) {
      // One event-loop turn first: a reading right after a long stall can run before the poll
      // phase has read the lines that came in meanwhile.
      await new Promise<void>((resolve) => setImmediate(resolve));
      // Still silent for several intervals: a hung nvidia-smi, whose last readings are not current.
      if (this.silentTooLong()) this.stop();
    }
    if (!this.ended) return this.snapshot();
    // Ended (by itself, hung, or stopped): one query per reading when it printed readings before, or
    // when asked to keep trying; once in its place when it gave nothing (a first reading slower
    // than FIRST_READING_MS, an nvidia-smi that refuses -lms); otherwise none.
    if (this.lastLineAt > 0 || keepTrying) return queryGpus(this.binary);
    if (this.queriedInstead || !this.started) return undefined;
    this.queriedInstead = true;
    const gpus = await queryGpus(this.binary);
    if (gpus) this.lastLineAt = performance.now();
    return gpus;
  }

  private silentTooLong(): boolean {
    return performance.now() - this.lastLineAt > Math.max(5 * this.intervalMs, this.minSilentMs);
  }

  /**
   * The block coming in, completed by the last whole block's GPUs it has not reached yet. A GPU
   * whose row turned unreadable ([N/A]) drops out once a block without it is whole, as it would
   * from one query, instead of keeping its last values.
   */
  private snapshot(): GpuReading[] {
    const out = [...this.current.values()];
    for (const g of this.done.values()) if (g.index > this.lastIndex) out.push(g);
    return out.sort((a, b) => a.index - b.index);
  }

  /** Ends the looping process, or keeps it from starting. Idempotent; a later read falls back to one query per reading. */
  stop(): void {
    this.ended = true;
    this.child?.kill();
    this.child = undefined;
    process.off('exit', this.killOnExit);
    this.firstDone?.();
  }

  private start(): void {
    this.started = true;
    this.first = new Promise<void>((resolve) => {
      // Kept referenced: a process that only waits for its first GPU reading stays alive for it.
      const timer = setTimeout(() => this.stop(), FIRST_READING_MS);
      this.firstDone = () => {
        this.firstDone = undefined;
        clearTimeout(timer);
        resolve();
      };
    });
    let child: ChildProcess;
    try {
      child = spawn(this.binary, [...GPU_QUERY, '-lms', String(Math.max(100, Math.round(this.intervalMs)))], { stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
    } catch {
      this.stop();
      return;
    }
    this.child = child;
    process.once('exit', this.killOnExit);
    // Never keeps Yardstick alive once running, nor outlives it for long (see the class comment).
    child.unref();
    const stdout = child.stdout!;
    (stdout as unknown as { unref?: () => void }).unref?.();
    stdout.setEncoding('utf8');
    stdout.on('data', (text: string) => this.take(text));
    child.on('error', () => this.ended || this.stop());
    // 'close', not 'exit': it comes after the last output was read, so a process that prints once
    // and exits is never taken for one that printed nothing.
    child.once('close', () => {
      if (this.child === child) this.child = undefined;
      process.off('exit', this.killOnExit);
      this.ended = true;
      this.firstDone?.();
    });
  }

  private take(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    const readings = parseGpuCsv(lines.join('\n'));
    if (readings.length === 0) return;
    for (const r of readings) {
      if (r.index <= this.lastIndex) {
        this.done = this.current;
        this.current = new Map();
      }
      this.current.set(r.index, r);
      this.lastIndex = r.index;
    }
    this.lastLineAt = performance.now();
    this.firstDone?.();
  }
}
