import type { Cradle } from './plugin.js';
import type { Logger } from './logger.js';
import type { LoadProfile, ResolvedConfig } from './config/schema.js';
import type { ResultsStore } from './store.js';
import type { BenchmarkSummary, GenerateResult, GenerationParams, RequestKind, Sample, SampleRecord } from './types.js';

/**
 * What a benchmark plugin hands the kernel in `setup`: where its samples come from and how to
 * ask for them. The kernel schedules every request; benchmarks never call engines.
 */
export interface BenchmarkSource {
  /** Unique in the run; the plugin name unless a plugin registers several. */
  name: string;
  /** Default request shape for samples that carry both a prompt and messages (they should not). */
  kind?: RequestKind;
  /** Defaults merged over the root `generation` config and under `sample.generation`. */
  generation?: Partial<GenerationParams>;
  /** Attempts per sample (pass@k); default 1. */
  repeats?: number;
  /** Keep prompts in the stored records (default true; serving runs with millions of synthetic prompts say false). */
  recordPrompts?: boolean;
  /** Overrides the root load profile for this benchmark (serving presets, sweeps). */
  load?: Partial<LoadProfile>;
  /** Data files this benchmark reads (hashed into the run's fingerprint). */
  files?: readonly string[];
  /** How many samples `load` will yield, when known up front (progress bar). Respects `limit`. */
  size?(): number | undefined | Promise<number | undefined>;
  /** The samples, in a stable order. May be lazy (an async generator reading a file). */
  samples(signal: AbortSignal): AsyncIterable<Sample> | Iterable<Sample>;
}

export interface BenchmarkRegistry {
  register(source: BenchmarkSource): void;
  list(): readonly BenchmarkSource[];
}

/** 'run': the whole lifecycle; 'score': saved generations re-scored, no engine; 'check': `yardstick validate`, the benchmarks' setup alone (no engine started, nothing generated). */
export type RunMode = 'run' | 'score' | 'check';

/** Everything a hook receives about the current run. */
export interface RunContext {
  readonly runId: string;
  readonly outDir: string;
  readonly mode: RunMode;
  readonly config: ResolvedConfig;
  /** Aborted on Ctrl-C / SIGTERM or when the run fails; pass it to anything long-running. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  readonly benchmarks: BenchmarkRegistry;
  readonly store: ResultsStore;
  /** The run's DI scope (awilix cradle); resolves services registered by plugins. */
  readonly services: Cradle;
  /** Add a warning to the summary (and the log). */
  warn(message: string): void;
  /** Put plugin-specific data into `summary.extensions[plugin]`. */
  extend(plugin: string, data: unknown): void;
  /** Live progress for reporters (progress bars); fired by the kernel only. */
  readonly events: RunEvents;
  /** True when this run continues an earlier one (`--resume`). */
  readonly resumed: boolean;
  /** This attempt's number: 1 (or absent) for a fresh run, one more than the journal's last for a resume. */
  readonly attempt?: number;
}

/** Progress events, in order: benchmarkStart → (requestDone | sampleDone)* → benchmarkEnd. */
export interface RunEventMap {
  /** `warmupMs`: the phase first warms up this long (load.warmupSeconds); its samples come after. */
  benchmarkStart: { benchmark: string; total: number | undefined; skipped: number; warmupMs?: number };
  /** Every finished request, warm-ups excluded (serving progress). */
  requestDone: { benchmark: string; result: GenerateResult };
  /** A sample is durable in the store with its scores. */
  sampleDone: { benchmark: string; record: SampleRecord };
  benchmarkEnd: { benchmark: string; summary: BenchmarkSummary };
}

export interface RunEvents {
  on<K extends keyof RunEventMap>(event: K, listener: (payload: RunEventMap[K]) => void): void;
  off<K extends keyof RunEventMap>(event: K, listener: (payload: RunEventMap[K]) => void): void;
}
