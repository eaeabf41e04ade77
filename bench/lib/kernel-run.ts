import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definePlugin, Kernel, resolveRootConfig, silentLogger, type LoadProfile, type RootConfigInput, type RunSummary } from '../../packages/core/src/index.js';
import serving from '../../packages/benchmark-serving/src/index.js';
import { attachEngine } from './attach-engine.js';

export interface KernelBenchOptions {
  baseUrl: string;
  /** Pool connections of the engine client. */
  connections: number;
  /** Output tokens (content chunks) per reply. */
  outputTokens: number;
  /** Synthetic prompt length in (stand-in) tokens. */
  inputTokens: number;
  /** Distinct prompts; the kernel cycles through them for numRequests. */
  numPrompts: number;
  load: Partial<LoadProfile>;
  warmup: number;
  config?: RootConfigInput;
  /** Folder for the run directory (default the OS temp dir); /dev/shm puts the journal in memory. */
  outRoot?: string;
  /** Called once a second with requests answered and samples stored so far. */
  onProgress?: (p: { t: number; requests: number; stored: number }) => void;
  /** Called as each benchmark (each step of a sweep) starts, warm-up included. */
  onBenchmarkStart?: (benchmark: string) => void;
}

/** Tells `onStart` as each benchmark starts: per-step measurements of a sweep. */
function phasePlugin(onStart: (benchmark: string) => void) {
  return definePlugin({
    name: 'bench-phases',
    version: '0.1.0',
    kind: 'reporter',
    core: '^0.1.0',
    apply({ hooks }) {
      hooks.setup.tap('bench-phases', (run) => {
        run.events.on('benchmarkStart', (e) => onStart(e.benchmark));
      });
    },
  });
}

/** Counts `requestDone` / `sampleDone` events: shows whether the scheduler or the store is the one lagging. */
function progressPlugin(onProgress: NonNullable<KernelBenchOptions['onProgress']>) {
  return definePlugin({
    name: 'bench-progress',
    version: '0.1.0',
    kind: 'reporter',
    core: '^0.1.0',
    apply({ hooks }) {
      let timer: NodeJS.Timeout | undefined;
      hooks.setup.tap('bench-progress', (run) => {
        let requests = 0;
        let stored = 0;
        const t0 = performance.now();
        run.events.on('requestDone', () => void requests++);
        run.events.on('sampleDone', () => void stored++);
        timer = setInterval(() => onProgress({ t: (performance.now() - t0) / 1000, requests, stored }), 1000);
        timer.unref();
      });
      hooks.teardown.tap('bench-progress', () => clearInterval(timer));
    },
  });
}

/**
 * One Yardstick run through the real path: kernel scheduler → generate hook → shared OpenAI client
 * (undici Pool, SSE parsing, timing) → score hook → JournalStore (group commit + fdatasync) →
 * summary from the journal with the PerformanceAggregator. Returns the summary and wall time.
 */
export async function runKernelBench(options: KernelBenchOptions): Promise<{ summary: RunSummary; wallS: number }> {
  const outDir = await mkdtemp(join(options.outRoot ?? tmpdir(), 'ys-bench-'));
  try {
    const config = resolveRootConfig(
      { warmup: { requests: options.warmup }, concurrency: options.load.concurrency ?? 1, generation: { maxTokens: options.outputTokens, temperature: 0 }, ...options.config },
      { baseDir: process.cwd() },
    );
    const kernel = new Kernel({ config, logger: silentLogger(), outDir, runId: 'bench' });
    const { plugin } = attachEngine(options.baseUrl, options.connections);
    kernel.use(plugin);
    if (options.onProgress) kernel.use(progressPlugin(options.onProgress));
    if (options.onBenchmarkStart) kernel.use(phasePlugin(options.onBenchmarkStart));
    kernel.use(serving, { inputTokens: options.inputTokens, outputTokens: options.outputTokens, numPrompts: options.numPrompts, load: options.load });
    const t0 = performance.now();
    const summary = await kernel.run();
    const wallS = (performance.now() - t0) / 1000;
    if (summary.status !== 'completed') throw new Error(`bench run ${summary.status}: ${summary.error?.message}`);
    return { summary, wallS };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
