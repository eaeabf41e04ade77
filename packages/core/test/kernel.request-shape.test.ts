import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kernel, resolveRootConfig, silentLogger, type Engine, type GenerateRequest, type Sample } from '../src/index.js';
import { enginePlugin, fakeEngine, samplesPlugin } from '../src/testing/index.js';

/**
 * Every request the kernel builds (root warm-up, phase warm-up, measured, repeated attempts,
 * conversation turns) has the same keys in the same order per kind: objects of one shape keep the
 * request path's property accesses monomorphic (spread-built warm-up requests once made them
 * megamorphic for a whole run).
 */
describe('request shape', () => {
  it('is one key order per request kind, whichever path built the request', async () => {
    const seen: GenerateRequest[] = [];
    const inner = fakeEngine();
    const engine: Engine = { ...inner, generate: (request, signal) => (seen.push(request), inner.generate(request, signal)) };
    const completions: Sample[] = Array.from({ length: 4 }, (_, i) => ({ id: `c${i}`, task: 't', prompt: `p${i}` }));
    const chats: Sample[] = [
      { id: 'm0', task: 't', messages: [{ role: 'user', content: 'hi' }] },
      { id: 'm1', task: 't', messages: [{ role: 'system', content: 's' }], turns: [{ messages: [{ role: 'user', content: 'a' }] }, { messages: [{ role: 'user', content: 'b' }] }] },
    ];
    const dir = await mkdtemp(join(tmpdir(), 'ys-shape-'));
    const config = resolveRootConfig({ concurrency: 2, warmup: { requests: 3 }, load: { warmupSeconds: 0.05 } }, { baseDir: process.cwd() });
    const summary = await new Kernel({ config, logger: silentLogger(), outDir: dir, runId: 'shape' })
      .use(enginePlugin(engine))
      .use(samplesPlugin({ completions, chats }))
      .run();
    expect(summary.status).toBe('completed');
    const keysOf = (kind: string) => new Set(seen.filter((r) => r.kind === kind).map((r) => Object.keys(r).join(',')));
    expect(keysOf('completion')).toEqual(new Set(['requestId,benchmark,sampleId,kind,prompt,tools,params,warmup']));
    expect(keysOf('chat')).toEqual(new Set(['requestId,benchmark,sampleId,kind,messages,tools,params,warmup']));
    // All the paths were taken: the root warm-up, the phase warm-up, measured requests and conversation turns.
    expect(seen.some((r) => r.benchmark === 'warmup')).toBe(true);
    expect(seen.some((r) => r.warmup && r.benchmark !== 'warmup')).toBe(true);
    expect(seen.some((r) => r.requestId.endsWith('#1'))).toBe(true);
  });

  it('sends a conversation the same first request from the root warm-up as from a phase warm-up', async () => {
    const seen: GenerateRequest[] = [];
    const inner = fakeEngine();
    const engine: Engine = { ...inner, generate: (request, signal) => (seen.push(request), inner.generate(request, signal)) };
    const chats: Sample[] = [{ id: 'm', task: 't', messages: [{ role: 'system', content: 's', tag: 'sys' }], turns: [{ messages: [{ role: 'user', content: 'a' }] }, { messages: [{ role: 'user', content: 'b' }] }] }];
    const dir = await mkdtemp(join(tmpdir(), 'ys-shape-'));
    const config = resolveRootConfig({ concurrency: 1, warmup: { requests: 1 }, load: { warmupSeconds: 0.02 } }, { baseDir: process.cwd() });
    const summary = await new Kernel({ config, logger: silentLogger(), outDir: dir, runId: 'shape' }).use(enginePlugin(engine)).use(samplesPlugin({ chats })).run();
    expect(summary.status).toBe('completed');
    const root = seen.find((r) => r.benchmark === 'warmup');
    const phase = seen.find((r) => r.warmup && r.benchmark !== 'warmup');
    const firstTurn = [{ role: 'system', content: 's' }, { role: 'user', content: 'a' }];
    expect(root?.kind === 'chat' && root.messages).toEqual(firstTurn);
    expect(phase?.kind === 'chat' && phase.messages).toEqual(firstTurn);
  });
});
