import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stopChild } from '../src/testing/index.js';
import { checkPlanAgainstLog, comparePlanToReport, findDevice, planDifferenceLines, loadArchitecture, parseEngineMemoryLog, planMemory, presetFlags, resolvePreset } from '../src/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const shared = process.env.YARDSTICK_SHARED ?? path.resolve(repoRoot, '../shared');
const tinyGguf = path.join(shared, 'models/stories260K.gguf');
const server = process.env.YARDSTICK_LLAMA_SERVER;

/** A port the OS says is free right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Starts llama-server, collects its log until it listens, stops it. */
function loadLog(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(server!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`llama-server did not start:\n${log.slice(-2000)}`));
    }, 90_000);
    let stopping = false;
    const onData = (chunk: Buffer) => {
      log += chunk.toString('utf8');
      if (!stopping && /server is listening|listening on http/.test(log)) {
        stopping = true;
        clearTimeout(timer);
        void stopChild(child, 3_000);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(log);
    });
    child.on('error', reject);
  });
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
    const argv = ['-m', tinyGguf, '--host', '127.0.0.1', '--port', String(await freePort()), '-v', ...presetFlags('llamacpp', options)];
    expect(argv).toEqual(expect.arrayContaining(['--parallel', '4', '--ctx-size', '8192', '--flash-attn', 'on', '--threads', '1']));
    const log = await loadLog(argv);
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
