import type { GenerateResult, ScoreCard, ScoredSample } from '@yardstick/core';
import type { CodeExecutor, ExecResult, ExecStatus } from './executor.js';
import { passAtK, usableKs } from './passAtK.js';
import { buildJudgedProgram } from './judgedProgram.js';

export const SCORER_NAME = 'scorer-code-exec';
const STDERR_EXCERPT = 2000;

export interface AttemptDetail {
  passed: boolean;
  status: ExecStatus | 'not_run';
  reason?: string;
  exitCode?: number;
  durationMs?: number;
  stderr?: string;
  outputTruncated?: boolean;
}

export interface CodeExecDetail {
  n: number;
  c: number;
  attempts: AttemptDetail[];
}

/** Tail of stderr: the traceback's last frames and the exception are what explain a failure. */
function excerpt(text: string): string {
  return text.length <= STDERR_EXCERPT ? text : `…${text.slice(-STDERR_EXCERPT)}`;
}

async function runAttempt(executor: CodeExecutor, sample: ScoredSample, attempt: GenerateResult, signal?: AbortSignal): Promise<AttemptDetail> {
  if (attempt.error) return { passed: false, status: 'not_run', reason: `generation failed: ${attempt.error.code}: ${attempt.error.message}` };
  // The tests run in a judge process apart from the model's code, so the code cannot forge a pass.
  const built = buildJudgedProgram(sample.sample.task, attempt.text ?? '', sample.sample.target, sample.sample.messages !== undefined);
  if ('error' in built) return { passed: false, status: 'not_run', reason: `bad target for sample ${sample.sample.id}: ${built.error}` };
  const result: ExecResult = await executor.run(built.job, signal);
  return {
    passed: result.passed,
    status: result.status,
    reason: result.reason,
    exitCode: result.exitCode,
    durationMs: Math.round(result.durationMs),
    stderr: result.stderr ? excerpt(result.stderr) : undefined,
    outputTruncated: result.outputTruncated || undefined,
  };
}

/** Executes every attempt of a sample and adds pass@k for each k the attempt count allows. */
export async function scoreCode(card: ScoreCard, sample: ScoredSample, executor: CodeExecutor, ks: readonly number[], signal?: AbortSignal): Promise<ScoreCard> {
  const attempts = sample.attempts && sample.attempts.length > 0 ? sample.attempts : [sample.result];
  const details = await Promise.all(attempts.map((a) => runAttempt(executor, sample, a, signal)));
  const n = details.length;
  const c = details.filter((d) => d.passed).length;
  const metrics = { ...card.metrics };
  for (const k of usableKs(ks.length ? ks : [1], n)) metrics[`pass@${k}`] = passAtK(n, c, k);
  if (metrics['pass@1'] === undefined) metrics['pass@1'] = c / n;
  const firstFailure = details.find((d) => !d.passed);
  const reason =
    n === 1
      ? details[0]!.passed
        ? 'passed'
        : `${details[0]!.status}: ${details[0]!.reason ?? 'tests failed'}`
      : `${c}/${n} attempts passed${firstFailure ? `; first failure ${firstFailure.status}: ${firstFailure.reason ?? 'tests failed'}` : ''}`;
  const detail: CodeExecDetail = { n, c, attempts: details };
  return {
    ...card,
    metrics,
    reasons: { ...card.reasons, [SCORER_NAME]: reason },
    details: { ...card.details, [SCORER_NAME]: detail },
  };
}
