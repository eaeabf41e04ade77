/**
 * `pnpm bench:client` — can Yardstick's client side keep up? Drives a loopback streaming server that
 * answers instantly (bench/lib/sse-server.mjs, its own process) through the real path (kernel
 * scheduler, generate hook, shared OpenAI client, score hook, JournalStore with fdatasync, summary
 * from the journal) and compares with `wrk` against the same server in the same run.
 *
 *   pnpm bench:client [--requests 60000] [--concurrency 64] [--chunks 8] [--rates 5000,10000,…]
 *                     [--step-seconds 3] [--warmup-seconds 1] [--streams 6000] [--repeat 5] [--long 1000000] [--wrk-seconds 3]
 *                     [--only wrk,variants,client,closed,rates,streams,store,long] [--json out.json]
 *   YS_BENCH_LONG=1000000 pnpm bench:client --only long      (memory over a 1M-request run)
 *   node --cpu-prof --import tsx bench/client.ts --only closed   (profile the hot path)
 *
 * Prints figures measured in this run, ending with the targets of the serving-benchmark issue as this
 * run met them or not; nothing here is a test assertion.
 */
import { cpus, totalmem } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildRequestBody, eventLoopBusy, JournalStore, OpenAICompatibleClient, PerformanceAggregator, SystemSampler, type GenerateRequest, type SampleRecord, type SystemSummary } from '../packages/core/src/index.js';
import { runKernelBench, type KernelBenchOptions } from './lib/kernel-run.js';
import { startStandIn } from './lib/stand-in.js';
import { runWrk } from './lib/wrk.js';
import { runVariant } from './lib/client-variants.js';
import { ownSession, prioritize } from './lib/priority.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '60000' },
    concurrency: { type: 'string', default: '64' },
    chunks: { type: 'string', default: '8' },
    input: { type: 'string', default: '64' },
    rates: { type: 'string', default: '5000,10000,15000,20000,25000,30000' },
    'step-seconds': { type: 'string', default: '3' },
    'warmup-seconds': { type: 'string', default: '1' },
    streams: { type: 'string', default: '6000' },
    repeat: { type: 'string', default: '5' },
    long: { type: 'string', default: process.env.YS_BENCH_LONG ?? '0' },
    'wrk-seconds': { type: 'string', default: '3' },
    only: { type: 'string' },
    json: { type: 'string' },
  },
});

const REQUESTS = Number(args.requests);
const CONCURRENCY = Number(args.concurrency);
const CHUNKS = Number(args.chunks);
const INPUT = Number(args.input);
const RATES = args.rates!.split(',').map(Number);
const STEP_S = Number(args['step-seconds']);
const STEP_WARMUP_S = Number(args['warmup-seconds']);
const STREAMS = Number(args.streams);
const REPEAT = Math.max(1, Number(args.repeat));
const LONG = Number(args.long);
const only = args.only ? new Set(args.only.split(',')) : undefined;
const want = (phase: string) => (only ? only.has(phase) : phase !== 'long' || LONG > 0);

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const line = (label: string, value: string) => console.log(`${label.padEnd(44)} ${value}`);
/** The issue's targets as this run measured them: [target, met, figure]. */
const verdicts: [string, boolean, string][] = [];
const results: Record<string, unknown> = {
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
};

await ownSession();
const prioritized = prioritize();
console.log(`Yardstick client benchmark — ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}`);
console.log(`stand-in server: ${CHUNKS} content chunks + usage per reply, ${INPUT}-token prompts, separate process${prioritized ? '; bench processes at nice −15' : ''}\n`);

const server = await startStandIn({ mode: 'instant', chunks: CHUNKS });
/** A closed-loop kernel run against the instant stand-in in the bench's shape; `extra` adds options. */
const closedLoop = (numRequests: number, extra: Partial<KernelBenchOptions> = {}) =>
  runKernelBench({
    baseUrl: server.url,
    connections: CONCURRENCY,
    outputTokens: CHUNKS,
    inputTokens: INPUT,
    numPrompts: 1000,
    warmup: CONCURRENCY,
    load: { concurrency: CONCURRENCY, numRequests },
    ...extra,
  });
