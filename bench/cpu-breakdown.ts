/**
 * `pnpm bench:breakdown` — where the kernel path's CPU goes, per request, against the instant
 * stand-in. Throughput on a shared VM drifts by 2× from minute to minute; CPU time per request
 * inside the measured window (process.cpuUsage, user + sys, all of this process's threads) drifts
 * far less, so each layer is measured that way, in alternating rounds within one process, and the
 * median is printed.
 *
 *   pnpm bench:breakdown [--requests 60000] [--rounds 5] [--concurrency 64] [--rate R]
 *
 * Variants, each adding one layer to the one before:
 *   client     the shared OpenAI client + PerformanceAggregator in a bare loop (with `--rate`,
 *              driven by the kernel's open-loop dispatcher instead: what open loop costs by itself)
 *   no-store   the full kernel path with the journal's append replaced by a no-op that resolves
 *              its records in 10 ms batches, and no journal line built (scheduler, hooks, records,
 *              batch callbacks)
 *   lines      …with each record's journal line built as the kernel does (RecordLines)
 *   no-write   the real JournalStore with the file's write and fdatasync replaced by no-ops
 *   no-sync    …with only fdatasync a no-op (the writes reach the page cache)
 *   kernel     the real path, journal on the OS temp dir
 * `--only a,b` runs a subset (the "vs previous" column then compares within it). `--rate R` runs every
 * variant in open loop instead (Poisson arrivals at R req/s, 1,024 connections, as the open-loop
 * steps of bench:client do): a client below saturation reads fewer replies per event-loop turn.
 * The replacements patch prototypes for the duration of one variant: diagnostic only.
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { definePlugin, dispatch, type GenerateRequest, JournalStore, Kernel, OpenAICompatibleClient, PerformanceAggregator, resolveRootConfig, silentLogger } from '../packages/core/src/index.js';
import serving from '../packages/benchmark-serving/src/index.js';
import { RecordLines } from '../packages/core/src/record-line.js';
import { attachEngine } from './lib/attach-engine.js';
import { ownSession } from './lib/priority.js';
import { startStandIn } from './lib/stand-in.js';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '60000' },
    rounds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '64' },
    only: { type: 'string' },
    rate: { type: 'string' },
  },
});
const N = Number(args.requests);
const ROUNDS = Number(args.rounds);
const C = Number(args.concurrency);
const RATE = args.rate === undefined ? undefined : Number(args.rate);
/** Requests before the window opens: connections made, code warmed up. */
const WARM = Math.min(2000, Math.floor(N / 10));

await ownSession();
const server = await startStandIn({ mode: 'instant', chunks: 8 });

interface Figures {
  rps: number;
  userUs: number;
  sysUs: number;
  serverUs: number;
}

