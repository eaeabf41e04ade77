import { describe, expect, it } from 'vitest';
import { definePlugin, ERROR_CODES, isYardstickError, rowsSource, type Sample } from '../src/index.js';
import { createTestKernel, fakeEngine, samplesPlugin } from '../src/testing/index.js';

/** A benchmark plugin whose setup "reads" rows and can fail on one, as a dataset reader does. */
function rowsBenchmark(rows: number, badRow?: number) {
  return definePlugin({
    name: 'benchmark-rows',
    version: '0.1.0',
    kind: 'benchmark',
    core: '^0.1.0',
    apply: ({ hooks }) =>
      hooks.setup.tap('benchmark-rows', (run) => {
        if (badRow !== undefined) throw new Error(`data.jsonl:${badRow}: not JSON`);
        const all = Array.from({ length: rows }, (_, i) => i);
        const toSample = (i: number): Sample => ({ id: String(i), task: 'rows', prompt: `q${i}` });
        run.benchmarks.register(rowsSource({ name: 'rows', files: ['data.jsonl'], rows: all, limit: run.config.limit, toSample, load: { sweep: { concurrency: [1, 4] } } }));
        run.warn(`mode ${run.mode}`);
      }),
  });
}

/** A scorer whose setup would start something: a check must not apply it. */
const scorerWithSetup = (started: string[]) =>
  definePlugin({
    name: 'scorer-starts',
    version: '0.1.0',
    kind: 'scorer',
    core: '^0.1.0',
    apply: ({ hooks }) => hooks.setup.tap('scorer-starts', () => void started.push('scorer')),
  });

describe('Kernel.check (yardstick validate)', () => {
  it("runs the benchmarks' setup alone: samples counted after limit, phases and files listed, no engine started, nothing generated", async () => {
    const started: string[] = [];
    const engine = fakeEngine();
    const { kernel } = await createTestKernel({ engine, config: { limit: 7 }, plugins: [rowsBenchmark(10), scorerWithSetup(started)] });
    const report = await kernel.check();
    expect(report.benchmarks).toEqual([{ name: 'rows', samples: 7, phases: ['rows[concurrency=1]', 'rows[concurrency=4]'], files: ['data.jsonl'] }]);
    expect(report.warnings).toEqual(['mode check']);
    expect(started).toEqual([]);
    expect(engine.started).toBe(0);
    expect(engine.requests).toEqual([]);
  });

  it("a benchmark's bad data fails the check with the benchmark's own error, after teardown ran", async () => {
    let tornDown = false;
    const teardown = definePlugin({ name: 'benchmark-teardown', version: '0.1.0', kind: 'benchmark', core: '^0.1.0', apply: ({ hooks }) => hooks.teardown.tap('t', () => void (tornDown = true)) });
    const { kernel } = await createTestKernel({ plugins: [rowsBenchmark(10, 3), teardown] });
    await expect(kernel.check()).rejects.toThrow('data.jsonl:3: not JSON');
    expect(tornDown).toBe(true);
  });

  it('an interrupted check fails rather than passing with counts cut short', async () => {
    const { kernel } = await createTestKernel({ plugins: [rowsBenchmark(10)] });
    const error = await kernel.check({ signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(isYardstickError(error) && error.code).toBe(ERROR_CODES.ABORTED);
  });

  it('a contradictory load is a config error in a check too; a kernel checks or runs once', async () => {
    const bad = samplesPlugin({ b: [] }, { load: { rate: 10, arrival: 'poisson', burstiness: 0.5 } });
    const { kernel } = await createTestKernel({ plugins: [bad] });
    const error = await kernel.check().catch((e: unknown) => e);
    expect(isYardstickError(error) && error.code).toBe(ERROR_CODES.CONFIG_INVALID);
    await expect(kernel.run()).rejects.toThrow('A kernel runs once');
  });
});
