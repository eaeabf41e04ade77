import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { findFreePort, isPortInUse } from '../src/server/index.js';

const RANGE = '/proc/sys/net/ipv4/ip_local_port_range';

describe('findFreePort', () => {
  it.runIf(existsSync(RANGE))('picks a free port below the ephemeral range, where no outgoing connection takes it', async () => {
    const floor = Number(readFileSync(RANGE, 'utf8').trim().split(/\s+/)[0]);
    for (let i = 0; i < 20; i++) {
      const port = await findFreePort();
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(floor);
      expect(await isPortInUse(port)).toBe(false);
    }
  });

  it('the port it gives can be listened on', async () => {
    const port = await findFreePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    expect(await isPortInUse(port)).toBe(true);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
