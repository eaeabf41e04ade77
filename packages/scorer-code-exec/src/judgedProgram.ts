/**
 * A program with its tests kept apart, for the judge bootstrap (judge.ts): the model's code runs in
 * one process, the dataset's tests in another that alone can report a pass.
 */
import { humanEvalCandidate, mbppCandidate, taskTarget } from './program.js';

/** HumanEval: the candidate is `prompt + completion`; the judge runs the prompt (its helpers) and `test`, then `check(entry)`. */
export interface JudgedHumanEval {
  kind: 'humaneval';
  candidate: string;
  prelude: string;
  tests: string;
  entry: string;
}

/** MBPP: the candidate is the code + test imports + setup code; the judge runs the test imports and the asserts. */
export interface JudgedMbpp {
  kind: 'mbpp';
  candidate: string;
  imports: string;
  tests: string;
  /** The first assert: where a function under test named like a builtin (MBPP 126's `sum`) is found. */
  first: string;
}

export type JudgedProgram = JudgedHumanEval | JudgedMbpp;

/**
 * Builds the judged program for a known task, or returns the reason it cannot. The candidate is the
 * same code (post-processing, chat fences, stop sequences) as buildProgram's, minus the tests.
 */
export function buildJudgedProgram(task: string, output: string, target: unknown, chat = false): { job: JudgedProgram } | { error: string } {
  const checked = taskTarget(task, target);
  if ('error' in checked) return checked;
  if (checked.task === 'humaneval') {
    const t = checked.target;
    return { job: { kind: 'humaneval', candidate: humanEvalCandidate(output, t, chat), prelude: t.prompt, tests: t.test, entry: t.entry_point } };
  }
  const t = checked.target;
  const job: JudgedMbpp = {
    kind: 'mbpp',
    candidate: mbppCandidate(output, t, chat),
    imports: (t.test_imports ?? []).join('\n'),
    tests: `${t.test_list.join('\n')}\n`,
    first: t.test_list[0]!,
  };
  return { job };
}
