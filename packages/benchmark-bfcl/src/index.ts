import { dirname, join, basename } from 'node:path';
import { definePlugin, rowsSource } from '@yardstick/core';
import { readBfcl } from './dataset.js';
import { bfclOptionsSchema } from './options.js';
import { resolveDataPath } from '@yardstick/core';
import { buildSample } from './samples.js';

export { readBfcl, type BfclRow, type BfclFunction, type BfclGroundTruth } from './dataset.js';
export { bfclOptionsSchema, type BfclOptions } from './options.js';
export { toOpenAiTools, promptingSystemPrompt, GORILLA_TO_OPENAPI, PYTHON_HINT } from './tools.js';
export { buildSample, categoryFromId, type BfclTarget } from './samples.js';

const plugin = definePlugin({
  name: 'benchmark-bfcl',
  version: '0.1.0',
  kind: 'benchmark',
  core: '^0.1.0',
  description: 'BFCL v4 simple_python (400 single function calls) sent as OpenAI tools; score with scorer-function-call',
  defaultScorers: ['scorer-function-call'],
  configSchema: bfclOptionsSchema,
  apply({ hooks, options }) {
    hooks.setup.tapPromise({ name: 'benchmark-bfcl' }, async (run) => {
      const questions = resolveDataPath(options.path, run.config.baseDir, 'datasets/bfcl/BFCL_v4_simple_python.json');
      const answers = options.answersPath
        ? resolveDataPath(options.answersPath, run.config.baseDir, '')
        : join(dirname(questions), 'possible_answer', basename(questions));
      const all = await readBfcl(questions, answers);
      run.benchmarks.register(
        rowsSource({
          name: options.name,
          kind: 'chat',
          files: [questions, answers],
          generation: { maxTokens: options.maxTokens },
          rows: all,
          limit: options.limit ?? run.config.limit,
          toSample: (row) => buildSample(row, options),
        }),
      );
    });
  },
});

export default plugin;