/** µs of CPU the stand-in server has used (utime + stime from /proc, 10 ms ticks). */
function serverCpuUs(): number {
  const fields = readFileSync(`/proc/${server.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** A measuring window over `count` requests, opened after the warm-up ones. */
function measuringWindow(count: number) {
  let cpu = process.cpuUsage();
  let server0 = serverCpuUs();
  let t0 = performance.now();
  return {
    open() {
      cpu = process.cpuUsage();
      server0 = serverCpuUs();
      t0 = performance.now();
    },
    close(): Figures {
      const used = process.cpuUsage(cpu);
      return { rps: (count / (performance.now() - t0)) * 1000, userUs: used.user / count, sysUs: used.system / count, serverUs: (serverCpuUs() - server0) / count };
    },
  };
}

const benchRequest = (i: number): GenerateRequest => ({ requestId: `b:${i}`, benchmark: 'b', sampleId: String(i), kind: 'completion', prompt: 'x'.repeat(64), params: { maxTokens: 8, temperature: 0, ignoreEos: true } });

async function clientOnly(): Promise<Figures> {
  const client = new OpenAICompatibleClient({ baseUrl: server.url, connections: RATE === undefined ? C : 1024 });
  const aggregator = new PerformanceAggregator();
  const window = measuringWindow(N - WARM);
  if (RATE !== undefined) {
    // The same open-loop dispatcher as the kernel, driving the bare client: what open loop costs by itself.
    let done = 0;
    const items = (function* () {
      for (let i = 0; i < N; i++) yield i;
    })();
    await dispatch(items, { rate: RATE, arrival: 'poisson', seed: 1, signal: new AbortController().signal }, async (i) => {
      aggregator.add(await client.generate(benchRequest(i)));
      if (++done === WARM) window.open();
    });
  } else {
    let next = 0;
    await Promise.all(
      Array.from({ length: C }, async () => {
        while (next < N) {
          const i = next++;
          if (i === WARM) window.open();
          aggregator.add(await client.generate(benchRequest(i)));
        }
      }),
    );
  }
  const figures = window.close();
  await client.close();
  return figures;
}

async function kernelPath(): Promise<Figures> {
  const outDir = await mkdtemp(join(tmpdir(), 'ys-breakdown-'));
  const window = measuringWindow(N - WARM);
  let figures: Figures | undefined;
  let answered = 0;
  const probe = definePlugin({
    name: 'breakdown-probe',
    version: '0.1.0',
    kind: 'reporter',
    core: '^0.1.0',
    apply({ hooks }) {
      hooks.setup.tap('breakdown-probe', (run) => {
        run.events.on('requestDone', () => {
          answered++;
          if (answered === WARM) window.open();
          else if (answered === N) figures = window.close();
        });
      });
    },
  });
  try {
    const config = resolveRootConfig({ warmup: { requests: C }, concurrency: C, generation: { maxTokens: 8, temperature: 0 } }, { baseDir: process.cwd() });
    const kernel = new Kernel({ config, logger: silentLogger(), outDir, runId: 'breakdown' });
    kernel.use(attachEngine(server.url, RATE === undefined ? C : 1024).plugin);
    kernel.use(probe);
    kernel.use(serving, { inputTokens: 64, outputTokens: 8, numPrompts: 1000, load: RATE === undefined ? { concurrency: C, numRequests: N } : { rate: RATE, arrival: 'poisson', concurrency: 4096, numRequests: N } });
    const summary = await kernel.run();
    if (summary.status !== 'completed' || !figures) throw new Error(`breakdown run ${summary.status}: ${summary.error?.message ?? 'window not closed'}`);
    return figures;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** A journal append that keeps nothing: its records resolve together every 10 ms, like a batch. */
function appendNoop(): JournalStore['append'] {
  let batch: Promise<void> | undefined;
  return () => {
    if (!batch) {
      batch = new Promise<void>((resolve) =>
        setTimeout(() => {
          batch = undefined;
          resolve();
        }, 10),
      );
    }
    return batch;
  };
}

/** Runs `fn` with `target[key]` replaced, then restores it. */
async function patched<T extends object, K extends keyof T, R>(target: T, key: K, value: T[K], fn: () => Promise<R>): Promise<R> {
  const original = target[key];
  target[key] = value;
  try {
    return await fn();
  } finally {
    target[key] = original;
  }
}

const probeHandle = await open(join(tmpdir(), `ys-breakdown-probe-${process.pid}`), 'w');
const fileHandleProto = Object.getPrototypeOf(probeHandle) as { write: unknown; datasync: unknown };
await probeHandle.close();
await rm(join(tmpdir(), `ys-breakdown-probe-${process.pid}`), { force: true });
const resolved = () => Promise.resolve();
/** A write that stores nothing but reports every byte written, as a whole write would. */
const wroteAll = (data: unknown, _offset?: unknown, length?: unknown) => Promise.resolve({ bytesWritten: typeof length === 'number' ? length : Buffer.byteLength(String(data)) });

const variants: Record<string, () => Promise<Figures>> = {
  client: clientOnly,
  'no-store': () => patched(RecordLines.prototype, 'line', () => '', () => patched(JournalStore.prototype, 'append', appendNoop(), kernelPath)),
  lines: () => patched(JournalStore.prototype, 'append', appendNoop(), kernelPath),
  'no-write': () => patched(fileHandleProto, 'write', wroteAll, () => patched(fileHandleProto, 'datasync', resolved, kernelPath)),
  'no-sync': () => patched(fileHandleProto, 'datasync', resolved, kernelPath),
  kernel: kernelPath,
};
if (args.only) {
  const wanted = args.only.split(',');
  for (const name of Object.keys(variants)) if (!wanted.includes(name)) delete variants[name];
}

try {
  const load = RATE === undefined ? `c=${C}` : `open loop at ${RATE} req/s (Poisson)`;
  console.log(`CPU per request inside the window, ${N - WARM} requests per round, ${load}, median of ${ROUNDS} alternating rounds\n`);
  const all: Record<string, Figures[]> = {};
  for (let r = 0; r < ROUNDS; r++) for (const [name, run] of Object.entries(variants)) (all[name] ??= []).push(await run());
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`${'variant'.padEnd(10)} ${'req/s'.padStart(8)} ${'CPU µs/req'.padStart(11)} ${'(user+sys)'.padStart(12)} ${'vs previous'.padStart(12)} ${'server µs/req'.padStart(14)}`);
  let previous: number | undefined;
  for (const [name, figures] of Object.entries(all)) {
    const user = median(figures.map((f) => f.userUs));
    const sys = median(figures.map((f) => f.sysUs));
    const total = median(figures.map((f) => f.userUs + f.sysUs));
    const delta = previous === undefined ? '' : `${total - previous >= 0 ? '+' : ''}${(total - previous).toFixed(1)}`;
    console.log(`${name.padEnd(10)} ${median(figures.map((f) => f.rps)).toFixed(0).padStart(8)} ${total.toFixed(1).padStart(11)} ${`${user.toFixed(1)}+${sys.toFixed(1)}`.padStart(12)} ${delta.padStart(12)} ${median(figures.map((f) => f.serverUs)).toFixed(1).padStart(14)}`);
    previous = total;
  }
} finally {
  await server.stop();
}
