/**
 * `pnpm bench:kernel` — the kernel's own cost per request, with no network: an in-process engine that
 * answers at once with a result shaped like the shared client's (8 content chunks, usage), driven
 * through the real scheduler, hooks and JournalStore. Then what serializing one such record costs:
 * `JSON.stringify` (what the journal does) against `postMessage` of a 256-record batch (what
 * handing records to a worker thread would cost the event loop instead).
 *
 *   pnpm bench:kernel [--requests 100000] [--rounds 3]
 *
 * Instruction counts, which a noisy VM cannot disturb: run it twice under callgrind with different
 * sizes and divide the difference by the difference in requests, e.g.
 *   valgrind --tool=callgrind node --import tsx bench/kernel-alone.ts --requests 20000 --rounds 1
 *   valgrind --tool=callgrind node --import tsx bench/kernel-alone.ts --requests 60000 --rounds 1
 * (`callgrind_annotate` of the two files splits it by function: JsonStringifier, FastDtoa, …).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MessageChannel } from 'node:worker_threads';
import { definePlugin, JournalStore, Kernel, resolveRootConfig, silentLogger, type Engine, type GenerateResult, type SampleRecord } from '../packages/core/src/index.js';
import { enginePlugin } from '../packages/core/src/testing/index.js';

const { values: args } = parseArgs({ options: { requests: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '3' } } });
const N = Number(args.requests);
const ROUNDS = Number(args.rounds);
const C = 64;

const instantEngine: Engine = {
  specificationVersion: 1,
  start: async () => undefined,
  stop: async () => undefined,
  describe: () => ({ name: 'instant', model: 'none', mode: 'attach', launch: 'in-process' }),
  generate: async (): Promise<GenerateResult> => {
    const at = performance.now();
    // A sub-millisecond reply: random µs values so the record prints like a real one (not one cached number).
    const chunk = Math.round(Math.random() * 1000) / 1000;
    return {
      text: ' tok tok tok tok tok tok tok tok',
      timing: { sentAt: Math.round((performance.timeOrigin + at) * 1000) / 1000, headersMs: chunk / 2, firstTokenMs: chunk, chunksMs: Array.from({ length: 8 }, () => chunk), doneMs: chunk + 0.05 },
      finishReason: 'length',
      usage: { completionTokens: 8, promptTokens: 64, source: 'server' },
    };
  },
};
const samples = Array.from({ length: 1000 }, (_, i) => ({ id: String(i), task: 'serving', prompt: 'x'.repeat(64), generation: { maxTokens: 8 }, metadata: { input_tokens: 64, output_tokens: 8 } }));
const source = definePlugin({
  name: 'kernel-alone-source',
  version: '0.1.0',
  kind: 'benchmark',
  core: '^0.1.0',
  apply: ({ hooks }) =>
    hooks.setup.tap('kernel-alone-source', (run) =>
      run.benchmarks.register({ name: 'serving', kind: 'completion', recordPrompts: false, generation: { temperature: 0, ignoreEos: true }, load: { concurrency: C, numRequests: N }, size: () => samples.length, samples: () => samples }),
    ),
});

// Keep a few of the journal's real records for the serialization comparison below.
const kept: SampleRecord[] = [];
const append = JournalStore.prototype.append;
JournalStore.prototype.append = function (this: JournalStore, record: SampleRecord) {
  if (kept.length < 256) kept.push(record);
  return append.call(this, record);
};

for (let r = 0; r < ROUNDS; r++) {
  const outDir = await mkdtemp(join(tmpdir(), 'ys-kernel-alone-'));
  try {
    const config = resolveRootConfig({ warmup: { requests: 0 }, concurrency: C, generation: { maxTokens: 8, temperature: 0 } }, { baseDir: process.cwd() });
    const kernel = new Kernel({ config, logger: silentLogger(), outDir, runId: 'kernel-alone' });
    kernel.use(enginePlugin(instantEngine, 'engine-instant'));
    kernel.use(source);
    const t0 = performance.now();
    const summary = await kernel.run();
    const wallMs = performance.now() - t0;
    if (summary.status !== 'completed') throw new Error(`run ${summary.status}: ${summary.error?.message}`);
    const perRequest = 1e6 / summary.performance!.request_throughput;
    console.log(`round ${r + 1}: ${perRequest.toFixed(1)} µs per request while generating; ${((wallMs * 1000) / N).toFixed(1)} µs per request over the whole run (setup + summary from the journal)`);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
JournalStore.prototype.append = append;

// Serialization of those records: what the journal pays per record against what a worker hand-off would.
const { port1, port2 } = new MessageChannel();
port2.on('message', () => undefined);
port1.unref();
port2.unref();
const perRecord = (fn: () => void, repeats: number) => {
  const t0 = performance.now();
  for (let i = 0; i < repeats; i++) fn();
  return ((performance.now() - t0) * 1000) / (repeats * kept.length);
};
const timings = { stringify: [] as number[], postMessage: [] as number[] };
for (let r = 0; r < 5; r++) {
  timings.stringify.push(perRecord(() => kept.forEach((record) => JSON.stringify(record)), 200));
  timings.postMessage.push(perRecord(() => port1.postMessage(kept), 200));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`record serialization, ${kept.length} journal records: JSON.stringify ${median(timings.stringify).toFixed(2)} µs each; postMessage of the batch ${median(timings.postMessage).toFixed(2)} µs per record`);
port1.close();
