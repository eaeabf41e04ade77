import { isAbsolute, resolve } from 'node:path';
import { cachedLlamaServer, findExecutable, findFreePort, ManagedServer, type Logger } from '@yardstick/core';
import type { LaunchOptions } from './options.js';

/**
 * The llama-server to launch when `binary` is not set: $YARDSTICK_LLAMA_SERVER, then `llama-server` on
 * PATH, then the newest build cached by scripts/build-llama-server.sh (core's cachedLlamaServer, as
 * engine-llamacpp looks it up), else the bare name (ENOENT names it clearly).
 */
export function defaultLlamaServer(): string {
  if (process.env.YARDSTICK_LLAMA_SERVER) return process.env.YARDSTICK_LLAMA_SERVER;
  if (findExecutable('llama-server')) return 'llama-server';
  return cachedLlamaServer() ?? 'llama-server';
}

/** llama-server argv for embeddings: `--embeddings` with explicit pooling and a physical batch that fits long texts. */
export function llamaServerArgs(launch: LaunchOptions, modelPath: string, port: number): string[] {
  const batch = String(launch.batchTokens);
  return [
    launch.binary ?? defaultLlamaServer(),
    '-m', modelPath,
    '--embeddings',
    '--pooling', launch.pooling,
    '--host', launch.host,
    '--port', String(port),
    '-t', String(launch.threads),
    '-b', batch,
    '-ub', batch,
    ...launch.args,
  ];
}

export async function createEmbeddingServer(launch: LaunchOptions, baseDir: string, logger?: Logger): Promise<ManagedServer> {
  const modelPath = isAbsolute(launch.model) ? launch.model : resolve(baseDir, launch.model);
  const port = launch.port ?? (await findFreePort(launch.host));
  // A binary given as a path is relative to the config file; a bare name is looked up on PATH.
  const binary = launch.binary && launch.binary.includes('/') && !isAbsolute(launch.binary) ? resolve(baseDir, launch.binary) : launch.binary;
  return new ManagedServer({
    name: 'llama-server (embeddings)',
    command: llamaServerArgs({ ...launch, binary }, modelPath, port),
    host: launch.host,
    port,
    probes: ['/health'],
    readinessTimeoutMs: launch.readinessTimeoutMs,
    logger,
  });
}
