import { z } from 'zod';

export const generationSchema = z.strictObject({
  maxTokens: z.number().int().positive().default(256).describe('Maximum tokens to generate per request'),
  temperature: z.number().min(0).default(0).describe('Sampling temperature (0 = greedy)'),
  topP: z.number().gt(0).max(1).optional().describe('Nucleus sampling'),
  topK: z.number().int().nonnegative().optional().describe('Top-k sampling'),
  stop: z.array(z.string()).optional().describe('Stop strings'),
  seed: z.number().int().optional().describe('Sampling seed sent to the engine'),
  ignoreEos: z.boolean().optional().describe('Keep generating past end-of-sequence (where the engine supports it)'),
  extra: z.record(z.string(), z.unknown()).optional().describe('Engine-specific request fields, passed verbatim'),
});

export const arrivalSchema = z.enum(['constant', 'poisson', 'gamma']);

export const loadProfileSchema = z.strictObject({
  concurrency: z.number().int().positive().optional().describe('Max requests in flight (closed loop when no rate)'),
  rate: z.number().positive().optional().describe('Open-loop arrival rate, requests/s'),
  // No defaults here: a load is merged from the root and the benchmark's own, and a filled-in default
  // at one level would override what the other set. Resolved per phase (resolveArrival).
  arrival: arrivalSchema.optional().describe("Inter-arrival distribution for `rate` (default 'poisson'; 'gamma' when only a burstiness other than 1 is given, as vLLM reads --burstiness)"),
  burstiness: z.number().positive().optional().describe('Gamma shape factor: <1 burstier, >1 smoother (1 = Poisson); alone it means gamma arrivals'),
  duration: z.number().positive().optional().describe('Stop dispatching after this many seconds'),
  numRequests: z.number().int().positive().optional().describe('Requests to send (cycling through samples)'),
  warmupSeconds: z
    .number()
    .nonnegative()
    .optional()
    .describe("Each phase first runs this long at its own rate/concurrency with requests kept out of every metric and the journal (guidellm's warmup): measuring starts from steady state"),
  sweep: z
    .strictObject({
      concurrency: z.array(z.number().int().positive()).optional(),
      rate: z.array(z.number().positive()).optional(),
    })
    .optional()
    .describe('Run the benchmark once per listed concurrency or rate'),
});
export type LoadProfile = z.output<typeof loadProfileSchema>;

/**
 * A load profile as written at one level (root `load`, a benchmark's `load`): every key optional,
 * and a burstiness beside an arrival law that cannot use it refused at its key.
 */
export const partialLoadSchema = loadProfileSchema.partial().superRefine((load, ctx) => {
  if ((load.arrival === 'poisson' || load.arrival === 'constant') && load.burstiness !== undefined && load.burstiness !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['burstiness'],
      message: `burstiness ${load.burstiness} applies to gamma arrivals, but arrival is '${load.arrival}' (leave arrival out or set it to 'gamma')`,
    });
  }
});

const timeoutMs = z.number().int().positive();

/** A plugin entry: options object, `true` for defaults, `false` to disable. */
export const pluginEntrySchema = z.union([z.boolean(), z.record(z.string(), z.unknown())]);

export const rootConfigSchema = z.strictObject({
  out: z.string().default('runs').describe('Folder under which each run gets its own output folder'),
  name: z.string().optional().describe('A label for this run, shown in reports'),
  seed: z.number().int().default(1234).describe('Seed for every random choice (few-shot draws, arrivals, selection)'),
  concurrency: z.number().int().positive().default(1).describe('Requests in flight at once'),
  limit: z.number().int().positive().optional().describe('Samples per benchmark (first N in dataset order)'),
  load: partialLoadSchema.optional().describe('Load profile (rate, arrivals, duration, sweep)'),
  warmup: z
    .strictObject({ requests: z.number().int().nonnegative().default(1).describe('Throwaway requests before measuring') })
    .default({ requests: 1 }),
  generation: generationSchema.default({ maxTokens: 256, temperature: 0 }),
  scoreConcurrency: z.number().int().positive().optional().describe('Samples scored at once (default: CPU count)'),
  percentiles: z.array(z.number().gt(0).lt(100)).default([90, 95, 99]).describe('Percentiles reported for timings'),
  slo: z
    .strictObject({ ttft: z.number().nonnegative().optional(), tpot: z.number().nonnegative().optional(), e2el: z.number().nonnegative().optional() })
    .optional()
    .describe('Service-level objectives in ms; goodput counts requests meeting all of them'),
  metricsInterval: z.number().int().positive().optional().describe('Scrape server /metrics every N ms during the run'),
  journalSyncMs: z
    .number()
    .int()
    .nonnegative()
    .default(1000)
    .describe('fdatasync the results journal at most every N ms (0: before acknowledging each batch); records are written at once either way'),
  timeouts: z
    .strictObject({
      setup: timeoutMs.optional(),
      warmup: timeoutMs.optional(),
      generate: timeoutMs.optional(),
      score: timeoutMs.optional(),
      report: timeoutMs.optional(),
      teardown: timeoutMs.optional(),
    })
    .default({})
    .describe('Per-hook timeouts in ms (generate and score are per request / sample)'),
  log: z.strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).default({ level: 'info' }),
  plugins: z.record(z.string(), pluginEntrySchema).default({}).describe('Plugins by short name, package name or path → options'),
  matrix: z.unknown().optional().describe('Comparison matrix (see `yardstick compare`)'),
});

export type RootConfigInput = z.input<typeof rootConfigSchema>;
export type RootConfig = z.output<typeof rootConfigSchema>;

/** The root config after validation, plus where it came from. */
export interface ResolvedConfig extends RootConfig {
  /** Absolute path of the config file, or undefined for an in-memory config. */
  readonly filepath?: string;
  /** Folder relative paths in plugin options are resolved against. */
  readonly baseDir: string;
}

/** Typed helper for `yardstick.config.ts`. */
export function defineConfig(config: RootConfigInput): RootConfigInput {
  return config;
}
