import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeExecutor } from '../src/executor.js';
import { buildJudgedProgram, type JudgedProgram } from '../src/judgedProgram.js';
import { executor, humanEvalRows, type HumanEvalRow } from './helpers.js';

/**
 * The published HumanEval problems through the real sandbox, as the scorer runs them (tests in the
 * judge process, judge.ts): the canonical solutions must all pass and the bare prompts
 * (docstring-only functions) must all fail.
 */
function judged(completion: string, row: HumanEvalRow): JudgedProgram {
  const built = buildJudgedProgram('humaneval', completion, row);
  if ('error' in built) throw new Error(built.error);
  return built.job;
}

describe('HumanEval (164 problems) in the sandbox, workers = 2', () => {
  let ex: CodeExecutor;
  let rows: HumanEvalRow[];
  const timings: string[] = [];

  beforeAll(async () => {
    ex = await executor({ uidBase: 220_000, workers: 2 });
    rows = humanEvalRows();
  });

  afterAll(() => {
    console.log(`[scorer-code-exec] ${timings.join('; ')}`);
  });

  it('canonical solutions: pass@1 = 1.0', async () => {
    expect(rows).toHaveLength(164);
    const t0 = performance.now();
    const results = await Promise.all(rows.map((row) => ex.run(judged(row.canonical_solution, row))));
    timings.push(`canonical: ${Math.round(performance.now() - t0)} ms for ${rows.length} programs`);
    const failed = results.flatMap((r, i) => (r.passed ? [] : [`${rows[i]!.task_id}: ${r.status} ${r.reason}`]));
    expect(failed).toEqual([]);
  }, 180_000);

  it('prompts alone (no body): pass@1 = 0.0', async () => {
    const t0 = performance.now();
    const results = await Promise.all(rows.map((row) => ex.run(judged('', row))));
    timings.push(`prompt only: ${Math.round(performance.now() - t0)} ms`);
    const passed = results.flatMap((r, i) => (r.passed ? [rows[i]!.task_id] : []));
    expect(passed).toEqual([]);
    // They fail on the tests, not on the sandbox.
    expect(results.filter((r) => r.status === 'sandbox_error')).toEqual([]);
  }, 180_000);
});
