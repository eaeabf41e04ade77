import { definePlugin, rowsSource } from '@yardstick/core';
import { z } from 'zod';
import { readIfeval } from './dataset.js';
import { resolveDataPath } from '@yardstick/core';
import { buildIfevalSample } from './samples.js';

export { readIfeval, ifevalRowSchema, type IfevalRow } from './dataset.js';
export { buildIfevalSample, type IfevalTarget } from './samples.js';

export const ifevalOptionsSchema = z.strictObject({
  name: z.string().min(1).default('benchmark-ifeval').describe('Benchmark name in reports (unique in the run)'),
  path: z
    .string()
    .optional()
    .describe('IFEval input_data.jsonl, relative to the config file; default <repo>/../shared/datasets/ifeval/input_data.jsonl'),
  promptStyle: z.enum(['chat', 'completion']).default('chat').describe('chat: the prompt as one user message; completion: the raw prompt text'),
  systemPrompt: z.string().optional().describe('Optional system message (chat) or preamble (completion); the reference uses none'),
  limit: z.number().int().positive().optional().describe('First N prompts in file order; default the root `limit`'),
  maxTokens: z
    .number()
    .int()
    .positive()
    .default(1280)
    .describe("Per-request max tokens; 1280 as lm-eval's ifeval.yaml (29 of the 541 prompts ask for 200+ words)"),
});

export default definePlugin({
  name: 'benchmark-ifeval',
  version: '0.1.0',
  kind: 'benchmark',
  core: '^0.1.0',
  description: 'IFEval: 541 prompts with verifiable instructions (google-research instruction_following_eval)',
  defaultScorers: ['scorer-ifeval'],
  configSchema: ifevalOptionsSchema,
  apply({ hooks, options }) {
    hooks.setup.tapPromise({ name: 'benchmark-ifeval' }, async (run) => {
      const file = resolveDataPath(options.path, run.config.baseDir, 'datasets/ifeval/input_data.jsonl');
      const all = await readIfeval(file);
      run.benchmarks.register(
        rowsSource({ name: options.name, kind: options.promptStyle, files: [file], rows: all, limit: options.limit ?? run.config.limit, toSample: (row) => buildIfevalSample(row, options) }),
      );
    });
  },
});
