import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kernel, resolveRootConfig, silentLogger, type Sample } from '../src/index.js';
import { enginePlugin, fakeEngine, samplesPlugin } from '../src/testing/index.js';

const samples: Sample[] = [0, 1, 2].map((i) => ({ id: String(i), task: 't', prompt: `p${i}` }));

function kernel(outDir: string, engine = fakeEngine(), warmupSeconds?: number) {
  const config = resolveRootConfig({ concurrency: 2, warmup: { requests: 0 }, load: { numRequests: 7, ...(warmupSeconds ? { warmupSeconds } : {}) } }, { baseDir: process.cwd() });
  return new Kernel({ config, logger: silentLogger(), outDir, runId: 'cycle' }).use(enginePlugin(engine)).use(samplesPlugin({ b: samples }));
}

describe('an in-memory source cycled by numRequests', () => {
  it('sends exactly numRequests with cycle-suffixed ids, and resume completes the same set', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ys-cycle-'));
    const slow = fakeEngine({ chunkDelayMs: 40, chunkSize: 1 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const first = await kernel(dir, slow).run({ signal: controller.signal });
    expect(first.status).toBe('interrupted');
    const done = first.benchmarks.b?.n ?? 0;
    expect(done).toBeLessThan(7);

    const engine = fakeEngine();
    const second = await kernel(dir, engine).run({ resume: true });
    expect(second.status).toBe('completed');
    expect(second.benchmarks.b!.n).toBe(7);
    expect(engine.requests).toHaveLength(7 - done);
    const { JournalStore } = await import('../src/index.js');
    const store = await JournalStore.open(dir);
    const ids: string[] = [];
    for await (const r of store.read()) ids.push(r.sample.id);
    await store.close();
    expect(ids.sort()).toEqual(['0', '0~1', '0~2', '1', '1~1', '2', '2~1']);
  });

  it('load.warmupSeconds: a warm-up before measuring, skipped on resume when nothing is left to measure', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ys-cycle-'));
    const engine = fakeEngine();
    const first = await kernel(dir, engine, 0.05).run();
    expect(first.benchmarks.b!.n).toBe(7);
    expect(first.benchmarks.b!.load).toMatchObject({ concurrency: 2, warmup_s: 0.05, num_requests: 7 });
    const warm = engine.requests.filter((r) => r.warmup);
    expect(warm.length).toBeGreaterThan(0);
    expect(warm.every((r) => r.requestId.startsWith('b:warmup#'))).toBe(true);
    expect(engine.requests.length - warm.length).toBe(7);
    const again = fakeEngine();
    const second = await kernel(dir, again, 0.05).run({ resume: true });
    expect(second.benchmarks.b!.n).toBe(7);
    expect(again.requests).toHaveLength(0);
    // System samples cover measured stretches: the resumed phase measured nothing.
    expect(first.benchmarks.b!.system).toBeDefined();
    expect(second.benchmarks.b!.system).toBeUndefined();
  });
});
