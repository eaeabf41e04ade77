import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import plugin, { collectGallery, renderMarkdown } from '../src/index.js';
import { applyPlugin, makeRecord, makeRun, makeSummary, makeSweepWithSystem } from '@yardstick/core/testing';

async function report(options: Record<string, unknown> = {}, records?: Parameters<typeof makeRun>[0], summary = makeSummary()): Promise<string> {
  const { run, hooks, outDir, store } = await makeRun(records);
  await applyPlugin(plugin, hooks, options);
  await hooks.report.promise(summary, run);
  await store.close();
  return readFile(join(outDir, (options.file as string | undefined) ?? 'report.md'), 'utf8');
}

describe('reporter-markdown', () => {
  it('writes a header with run id, engine, model, launch command and dates', async () => {
    const md = await report();
    expect(md.startsWith('# Yardstick report: run-test\n')).toBe(true);
    expect(md).toMatch(/\| Run +\| `run-test` +\|/);
    expect(md).toMatch(/\| Finished +\| 2026-11-22T06:01:30.500Z \(1m 30s\) +\|/);
    expect(md).toMatch(/\| Launch +\| `node-llama-cpp threads=1 model=\/work\/shared\/models\/stories260K.gguf` +\|/);
    expect(md).toMatch(/\| Engine +\| engine-llamacpp 0.1.0 \(in-process\) +\|/);
  });

  it('has per-benchmark metrics with CI, categories, performance, server metrics and warnings', async () => {
    const md = await report();
    expect(md).toMatch(/\| gsm8k +\| +6 \| +1 \| exact_match_strict +\| 0\.5000 \| \[0\.0999, 0\.9001\] \| +– \|/);
    expect(md).toContain('## gsm8k\n\nn = 6 · failed = 1');
    expect(md).toMatch(/\| exact_match_flex +\| \*\*0\.6667\*\* \| \[0\.2895, 1\.0000\] \| 0\.1924 \| +6 \|/);
    expect(md).toMatch(/\| load +\| closed loop, 4 in flight +\|/);
    expect(md).toMatch(/\| hard +\| +3 \| 0\.3333 \[0\.0000, 0\.8667\] \|/);
    expect(md).toMatch(/\| TTFT \(ms\) +\| 41\.50 \| +37\.35 \|/);
    expect(md).toMatch(/\| request goodput \(req\/s\) +\| +11\.00 \|/);
    expect(md).toMatch(/\| prefix_cache_hit_rate \| +0\.4200 \|/);
    expect(md).toContain('### Server metrics\n\nvllm · 12 scrapes over 61.0 s.');
    expect(md).toMatch(/\| kv_cache_usage +\| +\| 0\.0800 \| 0\.1300 \| 0\.0100 \|/);
    expect(md).toContain('_not exposed by this server: request_aborted_');
    expect(md).toContain('## Warnings\n\n- client lag p99 12.0 ms exceeded 5 ms');
    expect(md).not.toContain('## Whole run'); // one serving benchmark: not repeated
    expect(md).toContain('Goodput counts requests meeting every SLO: ttft ≤ 200 ms, tpot ≤ 50 ms.');
    expect(md).toContain('Token counts: 1 of 4 requests differ between server usage and the tokenizer count');
    expect(md).toMatch(/## System\n\nSampled every 1000 ms during generation \(90 samples\)\./);
    expect(md).toContain("Yardstick's event loop was busy 25.0% of the time (peak interval 50.0%): under 90%, the client kept up.");
    expect(md).toMatch(/\| engine server \(pid 4242\) \| +97\.5 \| +101\.2 \| +210\.4 \| +230\.9 \|/);
  });

  it('shows a gallery of the first failures and successes with excerpts and reasons', async () => {
    const md = await report({ gallery: 1 });
    const gsm = md.slice(md.indexOf('## gsm8k'), md.indexOf('## serving'));
    expect(gsm).toContain('#### First 1 failure\n\n**✗ `gsm8k-1`** · exact_match_strict = 0.0000 · easy');
    expect(gsm).toContain('- scorer-gsm8k: expected 2, got nothing');
    expect(gsm).toContain('#### First 1 success\n\n**✓ `gsm8k-0`** · exact_match_strict = 1.0000 · easy');
    expect(gsm).toContain('```text\nThe answer is 0.\n#### 0\n```');
    // the serving benchmark has no metrics and no failures: no gallery
    expect(md.slice(md.indexOf('## serving'))).not.toContain('### Samples');
    expect(await report({ gallery: 0 })).not.toContain('### Samples');
  });

  it('keeps tables and fences intact with hostile text, and cuts long prompts at their end', async () => {
    const long = `${'few-shot example. '.repeat(100)}Real question | with pipe?`;
    const rec = makeRecord('gsm8k', 0, { score: 0, prompt: long, text: 'text with ```fence``` inside' });
    rec.score.reasons = { s: 'a | b\nc' };
    const md = await report({ excerptChars: 60 }, [rec]);
    expect(md).toContain('…');
    expect(md).toContain('Real question | with pipe?\n```\n');
    expect(md).toContain('````text\ntext with ```fence``` inside\n````');
    expect(md).toContain('- s: a \\| b c');
    expect(md).not.toContain('few-shot example. '.repeat(10));
  });

  it('compares several serving benchmarks in one table', async () => {
    const summary = makeSummary();
    const perf = summary.benchmarks.serving!.performance!;
    summary.benchmarks = {
      'serving[rate=1]': { n: 4, failed: 0, metrics: {}, aggregates: {}, performance: perf },
      'serving[rate=8]': { n: 4, failed: 2, metrics: {}, aggregates: {}, performance: { ...perf, failed: 2, request_throughput: 7.9 } },
    };
    const md = renderMarkdown(summary, { excerptChars: 100, galleries: new Map() });
    expect(md).toContain('## Serving comparison\n\nTimes in ms.');
    expect(md).toMatch(/\| serving\[rate=8\] \| +4 \| +2 \| +7\.90 \|/);
    expect(md.indexOf('## Serving comparison')).toBeLessThan(md.indexOf('## serving[rate=1]'));
  });

  it("puts each sweep step's system sample in one table", () => {
    const md = renderMarkdown(makeSweepWithSystem(), { excerptChars: 100, galleries: new Map() });
    expect(md).toContain("Per benchmark, each one's measured stretch (warm-up left out):");
    expect(md).toMatch(/\| serving\[rate=1\] +\| +12\.5 \| +55\.4 \| +80\.0 \| +230\.9 \| +12\.5 \| +25\.0 \| +– \| +– \|/);
    expect(md).toMatch(/\| serving\[rate=8\] +\| +6\.3 \| +97\.5 \|.*\| +87\.5 \| +20480\.0 \|/);
  });

  it('reports a failed run with its error and a chat prompt by its last user message', async () => {
    const chat = makeRecord('chat', 0, { score: 0 });
    chat.sample = { ...chat.sample, prompt: undefined, messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'the user question' }] };
    const summary = { ...makeSummary(), status: 'failed' as const, error: { code: 'YS_ENGINE_START_FAILED', message: 'llama-server exited' } };
    summary.benchmarks = { ...summary.benchmarks, chat: { n: 1, failed: 0, metrics: { m: 0 }, aggregates: {} } };
    const { run, store } = await makeRun([chat]);
    const md = renderMarkdown(summary, { excerptChars: 400, galleries: await collectGallery(summary, store, 2) });
    await store.close();
    void run;
    expect(md).toContain('| Status   | **failed**');
    expect(md).toContain('> **Error** `YS_ENGINE_START_FAILED`: llama-server exited');
    expect(md).toContain('```text\nthe user question\n```');
  });
});
