import type { ChildProcess } from 'node:child_process';

/**
 * SIGTERM, then SIGKILL if the child has not exited after `graceMs`; resolves once it has exited.
 * Tests need the escalation because llama-server can lose a SIGTERM: its handler only clears the task
 * queue's `running` flag, and `start_loop()` sets that flag back to true, so a signal that lands between
 * "listening on …" (or /health turning 200) and the loop's start is forgotten and the server runs on.
 */
export function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
