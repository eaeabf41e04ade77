import { definePlugin } from '@yardstick/core';
import { CodeExecutor } from './executor.js';
import { codeExecOptionsSchema } from './options.js';
import { scoreCode, SCORER_NAME } from './score.js';

export { CodeExecutor, type ExecResult, type ExecStatus, type ExecutorSettings } from './executor.js';
export { passAtK, usableKs } from './passAtK.js';
export { buildJudgedProgram, type JudgedProgram, type JudgedHumanEval, type JudgedMbpp } from './judgedProgram.js';
export {
  buildProgram,
  humanEvalProgram,
  humanEvalCandidate,
  mbppProgram,
  mbppCandidate,
  stripMarkdownFences,
  truncateAtStops,
  HUMANEVAL_STOP_SEQUENCES,
  MBPP_STOP_SEQUENCES,
} from './program.js';
export { codeExecOptionsSchema, type CodeExecOptions } from './options.js';
export { scoreCode, type AttemptDetail, type CodeExecDetail } from './score.js';

const plugin = definePlugin({
  name: SCORER_NAME,
  version: '0.1.0',
  kind: 'scorer',
  core: '^0.1.0',
  description: 'Runs generated Python with the benchmark tests in a bubblewrap sandbox; pass@1 and unbiased pass@k',
  configSchema: codeExecOptionsSchema,
  apply({ hooks, options, logger }) {
    let executor: CodeExecutor | undefined;
    const tasks = new Set(options.tasks);
    hooks.setup.tapPromise({ name: SCORER_NAME }, async () => {
      // Checked before any request is sent: a missing sandbox must not cost a generation run.
      executor = await CodeExecutor.create(
        {
          ...options,
          cpuSeconds: options.cpuSeconds ?? Math.ceil(options.timeoutMs / 1000),
          setprivPath: options.setpriv,
        },
        logger,
      );
    });
    hooks.teardown.tap({ name: SCORER_NAME }, () => {
      executor?.close();
      executor = undefined;
    });
    hooks.score.tapPromise({ name: SCORER_NAME }, async (card, sample, run) => {
      if (!tasks.has(sample.sample.task)) return card;
      if (!executor) throw new Error('scorer-code-exec: score called before setup');
      return scoreCode(card, sample, executor, options.k, run.signal);
    });
  },
});

export default plugin;
