import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { ERROR_CODES, YardstickError } from '../errors.js';

/** The lowest port findFreePort picks from on its own (below it: well-known and registered services). */
const LOWEST_PICKED = 10_000;

/**
 * A TCP port nobody is bound to right now, for a server about to be launched on it. Racy by nature
 * (it is free when checked, not reserved): use it promptly.
 *
 * On Linux it is drawn at random below the kernel's ephemeral range (ip_local_port_range, usually
 * 32768–60999) and checked free, rather than taken from `listen(0)`: the OS picks that one from the
 * ephemeral range, where every outgoing connection also gets its local port, so between the pick
 * and the server's bind a client's connect() could take it (seen as llama-server's "couldn't bind
 * HTTP server socket" in a test suite full of clients). Elsewhere, or after 20 taken draws, the OS picks.
 */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  const floor = ephemeralFloor();
  if (floor !== undefined) {
    for (let i = 0; i < 20; i++) {
      const port = LOWEST_PICKED + Math.floor(Math.random() * (floor - LOWEST_PICKED));
      if (!(await isPortInUse(port, host))) return port;
    }
  }
  return osPickedPort(host);
}

/** The start of the ports the kernel hands to outgoing connections (Linux), when there is room below it. */
function ephemeralFloor(): number | undefined {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > LOWEST_PICKED + 1_000 ? low : undefined;
  } catch {
    return undefined;
  }
}

/** A port the OS picks (`listen(0)`), from its ephemeral range. */
function osPickedPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not read the port picked by the OS'))));
    });
  });
}

/** True when something already listens on host:port (we cannot bind it). */
export function isPortInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(true);
      else reject(error);
    });
    srv.listen(port, host, () => srv.close(() => resolve(false)));
  });
}

/** Throws YS_ENGINE_START_FAILED naming the port and the command when the port is taken. */
export async function assertPortFree(port: number, host: string, what: string): Promise<void> {
  if (port === 0) return;
  if (await isPortInUse(port, host)) {
    throw new YardstickError(ERROR_CODES.ENGINE_START_FAILED, `${what}: port ${port} on ${host} is already in use`, {
      hint: 'stop whatever listens there, choose another `port`, or set `port: 0` to pick a free one',
      details: { host, port },
    });
  }
}
