import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UidLease } from '../src/uidLease.js';

describe('UidLease', () => {
  it('gives each holder its own block: taken uids are skipped, a dead holder’s are taken over, released ones are free again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ys-uids-'));
    const a = UidLease.take(300_000, 4, dir);
    expect(a.first).toBe(300_000);
    // Overlapping a live holder's uids (here our own): the next free block.
    const b = UidLease.take(300_002, 4, dir);
    expect(b.first).toBe(300_006);
    // A lease left by a process that is gone (kill -9 before release) is taken over.
    writeFileSync(join(dir, '300010'), '999999999');
    const c = UidLease.take(300_010, 2, dir);
    expect(c.first).toBe(300_010);
    a.release();
    expect(existsSync(join(dir, '300000'))).toBe(false);
    expect(UidLease.take(300_000, 4, dir).first).toBe(300_000);
    b.release();
    c.release();
  });

  it('refuses a lease directory others can write (they could plant leases and steer which uids programs get)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ys-uids-open-'));
    chmodSync(dir, 0o777);
    expect(() => UidLease.take(310_000, 2, dir)).toThrow(/not a directory owned by uid .* writable only by it/);
  });
});
