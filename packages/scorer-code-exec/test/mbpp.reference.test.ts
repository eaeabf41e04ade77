import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeExecutor } from '../src/executor.js';
import { buildJudgedProgram, type JudgedProgram } from '../src/judgedProgram.js';
import { executor, mbppRows, type MbppRow } from './helpers.js';

/** MBPP's standard test split (task_ids 11–510, the MBPP paper / lm-eval `test`) through the real sandbox, as the scorer runs it (judge.ts). */
describe('MBPP test split (500 problems) in the sandbox, workers = 2', () => {
  let ex: CodeExecutor;
  let rows: MbppRow[];
  const timings: string[] = [];

  beforeAll(async () => {
    // Task 123's reference (amicable numbers to 9999, quadratic) needs ~3 s of CPU alone and far more on a
    // loaded box: a generous limit here, so this test checks the program layout, not the machine's speed.
    ex = await executor({ uidBase: 230_000, workers: 2, timeoutMs: 60_000, cpuSeconds: 30 });
    rows = mbppRows().filter((r) => r.task_id >= 11 && r.task_id <= 510);
  });

  afterAll(() => {
    console.log(`[scorer-code-exec] ${timings.join('; ')}`);
  });

  const judged = (code: string, row: MbppRow): JudgedProgram => {
    const built = buildJudgedProgram('mbpp', code, { test_list: row.test_list, test_setup_code: row.test_setup_code });
    if ('error' in built) throw new Error(built.error);
    return built.job;
  };

  it('reference code: pass@1 = 1.0', async () => {
    expect(rows).toHaveLength(500);
    const t0 = performance.now();
    const results = await Promise.all(rows.map((row) => ex.run(judged(row.code, row))));
    const slowest = results
      .map((r, i) => ({ id: rows[i]!.task_id, ms: Math.round(r.durationMs) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 3)
      .map((s) => `${s.id}:${s.ms}ms`);
    timings.push(`reference: ${Math.round(performance.now() - t0)} ms for ${rows.length} programs (slowest ${slowest.join(', ')})`);
    const failed = results.flatMap((r, i) => (r.passed ? [] : [`${rows[i]!.task_id}: ${r.status} ${r.reason}`]));
    expect(failed).toEqual([]);
  }, 300_000);

  // Every program is its own sandbox (~50–100 ms each on 2 cores): by default the empty case runs every
  // 5th problem of the split; YARDSTICK_FULL_CODE_TESTS=1 runs all 500.
  it('empty completions: pass@1 = 0.0', async () => {
    const t0 = performance.now();
    const subset = process.env.YARDSTICK_FULL_CODE_TESTS === '1' ? rows : rows.filter((_, i) => i % 5 === 0);
    expect(subset.length).toBeGreaterThanOrEqual(100);
    const results = await Promise.all(subset.map((row) => ex.run(judged('', row))));
    timings.push(`empty: ${Math.round(performance.now() - t0)} ms for ${subset.length} programs`);
    expect(results.flatMap((r, i) => (r.passed ? [subset[i]!.task_id] : []))).toEqual([]);
    expect(results.filter((r) => r.status === 'sandbox_error')).toEqual([]);
  }, 180_000);
});
