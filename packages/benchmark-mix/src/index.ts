import { definePlugin, rowsSource } from '@yardstick/core';
import { buildMix } from './mix.js';
import { mixOptionsSchema } from './options.js';

export { mixOptionsSchema, MIX_SOURCES, type MixOptions, type MixSource } from './options.js';
export { buildMix, type MixResult } from './mix.js';

const plugin = definePlugin({
  name: 'benchmark-mix',
  version: '0.1.0',
  kind: 'benchmark',
  core: '^0.1.0',
  defaultScorers: ['scorer-squad', 'scorer-gsm8k', 'scorer-embedding-similarity', 'scorer-code-exec'],
  description: "The seeds' 520-prompt mix (200 SQuAD v2, 120 GSM8K, 120 HH-RLHF, 80 HumanEval), seeded, with per-category scores",
  configSchema: mixOptionsSchema,
  apply({ hooks, options }) {
    hooks.setup.tapPromise({ name: 'benchmark-mix' }, async (run) => {
      const { samples: all, skipped, files } = await buildMix(options, run.config.seed, run.config.baseDir);
      if (skipped.length) run.warn(`benchmark-mix: HH-RLHF rows with an empty chosen reply were not eligible: ${skipped.join(', ')}`);
      const limit = options.limit ?? run.config.limit;
      const samples = limit === undefined ? all : all.slice(0, limit);
      const counts: Record<string, number> = {};
      for (const s of samples) counts[s.task] = (counts[s.task] ?? 0) + 1;
      run.extend('benchmark-mix', { counts, seed: run.config.seed });
      run.benchmarks.register(rowsSource({ name: options.name, files, rows: samples, toSample: (s) => s }));
    });
  },
});

export default plugin;
