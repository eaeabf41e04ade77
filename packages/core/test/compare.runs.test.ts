import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compareRuns,
  diffFingerprints,
  fingerprintRun,
  hashFile,
  loadRuns,
  normalizeLaunch,
  renderComparisonCsv,
  renderComparisonMarkdown,
  type RunFingerprint,
  type RunSummary,
} from '../src/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const shared = process.env.YARDSTICK_SHARED ?? path.resolve(repoRoot, '../shared');

function dist(median: number) {
  return { mean: median, median, std: 0, p90: median, p95: median, p99: median };
}

function summary(name: string, accuracy: number, ci: [number, number], throughput: number, ttft: number, fingerprint?: RunFingerprint): RunSummary {
  return {
    runId: `run-${name}`,
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:01:00Z',
    status: 'completed',
    config: { name },
    engine: { name: 'llamacpp', version: 'b1', model: 'm', mode: 'launch', launch: 'llama-server' },
    plugins: {},
    benchmarks: {
      gsm8k: {
        n: 100, failed: 0, metrics: { exact_match: accuracy },
        aggregates: { exact_match: { mean: accuracy, ci95: ci, stderr: 0.01, n: 100 } },
      },
    },
    performance: {
      ttft_ms: dist(ttft), tpot_ms: dist(10), itl_ms: dist(10), e2el_ms: dist(100), decode_tokens_per_s: dist(100), output_tokens: dist(50),
      request_throughput: throughput / 50, output_throughput: throughput, total_token_throughput: throughput * 2, goodput: 1,
      completed: 100, failed: 0, errors: {}, duration_s: 10, total_input_tokens: 1000, total_output_tokens: 5000,
    },
    serverMetrics: { kv_cache_usage: { peak: 0.42, mean: 0.2, last: 0.1, samples: 5 } },
    extensions: {
      ...(fingerprint ? { fingerprint } : {}),
      // What an engine plugin stores after checkPlanAgainstLog (only the fields compare reads).
      'engine-llamacpp': { memory: { row: { reservedBytes: 1 }, report: { weightsBytes: 1171200, kvCacheBytes: 5 * 1024 * 1024, computeBytes: 3.52 * 1024 * 1024 } } },
    },
    warnings: [],
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ys-compare-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fingerprint', () => {
  it('hashes the model GGUF (streamed) and dataset files named in plugin options', async () => {
    // Published hashes: shared/models/PROVENANCE.md and shared/datasets/PROVENANCE.md.
    const gguf = await hashFile(path.join(shared, 'models/stories260K.gguf'));
    expect(gguf).toEqual({ sha256: '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d', sizeBytes: 1185376 });
    const fp = await fingerprintRun({
      config: {
        seed: 1234,
        generation: { maxTokens: 32, temperature: 0, seed: 5 },
        plugins: {
          'engine-llamacpp': { model: '../shared/models/stories260K.gguf', preset: 'balanced' },
          'benchmark-gsm8k': { path: '../shared/datasets/gsm8k/test.jsonl', limit: 10 },
        },
      },
      baseDir: repoRoot,
      yardstickVersion: '0.1.0',
      plugins: { 'engine-llamacpp': '0.1.0', 'benchmark-gsm8k': '0.1.0' },
      engine: { name: 'llamacpp', version: 'de3ff81', model: 'stories260K', mode: 'launch', launch: 'llama-server -m … --parallel 4' },
      varied: { preset: 'balanced' },
    });
    expect(fp.model).toMatchObject({ id: '../shared/models/stories260K.gguf', sha256: gguf.sha256, sizeBytes: 1185376 });
    expect(fp.datasets['../shared/datasets/gsm8k/test.jsonl']).toEqual({
      sha256: '3730d312f6e3440559ace48831e51066acaca737f6eabec99bccb9e4b3c39d14', sizeBytes: 749738,
    });
    expect(fp.seeds).toEqual({ seed: 1234, generationSeed: 5 });
    expect(fp.settings['plugins.benchmark-gsm8k.limit']).toBe(10);
    expect(fp.settings.seed).toBeUndefined();
    expect(fp.engine).toEqual({ name: 'llamacpp', version: 'de3ff81', launch: 'llama-server -m … --parallel 4' });
    // Free ports picked at start are not a difference between runs.
    expect(normalizeLaunch('llama-server -m m.gguf --host 127.0.0.1 --port 36907 -np 4')).toBe('llama-server -m m.gguf --host 127.0.0.1 --port * -np 4');
    // Files a benchmark resolved and read itself are hashed under their last three path segments
    // (alike from any folder); a file an option already named is listed once, under datasets.
    const withTrain = await fingerprintRun({
      config: { plugins: { 'benchmark-gsm8k': { path: '../shared/datasets/gsm8k/test.jsonl' } } },
      baseDir: repoRoot, yardstickVersion: '0.1.0', plugins: {},
      datasetFiles: [path.join(shared, 'datasets/gsm8k/test.jsonl'), path.join(shared, 'datasets/gsm8k/train.jsonl')],
    });
    expect(Object.keys(withTrain.datasets)).toEqual(['../shared/datasets/gsm8k/test.jsonl']);
    expect(withTrain.dataFiles).toEqual({ 'datasets/gsm8k/train.jsonl': { sha256: '17f347dc51477c50d4efb83959dbb7c56297aba886e5544ee2aaed3024813465', sizeBytes: expect.any(Number) } });
    // Compared only where both runs read the file: a run without few-shot reads no train file.
    const noTrain = structuredClone(withTrain);
    delete noTrain.dataFiles;
    expect(diffFingerprints(withTrain, noTrain)).toEqual([]);
    const changed = structuredClone(withTrain);
    changed.dataFiles!['datasets/gsm8k/train.jsonl']!.sha256 = 'f00';
    expect(diffFingerprints(withTrain, changed).map((d) => d.key)).toEqual(['dataFiles[datasets/gsm8k/train.jsonl]']);

    const other = structuredClone(fp);
    other.settings['plugins.engine-llamacpp.preset'] = 'performance';
    other.engine!.launch = 'llama-server -m … --parallel 8';
    other.seeds.seed = 99;
    expect(diffFingerprints(fp, other).map((d) => d.key)).toEqual(['engine.launch', 'seeds.seed', 'settings.plugins.engine-llamacpp.preset']);
  });
});

