import { findFreePort, ManagedServer } from '@yardstick/core';
import { sharedPath } from '@yardstick/core/testing';

/**
 * Launches the real llama-server (YARDSTICK_LLAMA_SERVER) on the tiny shared model with the engine
 * plugins' own launcher: a free port, readiness on /health, and a stop that outlasts the SIGTERM
 * llama-server can lose as it starts (ManagedServer.repeatTermMs).
 */
export async function startLlamaServer(extra: string[] = []): Promise<{ url: string; stop: () => Promise<void> }> {
  const bin = process.env.YARDSTICK_LLAMA_SERVER;
  if (!bin) throw new Error('YARDSTICK_LLAMA_SERVER is not set (vitest global setup builds it)');
  const port = await findFreePort();
  const server = new ManagedServer({
    name: 'llama-server',
    command: [bin, '-m', sharedPath('models/stories260K.gguf'), '--host', '127.0.0.1', '--port', String(port), '-t', '1', '-c', '512', ...extra],
    host: '127.0.0.1',
    port,
    readinessTimeoutMs: 30_000,
    stopGraceMs: 5_000,
    repeatTermMs: 2_000,
  });
  await server.start();
  return { url: server.baseUrl, stop: () => server.stop() };
}
