import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import plugin, { type ChartData } from '../src/index.js';
import { applyPlugin, makeRecord, makeRecords, makeRun, makeSummary, makeSweepWithSystem } from '@yardstick/core/testing';

async function build(options: Record<string, unknown> = {}, records = makeRecords(), summary = makeSummary()): Promise<string> {
  const { run, hooks, outDir, store } = await makeRun(records);
  await applyPlugin(plugin, hooks, options);
  await hooks.report.promise(summary, run);
  await store.close();
  return readFile(join(outDir, 'report.html'), 'utf8');
}

function chartData(html: string): ChartData {
  const m = /<script type="application\/json" id="ys-data">([\s\S]*?)<\/script>/.exec(html);
  return JSON.parse(m![1]!) as ChartData;
}

describe('reporter-html', () => {
  it('is self-contained: Chart.js and the page script inline, nothing loaded from the network', async () => {
    const html = await build();
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('Chart.js v4');
    expect(html).toContain("id: 'ysErrorBars'");
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).toContain('<title>Yardstick report: run-test</title>');
  });

  it('has header cards, quality chart data with CIs, and timing histograms from the records', async () => {
    const html = await build();
    expect(html).toContain('<div class="card-label" title="gsm8k · exact_match_strict">gsm8k · exact_match_strict</div><div class="card-value">0.5000</div>');
    expect(html).toContain('<code class="wrap">node-llama-cpp threads=1 model=/work/shared/models/stories260K.gguf</code>');
    const data = chartData(html);
    const gsm = data.quality.find((q) => q.benchmark === 'gsm8k')!;
    expect(gsm.index).toBe(0);
    expect(gsm.metrics[0]).toMatchObject({ label: 'exact_match_strict', mean: 0.5, n: 6 });
    expect(gsm.metrics[0]!.low).toBeCloseTo(0.0999, 3);
    expect(gsm.categories!.points.map((p) => p.label)).toEqual(['easy', 'hard']);
    expect(html).toContain('<canvas id="q-0"');
    expect(html).toContain('<canvas id="c-0"');
    // 9 successful requests (one gsm8k request failed) → 9 TTFT and E2EL values, 3 ITL gaps each
    const sum = (h: { counts: Record<string, number[]> }) => Object.values(h.counts).flat().reduce((s, x) => s + x, 0);
    expect(sum(data.histograms.ttft_ms!)).toBe(9);
    expect(sum(data.histograms.e2el_ms!)).toBe(9);
    expect(sum(data.histograms.itl_ms!)).toBe(27);
    expect(Object.keys(data.histograms.ttft_ms!.counts)).toEqual(['gsm8k', 'serving']);
    expect(html).toContain('<canvas id="h-ttft_ms"');
  });

  it('renders performance, server metrics and warnings as tables that read without JavaScript', async () => {
    const html = await build();
    expect(html).toContain('<td>request throughput (req/s)</td><td>12.35</td>');
    expect(html).toContain('<td>load</td><td>closed loop, 4 in flight</td>');
    expect(html).toMatch(/<td>TTFT \(ms\)<\/td><td>41\.50<\/td><td>37\.35<\/td>/);
    expect(html).toContain('<td>prefix_cache_hit_rate</td><td>0.4200</td>');
    expect(html).toContain('<td>kv_cache_usage</td><td></td><td>0.0800</td><td>0.1300</td><td>0.0100</td>');
    expect(html).toContain('<small>vllm · 12 scrapes over 61.0 s</small>');
    expect(html).toContain('not exposed by this server: request_aborted');
    expect(html).toContain('Goodput counts requests meeting every SLO: ttft ≤ 200 ms, tpot ≤ 50 ms.');
    expect(html).toContain('Token counts: 1 of 4 requests differ');
    expect(html).toContain('<td>engine server <small>pid 4242</small></td><td>97.5</td><td>101.2</td><td>210.4</td><td>230.9</td>');
    expect(html).toContain('<li>client lag p99 12.0 ms exceeded 5 ms: the client may have been the bottleneck</li>');
  });

  it('lists the first maxRows samples in a sortable table with status badges', async () => {
    const html = await build({ maxRows: 5 });
    const body = /<table class="grid samples" id="samples">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)![1]!;
    expect(body.match(/<tr>/g)).toHaveLength(5);
    expect(html).toContain('first 5 of 10 samples');
    expect(body).toContain('<span class="badge pass">pass</span>');
    expect(body).toContain('<span class="badge error">error</span>');
    expect(body).toContain('YS_ENGINE_HTTP_STATUS: HTTP 500 from /v1/completions');
    expect(html).toMatch(/<th data-col="6" data-numeric="1">TTFT ms<\/th>/);
  });

  it('charts throughput against latency when several benchmarks have performance', async () => {
    const summary = makeSummary();
    const perf = summary.benchmarks.serving!.performance!;
    summary.benchmarks = {
      'serving[concurrency=1]': { n: 4, failed: 0, metrics: {}, aggregates: {}, performance: perf },
      'serving[concurrency=8]': { n: 4, failed: 0, metrics: {}, aggregates: {}, performance: { ...perf, output_throughput: 180 } },
    };
    const html = await build({}, makeRecords(), summary);
    const c = chartData(html).comparison!;
    expect(c.labels).toEqual(['serving[concurrency=1]', 'serving[concurrency=8]']);
    expect(c.outputThroughput).toEqual([49.38, 180]);
    expect(c.ttftP99).toEqual([perf.ttft_ms.p99, perf.ttft_ms.p99]);
    expect(c.e2elP50[0]).toBeCloseTo(68.85, 6);
    expect(c.tpotP50[1]).toBeCloseTo(9.18, 6);
    expect(html).toContain('<canvas id="comparison"');
    expect(chartData(await build()).comparison).toBeUndefined();
  });

  it("tabulates each sweep step's system sample under System", async () => {
    const html = await build({}, makeRecords(), makeSweepWithSystem());
    expect(html).toContain("<h3>Per benchmark <small>each one's measured stretch, warm-up left out</small></h3>");
    expect(html).toContain('<tr><td>serving[rate=1]</td><td>12.5</td><td>55.4</td><td>80</td><td>230.9</td><td>12.5</td><td>25</td><td>–</td><td>–</td></tr>');
    expect(html).toContain('<td>87.5</td><td>20,480</td></tr>');
    expect(await build()).not.toContain('Per benchmark <small>');
  });

  it('escapes hostile prompts and outputs in the table and in the embedded JSON', async () => {
    const evil = makeRecord('gsm8k', 0, { score: 1, prompt: '</script><script>alert(1)</script>', text: '<img src=x onerror=alert(2)>' });
    const summary = makeSummary();
    summary.warnings = ['</script><b>warn</b>'];
    summary.benchmarks = { '<b>x</b>': { ...summary.benchmarks.gsm8k! } };
    const html = await build({}, [evil], summary);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>warn</b>');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(chartData(html).quality[0]!.benchmark).toBe('<b>x</b>');
    // exactly the three script elements we put there
    expect(html.match(/<script/g)).toHaveLength(3);
  });
});