describe('compare', () => {
  it('marks the baseline, checks quality within 5% and computes the speed-up', async () => {
    const fp = (preset: string, seed = 1): RunFingerprint => ({
      version: 1, yardstick: '0.1.0', node: 'v20', model: { id: 'm', sha256: 'abc' }, datasets: { 'd.jsonl': { sha256: 'd1', sizeBytes: 1 } },
      engine: { name: 'llamacpp', version: 'b1', launch: `llama-server ${preset}` }, plugins: { x: '0.1.0' }, seeds: { seed },
      settings: { 'plugins.engine-llamacpp.preset': preset }, varied: { preset },
    });
    const runs = [
      ['a-balanced', summary('balanced', 0.8, [0.72, 0.88], 100, 50, fp('balanced'))],
      ['b-performance', summary('performance', 0.78, [0.7, 0.86], 180, 40, fp('performance'))],
      ['c-memory', summary('memory_optimized', 0.6, [0.5, 0.7], 90, 60, fp('memory_optimized', 2))],
    ] as const;
    const matrixDir = path.join(dir, 'matrix');
    for (const [sub, s] of runs) {
      await mkdir(path.join(matrixDir, sub), { recursive: true });
      await writeFile(path.join(matrixDir, sub, 'summary.json'), JSON.stringify(s));
    }
    const loaded = await loadRuns([matrixDir]);
    expect(loaded.map((r) => r.label)).toEqual(['balanced', 'performance', 'memory_optimized']);
    const c = compareRuns(loaded);
    expect(c.rows[0]!.baseline).toBe(true);
    const perf = c.rows[1]!;
    expect(perf.quality.gsm8k!.exact_match!.relative).toBeCloseTo(-0.025, 10);
    expect(perf.verdict).toMatchObject({ qualityOk: true, speedup: 1.8, ttftSpeedup: 1.25 });
    const mem = c.rows[2]!;
    expect(mem.verdict!.qualityOk).toBe(false);
    expect(mem.verdict!.worst).toMatchObject({ benchmark: 'gsm8k', metric: 'exact_match', significant: true });
    expect(mem.verdict!.worst!.relative).toBeCloseTo(-0.25, 10);
    // The preset is the varied option; the memory run also changed the seed, which is flagged.
    expect(c.warnings).toEqual(['memory_optimized differs from baseline balanced in seeds.seed: 1 → 2']);
    // --baseline by label, and a tighter tolerance.
    const strict = compareRuns(loaded, { baseline: 'performance', tolerance: 0.01 });
    expect(strict.baselineIndex).toBe(1);
    expect(strict.rows[0]!.verdict!.qualityOk).toBe(true); // 0.8 vs 0.78 is a gain

    const md = renderComparisonMarkdown(c);
    expect(md).toContain('| balanced (baseline) |');
    expect(md).toContain('0.780 [0.700, 0.860] (-2.5%)');
    expect(md).toContain('1.80× throughput');
    expect(c.rows[0]!.performance.memoryBytes).toBe(1171200 + 5 * 1024 * 1024 + 3.52 * 1024 * 1024);
    expect(md).toContain('| 9.64 MiB |');
    const csv = renderComparisonCsv(c).split('\n');
    expect(csv[0]).toBe('configuration,baseline,kind,benchmark,metric,value,ci95_low,ci95_high,n,relative_to_baseline');
    expect(csv).toContain('performance,false,quality,gsm8k,exact_match,0.78,0.7,0.86,100,-0.025000000000000022');
    expect(csv).toContain('performance,false,verdict,,speedup,1.8,,,,');
  });

  it('warns about runs without fingerprints and fails clearly on a folder without summaries', async () => {
    const one = path.join(dir, 'single');
    await mkdir(one, { recursive: true });
    await writeFile(path.join(one, 'summary.json'), JSON.stringify(summary('solo', 0.5, [0.4, 0.6], 10, 10)));
    const c = compareRuns(await loadRuns([one]));
    expect(c.warnings).toEqual(['solo: no fingerprint in summary.json, reproducibility not checked']);
    const empty = path.join(dir, 'empty');
    await mkdir(empty, { recursive: true });
    await expect(loadRuns([empty])).rejects.toThrow(/No summary.json/);
  });
});
