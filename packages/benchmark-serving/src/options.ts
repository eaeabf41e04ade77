import { partialLoadSchema } from '@yardstick/core';
import { z } from 'zod';

/** Output length per request: a fixed count, a uniform integer range, or a rounded normal. */
export const outputLengthSchema = z.union([
  z.number().int().positive(),
  z.strictObject({ min: z.number().int().positive(), max: z.number().int().positive() }).refine((r) => r.max >= r.min, { message: 'max must be >= min' }),
  z.strictObject({ mean: z.number().positive(), std: z.number().nonnegative() }),
], { error: 'expected a positive integer N, {min, max} (uniform, integers, max ≥ min) or {mean, std} (normal)' });
export type OutputLength = z.output<typeof outputLengthSchema>;

export const PRESETS = ['seeds-default', 'batch-sweep', 'context-sweep'] as const;
export type PresetName = (typeof PRESETS)[number];

/**
 * Fields without defaults are optional on purpose: an unset field takes the preset's value, then the
 * built-in default (listed in each description), so a preset never overrides what the user wrote.
 */
export const servingOptionsSchema = z.strictObject({
  name: z.string().min(1).default('serving').describe('Benchmark name (sweep steps append `[input=N]`, `[concurrency=N]`, `[rate=R]`)'),
  preset: z.enum(PRESETS).optional().describe('seeds-default | batch-sweep | context-sweep: the seeds’ workload shapes'),
  dataset: z
    .string()
    .min(1)
    .optional()
    .describe('`random` (default: synthetic prompts of an exact token length), `sharegpt`, `mt-bench`, or a path to a ShareGPT JSON, MT-Bench JSONL or prompts JSONL (format detected)'),
  inputTokens: z.number().int().positive().optional().describe('Synthetic prompt length in tokens, exact with the engine tokenizer (default 2048)'),
  inputLengths: z
    .array(z.number().int().positive())
    .min(1)
    .optional()
    .describe('Context sweep: one benchmark per input length, capped at the model context minus the output length'),
  outputTokens: outputLengthSchema.optional().describe('Output tokens: N, {min,max} uniform, or {mean,std} normal (default 1024; real prompts: 256)'),
  numPrompts: z.number().int().positive().optional().describe('Distinct prompts (default 100); `load.numRequests` may cycle through them'),
  ignoreEos: z.boolean().optional().describe('Keep generating past EOS so output lengths hold (default true for synthetic prompts)'),
  temperature: z.number().min(0).optional().describe('Sampling temperature (default 0)'),
  promptStyle: z.enum(['auto', 'completion', 'chat']).default('auto').describe('Send as completion or chat; auto: synthetic → completion, files → as written'),
  multiTurn: z.boolean().default(false).describe('MT-Bench: generate both turns (each is a timed request) instead of the first only'),
  shuffle: z.boolean().default(true).describe('Seeded shuffle of dataset prompts before taking numPrompts'),
  seed: z.number().int().optional().describe('Seed for prompts and lengths (default: the run seed)'),
  maxContext: z.number().int().positive().optional().describe('Context window cap when the engine cannot report one'),
  checkTokens: z
    .boolean()
    .default(false)
    .describe('Re-count each reply with the engine tokenizer after it finishes (adds tokenizer requests during the run) and report mismatches with server usage'),
  load: partialLoadSchema.optional().describe('Load profile for this benchmark (concurrency, rate, arrival, burstiness, numRequests, duration, sweep)'),
});
export type ServingOptions = z.output<typeof servingOptionsSchema>;

/** The workload after preset and defaults, ready to build samples from. */
export interface ResolvedWorkload {
  name: string;
  dataset: string;
  inputTokens: number;
  inputLengths?: number[];
  outputTokens: OutputLength;
  numPrompts: number;
  ignoreEos: boolean;
  temperature: number;
  load: ServingOptions['load'];
}

const PRESET_VALUES: Record<PresetName, Partial<ResolvedWorkload>> = {
  // The seeds' serving shape: 2048 in / 1024 out at temperature 0, 100 requests at concurrency 8.
  'seeds-default': { inputTokens: 2048, outputTokens: 1024, temperature: 0, numPrompts: 100, load: { concurrency: 8 } },
  'batch-sweep': { inputTokens: 2048, outputTokens: 1024, temperature: 0, numPrompts: 100, load: { sweep: { concurrency: [1, 2, 4, 8, 16] } } },
  'context-sweep': {
    inputLengths: [1024, 2048, 4096, 8192, 16384, 32768, 65536],
    outputTokens: 128,
    temperature: 0,
    numPrompts: 10,
    load: { concurrency: 1 },
  },
};

export function resolveWorkload(options: ServingOptions): ResolvedWorkload {
  const preset = options.preset ? PRESET_VALUES[options.preset] : {};
  const dataset = options.dataset ?? 'random';
  const synthetic = dataset === 'random';
  const workload: ResolvedWorkload = {
    name: options.name,
    dataset,
    inputTokens: options.inputTokens ?? preset.inputTokens ?? 2048,
    outputTokens: options.outputTokens ?? preset.outputTokens ?? (synthetic ? 1024 : 256),
    numPrompts: options.numPrompts ?? preset.numPrompts ?? 100,
    ignoreEos: options.ignoreEos ?? synthetic,
    temperature: options.temperature ?? preset.temperature ?? 0,
    load: { ...preset.load, ...options.load },
  };
  const inputLengths = options.inputLengths ?? (options.inputTokens === undefined ? preset.inputLengths : undefined);
  if (inputLengths) workload.inputLengths = inputLengths;
  return workload;
}
