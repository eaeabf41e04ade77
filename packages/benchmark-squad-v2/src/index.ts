import { definePlugin, readSquadV2, resolveDataPath, rowsSource } from '@yardstick/core';
import { z } from 'zod';
import { buildSquadSample } from './samples.js';

// The reader, lm-eval prompt builders and exemplar choice live in core so benchmark-mix builds the very same samples.
export {
  readSquadV2,
  type SquadQuestion,
  squadDocToText as docToText,
  squadDocToTarget as docToTarget,
  squadCompletionPrompt as completionPrompt,
  squadChatPrompt as chatPrompt,
  pickSquadExemplars as pickExemplars,
  squadDefaultStop as defaultStop,
} from '@yardstick/core';
export { buildSquadSample, type SquadBuildOptions } from './samples.js';

export const squadV2OptionsSchema = z.strictObject({
  name: z.string().min(1).default('benchmark-squad-v2').describe('Benchmark name in reports (unique in the run)'),
  path: z
    .string()
    .optional()
    .describe('SQuAD v2.0 JSON (official schema), relative to the config file; default <repo>/../shared/datasets/squad_v2/small.json'),
  numFewshot: z
    .number()
    .int()
    .nonnegative()
    .default(0)
    .describe("Exemplars per prompt, drawn from other articles (each carries a whole passage); 0 as lm-eval's squadv2"),
  limit: z.number().int().positive().optional().describe('First N questions in file order; default the root `limit`'),
  promptStyle: z.enum(['completion', 'chat']).default('completion').describe('completion: one text prompt; chat: exemplars as user/assistant turns'),
  systemPrompt: z.string().optional().describe('Optional instruction before the exemplars (system message in chat style)'),
  stop: z.array(z.string()).optional().describe('Stop strings; default ["\\n"] for completion (as lm-eval), none for chat'),
  maxTokens: z.number().int().positive().optional().describe('Per-request max tokens; default the root generation.maxTokens'),
});

const plugin = definePlugin({
  name: 'benchmark-squad-v2',
  version: '0.1.0',
  kind: 'benchmark',
  core: '^0.1.0',
  defaultScorers: ['scorer-squad'],
  description: 'SQuAD v2.0 (answerable + unanswerable questions), lm-eval squadv2 prompt, seeded few-shot from other articles',
  configSchema: squadV2OptionsSchema,
  apply({ hooks, options }) {
    hooks.setup.tapPromise({ name: 'benchmark-squad-v2' }, async (run) => {
      const file = resolveDataPath(options.path, run.config.baseDir, 'datasets/squad_v2/small.json');
      const all = await readSquadV2(file);
      run.benchmarks.register(
        rowsSource({
          name: options.name,
          kind: options.promptStyle,
          files: [file],
          rows: all,
          limit: options.limit ?? run.config.limit,
          // The exemplar pool is the whole file: `limit` must not change which exemplars a question gets.
          toSample: (q) => buildSquadSample(q, all, run.config.seed, options),
        }),
      );
    });
  },
});

export default plugin;
