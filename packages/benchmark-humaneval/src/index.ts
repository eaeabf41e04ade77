import { definePlugin, readHumanEval, resolveDataPath, type GenerationParams, rowsSource } from '@yardstick/core';
import { humanEvalOptionsSchema } from './options.js';
import { buildSample } from './samples.js';

// The reader lives in core so benchmark-mix reads the very same problems.
export { readHumanEval, type HumanEvalRow } from '@yardstick/core';
export { humanEvalOptionsSchema, HUMANEVAL_STOP, type HumanEvalOptions } from './options.js';
export { buildSample, chatInstruction, type HumanEvalTarget } from './samples.js';

const plugin = definePlugin({
  name: 'benchmark-humaneval',
  version: '0.1.0',
  kind: 'benchmark',
  core: '^0.1.0',
  description: 'HumanEval (164 Python problems, openai/human-eval); score with scorer-code-exec (pass@k)',
  defaultScorers: ['scorer-code-exec'],
  configSchema: humanEvalOptionsSchema,
  apply({ hooks, options }) {
    hooks.setup.tapPromise({ name: 'benchmark-humaneval' }, async (run) => {
      const file = resolveDataPath(options.path, run.config.baseDir, 'datasets/humaneval/HumanEval.jsonl.gz');
      const all = await readHumanEval(file);
      const generation: Partial<GenerationParams> = { maxTokens: options.maxTokens };
      if (options.temperature !== undefined) generation.temperature = options.temperature;
      if (options.topP !== undefined) generation.topP = options.topP;
      run.benchmarks.register(
        rowsSource({
          name: options.name,
          kind: options.promptStyle,
          files: [file],
          generation,
          repeats: options.repeats,
          rows: all,
          limit: options.limit ?? run.config.limit,
          toSample: (row) => buildSample(row, options),
        }),
      );
    });
  },
});

export default plugin;
