import { definePlugin, ERROR_CODES, resolveDataPath, YardstickError, type GenerationParams, rowsSource } from '@yardstick/core';
import { readMbpp, type MbppRow } from './dataset.js';
import { MBPP_FEWSHOT_IDS, mbppOptionsSchema } from './options.js';
import { buildSample } from './samples.js';

export { readMbpp, type MbppRow, type MbppVariant } from './dataset.js';
export { mbppOptionsSchema, MBPP_STOP, MBPP_FEWSHOT_IDS, type MbppOptions } from './options.js';
export { completionPrompt, chatPrompt, docToText } from './prompt.js';
export { buildSample, type MbppTarget } from './samples.js';

const DEFAULT_FILES = { full: 'datasets/mbpp/mbpp.jsonl', sanitized: 'datasets/mbpp/sanitized-mbpp.json' } as const;

const plugin = definePlugin({
  name: 'benchmark-mbpp',
  version: '0.1.0',
  kind: 'benchmark',
  core: '^0.1.0',
  description: 'MBPP (google-research), test split 11–510, 3-shot lm-eval prompt; score with scorer-code-exec',
  defaultScorers: ['scorer-code-exec'],
  configSchema: mbppOptionsSchema,
  apply({ hooks, options }) {
    hooks.setup.tapPromise({ name: 'benchmark-mbpp' }, async (run) => {
      const file = resolveDataPath(options.path, run.config.baseDir, DEFAULT_FILES[options.variant]);
      const all = await readMbpp(file, options.variant);
      const byId = new Map(all.map((r) => [r.task_id, r]));
      const shots: MbppRow[] = MBPP_FEWSHOT_IDS.slice(0, options.numFewshot).map((id) => {
        const row = byId.get(id);
        if (!row) {
          throw new YardstickError(ERROR_CODES.DATASET_INVALID, `${file}: few-shot exemplar task_id ${id} is missing`, {
            hint: 'Set numFewshot: 0, or use a file that contains the prompt split (task_ids 1–10).',
            details: { file, task_id: id },
          });
        }
        return row;
      });
      const [from, to] = options.taskIds;
      const selected = all.filter((r) => r.task_id >= from && r.task_id <= to);
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
          rows: selected,
          limit: options.limit ?? run.config.limit,
          toSample: (row) => buildSample(row, shots, options),
        }),
      );
    });
  },
});

export default plugin;
