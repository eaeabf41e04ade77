/**
 * `pnpm bench:engine` — does measuring through Yardstick cost the engine throughput? Launches one real
 * llama-server on the tiny shared model and, in the same run, alternates between a minimal direct
 * client (undici Pool, read the stream, take usage) and the full Yardstick path (kernel scheduler,
 * shared OpenAI client with per-chunk timing, score hook, JournalStore, summary) on the same prompts,
 * at the same concurrency. Prints output tokens/s of both and their ratio (target ≥ 0.97).
 *
 *   pnpm bench:engine [--prompts 32] [--input 64] [--output 128] [--concurrency 4] [--rounds 3]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from '../packages/core/node_modules/undici/index.js';
import { buildRequestBody, createRng, findFreePort, Kernel, ManagedServer, OpenAICompatibleClient, resolveRootConfig, silentLogger, type Plugin, type Sample } from '../packages/core/src/index.js';
import { samplesPlugin } from '../packages/core/src/testing/index.js';
import { exactPrompt, tokenPool } from '../packages/benchmark-serving/src/index.js';
import { attachEngine } from './lib/attach-engine.js';
import { ownSession, prioritize } from './lib/priority.js';

const { values: args } = parseArgs({
  options: {
    prompts: { type: 'string', default: '32' },
    input: { type: 'string', default: '64' },
    output: { type: 'string', default: '128' },
    concurrency: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
  },
});
const PROMPTS = Number(args.prompts);
const INPUT = Number(args.input);
const OUTPUT = Number(args.output);
const CONCURRENCY = Number(args.concurrency);
const ROUNDS = Number(args.rounds);
let retries = 0;
let failures = 0;
/** llama-server request field: do not reuse a slot's KV cache for a repeated prompt prefix. */
const NO_CACHE = { cache_prompt: false };

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const shared = process.env.YARDSTICK_SHARED ?? resolve(root, '../shared');
const model = join(shared, 'models/stories260K.gguf');

