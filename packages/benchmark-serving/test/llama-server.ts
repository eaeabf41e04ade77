import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { sharedPath, stopChild } from '@yardstick/core/testing';

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Launches the real llama-server (YARDSTICK_LLAMA_SERVER) on the tiny shared model and waits for /health. */
export async function startLlamaServer(extra: string[] = []): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const bin = process.env.YARDSTICK_LLAMA_SERVER;
  if (!bin) throw new Error('YARDSTICK_LLAMA_SERVER is not set (vitest global setup builds it)');
  const port = await freePort();
  const child = spawn(bin, ['-m', sharedPath('models/stories260K.gguf'), '--host', '127.0.0.1', '--port', String(port), '-t', '1', '-c', '512', ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`llama-server exited: ${log}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`llama-server not ready after 30 s: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = () => stopChild(child);
  return { url, child, stop };
}