const request = (i: number): GenerateRequest => ({
  requestId: `bench:${i}`,
  benchmark: 'bench',
  sampleId: String(i),
  kind: 'completion',
  prompt: 'x'.repeat(INPUT),
  params: { maxTokens: CHUNKS, temperature: 0, ignoreEos: true },
});

try {
  // wrk against the same server, once up front and again around each Yardstick measurement: on a
  // shared VM the server's own speed drifts from minute to minute, so each ratio is taken against the
  // mean of the wrk runs just before and just after it (both printed) rather than one early figure.
  const wrkBody = JSON.stringify(buildRequestBody(request(0), { stream: true, includeUsage: true }));
  const wrkRuns: number[] = [];
  const wrkOnce = async (seconds = Number(args['wrk-seconds'])): Promise<number | undefined> => {
    const wrk = await runWrk(`${server.url}/v1/completions`, wrkBody, { threads: 1, connections: CONCURRENCY, seconds });
    if (!wrk) return undefined;
    wrkRuns.push(wrk.requestsPerSec);
    return wrk.requestsPerSec;
  };
  let wrkRps: number | undefined;
  let wrkMissing = false;
  if (want('wrk')) {
    const wrk = await runWrk(`${server.url}/v1/completions`, wrkBody, { threads: 1, connections: CONCURRENCY, seconds: Number(args['wrk-seconds']) });
    if (!wrk) {
      wrkMissing = true;
      line('wrk', 'not installed (apt-get install wrk): no reference');
    } else {
      wrkRps = wrk.requestsPerSec;
      wrkRuns.push(wrkRps);
      line(`wrk -t1 -c${CONCURRENCY} (reference)`, `${fmt(wrk.requestsPerSec)} req/s, p99 ${wrk.latencyP99Ms ?? '?'} ms`);
      results.wrk = { requestsPerSec: wrk.requestsPerSec, requests: wrk.requests, latencyP99Ms: wrk.latencyP99Ms };
    }
  }
  /**
   * Runs `measure` between two wrk runs (the one before is the previous bracket's "after" when it
   * directly precedes) and returns its value with the two wrk figures around it.
   */
  let lastWrk: number | undefined = wrkRps;
  const betweenWrk = async <T>(measure: () => Promise<T>): Promise<{ value: T; around?: [number, number] }> => {
    if (!want('wrk') || wrkMissing) return { value: await measure() };
    const before = lastWrk ?? (await wrkOnce());
    const value = await measure();
    const after = await wrkOnce();
    lastWrk = after;
    return before === undefined || after === undefined ? { value } : { value, around: [before, after] };
  };
  /** A req/s figure measured between two wrk runs, with its ratio to their mean. */
  const bracketed = async (measure: () => Promise<number>): Promise<{ rps: number; ratio?: number; around?: [number, number] }> => {
    const { value: rps, around } = await betweenWrk(measure);
    return around ? { rps, ratio: rps / ((around[0] + around[1]) / 2), around } : { rps };
  };
  const ratioText = (b: { ratio?: number; around?: [number, number] }) =>
    b.ratio === undefined ? '' : `, ${fmt(b.ratio, 2)} × wrk (wrk ${fmt(b.around![0])} before, ${fmt(b.around![1])} after)`;

  if (want('variants')) {
    // Layers of the client path on its transport: HTTP only, + SSE parsing, + JSON.parse per event;
    // and the last layer on undici's Pool (the transport before Http1Pool) for comparison. Quick
    // explanatory figures: their ratios are to the first wrk run.
    const layers: Record<string, number> = {};
    const labels = { bare: 'Http1Pool bare (HTTP only)', sse: 'Http1Pool + SSE parsing', json: 'Http1Pool + JSON.parse per event', 'undici-json': 'undici Pool + SSE + JSON.parse per event' } as const;
    for (const variant of ['bare', 'sse', 'json', 'undici-json'] as const) {
      const { rps, failed } = await runVariant(variant, server.url, wrkBody, CONCURRENCY, REQUESTS);
      layers[variant] = rps;
      line(`${labels[variant]}, c=${CONCURRENCY}`, `${fmt(rps)} req/s${failed ? ` (${failed} failed)` : ''}${wrkRps ? `, ${fmt(rps / wrkRps, 2)} × wrk` : ''}`);
    }
    results.variants = layers;
    lastWrk = undefined; // the next bracket measures wrk afresh
  }

  /** CPU of the server and of this process during a phase: which side was the limit? */
  const cpuOf = async <T>(fn: () => Promise<T>): Promise<[T, string]> => {
    const sampler = new SystemSampler({ intervalMs: 500, pid: server.child.pid, gpu: false });
    sampler.start();
    const value = await fn();
    const sys = await sampler.stop();
    return [value, `CPU: server ${fmt(sys.engine?.cpu_percent.mean ?? 0)}%, client ${fmt(sys.yardstick.cpu_percent.mean)}%`];
  };

  if (want('client')) {
    // The shared client + aggregator alone: splits the cost between client and kernel/store.
    let failed = 0;
    let cpu = '';
    const b = await bracketed(async () => {
      const [rps, usage] = await cpuOf(async () => {
        const client = new OpenAICompatibleClient({ baseUrl: server.url, connections: CONCURRENCY });
        const agg = new PerformanceAggregator();
        let next = 0;
        const t0 = performance.now();
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (next < REQUESTS) {
              const r = await client.generate(request(next++));
              if (r.error) failed++;
              agg.add(r);
            }
          }),
        );
        const s = (performance.now() - t0) / 1000;
        await client.close();
        return REQUESTS / s;
      });
      cpu = usage;
      return rps;
    });
    line(`client + aggregator only, c=${CONCURRENCY}`, `${fmt(b.rps)} req/s (${fmt(REQUESTS)} requests, ${failed} failed)${ratioText(b)}`);
    line('  ', cpu);
    results.clientOnly = { requestsPerSec: b.rps, requests: REQUESTS, failed, ratioToWrk: b.ratio, wrkAround: b.around };
  }

  if (want('closed')) {
    // Repeated, each bracketed by wrk: the median ratio is the figure to quote on a noisy machine.
    // Five short rounds (60,000 requests, ~2-3 s, between 3 s wrk runs) rather than three long ones
    // (100,000, between 5 s runs) in about the same time: the VM's speed moves within seconds, so
    // shorter brackets pair each figure with wrk at a closer moment, and the median has more rounds.
    const rounds: { rps: number; ratio?: number; around?: [number, number] }[] = [];
    for (let r = 0; r < REPEAT; r++) {
      let run: Awaited<ReturnType<typeof closedLoop>> | undefined;
      let cpu = '';
      const b = await bracketed(async () => {
        [run, cpu] = await cpuOf(() => closedLoop(REQUESTS));
        return run.summary.performance!.request_throughput;
      });
      rounds.push(b);
      const perf = run!.summary.performance!;
      line(`Yardstick kernel, closed loop c=${CONCURRENCY}${REPEAT > 1 ? ` (${r + 1}/${REPEAT})` : ''}`, `${fmt(perf.request_throughput)} req/s (${fmt(perf.completed)} ok, ${perf.failed} failed; ${fmt(run!.wallS, 1)} s wall incl. setup + summary)`);
      if (b.ratio !== undefined) line('  Yardstick / wrk', `${fmt(b.ratio, 2)}${ratioText(b).replace(/^, [\d.]+ × wrk/, '')}`);
      line('  streamed tokens/s', fmt(perf.output_throughput));
      line('  ', `${cpu} (whole run incl. setup and summary)`);
      const elu = run!.summary.system?.yardstick.event_loop_utilization;
      if (elu) {
        const { busy, threshold } = eventLoopBusy(elu.mean);
        line('  Yardstick event loop busy (generate phase)', `${fmt(elu.mean * 100, 1)}% (${busy ? `≥ ${threshold}: the client is the limit` : `under ${threshold}: the client kept up`})`);
      }
    }
    const ratios = rounds.map((b) => b.ratio).filter((x): x is number => x !== undefined);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const medianRps = median(rounds.map((b) => b.rps));
    if (ratios.length > 1) line('  median of the rounds', `${fmt(medianRps)} req/s, ${fmt(median(ratios), 2)} × wrk (each: ${ratios.map((x) => fmt(x, 2)).join(', ')})`);
    results.closed = { requestsPerSec: medianRps, ratioToWrk: ratios.length ? median(ratios) : undefined, rounds };
    if (ratios.length) verdicts.push(['≥ 0.8 × wrk, full kernel path (median of rounds)', median(ratios) >= 0.8, `${fmt(median(ratios), 2)} ×`]);
    if (existsSync('/dev/shm')) {
      // The same run with its journal in memory: what the disk's writes (and the syncs) cost the run.
      const t = await bracketed(async () => (await closedLoop(REQUESTS, { outRoot: '/dev/shm' })).summary.performance!.request_throughput);
      line('  same, run directory on tmpfs (/dev/shm)', `${fmt(t.rps)} req/s${ratioText(t)}`);
      results.closedTmpfs = { requestsPerSec: t.rps, ratioToWrk: t.ratio, wrkAround: t.around };
    }
  }
  if (wrkRuns.length > 1) {
    line('wrk over this run (min / max)', `${fmt(Math.min(...wrkRuns))} / ${fmt(Math.max(...wrkRuns))} req/s: how much the machine drifted`);
    results.wrkRuns = wrkRuns;
  }

  if (want('rates')) {
    // CPU of each step, server and client, warm-up included: at the top rates the two processes
    // together fill this 2-core machine, and the table should show when that, not the client, is the limit.
    const stepCpu = new Map<string, SystemSummary>();
    let stepSampler: { name: string; sampler: SystemSampler } | undefined;
    const closeStep = async () => {
      if (!stepSampler) return;
      const { name, sampler } = stepSampler;
      stepSampler = undefined;
      stepCpu.set(name, await sampler.stop());
    };
    // Between two wrk runs too, for the machine's speed meanwhile: the 20,000 req/s target is
    // absolute, and on this VM wrk itself moves between ~19,000 and ~45,000 req/s from one minute to the next.
    const { value: summary, around: wrkAround } = await betweenWrk(async () => {
      const { summary: sweep } = await runKernelBench({
        baseUrl: server.url,
        connections: 1024,
        outputTokens: CHUNKS,
        inputTokens: INPUT,
        numPrompts: 1000,
        warmup: CONCURRENCY,
        // An explicit in-flight cap: without one the kernel applies the root `concurrency` (default 1) to open-loop phases too.
        // Each step first runs STEP_WARMUP_S at its own rate, unmeasured (load.warmupSeconds, guidellm's
        // warm-up): the lag of a step is then its steady state, not the ramp from the previous step.
        load: { sweep: { rate: RATES }, arrival: 'poisson', duration: STEP_S, numRequests: 1e9, concurrency: 4096, ...(STEP_WARMUP_S > 0 ? { warmupSeconds: STEP_WARMUP_S } : {}) },
        onBenchmarkStart: (name) => {
          void closeStep();
          const sampler = new SystemSampler({ intervalMs: 250, pid: server.child.pid, gpu: false });
          sampler.start();
          stepSampler = { name, sampler };
        },
      });
      await closeStep();
      return sweep;
    });
    // Sustained means every step up to it held, as a ramp is read: a step that held above one that
    // missed is shown in the table and named on its own line, not taken as the figure.
    let sustained = 0;
    let missedBelow = false;
    const heldAboveMiss: number[] = [];
    const steps: unknown[] = [];
    console.log(`\nopen loop (Poisson arrivals, kernel path; each step ${STEP_WARMUP_S > 0 ? `${STEP_WARMUP_S} s of unmeasured warm-up at its rate, then ` : ''}${STEP_S} s measured):`);
    console.log(`${'rate req/s'.padStart(12)} ${'achieved'.padStart(10)} ${'lag p50 ms'.padStart(11)} ${'lag p99 ms'.padStart(11)} ${'failed'.padStart(7)} ${'CPU % client'.padStart(13)} ${'server'.padStart(7)} ${'loop busy'.padStart(10)}  client bottleneck?`);
    for (const rate of [...RATES].sort((a, b) => a - b)) {
      const step = `serving[rate=${rate}]`;
      const perf = summary.benchmarks[step]?.performance;
      if (!perf) continue;
      const lag = perf.client_lag_ms!;
      const ok = lag.p99 < 5 && perf.request_throughput >= 0.95 * rate && perf.failed === 0;
      if (!ok) missedBelow = true;
      else if (missedBelow) heldAboveMiss.push(rate);
      else sustained = Math.max(sustained, rate);
      const cpu = stepCpu.get(step);
      const clientCpu = cpu?.yardstick.cpu_percent.mean;
      const serverCpu = cpu?.engine?.cpu_percent.mean;
      const busy = cpu?.yardstick.event_loop_utilization?.mean;
      const pct = (v: number | undefined, width: number) => (v === undefined ? '?' : fmt(v)).padStart(width);
      console.log(
        `${fmt(rate).padStart(12)} ${fmt(perf.request_throughput).padStart(10)} ${fmt(lag.median, 3).padStart(11)} ${fmt(lag.p99, 3).padStart(11)} ${String(perf.failed).padStart(7)} ${pct(clientCpu, 13)} ${pct(serverCpu, 7)} ${pct(busy === undefined ? undefined : busy * 100, 9)}%  ${perf.client_bottleneck ? 'yes' : 'no'}`,
      );
      steps.push({ rate, achieved: perf.request_throughput, lagP50: lag.median, lagP99: lag.p99, failed: perf.failed, bottleneck: perf.client_bottleneck, clientCpuPercent: clientCpu, serverCpuPercent: serverCpu, eventLoopBusy: busy });
    }
    line('max sustained rate (lag p99 < 5 ms)', `${fmt(sustained)} req/s${sustained > 0 ? ' (every step up to it held)' : ''}`);
    if (heldAboveMiss.length) line('  also held, above a step that missed', `${heldAboveMiss.map((r) => fmt(r)).join(', ')} req/s (not counted)`);
    if (wrkAround) line('  the machine meanwhile: wrk before / after', `${fmt(wrkAround[0])} / ${fmt(wrkAround[1])} req/s`);
    results.rates = { steps, maxSustained: sustained, heldAboveMiss, stepSeconds: STEP_S, warmupSeconds: STEP_WARMUP_S, wrkAround };
    verdicts.push(['≥ 20,000 streamed req/s held, open loop, lag p99 < 5 ms', sustained >= 20_000, `${fmt(sustained)} req/s`]);
  }

  if (want('streams')) {
    const hold = await startStandIn({ mode: 'hold', chunks: 2, holdMs: 10_000 });
    try {
      const { summary } = await runKernelBench({
        baseUrl: hold.url,
        connections: STREAMS,
        outputTokens: 2,
        inputTokens: 16,
        numPrompts: 100,
        warmup: 0,
        load: { concurrency: STREAMS, numRequests: STREAMS },
      });
      const stats = await hold.stats();
      const perf = summary.performance!;
      line('\nconcurrent open streams held', `${fmt(stats.maxOpen)} at once (${fmt(perf.completed)} completed, ${perf.failed} failed${perf.failed ? `: ${JSON.stringify(perf.errors)}` : ''})`);
      results.streams = { maxOpen: stats.maxOpen, completed: perf.completed, failed: perf.failed };
      verdicts.push(['≥ 5,000 concurrent open streams', stats.maxOpen >= 5_000 && perf.failed === 0, `${fmt(stats.maxOpen)} (${perf.failed} failed)`]);
    } finally {
      await hold.stop();
    }
  }

  if (want('store')) {
    // The journal alone (JournalStore: group commit, one write per batch, fdatasync at most once a
    // second), with records shaped like a serving run's: 64 writers each awaiting its record.
    const client = new OpenAICompatibleClient({ baseUrl: server.url, connections: 1 });
    const result = await client.generate(request(0));
    await client.close();
    const record: SampleRecord = {
      benchmark: 'serving',
      sample: { id: '0', task: 'serving', generation: { maxTokens: CHUNKS }, metadata: { input_tokens: INPUT, output_tokens: CHUNKS } },
      result,
      runId: 'bench',
      index: 0,
      score: { metrics: {}, reasons: {}, details: {} },
      finishedAt: new Date().toISOString(),
    };
    const stores: Record<string, (dir: string) => Promise<{ append(r: SampleRecord): Promise<void>; close(): Promise<void> }>> = {
      JournalStore: (dir) => JournalStore.open(dir),
    };
    results.store = {};
    for (const [label, openStore] of Object.entries(stores)) {
      const dir = await mkdtemp(join(tmpdir(), 'ys-store-'));
      const store = await openStore(dir);
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < REQUESTS) {
            const i = next++;
            await store.append({ ...record, index: i, sample: { ...record.sample, id: String(i) } });
          }
        }),
      );
      const rps = REQUESTS / ((performance.now() - t0) / 1000);
      await store.close();
      await rm(dir, { recursive: true, force: true });
      line(`store: ${label}, ${CONCURRENCY} writers`, `${fmt(rps)} records/s acknowledged (written to the journal; each writer waits out the 10 ms batch window)`);
      // As the kernel uses it: appends are not awaited by the scheduler (one per finished request).
      const dir2 = await mkdtemp(join(tmpdir(), 'ys-store-'));
      const store2 = await openStore(dir2);
      const pending: Promise<void>[] = [];
      const t1 = performance.now();
      for (let i = 0; i < REQUESTS; i++) {
        pending.push(store2.append({ ...record, index: i, sample: { ...record.sample, id: String(i) } }));
        if (i % 512 === 511) await new Promise((r) => setImmediate(r));
      }
      await Promise.all(pending);
      const rps2 = REQUESTS / ((performance.now() - t1) / 1000);
      await store2.close();
      await rm(dir2, { recursive: true, force: true });
      line(`store: ${label}, unawaited appends`, `${fmt(rps2)} records/s acknowledged`);
      (results.store as Record<string, unknown>)[label] = { awaitedWriters: rps, unawaited: rps2 };
    }
  }

  if (want('long') && LONG > 0) {
    const samples: { t: number; rssMb: number }[] = [];
    const progress: { t: number; requests: number; stored: number; rssMb: number }[] = [];
    const t0 = performance.now();
    const timer = setInterval(() => samples.push({ t: (performance.now() - t0) / 1000, rssMb: process.memoryUsage.rss() / 2 ** 20 }), 1000);
    timer.unref();
    const { summary, wallS } = await closedLoop(LONG, {
      onProgress: (p) => {
        progress.push({ ...p, rssMb: process.memoryUsage.rss() / 2 ** 20 });
        if (process.env.YS_BENCH_VERBOSE) console.log(`  t=${p.t.toFixed(0)}s answered ${p.requests} stored ${p.stored} rss ${(process.memoryUsage.rss() / 2 ** 20).toFixed(0)} MB`);
      },
    });
    clearInterval(timer);
    const perf = summary.performance!;
    const tenth = samples[Math.floor(samples.length / 10)]?.rssMb ?? 0;
    const last = samples[samples.length - 1]?.rssMb ?? 0;
    const peak = Math.max(...samples.map((s) => s.rssMb));
    line(`\nlong run: ${fmt(LONG)} requests`, `${fmt(perf.request_throughput)} req/s, ${fmt(wallS, 0)} s, ${perf.failed} failed`);
    line('  RSS at 10% / end / peak', `${fmt(tenth)} / ${fmt(last)} / ${fmt(peak)} MB`);
    results.long = { requests: LONG, requestsPerSec: perf.request_throughput, wallS, rssMb: { atTenth: tenth, end: last, peak }, samples, progress };
  }
} finally {
  await server.stop();
}

if (verdicts.length) {
  // Figures of one run on a shared VM: a run at a busy moment can miss what a quiet one meets.
  console.log('\nthe issue\'s targets, in this run:');
  for (const [target, met, figure] of verdicts) console.log(`  ${(met ? 'met' : 'not met').padEnd(8)} ${target}: ${figure}`);
  results.targets = verdicts.map(([target, met, figure]) => ({ target, met, figure }));
}
if (args.json) await writeFile(args.json, JSON.stringify(results, null, 2));
