import { EventEmitter } from 'node:events';
import type { ResolvedConfig } from './config/schema.js';
import type { BenchmarkRegistry, BenchmarkSource, RunContext, RunEvents, RunMode } from './context.js';
import { ERROR_CODES, YardstickError } from './errors.js';
import type { Logger } from './logger.js';
import type { Cradle } from './plugin.js';
import type { ResultsStore } from './store.js';

export interface RunContextInput {
  runId: string;
  outDir: string;
  mode: RunMode;
  config: ResolvedConfig;
  signal: AbortSignal;
  logger: Logger;
  store: ResultsStore;
  services: Cradle;
  resumed: boolean;
  attempt: number;
}

/** A run's context and what its hooks fill in: the benchmarks registered, warnings, extensions. */
export interface OpenedRun {
  run: RunContext;
  sources: BenchmarkSource[];
  warnings: string[];
  extensions: Record<string, unknown>;
  emitter: EventEmitter;
}

/**
 * The context every hook of one run (or one `validate` check) receives. Kept apart from the
 * kernel so a run and a check hand plugins the very same registry, warnings and events.
 */
export function createRunContext(input: RunContextInput): OpenedRun {
  const warnings: string[] = [];
  const extensions: Record<string, unknown> = {};
  const sources: BenchmarkSource[] = [];
  const emitter = new EventEmitter();
  emitter.setMaxListeners(100);
  const benchmarks: BenchmarkRegistry = {
    register: (source) => {
      if (sources.some((s) => s.name === source.name)) {
        throw new YardstickError(ERROR_CODES.PLUGIN_DUPLICATE, `Benchmark "${source.name}" registered twice.`, { details: { benchmark: source.name } });
      }
      sources.push(source);
    },
    list: () => sources,
  };
  const { logger } = input;
  const run: RunContext = {
    runId: input.runId,
    outDir: input.outDir,
    mode: input.mode,
    config: input.config,
    signal: input.signal,
    logger,
    benchmarks,
    store: input.store,
    services: input.services,
    events: emitter as unknown as RunEvents,
    resumed: input.resumed,
    attempt: input.attempt,
    warn: (message) => {
      warnings.push(message);
      logger.warn(message);
    },
    extend: (plugin, data) => {
      extensions[plugin] = data;
    },
  };
  return { run, sources, warnings, extensions, emitter };
}
