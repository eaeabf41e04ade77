import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { definePlugin, Kernel, resolveRootConfig, silentLogger, type Sample, type SampleRecord } from '../src/index.js';
import { enginePlugin, fakeEngine, samplesPlugin } from '../src/testing/index.js';

const samples: Sample[] = Array.from({ length: 40 }, (_, i) => ({ id: String(i), task: 't', prompt: `p${i}` }));

/** Listens to the per-request events the way a progress bar does. */
function listener() {
  const seen = { requests: [] as string[], samples: [] as string[] };
  const plugin = definePlugin({
    name: 'listener',
    version: '0.1.0',
    kind: 'reporter',
    core: '^0.1.0',
    apply: ({ hooks }) =>
      hooks.setup.tap('listener', (run) => {
        run.events.on('requestDone', ({ result }) => void seen.requests.push(result.text));
        run.events.on('sampleDone', ({ record }) => void seen.samples.push(record.sample.id));
      }),
  });
  return { plugin, seen };
}

describe('per-request events', () => {
  it('fire once per request and once per durably stored sample, with and without scorers', async () => {
    for (const scored of [false, true]) {
      const outDir = await mkdtemp(join(tmpdir(), 'ys-events-'));
      const config = resolveRootConfig({ concurrency: 4, warmup: { requests: 0 } }, { baseDir: process.cwd() });
      const kernel = new Kernel({ config, logger: silentLogger(), outDir, runId: 'events' });
      const { plugin, seen } = listener();
      kernel.use(enginePlugin(fakeEngine())).use(samplesPlugin({ b: samples })).use(plugin);
      if (scored) {
        kernel.use(
          definePlugin({
            name: 'scorer-len',
            version: '0.1.0',
            kind: 'scorer',
            core: '^0.1.0',
            apply: ({ hooks }) => hooks.score.tapPromise('scorer-len', async (card, s) => ({ ...card, metrics: { ...card.metrics, len: s.result.text.length } })),
          }),
        );
      }
      const summary = await kernel.run();
      expect(summary.status).toBe('completed');
      expect(seen.requests).toHaveLength(40);
      expect([...seen.samples].sort()).toEqual(samples.map((s) => s.id).sort());
      // Every sample announced as done is in the journal.
      const lines = (await readFile(join(outDir, 'journal.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as SampleRecord);
      expect(lines).toHaveLength(40);
      if (scored) expect(lines.every((r) => typeof r.score.metrics.len === 'number')).toBe(true);
    }
  });
});

describe('busy event loop warning', () => {
  const run = async (engine: ReturnType<typeof fakeEngine>, load?: { sweep: { concurrency: number[] } }) => {
    const outDir = await mkdtemp(join(tmpdir(), 'ys-busy-'));
    const config = resolveRootConfig({ concurrency: 4, warmup: { requests: 0 }, ...(load ? { load } : {}) }, { baseDir: process.cwd() });
    const kernel = new Kernel({ config, logger: silentLogger(), outDir, runId: 'busy' });
    kernel.use(enginePlugin(engine)).use(samplesPlugin({ b: samples }));
    return kernel.run();
  };
  const busyWarning = (warnings: string[]) => warnings.find((w) => w.includes("Yardstick's event loop was busy"));
  /** `ms` of synchronous work per request on the event loop, for the requests `spins` picks; `wait` ms before each first token. */
  const spinning = (ms: number, spins: (benchmark: string) => boolean = () => true, wait = 0) =>
    fakeEngine({
      firstTokenDelayMs: wait,
      reply: (request) => {
        if (!spins(request.benchmark)) return 'x';
        const until = performance.now() + ms;
        while (performance.now() < until);
        return 'x';
      },
    });

  it('warns when the client kept its event loop busy through the generate phase, not when it waited on the engine', async () => {
    // An engine that computes on the event loop.
    const spun = await run(spinning(6));
    expect(spun.system!.yardstick.event_loop_utilization!.mean).toBeGreaterThan(0.9);
    expect(spun.benchmarks.b!.system!.yardstick.event_loop_utilization!.mean).toBeGreaterThan(0.9);
    expect(busyWarning(spun.warnings)).toMatch(/^b: Yardstick's event loop was busy \d+% of its measured stretch/);

    const waiting = await run(fakeEngine({ firstTokenDelayMs: 15 }));
    expect(waiting.system!.yardstick.event_loop_utilization!.mean).toBeLessThan(0.5);
    expect(busyWarning(waiting.warnings)).toBeUndefined();
  });

  it('names the sweep step whose client was busy, and only that one', async () => {
    const swept = await run(
      // Both steps wait 15 ms for each first token; only the c=4 one also computes 20 ms per request.
      spinning(20, (benchmark) => benchmark === 'b[concurrency=4]', 15),
      { sweep: { concurrency: [1, 4] } },
    );
    const warned = swept.warnings.filter((w) => w.includes("Yardstick's event loop was busy"));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(/^b\[concurrency=4\]: /);
    expect(swept.benchmarks['b[concurrency=1]']!.system!.yardstick.event_loop_utilization!.mean).toBeLessThan(0.9);
  });
});
