import { describe, expect, it } from 'vitest';
import { STAGE, definePlugin, isYardstickError, type Sample } from '../src/index.js';
import { collectingReporter, fakeEngine, runTestKernel } from '../src/testing/index.js';

const samples = (n: number): Sample[] => Array.from({ length: n }, (_, i) => ({ id: String(i), task: 'echo', prompt: `question ${i}`, target: `question ${i}`.slice(-20) }));

const exactScorer = definePlugin({
  name: 'scorer-exact',
  version: '0.1.0',
  kind: 'scorer',
  core: '^0.1.0',
  apply: ({ hooks }) =>
    hooks.score.tapPromise('scorer-exact', async (card, scored) => ({ ...card, metrics: { ...card.metrics, exact: scored.result.text === scored.sample.target ? 1 : 0 } })),
});

describe('kernel lifecycle', () => {
  it('runs setup → warmup → generate → score → report → teardown in order and aggregates', async () => {
    const reporter = collectingReporter();
    const engine = fakeEngine();
    const { summary, records } = await runTestKernel({ engine, samples: { echo: samples(5) }, plugins: [exactScorer, reporter], config: { concurrency: 2, warmup: { requests: 2 } } });
    expect(reporter.collected.events).toEqual(['setup', 'warmup', 'score', 'report', 'teardown']);
    expect(engine.started).toBe(1);
    expect(engine.stopped).toBe(1);
    // 2 warm-up requests reached the engine but were not stored
    expect(engine.requests.filter((r) => r.warmup)).toHaveLength(2);
    expect(records).toHaveLength(5);
    expect(summary.status).toBe('completed');
    expect(summary.benchmarks.echo!.n).toBe(5);
    expect(summary.benchmarks.echo!.metrics.exact).toBe(1);
    // 5/5 passes: the Wilson interval stays honest about n = 5.
    expect(summary.benchmarks.echo!.aggregates.exact!.ci95[1]).toBe(1);
    expect(summary.benchmarks.echo!.aggregates.exact!.ci95[0]).toBeCloseTo(0.5655, 3);
    expect(summary.engine?.name).toBe('fake');
    expect(summary.performance?.completed).toBe(5);
  });

  it('runs teardown and report after a failing setup, with the plugin and hook named', async () => {
    const reporter = collectingReporter();
    const broken = definePlugin({
      name: 'benchmark-broken',
      version: '0.1.0',
      kind: 'benchmark',
      core: '^0.1.0',
      apply: ({ hooks }) =>
        hooks.setup.tapPromise('benchmark-broken', async () => {
          throw new Error('dataset exploded');
        }),
    });
    const engine = fakeEngine();
    const { summary } = await runTestKernel({ engine, plugins: [broken, reporter] });
    expect(summary.status).toBe('failed');
    expect(summary.error?.message).toContain('[benchmark-broken › setup] dataset exploded');
    expect(reporter.collected.events).toContain('teardown');
    expect(reporter.collected.teardownError?.message).toContain('dataset exploded');
    expect(engine.stopped).toBe(1);
  });

  it('records a failed request per sample and keeps the others', async () => {
    const engine = fakeEngine({ reply: (r) => (r.sampleId === '2' ? new Error('HTTP 500: boom') : 'ok') });
    const { summary, records } = await runTestKernel({ engine, samples: { echo: samples(4) } });
    expect(records).toHaveLength(4);
    expect(records.find((r) => r.sample.id === '2')!.result.error?.message).toContain('boom');
    expect(summary.benchmarks.echo!.failed).toBe(1);
    expect(summary.status).toBe('completed');
  });

  it('applies hook timeouts with a coded error', async () => {
    const slow = definePlugin({
      name: 'benchmark-slow',
      version: '0.1.0',
      kind: 'benchmark',
      core: '^0.1.0',
      apply: ({ hooks }) => hooks.setup.tapPromise({ name: 'benchmark-slow', stage: STAGE.POST }, () => new Promise((r) => setTimeout(r, 2000))),
    });
    const { summary } = await runTestKernel({ engine: fakeEngine(), plugins: [slow], config: { timeouts: { setup: 50 } } });
    expect(summary.error?.code).toBe('YS_HOOK_TIMEOUT');
    expect(summary.error?.message).toContain('benchmark-slow');
  });

  it('a generate timeout records YS_HOOK_TIMEOUT and aborts the request itself (run.signal of that call)', async () => {
    const aborted: string[] = [];
    const slowEngine = definePlugin({
      name: 'engine-slow',
      version: '0.1.0',
      kind: 'engine',
      core: '^0.1.0',
      apply: ({ hooks }) =>
        hooks.generate.tapPromise({ name: 'engine-slow', stage: STAGE.PRE }, (request, run) =>
          new Promise((resolve, reject) => {
            const timer = setTimeout(() => resolve({ text: 'late', timing: { sentAt: 0, chunksMs: [], doneMs: 2000 } }), 2000);
            run.signal.addEventListener('abort', () => {
              clearTimeout(timer);
              aborted.push(request.sampleId);
              reject(new Error('aborted by the timeout'));
            });
          }),
        ),
    });
    const started = performance.now();
    const { summary, records } = await runTestKernel({ engine: fakeEngine(), plugins: [slowEngine], samples: { echo: samples(2) }, config: { timeouts: { generate: 50 } } });
    expect(performance.now() - started).toBeLessThan(1500); // nothing waited for the 2 s replies
    expect(records.map((r) => r.result.error?.code)).toEqual(['YS_HOOK_TIMEOUT', 'YS_HOOK_TIMEOUT']);
    expect(aborted.sort()).toEqual(records.map((r) => r.sample.id).sort());
    expect(summary.status).toBe('completed');
  });

  it('after a run of timeouts, a failed engine health check stops the run (a frozen engine); a passing one lets it go on (a slow engine)', async () => {
    // An engine that never answers until its request is aborted, as a SIGSTOPped server.
    const frozen = (health: string | undefined) => {
      const base = fakeEngine();
      let checks = 0;
      return {
        engine: {
          ...base,
          generate: (_request: unknown, signal: AbortSignal) =>
            new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true })),
          health: async () => {
            checks++;
            return health;
          },
        },
        checks: () => checks,
      };
    };
    const stopped = frozen('GET /health got no answer within 5000 ms (UND_ERR_HEADERS_TIMEOUT)');
    const { summary, records } = await runTestKernel({ engine: stopped.engine, samples: { echo: samples(40) }, config: { timeouts: { generate: 20 } } });
    expect(summary.status).toBe('failed');
    expect(summary.error?.code).toBe('YS_ENGINE_UNAVAILABLE');
    expect(summary.error?.message).toMatch(/5 requests in a row timed out and its health check failed \(GET \/health got no answer/);
    expect(records.length).toBeLessThan(40);
    expect(stopped.checks()).toBe(1);

    const slow = frozen(undefined);
    const alive = await runTestKernel({ engine: slow.engine, samples: { echo: samples(12) }, config: { timeouts: { generate: 20 } } });
    expect(alive.summary.status).toBe('completed');
    expect(alive.records).toHaveLength(12);
    expect(slow.checks()).toBe(2); // after the 5th and the 10th timeout in a row

    // Requests answered by a generate tap without any engine registered: nothing to check, no crash.
    const tapOnly = definePlugin({
      name: 'generate-tap',
      version: '0.1.0',
      kind: 'engine',
      core: '^0.1.0',
      apply: ({ hooks }) =>
        hooks.generate.tapPromise({ name: 'generate-tap', stage: STAGE.PRE }, (_request, run) => new Promise((_, reject) => run.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }))),
    });
    const noEngine = await runTestKernel({ plugins: [tapOnly], samples: { echo: samples(8) }, config: { timeouts: { generate: 20 } } });
    expect(noEngine.summary.status).toBe('completed');
    expect(noEngine.records.every((r) => r.result.error?.code === 'YS_HOOK_TIMEOUT')).toBe(true);
  });

  it('a promise tap that throws before returning its promise fails that request, and the run goes on', async () => {
    const throwing = definePlugin({
      name: 'engine-throwing',
      version: '0.1.0',
      kind: 'engine',
      core: '^0.1.0',
      apply: ({ hooks }) => {
        // Not the first tap: tapable leaves a later tap's synchronous throw unhandled.
        hooks.generate.tapPromise({ name: 'engine-throwing:first', stage: STAGE.PRE }, async () => undefined);
        hooks.generate.tapPromise({ name: 'engine-throwing', stage: STAGE.PRE }, (request) => {
          if (request.sampleId === '1') throw new Error('thrown synchronously');
          return Promise.resolve(undefined);
        });
      },
    });
    const { summary, records } = await runTestKernel({ engine: fakeEngine(), plugins: [throwing], samples: { echo: samples(3) } });
    expect(summary.status).toBe('completed');
    expect(records.find((r) => r.sample.id === '1')!.result.error?.message).toContain('thrown synchronously');
    expect(records.filter((r) => !r.result.error)).toHaveLength(2);
  });

  it('timeouts on the once-per-run hooks keep the run object itself, and teardown still stops the engine', async () => {
    const seen: unknown[] = [];
    const probe = definePlugin({
      name: 'reporter-probe',
      version: '0.1.0',
      kind: 'reporter',
      core: '^0.1.0',
      apply: ({ hooks }) => {
        hooks.setup.tapPromise({ name: 'reporter-probe' }, async (run) => void seen.push(run));
        hooks.report.tapPromise({ name: 'reporter-probe' }, async (_summary, run) => void seen.push(run));
        hooks.teardown.tapPromise({ name: 'reporter-probe' }, async (run) => void seen.push(run));
      },
    });
    const engine = fakeEngine();
    const { summary } = await runTestKernel({ engine, plugins: [probe], samples: { echo: samples(2) }, config: { timeouts: { setup: 5000, report: 5000, teardown: 5000, generate: 5000, score: 5000 } } });
    expect(summary.status).toBe('completed');
    expect(engine.stopped).toBe(1);
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(1); // one run object from setup to teardown
  });

  it('generates conversation turns in order with the history so far', async () => {
    const engine = fakeEngine({ reply: (r) => `reply${r.messages!.filter((m) => m.role === 'user').length}` });
    const convo: Sample = {
      id: 'c1',
      task: 'conversation',
      turns: [
        { messages: [{ role: 'system', content: 'CONTEXT', tag: 'rag' }, { role: 'user', content: 'q1' }] },
        { messages: [{ role: 'user', content: 'q2' }], drop: ['rag'] },
      ],
    };
    const { records } = await runTestKernel({ engine, samples: { convo: [convo] } });
    expect(records[0]!.turns!.map((t) => t.text)).toEqual(['reply1', 'reply2']);
    const second = engine.requests[1]!.messages!;
    expect(second.map((m) => m.content)).toEqual(['q1', 'reply1', 'q2']);
    expect(second.some((m) => 'tag' in m)).toBe(false);
  });

  it('interrupts cleanly: summary marked interrupted, finished samples kept', async () => {
    const engine = fakeEngine({ chunkDelayMs: 20, chunkSize: 1 });
    const controller = new AbortController();
    const { createTestKernel } = await import('../src/testing/index.js');
    const t = await createTestKernel({ engine, samples: { echo: samples(50) } });
    setTimeout(() => controller.abort(), 600);
    const { summary, records } = await t.run(controller.signal);
    expect(summary.status).toBe('interrupted');
    expect(records.length).toBeGreaterThan(0);
    expect(records.length).toBeLessThan(50);
    expect(records.every((r) => !r.result.error)).toBe(true);
    expect(engine.stopped).toBe(1);
    expect(isYardstickError((summary as unknown as { cause: unknown }).cause)).toBe(true);
  });
});
