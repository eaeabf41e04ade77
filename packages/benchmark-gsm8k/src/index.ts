import { definePlugin, readGsm8k, resolveDataPath, type Gsm8kRow, rowsSource } from '@yardstick/core';
import { gsm8kOptionsSchema } from './options.js';
import { buildSample } from './samples.js';

// The reader and lm-eval prompt builders live in core so benchmark-mix builds the very same samples.
export {
  readGsm8k,
  type Gsm8kRow,
  gsm8kCompletionPrompt as completionPrompt,
  gsm8kChatPrompt as chatPrompt,
  gsm8kDocToText as docToText,
} from '@yardstick/core';
export { gsm8kOptionsSchema, LM_EVAL_GSM8K_STOP, type Gsm8kOptions } from './options.js';
export { buildSample } from './samples.js';

const plugin = definePlugin({
  name: 'benchmark-gsm8k',
  version: '0.1.0',
  kind: 'benchmark',
  core: '^0.1.0',
  defaultScorers: ['scorer-gsm8k'],
  description: 'GSM8K test set (1,319 questions), lm-eval prompt format, seeded k-shot exemplars from train.jsonl',
  configSchema: gsm8kOptionsSchema,
  apply({ hooks, options }) {
    hooks.setup.tapPromise({ name: 'benchmark-gsm8k' }, async (run) => {
      const testPath = resolveDataPath(options.path, run.config.baseDir, 'datasets/gsm8k/test.jsonl');
      const trainPath = resolveDataPath(options.fewshotPath, run.config.baseDir, 'datasets/gsm8k/train.jsonl');
      // Read and validate up front: a bad row is a user error before any request is sent.
      const all = await readGsm8k(testPath);
      const train: Gsm8kRow[] | undefined = options.numFewshot > 0 ? await readGsm8k(trainPath) : undefined;
      const input = { train, seed: run.config.seed, options };
      run.benchmarks.register(
        rowsSource({ name: options.name, kind: options.promptStyle, files: train ? [testPath, trainPath] : [testPath], rows: all, limit: options.limit ?? run.config.limit, toSample: (row) => buildSample(row, input) }),
      );
    });
  },
});

export default plugin;