function serverBinary(): string {
  if (process.env.YARDSTICK_LLAMA_SERVER) return process.env.YARDSTICK_LLAMA_SERVER;
  const out = execFileSync('bash', [join(root, 'scripts/build-llama-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop()!;
}

await ownSession();
const port = await findFreePort();
const bin = serverBinary();
const ctx = CONCURRENCY * (INPUT + OUTPUT + 16);
const serverArgs = ['-m', model, '--host', '127.0.0.1', '--port', String(port), '-t', '1', '-c', String(ctx), '-np', String(CONCURRENCY), '--kv-unified'];
// The engine plugin's own launcher: readiness on /health, and a stop that outlasts a lost SIGTERM.
const server = new ManagedServer({ name: 'llama-server', command: [bin, ...serverArgs], host: '127.0.0.1', port, readinessTimeoutMs: 60_000, stopGraceMs: 5_000, repeatTermMs: 2_000 });
const url = server.baseUrl;

try {
  await server.start();
  prioritize(server.pid);
  console.log(`llama-server ${bin}\n  ${serverArgs.join(' ')}`);

  // The same prompts for both clients: exact-length synthetic prompts from the server's tokenizer.
  const tok = new OpenAICompatibleClient({ baseUrl: url });
  const pool = await tokenPool(tok);
  const prompts: string[] = [];
  for (let i = 0; i < PROMPTS; i++) prompts.push((await exactPrompt(tok, pool, INPUT, createRng(1000 + i))).text);
  await tok.close();
  console.log(`${PROMPTS} prompts × ${INPUT} input tokens, ${OUTPUT} output tokens (ignore_eos, temperature 0), concurrency ${CONCURRENCY}\n`);

  const direct = await directRunner();
  const { plugin, label } = await yardstickEngine();
  const d: number[] = [];
  const y: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Alternate which client goes first (order effects cancel over rounds); prompt caching is off in
    // both so the second client in a round does not skip prefill for prompts the first one sent.
    let a: number;
    let b: number;
    if (round % 2 === 1) {
      a = await direct(prompts);
      b = await viaYardstick(prompts, plugin());
    } else {
      b = await viaYardstick(prompts, plugin());
      a = await direct(prompts);
    }
    d.push(a);
    y.push(b);
    console.log(`round ${round}: direct ${a.toFixed(0)} tok/s (${retries} retried), Yardstick ${b.toFixed(0)} tok/s (${failures} failed), ratio ${(b / a).toFixed(3)}`);
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  console.log(`\nengine path: ${label}`);
  console.log(`direct client     ${mean(d).toFixed(0)} output tok/s (mean of ${ROUNDS})`);
  console.log(`through Yardstick ${mean(y).toFixed(0)} output tok/s (mean of ${ROUNDS})`);
  console.log(`Yardstick / direct ${(mean(y) / mean(d)).toFixed(3)} (target ≥ 0.97)`);
} finally {
  await server.stop();
}

/** The minimal client: POST, read the stream to the end, take the server's usage. Wall time from first send to last byte. */
async function directRunner(): Promise<(prompts: string[]) => Promise<number>> {
  const http = new Pool(url, { connections: CONCURRENCY, pipelining: 1 });
  return async (list) => {
    retries = 0;
    let next = 0;
    let tokens = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < list.length) {
          const prompt = list[next++]!;
          const body = JSON.stringify(
            buildRequestBody(
              { requestId: 'd', benchmark: 'd', sampleId: 'd', kind: 'completion', prompt, params: { maxTokens: OUTPUT, temperature: 0, ignoreEos: true, extra: NO_CACHE } },
              { stream: true, includeUsage: true },
            ),
          );
          // llama-server advertises keep-alive but closes the connection after a streamed reply; a reused
          // socket then dies before the request is read ("other side closed"). Retry like curl does.
          let text = '';
          for (let attempt = 0; ; attempt++) {
            try {
              const res = await http.request({ path: '/v1/completions', method: 'POST', headers: { 'content-type': 'application/json' }, body });
              text = await res.body.text();
              break;
            } catch (e) {
              if (attempt >= 3 || (e as { code?: string }).code !== 'UND_ERR_SOCKET') throw e;
              retries++;
            }
          }
          const usage = /"completion_tokens":(\d+)/.exec(text.slice(text.lastIndexOf('"usage"')));
          tokens += usage ? Number(usage[1]) : 0;
        }
      }),
    );
    return tokens / ((performance.now() - t0) / 1000);
  };
}

/** engine-llamacpp in attach mode when it is available, else the bench's attach engine over the shared client. */
async function yardstickEngine(): Promise<{ plugin: () => [Plugin, unknown]; label: string }> {
  try {
    const mod = (await import('../packages/engine-llamacpp/src/index.js')) as { default: Plugin };
    return { plugin: () => [mod.default, { mode: 'server', baseUrl: url, parallel: CONCURRENCY, connections: CONCURRENCY }], label: 'engine-llamacpp (server mode, attached)' };
  } catch (e) {
    return { plugin: () => [attachEngine(url, CONCURRENCY).plugin, {}], label: `bench attach engine over core's OpenAI client (engine-llamacpp not loadable: ${(e as Error).message.split('\n')[0]})` };
  }
}

async function viaYardstick(list: string[], [enginePluginDef, engineOptions]: [Plugin, unknown]): Promise<number> {
  const outDir = await mkdtemp(join(tmpdir(), 'ys-engine-bench-'));
  try {
    const config = resolveRootConfig(
      { warmup: { requests: 0 }, concurrency: CONCURRENCY, generation: { maxTokens: OUTPUT, temperature: 0, ignoreEos: true, extra: NO_CACHE } },
      { baseDir: root },
    );
    const kernel = new Kernel({ config, logger: silentLogger(), outDir, runId: 'engine-bench' });
    kernel.use(enginePluginDef, engineOptions);
    const samples: Sample[] = list.map((prompt, i) => ({ id: String(i), task: 'serving', prompt }));
    kernel.use(samplesPlugin({ serving: samples }, { recordPrompts: false }));
    const summary = await kernel.run();
    if (summary.status !== 'completed') throw new Error(`Yardstick run ${summary.status}: ${summary.error?.message}`);
    const perf = summary.performance!;
    // Failed requests (see the keep-alive note above) are counted, not fatal: throughput is over completed ones.
    failures = perf.failed;
    return perf.output_throughput;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
