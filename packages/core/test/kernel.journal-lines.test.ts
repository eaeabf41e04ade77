import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kernel, resolveRootConfig, silentLogger, type Sample, type SampleRecord } from '../src/index.js';
import { enginePlugin, fakeEngine, samplesPlugin } from '../src/testing/index.js';

describe('journal lines of a phase without scorers that does not record prompts', () => {
  it('are canonical JSON without prompts, for cycled, multi-turn and single samples alike', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'ys-lines-'));
    const samples: Sample[] = [
      { id: 'a', task: 'serving', prompt: 'secret prompt a', metadata: { n: 1 } },
      { id: 'b', task: 'serving', messages: [{ role: 'user', content: 'secret message' }], turns: [{ messages: [{ role: 'user', content: 'secret turn' }] }] },
      { id: 'c', task: 'serving', messages: [{ role: 'user', content: 'secret chat' }] },
    ];
    const config = resolveRootConfig({ concurrency: 2, warmup: { requests: 0 }, load: { numRequests: 8 } }, { baseDir: process.cwd() });
    const summary = await new Kernel({ config, logger: silentLogger(), outDir, runId: 'lines' })
      .use(enginePlugin(fakeEngine()))
      .use(samplesPlugin({ s: samples }, { recordPrompts: false }))
      .run();
    expect(summary.status).toBe('completed');
    const lines = (await readFile(join(outDir, 'journal.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(8);
    for (const line of lines) expect(JSON.stringify(JSON.parse(line))).toBe(line);
    const parsed = lines.map((l) => JSON.parse(l) as SampleRecord);
    // (The fake engine echoes the prompt as its reply: only the sample must be prompt-less.)
    for (const r of parsed) expect(JSON.stringify(r.sample)).not.toContain('secret');
    expect(parsed.map((r) => r.sample.id).sort()).toEqual(['a', 'a~1', 'a~2', 'b', 'b~1', 'b~2', 'c', 'c~1']);
    expect(parsed.find((r) => r.sample.id === 'a~1')!.sample).toEqual({ id: 'a~1', task: 'serving', metadata: { n: 1 } });
    expect(parsed.find((r) => r.sample.id === 'b')!.turns).toHaveLength(1);
  });
});
