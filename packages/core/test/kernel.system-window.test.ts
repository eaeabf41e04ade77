import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Kernel, resolveRootConfig, silentLogger, type Sample } from '../src/index.js';
import { enginePlugin, fakeEngine, samplesPlugin } from '../src/testing/index.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const samples: Sample[] = [0, 1, 2].map((i) => ({ id: String(i), task: 't', prompt: `prompt number ${i} ..` }));

describe('system metrics per benchmark', () => {
  it("each sweep step carries the system sample of its own measured stretch, its warm-up left out; the run's spans them all", async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'ys-system-window-'));
    dirs.push(outDir);
    const warmupSeconds = 0.4;
    const config = resolveRootConfig(
      { warmup: { requests: 0 }, load: { numRequests: 6, warmupSeconds, sweep: { concurrency: [1, 2] } } },
      { baseDir: process.cwd() },
    );
    // 20-character replies in 4 chunks 25 ms apart: ~100 ms a request.
    const engine = fakeEngine({ chunkDelayMs: 25, chunkSize: 5 });
    const summary = await new Kernel({ config, logger: silentLogger(), outDir, runId: 'system-window' }).use(enginePlugin(engine)).use(samplesPlugin({ b: samples })).run();
    expect(summary.status).toBe('completed');
    const steps = ['b[concurrency=1]', 'b[concurrency=2]'].map((name) => summary.benchmarks[name]!);
    for (const step of steps) {
      const system = step.system!;
      const measured = step.performance!.duration_s;
      expect(system.samples).toBeGreaterThanOrEqual(2);
      expect(system.yardstick.pid).toBe(process.pid);
      expect(system.yardstick.event_loop_utilization).toBeDefined();
      // From the warm-up's hand-over (a warm-up request may still hold a slot for up to ~100 ms) to the last reply.
      expect(system.duration_s).toBeGreaterThanOrEqual(measured - 0.01);
      expect(system.duration_s).toBeLessThan(measured + warmupSeconds / 2);
    }
    // c=1 measures 6 requests one after another, c=2 two at a time: about twice as long.
    expect(steps[0]!.system!.duration_s).toBeGreaterThan(steps[1]!.system!.duration_s * 1.4);
    expect(summary.system!.duration_s).toBeGreaterThan(steps[0]!.system!.duration_s + steps[1]!.system!.duration_s + 2 * warmupSeconds - 0.05);
  });
});
