import { appendFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { definePlugin, Kernel, JournalStore, resolveRootConfig, silentLogger, type Sample, type SampleRecord } from '../src/index.js';
import { SCORING_FAILED_PREFIX } from '../src/scoring-failure.js';
import { enginePlugin, fakeEngine, samplesPlugin } from '../src/testing/index.js';

const samples: Sample[] = Array.from({ length: 30 }, (_, i) => ({ id: `s${i}`, task: 't', prompt: `p${i}` }));

async function readAll(dir: string): Promise<SampleRecord[]> {
  const store = await JournalStore.open(dir);
  const out: SampleRecord[] = [];
  for await (const r of store.read()) out.push(r);
  await store.close();
  return out;
}

function kernelFor(outDir: string, engine = fakeEngine()) {
  const k = new Kernel({ config: resolveRootConfig({ concurrency: 3, warmup: { requests: 0 } }, { baseDir: process.cwd() }), logger: silentLogger(), outDir, runId: 'resume' });
  k.use(enginePlugin(engine)).use(samplesPlugin({ b: samples }));
  return { k, engine };
}

describe('results store and resume', () => {
  it('cuts a torn last line, skips finished samples and retries failed ones: no gaps, no duplicates', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ys-resume-'));
    // First attempt: interrupted after some samples; sample s1 failed.
    const first = fakeEngine({ chunkDelayMs: 15, chunkSize: 1, reply: (r) => (r.sampleId === 's1' ? new Error('HTTP 503') : `ok ${r.sampleId}`) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 400);
    const s1 = await kernelFor(dir, first).k.run({ signal: controller.signal });
    expect(s1.status).toBe('interrupted');
    const before = await readAll(dir);
    expect(before.length).toBeGreaterThan(3);
    expect(before.length).toBeLessThan(30);
    // Simulate kill -9 in the middle of a write.
    await appendFile(join(dir, 'journal.jsonl'), '{"runId":"resume","benchmark":"b","sample":{"id":"s2');

    const second = fakeEngine();
    const s2 = await kernelFor(dir, second).k.run({ resume: true });
    expect(s2.status).toBe('completed');
    const after = await readAll(dir);
    const ids = after.map((r) => r.sample.id).sort();
    expect(ids).toEqual(samples.map((s) => s.id).sort());
    expect(new Set(ids).size).toBe(30);
    // Only the unfinished and the failed ones were sent again.
    const finishedBefore = before.filter((r) => !r.result.error).map((r) => r.sample.id);
    expect(second.requests.map((r) => r.sampleId).sort()).toEqual(samples.map((s) => s.id).filter((id) => !finishedBefore.includes(id)).sort());
    expect(after.find((r) => r.sample.id === 's1')!.result.error).toBeUndefined();
    expect(s2.benchmarks.b!.n).toBe(30);
    expect(s2.benchmarks.b!.failed).toBe(0);
    // The journal is valid JSON lines throughout.
    const lines = (await readFile(join(dir, 'journal.jsonl'), 'utf8')).trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it("counts each attempt's own span as benchmark time, not the downtime between an interruption and its resume", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ys-resume-span-'));
    const slow = fakeEngine({ chunkDelayMs: 10, chunkSize: 1, reply: () => 'abcd' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const s1 = await kernelFor(dir, slow).k.run({ signal: controller.signal });
    expect(s1.status).toBe('interrupted');
    await new Promise((r) => setTimeout(r, 1500)); // the machine is down for 1.5 s
    const resumed = await kernelFor(dir, fakeEngine({ chunkDelayMs: 10, chunkSize: 1, reply: () => 'abcd' })).k.run({ resume: true });
    expect(resumed.status).toBe('completed');
    const records = await readAll(dir);
    // The first attempt's records carry no attempt; the resume's say 2.
    expect(records.some((r) => r.attempt === undefined)).toBe(true);
    expect(records.some((r) => r.attempt === 2)).toBe(true);
    expect(records.every((r) => r.attempt === undefined || r.attempt === 2)).toBe(true);
    const perf = resumed.benchmarks.b!.performance!;
    const first = records.filter((r) => r.attempt === undefined);
    const second = records.filter((r) => r.attempt === 2);
    const span = (rs: SampleRecord[]) => Math.max(...rs.map((r) => r.result.timing.sentAt + r.result.timing.doneMs)) - Math.min(...rs.map((r) => r.result.timing.sentAt));
    expect(perf.duration_s * 1000).toBeCloseTo(span(first) + span(second), 3);
    expect(perf.duration_s).toBeLessThan(1.5);
  });

  it('runs again on --resume a sample whose scorer threw (stored unscored the first time)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ys-resume-score-'));
    const scorer = (failOn: string | undefined) =>
      definePlugin({
        name: 'scorer-len',
        version: '0.1.0',
        kind: 'scorer',
        core: '^0.1.0',
        apply: ({ hooks }) =>
          hooks.score.tapPromise('scorer-len', async (card, s) => {
            if (s.sample.id === failOn) throw new Error('the sandbox went away');
            return { ...card, metrics: { ...card.metrics, len: s.result.text.length } };
          }),
      });
    const first = kernelFor(dir);
    first.k.use(scorer('s3'));
    expect((await first.k.run()).status).toBe('completed');
    const before = await readAll(dir);
    const s3 = before.find((r) => r.sample.id === 's3')!;
    expect(s3.score.reasons.kernel?.startsWith(SCORING_FAILED_PREFIX)).toBe(true);
    expect(s3.score.metrics.len).toBeUndefined();

    const second = kernelFor(dir);
    second.k.use(scorer(undefined));
    const summary = await second.k.run({ resume: true });
    expect(summary.status).toBe('completed');
    expect(second.engine.requests.map((r) => r.sampleId)).toEqual(['s3']);
    const after = await readAll(dir);
    expect(after).toHaveLength(30); // the journal's later record of s3 stands for it
    expect(after.find((r) => r.sample.id === 's3')!.score.metrics.len).toBeGreaterThan(0);
    expect(after.every((r) => r.score.metrics.len !== undefined)).toBe(true);
  });

  it('group-commits records durably and streams them back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ys-store-'));
    const store = await JournalStore.open(dir, { batchSize: 64 });
    const rec = (i: number): SampleRecord => ({
      runId: 'x', benchmark: 'b', index: i, sample: { id: String(i), task: 't' },
      result: { text: 'y', timing: { sentAt: 0, chunksMs: [], doneMs: 1 } },
      score: { metrics: {}, reasons: {}, details: {} }, finishedAt: '',
    });
    await Promise.all(Array.from({ length: 1000 }, (_, i) => store.append(rec(i))));
    let n = 0;
    for await (const r of store.read()) expect(r.index).toBe(n++);
    expect(n).toBe(1000);
    await store.close();
  });
});

describe('journal line endings', () => {
  it('keeps every record of a journal whose lines end in CRLF (an edited or copied file)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ys-crlf-'));
    const record = (i: number): SampleRecord => ({
      benchmark: 'b',
      sample: { id: `s${i}`, task: 't' },
      result: { text: `ok ${i}`, timing: { sentAt: 0, chunksMs: [], doneMs: 1 } },
      runId: 'crlf',
      index: i,
      score: { metrics: {}, reasons: {}, details: {} },
      finishedAt: new Date(0).toISOString(),
    });
    await appendFile(join(dir, 'journal.jsonl'), [0, 1, 2].map((i) => `${JSON.stringify(record(i))}\r\n`).join(''));
    const store = await JournalStore.open(dir);
    expect(store.resumedCount).toBe(3);
    await store.close();
    expect((await readAll(dir)).map((r) => r.sample.id)).toEqual(['s0', 's1', 's2']);
  });
});
