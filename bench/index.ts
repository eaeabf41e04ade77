/**
 * `pnpm bench [name…] [-- args]` — lists and runs Yardstick's benchmarks (figures, never assertions).
 *
 *   pnpm bench                 list them
 *   pnpm bench client          = pnpm bench:client
 *   pnpm bench engine          = pnpm bench:engine
 *   pnpm bench breakdown       = pnpm bench:breakdown
 *   pnpm bench kernel          = pnpm bench:kernel
 *   pnpm bench reply           = pnpm bench:reply
 *   pnpm bench all             every one, in turn
 * Arguments after the name are passed to the bench (e.g. `pnpm bench client --requests 200000`).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHES: Record<string, { file: string; what: string }> = {
  client: {
    file: 'client.ts',
    what: 'client-side ceiling: streamed req/s through the kernel vs wrk on a loopback SSE server, open-loop lag, open streams, memory over long runs',
  },
  breakdown: {
    file: 'cpu-breakdown.ts',
    what: 'CPU per request of each layer of the kernel path (client, scheduler, JSON.stringify, journal writes) against the loopback server',
  },
  kernel: {
    file: 'kernel-alone.ts',
    what: "the kernel's own cost per request over an instant in-process engine, and a journal record's serialization cost",
  },
  reply: {
    file: 'reply-parse.ts',
    what: "CPU per streamed reply inside the request handler (SSE, chunk reading, result) for vLLM, SGLang and llama-server chunk shapes, with and without the endpoint's shape",
  },
  engine: {
    file: 'engine-overhead.ts',
    what: 'engine overhead: output tokens/s through Yardstick vs a minimal direct client against one real llama-server',
  },
};

const [name, ...rest] = process.argv.slice(2);
if (!name || name === 'list' || name === '--help') {
  console.log('Benchmarks (pnpm bench <name> [args]):');
  for (const [key, b] of Object.entries(BENCHES)) console.log(`  ${key.padEnd(8)} ${b.what}`);
  console.log('  all      every benchmark above, in turn');
  process.exit(0);
}
const names = name === 'all' ? Object.keys(BENCHES) : [name];
let status = 0;
for (const n of names) {
  const bench = BENCHES[n];
  if (!bench) {
    console.error(`unknown benchmark "${n}"; run \`pnpm bench\` to list them`);
    process.exit(2);
  }
  console.log(`\n=== ${n}: ${bench.what}\n`);
  const file = fileURLToPath(new URL(`./${bench.file}`, import.meta.url));
  const r = spawnSync(process.execPath, ['--import', 'tsx', file, ...rest], { stdio: 'inherit' });
  status ||= r.status ?? 1;
}
process.exit(status);
