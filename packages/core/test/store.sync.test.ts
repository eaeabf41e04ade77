import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalStore, type SampleRecord } from '../src/index.js';

describe('journal group commit and sync policy', () => {
  const record = (id: string): SampleRecord => ({
    runId: 'x', benchmark: 'b', index: 0, sample: { id, task: 't' },
    result: { text: 'y', timing: { sentAt: 0, chunksMs: [], doneMs: 1 } },
    score: { metrics: {}, reasons: {}, details: {} }, finishedAt: '',
  });

  async function countingSyncs<T>(fn: () => Promise<T>): Promise<{ value: T; syncs: number }> {
    const { open } = await import('node:fs/promises');
    const probe = await open(join(tmpdir(), `ys-probe-${process.pid}`), 'w');
    const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
    await probe.close();
    const original = proto.datasync;
    let syncs = 0;
    proto.datasync = function (this: unknown) {
      syncs++;
      return original.call(this);
    };
    try {
      return { value: await fn(), syncs };
    } finally {
      proto.datasync = original;
    }
  }

  it('writes a record appended below the batch size within the flush window, without flush()', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ys-flush-'));
    const store = await JournalStore.open(dir, { batchSize: 256, flushMs: 10 });
    const t0 = performance.now();
    await store.append(record('0'));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect((await readFile(join(dir, 'journal.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(1);
    // A second batch after the first write: also written by the timer, not left waiting.
    await Promise.all([store.append(record('1')), store.append(record('2'))]);
    expect((await readFile(join(dir, 'journal.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(3);
    await store.close();
  });

  it('acknowledges records once written and syncs at most once per interval, always on flush', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ys-sync-'));
    const { syncs } = await countingSyncs(async () => {
      const store = await JournalStore.open(dir, { batchSize: 4, flushMs: 1, syncIntervalMs: 60_000 });
      await Promise.all(Array.from({ length: 40 }, (_, i) => store.append(record(String(i)))));
      // Acknowledged = in the file, before any sync.
      expect((await readFile(join(dir, 'journal.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(40);
      await store.close();
    });
    expect(syncs).toBe(1); // the one on close
  });

  it('syncs every batch before acknowledging it with syncIntervalMs 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ys-sync0-'));
    const { syncs } = await countingSyncs(async () => {
      const store = await JournalStore.open(dir, { batchSize: 4, flushMs: 1, syncIntervalMs: 0 });
      for (let i = 0; i < 5; i++) await store.append(record(String(i)));
      await store.close();
    });
    expect(syncs).toBeGreaterThanOrEqual(5);
  });

  it('syncs written records within the interval even when nothing else arrives', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ys-sync-timer-'));
    const { value: store, syncs } = await countingSyncs(async () => {
      const store = await JournalStore.open(dir, { syncIntervalMs: 50 });
      await store.append(record('0'));
      await new Promise((r) => setTimeout(r, 300));
      return store;
    });
    expect(syncs).toBe(1);
    await store.close();
  });

  type Write = (this: unknown, buffer: unknown, offset: unknown, length: unknown, ...rest: unknown[]) => Promise<{ bytesWritten: number }>;
  /** Runs `fn` with FileHandle#write replaced by `wrap(original)`, then puts the original back. */
  async function withWrite<T>(wrap: (original: Write) => Write, fn: () => Promise<T>): Promise<T> {
    const { open } = await import('node:fs/promises');
    const probe = await open(join(tmpdir(), `ys-probe-w-${process.pid}`), 'w');
    const proto = Object.getPrototypeOf(probe) as { write: Write };
    await probe.close();
    const original = proto.write;
    proto.write = wrap(original);
    try {
      return await fn();
    } finally {
      proto.write = original;
    }
  }

  /** A write where call number `at` stores only 100 bytes and the next fails with ENOSPC (a disk filling up); the rest work. */
  const fullAt = (at: number) => (original: Write): Write => {
    let calls = 0;
    return function (buffer, offset, length, ...rest) {
      calls++;
      if (calls === at) return original.call(this, buffer, offset, 100, ...rest);
      if (calls === at + 1) return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
      return original.call(this, buffer, offset, length, ...rest);
    };
  };

  it('a write that stores only part of a batch is continued, not taken for the whole batch', async () => {
    // A file write may store fewer bytes than asked (a signal, a filling disk): the rest used to be
    // dropped silently while the records were acknowledged.
    let calls = 0;
    // At most 100 bytes per call.
    const atMost100 = (original: Write): Write =>
      function (buffer, offset, length, ...rest) {
        calls++;
        return original.call(this, buffer, offset, typeof length === 'number' ? Math.min(length, 100) : length, ...rest);
      };
    const dir = await mkdtemp(join(tmpdir(), 'ys-short-'));
    // Non-ASCII text too: byte counts differ from string lengths.
    const records = Array.from({ length: 20 }, (_, i) => ({ ...record(String(i)), result: { text: `żółw ✓ 𝔘 ${'x'.repeat(i * 7)}`, timing: { sentAt: i, chunksMs: [0.5], doneMs: 1 } } }));
    await withWrite(atMost100, async () => {
      const store = await JournalStore.open(dir, { batchSize: 8, flushMs: 1 });
      await Promise.all(records.map((r) => store.append(r)));
      await store.close();
    });
    const lines = (await readFile(join(dir, 'journal.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual(records);
    expect(calls).toBeGreaterThan(20);
  });

  it('a batch whose write fails part way (a full disk) is cut off: the next batch starts on a line of its own and the journal reopens', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ys-enospc-'));
    // The first batch: 100 bytes stored, then ENOSPC. Every later write works.
    await withWrite(fullAt(1), async () => {
      const store = await JournalStore.open(dir, { batchSize: 4, flushMs: 1 });
      const first = await Promise.allSettled(['a', 'b', 'c', 'd'].map((id) => store.append(record(id))));
      expect(first.every((r) => r.status === 'rejected')).toBe(true);
      await Promise.all(['e', 'f'].map((id) => store.append(record(id))));
      await store.close();
    });
    const ids = (await readFile(join(dir, 'journal.jsonl'), 'utf8')).trim().split('\n').map((l) => (JSON.parse(l) as SampleRecord).sample.id);
    expect(ids).toEqual(['e', 'f']);
    const again = await JournalStore.open(dir);
    expect(again.recovered).toBeUndefined();
    await again.close();
  });

  it('when the failed part cannot be cut off either, nothing more is appended and the records before it still read back', async () => {
    const { open } = await import('node:fs/promises');
    const probe = await open(join(tmpdir(), `ys-probe-t-${process.pid}`), 'w');
    const proto = Object.getPrototypeOf(probe) as { truncate: () => Promise<void> };
    await probe.close();
    const truncate = proto.truncate;
    proto.truncate = () => Promise.reject(new Error('EIO: i/o error, ftruncate'));
    const dir = await mkdtemp(join(tmpdir(), 'ys-broken-'));
    try {
      // The second batch: 100 bytes stored, then ENOSPC.
      await withWrite(fullAt(2), async () => {
        const store = await JournalStore.open(dir, { batchSize: 2, flushMs: 1 });
        await Promise.all(['a', 'b'].map((id) => store.append(record(id))));
        const failed = await Promise.allSettled(['c', 'd'].map((id) => store.append(record(id))));
        expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
        await expect(store.append(record('e'))).rejects.toThrow(/nothing more is appended/);
        const ids: string[] = [];
        for await (const r of store.read()) ids.push(r.sample.id);
        expect(ids).toEqual(['a', 'b']);
        await store.close();
      });
    } finally {
      proto.truncate = truncate;
    }
    // Reopened, the torn last line is cut, as after a crash mid-write.
    const again = await JournalStore.open(dir);
    expect(again.recovered).toBeDefined();
    await again.close();
  });
});
