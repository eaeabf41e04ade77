import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkPlanAgainstLog, comparePlanToReport, findDevice, findFreePort, ManagedServer, planDifferenceLines, loadArchitecture, parseEngineMemoryLog, planMemory, presetFlags, resolvePreset } from '../src/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const shared = process.env.YARDSTICK_SHARED ?? path.resolve(repoRoot, '../shared');
const tinyGguf = path.join(shared, 'models/stories260K.gguf');
const server = process.env.YARDSTICK_LLAMA_SERVER;

/** Launches llama-server with the engine plugins' own launcher and returns what it printed until ready. */
async function loadLog(args: string[], port: number): Promise<string> {
  const llama = new ManagedServer({ name: 'llama-server', command: [server!, ...args], host: '127.0.0.1', port, readinessTimeoutMs: 90_000, stopGraceMs: 5_000, repeatTermMs: 2_000 });
  try {
    await llama.start();
    return llama.startupLog().join('\n');
  } finally {
    await llama.stop();
  }
}

describe.skipIf(!server)('plan vs a real llama-server load', () => {
  it('predicts the KV cache llama-server allocates for the balanced preset', async () => {
    const arch = await loadArchitecture(tinyGguf);
    const context = 2048;
    // llama-server's own default: one KV stream per slot (engine-llamacpp passes --kv-unified instead).
    const plan = planMemory({ arch, device: findDevice('cpu'), context, engines: ['llamacpp'], presets: ['balanced'], overrides: { llamacpp: { kvUnified: false } } });
    const row = plan.rows[0]!;
    // Launch exactly what the preset says: 4 slots of 2048 tokens (llama.cpp's --ctx-size is the total).
    const options = resolvePreset('llamacpp', 'balanced', { contextSize: context * row.concurrency, threads: 1, kvUnified: false });
    const port = await findFreePort();
    const argv = ['-m', tinyGguf, '--host', '127.0.0.1', '--port', String(port), '-v', ...presetFlags('llamacpp', options)];
    expect(argv).toEqual(expect.arrayContaining(['--parallel', '4', '--ctx-size', '8192', '--flash-attn', 'on', '--threads', '1']));
    const log = await loadLog(argv, port);
    const report = parseEngineMemoryLog('llamacpp', log);
    expect(report.sequences, `llama-server log tail:\n${log.slice(-3000)}`).toBe(4);
    const diffs = Object.fromEntries(comparePlanToReport(row, report).map((d) => [d.quantity, d]));
    // 4 × 2048 × 640 B = 5 MiB, and the weights (1,171,200 B) within the log's 2-decimal MiB rounding.
    expect(diffs['kv cache']!.relative).toBe(0);
    expect(diffs['kv tokens']!.reported).toBe(8192);
    expect(Math.abs(diffs.weights!.relative)).toBeLessThan(0.01);
    // Compute buffer: logits + scratch (1.5 MiB) + f16 KQ mask over one slot's 2048 cells (2 MiB) vs "3.52 MiB".
    expect(Math.abs(diffs['compute buffers']!.relative)).toBeLessThan(0.05);

    // The one-call helper engine plugins use after start-up gives the same answer.
    const check = await checkPlanAgainstLog({ engine: 'llamacpp', model: tinyGguf, log, device: findDevice('cpu'), context, preset: 'balanced', options });
    expect(planDifferenceLines(check!.differences)).toContain('kv cache: planned 5.00 MiB, engine 5.00 MiB (+0.0%)');
    expect(await checkPlanAgainstLog({ engine: 'vllm', model: 'Qwen/Qwen2.5-7B-Instruct', log: '' })).toBeUndefined();
  }, 150_000);
});
