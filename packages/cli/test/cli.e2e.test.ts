import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, SHARED, TINY_MODEL, yardstick } from './helpers.js';

async function tinyConfig(extra: Record<string, unknown> = {}): Promise<{ dir: string; config: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ys-e2e-'));
  const config = join(dir, 'yardstick.config.json');
  await writeFile(
    config,
    JSON.stringify({
      generation: { maxTokens: 12, temperature: 0 },
      plugins: {
        'engine-llamacpp': { model: TINY_MODEL, mode: 'in-process', threads: 1 },
        'benchmark-gsm8k': { path: join(SHARED, 'datasets/gsm8k/test.jsonl'), fewshotPath: join(SHARED, 'datasets/gsm8k/train.jsonl'), numFewshot: 1 },
        'scorer-gsm8k': {},
        'reporter-console': false,
      },
      ...extra,
    }),
  );
  return { dir, config };
}

const lines = async (file: string) => (await readFile(file, 'utf8')).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('yardstick run, end to end on the real tiny model and real GSM8K rows', () => {
  it('writes summary.json, samples.jsonl, the log and the reports', async () => {
    const { dir, config } = await tinyConfig({ limit: 3 });
    const out = join(dir, 'out');
    const r = await yardstick(['run', '--config', config, '--out', out, '--set', 'concurrency=1', '--slo', 'ttft=60000,e2el=120000', '--save-detailed']);
    expect(r.exitCode, r.all).toBe(0);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    // --slo lands in the config and in goodput: generous objectives, so every request meets them.
    expect(summary.config.slo).toEqual({ ttft: 60000, e2el: 120000 });
    expect(summary.performance.slo).toEqual({ ttft: 60000, e2el: 120000 });
    expect(summary.performance.goodput).toBe(summary.performance.request_throughput);
    expect(summary.runId).toMatch(/^\d{8}-\d{6}-[0-9a-f]{6}$/);
    expect(summary.status).toBe('completed');
    expect(summary.engine.name).toBe('llama.cpp');
    expect(summary.engine.model).toBe(TINY_MODEL);
    expect(summary.engine.launch).toContain('in-process');
    expect(summary.plugins['benchmark-gsm8k']).toBe('0.1.0');
    const gsm = summary.benchmarks['benchmark-gsm8k'];
    expect(gsm.n).toBe(3);
    expect(typeof gsm.metrics.exact_match_strict).toBe('number');
    expect(typeof gsm.metrics.exact_match_flexible).toBe('number');
    expect(summary.config.limit).toBe(3);
    const samples = await lines(join(out, 'samples.jsonl'));
    expect(samples).toHaveLength(3);
    expect(existsSync(join(out, 'yardstick.log'))).toBe(true);
    expect(existsSync(join(out, 'report.md'))).toBe(true);
    expect(existsSync(join(out, 'samples.csv'))).toBe(true);
    // --save-detailed: vLLM's per-request arrays beside the aggregates, one entry per request.
    const vllm = JSON.parse(await readFile(join(out, 'vllm-bench.benchmark-gsm8k.json'), 'utf8'));
    expect(vllm.completed).toBe(3);
    expect(vllm.generated_texts).toEqual(samples.map((s) => (s.result as { text: string }).text));
    expect(vllm.itls).toHaveLength(3);
  });

  it('--resume after kill -9 finishes the run: nothing done twice, nothing lost', async () => {
    const { dir, config } = await tinyConfig({ limit: 8, generation: { maxTokens: 48, temperature: 0 } });
    const out = join(dir, 'out');
    const child = execa('node', [BIN, 'run', '--config', config, '--out', out, '--quiet'], { reject: false, stdin: 'ignore' });
    const journal = join(out, 'journal.jsonl');
    // Wait until at least two samples are durable, then kill without warning.
    for (let i = 0; i < 600; i++) {
      if (existsSync(journal) && (await readFile(journal, 'utf8')).split('\n').filter(Boolean).length >= 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    await child;
    const before = await lines(journal);
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(before.length).toBeLessThan(8);
    const resumed = await yardstick(['run', '--resume', out, '--quiet']);
    expect(resumed.exitCode, resumed.all).toBe(0);
    const records = await lines(join(out, 'samples.jsonl'));
    const ids = records.map((r) => (r.sample as { id: string }).id);
    expect(ids.sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    // The journal holds each sample exactly once: finished ones were not redone.
    const journalIds = (await lines(journal)).map((r) => (r.sample as { id: string }).id);
    expect(new Set(journalIds).size).toBe(journalIds.length);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(summary.benchmarks['benchmark-gsm8k'].n).toBe(8);
    expect(JSON.parse(await readFile(join(out, 'run.json'), 'utf8')).status).toBe('completed');
  });

  it('yardstick score: GSM8K reference answers score 1.0 on both filters without an engine', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ys-score-'));
    const rows = (await readFile(join(SHARED, 'datasets/gsm8k/test.jsonl'), 'utf8')).trim().split('\n').slice(0, 50);
    const preds = rows.map((l, i) => JSON.stringify({ id: String(i), output: (JSON.parse(l) as { answer: string }).answer }));
    preds.push(JSON.stringify({ id: 'not-a-row', output: '1' }));
    await writeFile(join(dir, 'preds.jsonl'), `${preds.join('\n')}\n`);
    const out = join(dir, 'out');
    const r = await yardstick(['score', '--benchmark', 'gsm8k', '--predictions', join(dir, 'preds.jsonl'), '--out', out, '--set', `path=${join(SHARED, 'datasets/gsm8k/test.jsonl')}`, '--set', 'numFewshot=0', '--quiet']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stderr).toContain('1 prediction id(s) match no sample');
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    const gsm = summary.benchmarks['benchmark-gsm8k'];
    expect(gsm.n).toBe(50);
    expect(gsm.metrics.exact_match_strict).toBe(1);
    expect(gsm.metrics.exact_match_flexible).toBe(1);
    expect(await lines(join(out, 'samples.jsonl'))).toHaveLength(50);
  });

  it('a malformed predictions line is a user error naming the file and line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ys-score-'));
    await writeFile(join(dir, 'bad.jsonl'), '{"id": "0", "output": "1"}\n{oops\n');
    const r = await yardstick(['score', '--benchmark', 'gsm8k', '--predictions', join(dir, 'bad.jsonl'), '--out', join(dir, 'o'), '--quiet']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('bad.jsonl:2: not valid JSON');
  });

  it('a matrix runs each configuration in turn and writes the comparison, with fingerprints', async () => {
    const { dir, config } = await tinyConfig({ limit: 2, matrix: { options: { concurrency: [1, 2] } }, generation: { maxTokens: 8, temperature: 0 } });
    const out = join(dir, 'out');
    const r = await yardstick(['run', '--config', config, '--out', out, '--quiet']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toContain('concurrency=1 (baseline)');
    expect(existsSync(join(out, 'comparison.md'))).toBe(true);
    const cell = JSON.parse(await readFile(join(out, '02-concurrency=2', 'summary.json'), 'utf8'));
    expect(cell.config.concurrency).toBe(2);
    expect(cell.extensions.matrix.vars).toEqual({ concurrency: 2 });
    expect(cell.fingerprint.model.sha256).toBe('270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d');
  });
});
