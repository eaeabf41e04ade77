import { createReadStream } from 'node:fs';
import { mkdir, open, stat, truncate, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ERROR_CODES, YardstickError } from './errors.js';
import { lockRunFolder, type RunLock } from './run-lock.js';
import { scoringFailed } from './scoring-failure.js';
import type { SampleRecord } from './types.js';

/** The identity of a record across resumes: benchmark (with any sweep-phase suffix) and sample id. */
export function recordKey(benchmark: string, sampleId: string): string {
  return `${benchmark}\u0000${sampleId}`;
}

export interface ResultsStore {
  readonly path: string;
  /**
   * Resolves once the record is written to the journal file, where a crash or `kill -9` of this
   * process cannot lose it; a sample counts only after that. (Power loss: see syncIntervalMs.)
   * `line`: the record's `JSON.stringify`, when the caller already has it (see RecordLines).
   */
  append(record: SampleRecord, line?: string): Promise<void>;
  /** Keys finished without error in an earlier attempt of this run (resume skips them). */
  isDone(benchmark: string, sampleId: string): boolean;
  /** Number of records finished without error carried over from before a resume. */
  readonly resumedCount: number;
  /** The highest attempt among the records carried over (a record without one is attempt 1); 0 for an empty journal. */
  readonly lastAttempt: number;
  /** …of them, those of one benchmark. */
  doneCount(benchmark: string): number;
  /** Latest record per key, in journal order. Streams; holds nothing per record. */
  read(): AsyncIterable<SampleRecord>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface JournalStoreOptions {
  /** Flush when this many records are waiting (default 256). */
  batchSize?: number;
  /** …or after this many ms (default 10). */
  flushMs?: number;
  /** fdatasync at all (default true). */
  sync?: boolean;
  /**
   * fdatasync at most this often, in ms (default 1000), and always on flush / close. 0 syncs each
   * batch before its records are acknowledged. Records are acknowledged once written to the file:
   * that survives a crash or `kill -9` of Yardstick; what a power loss or kernel crash can take is
   * at most the last interval, and `--resume` redoes those samples. This is SQLite's
   * `synchronous=NORMAL` trade; measured here, a sync per 10 ms batch cost 10–20% of a high-rate run.
   */
  syncIntervalMs?: number;
}

/** What opening a journal cut: a torn last line, left by a crash in the middle of a write. */
export interface JournalRecovery {
  /** 1-based line number of the torn line. */
  line: number;
  /** Bytes cut from the end of the file. */
  droppedBytes: number;
  /** One line for the log, naming the journal and the line. */
  message: string;
}

/** The largest batch (in bytes) whose write buffer is kept for the next one (8 MiB). */
const MAX_KEPT_BUFFER = 8 * 1024 * 1024;

/**
 * An append-only JSON Lines journal with group commit. Why not SQLite: the only maintained drivers on
 * Node 20 are native addons (better-sqlite3) that need a compiler or a binary download at install
 * time; a journal needs neither, survives `kill -9` with at most the last partial line lost (which is
 * detected and cut on resume), and streams a million records without holding them in memory.
 * Group commit (one write per batch, an fdatasync at most once per syncIntervalMs) keeps durability
 * cheap at tens of thousands of records per second.
 */
export class JournalStore implements ResultsStore {
  readonly path: string;
  private handle: FileHandle | undefined;
  /** Lines waiting for the next write, and the one promise their records share. */
  private lines: string[] = [];
  private batch: { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The write + fdatasync loop, while one runs. */
  private draining: Promise<void> | undefined;
  private readonly done = new Set<string>();
  /** Keys appended again after a resume: read() yields only their last occurrence. */
  private readonly occurrences = new Map<string, number>();
  private readonly batchSize: number;
  private readonly flushMs: number;
  private readonly sync: boolean;
  private readonly syncIntervalMs: number;
  /** Written since the last fdatasync, and when that was. */
  private unsynced = false;
  private lastSync = 0;
  private syncTimer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | undefined;
  /** An fdatasync failed after its records were acknowledged: reported by flush / close. */
  private syncFailure: YardstickError | undefined;
  private closed = false;
  private needsNewline = false;
  /** The write buffer, reused batch after batch (see encode). */
  private encoded = Buffer.alloc(0);
  /** Bytes in the journal file (this store is its only writer: the run lock): where a failed batch is cut back to. */
  private size = 0;
  /** A failed batch left part of a line that could not be cut off: nothing more is appended after it. */
  private broken: YardstickError | undefined;
  resumedCount = 0;
  lastAttempt = 0;
  /** Set when opening cut a torn last line (the kernel logs it); undefined when nothing was cut. */
  recovered: JournalRecovery | undefined;
  /** The run folder's lock, held from open to close so two processes never append to one journal. */
  private lock: RunLock | undefined;

  private constructor(path: string, options: JournalStoreOptions) {
    this.path = path;
    this.batchSize = options.batchSize ?? 256;
    this.flushMs = options.flushMs ?? 10;
    this.sync = options.sync ?? true;
    this.syncIntervalMs = options.syncIntervalMs ?? 1000;
    this.lastSync = performance.now();
  }

  /**
   * Opens (creating or continuing) the journal in `dir`. Loads finished keys when continuing.
   * Throws YS_RUN_LOCKED while another open store (this process or another) has the folder, and
   * YS_STORE_CORRUPT, leaving the file as it is, when a line other than a torn last one is bad.
   */
  static async open(dir: string, options: JournalStoreOptions = {}): Promise<JournalStore> {
    await mkdir(dir, { recursive: true });
    const store = new JournalStore(join(dir, 'journal.jsonl'), options);
    // Locked before recovery: recovery may cut the file, which must not race a live writer.
    store.lock = await lockRunFolder(dir);
    try {
      await store.recover();
      store.handle = await open(store.path, 'a');
      if (store.needsNewline) await store.handle.write('\n');
      store.size = (await store.handle.stat()).size;
    } catch (e) {
      await store.handle?.close().catch(() => undefined);
      await store.lock.release();
      throw e;
    }
    return store;
  }

  /**
   * Loads the finished keys. Only the last line may be bad without stopping: a crash mid-write
   * leaves it torn (no newline, not JSON), and it is cut and reported in `recovered`. A bad line
   * before it, or a last line that is JSON but no record, is corruption: cutting there would
   * silently drop every record after it, so the resume stops and names the line instead.
   */
  private async recover(): Promise<void> {
    let size: number;
    try {
      size = (await stat(this.path)).size;
    } catch {
      return;
    }
    let offset = 0;
    let lineNo = 0;
    /** An unparsable line: torn if nothing but blank lines follows it. */
    let torn: { line: number; offset: number; problem: string } | undefined;
    const failed = new Set<string>();
    const seen = new Map<string, number>();
    for await (const { line, bytes } of readLines(this.path)) {
      lineNo++;
      const start = offset;
      offset += bytes;
      if (line === '') continue; // a blank line holds nothing (read() skips it too)
      if (torn) throw corruptLine(this.path, torn.line, torn.problem);
      const parsed = parseRecord(line);
      if (parsed.kind === 'not-json') {
        torn = { line: lineNo, offset: start, problem: parsed.problem };
        continue;
      }
      // Complete JSON is never a torn write, wherever it stands.
      if (parsed.kind === 'not-record') throw corruptLine(this.path, lineNo, parsed.problem);
      const { record } = parsed;
      const key = recordKey(record.benchmark, record.sample.id);
      seen.set(key, (seen.get(key) ?? 0) + 1);
      const attempt = typeof record.attempt === 'number' ? record.attempt : 1;
      if (attempt > this.lastAttempt) this.lastAttempt = attempt;
      // A failed request, or a reply its scorers could not judge: not finished, --resume runs it again.
      if (record.result.error || scoringFailed(record)) {
        failed.add(key);
        this.done.delete(key);
      } else {
        failed.delete(key);
        this.done.add(key);
      }
    }
    if (torn) {
      await truncate(this.path, torn.offset);
      const droppedBytes = size - torn.offset;
      this.recovered = {
        line: torn.line,
        droppedBytes,
        message: `${this.path}: cut a torn last line (line ${torn.line}, ${droppedBytes} bytes) left by an interrupted write; its sample runs again`,
      };
    }
    // A complete last record that lost only its newline: restore it so the next append starts a line.
    this.needsNewline = !torn && offset > size;
    for (const [key, count] of seen) if (count > 1 || failed.has(key)) this.occurrences.set(key, count);
    this.resumedCount = this.done.size;
  }

  isDone(benchmark: string, sampleId: string): boolean {
    return this.done.has(recordKey(benchmark, sampleId));
  }

  doneCount(benchmark: string): number {
    const prefix = recordKey(benchmark, '');
    let n = 0;
    for (const key of this.done) if (key.startsWith(prefix)) n++;
    return n;
  }

  append(record: SampleRecord, line?: string): Promise<void> {
    if (this.closed) return Promise.reject(new YardstickError(ERROR_CODES.STORE_FAILED, `results store ${this.path} is closed`));
    if (this.broken) return Promise.reject(this.broken);
    // Only a resumed journal has keys seen before; a fresh run skips building the key per record.
    if (this.occurrences.size > 0) {
      const key = recordKey(record.benchmark, record.sample.id);
      const before = this.occurrences.get(key);
      if (before !== undefined) this.occurrences.set(key, before + 1);
    }
    this.lines.push(line ?? JSON.stringify(record));
    if (!this.batch) {
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<void>((ok, fail) => ((resolve = ok), (reject = fail)));
      this.batch = { promise, resolve, reject };
    }
    const promise = this.batch.promise;
    // While a write is in flight new lines only queue: they all go out in the next single write
    // + fdatasync, so the batch size adapts to the disk's sync latency.
    if (!this.draining) {
      if (this.lines.length >= this.batchSize) void this.drain();
      else this.timer ??= setTimeout(() => void this.drain(), this.flushMs);
    }
    return promise;
  }

  /**
   * Writes everything queued, then whatever queued meanwhile while a full batch is waiting; a
   * smaller remainder waits for the flush timer (or `flush()`, which forces it). Looping straight on
   * after each fdatasync made thousands of tiny syncs per second at high rates (a sync takes ~0.5 ms
   * here), and their CPU cost slowed the run by 10-20%.
   */
  private drain(force = false): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.draining ??= (async () => {
      try {
        for (let first = true; this.lines.length > 0 && (first || force || this.lines.length >= this.batchSize); first = false) {
          const lines = this.lines;
          const batch = this.batch!;
          this.lines = [];
          this.batch = undefined;
          const before = this.size;
          if (this.broken) {
            batch.reject(this.broken);
            continue;
          }
          let written = false;
          try {
            if (!this.handle) throw new Error('journal not open');
            await this.writeAll(this.encode(lines));
            written = true;
            if (this.sync && this.syncIntervalMs === 0) {
              await this.handle.datasync();
              this.lastSync = performance.now();
            } else if (this.sync) this.unsynced = true;
            batch.resolve();
            if (this.unsynced && performance.now() - this.lastSync >= this.syncIntervalMs) await this.syncNow();
          } catch (cause) {
            batch.reject(new YardstickError(ERROR_CODES.STORE_FAILED, `could not write results to ${this.path}`, { cause }));
            if (!written) await this.cutBack(before, cause);
          }
        }
      } finally {
        this.draining = undefined;
        if (this.lines.length > 0 && !this.closed) this.timer ??= setTimeout(() => void this.drain(), this.flushMs);
        // Written but not yet synced: sync when the interval is up even if nothing else arrives.
        if (this.unsynced && !this.syncTimer && !this.closed) {
          const wait = Math.max(0, this.syncIntervalMs - (performance.now() - this.lastSync));
          this.syncTimer = setTimeout(() => {
            this.syncTimer = undefined;
            void this.syncNow();
          }, wait);
        }
      }
    })();
    return this.draining;
  }

  /**
   * The lines as UTF-8, each ending in a newline, in the reused write buffer; returns the byte count.
   * Why not `lines.join('\n')` written as a string: that built one string per batch (~150 KB for
   * 256 serving records: past V8's largest regular object, so it sat in the old generation's
   * large-object space until a full collection) and the write encoded it once more: 1.3–1.6 µs per
   * line on the bench VM, against 0.2–0.3 µs encoding each line straight into one reused buffer.
   * Reusing it is safe because one batch is written at a time (drain awaits each write).
   */
  private encode(lines: string[]): number {
    let bound = 0;
    for (const line of lines) bound += line.length * 3 + 1; // a UTF-16 code unit is at most 3 UTF-8 bytes
    if (this.encoded.length < bound) this.encoded = Buffer.allocUnsafeSlow(bound);
    const buf = this.encoded;
    let at = 0;
    for (const line of lines) {
      at += buf.write(line, at);
      buf[at++] = 0x0a;
    }
    return at;
  }

  /** Writes the first `length` bytes of the write buffer, going on after a short write (one that wrote only part). */
  private async writeAll(length: number): Promise<void> {
    const buf = this.encoded;
    for (let at = 0; at < length; ) {
      const { bytesWritten } = await this.handle!.write(buf, at, length - at);
      if (!(bytesWritten > 0)) throw new Error(`the write stopped after ${at} of ${length} bytes`);
      at += bytesWritten;
      this.size += bytesWritten;
    }
    // One outsized batch (records with huge replies) does not keep its buffer for the whole run;
    // batches under the limit reuse theirs (at most 3× the limit: the size is a worst-case bound).
    if (length > MAX_KEPT_BUFFER) this.encoded = Buffer.alloc(0);
  }

  /**
   * After a failed batch: cuts off what of it reached the file (a full disk fails a write part way).
   * Left there, that part of a line would run into the next batch's first line: a line in the middle
   * of the journal that resume refuses, and a record lost that was acknowledged. When the cut fails
   * too, nothing more is appended, so the torn line stays the last one (which resume cuts).
   */
  private async cutBack(size: number, cause: unknown): Promise<void> {
    if (this.size <= size) return;
    try {
      await this.handle!.truncate(size);
      this.size = size;
    } catch {
      this.broken = new YardstickError(ERROR_CODES.STORE_FAILED, `could not write results to ${this.path}, and a partly written line is at its end: nothing more is appended`, { cause });
    }
  }

  /** Resolves when everything appended so far is written and fdatasync'd. */
  async flush(): Promise<void> {
    while (this.draining || this.lines.length > 0) await (this.draining ?? this.drain(true));
    await this.syncing;
    await this.syncNow();
    if (this.syncFailure) throw this.syncFailure;
  }

  /** fdatasync what was written since the last one (one at a time). */
  private syncNow(): Promise<void> {
    if (!this.sync || !this.unsynced || !this.handle) return this.syncing ?? Promise.resolve();
    if (this.syncTimer) {
      clearTimeout(this.syncTimer);
      this.syncTimer = undefined;
    }
    const handle = this.handle;
    this.unsynced = false;
    this.lastSync = performance.now();
    const previous = this.syncing ?? Promise.resolve();
    const syncing = previous
      .then(() => handle.datasync())
      .catch((cause: unknown) => {
        this.syncFailure ??= new YardstickError(ERROR_CODES.STORE_FAILED, `could not sync results to ${this.path}`, { cause });
      })
      .finally(() => {
        if (this.syncing === syncing) this.syncing = undefined;
      });
    this.syncing = syncing;
    return syncing;
  }

  async *read(): AsyncIterable<SampleRecord> {
    await this.flush();
    const remaining = new Map(this.occurrences);
    for await (const { line, terminated } of readLines(this.path)) {
      if (!line) continue;
      let record: SampleRecord;
      try {
        record = JSON.parse(line) as SampleRecord;
      } catch (error) {
        // A batch that failed part way and could not be cut off leaves a torn last line (see
        // cutBack): its records were never acknowledged; every line before it still counts.
        if (!terminated && this.broken) continue;
        throw error;
      }
      const key = recordKey(record.benchmark, record.sample.id);
      const left = remaining.get(key);
      if (left !== undefined) {
        remaining.set(key, left - 1);
        if (left > 1) continue; // superseded by a later attempt of the same sample
      }
      yield record;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      if (this.syncTimer) clearTimeout(this.syncTimer);
      try {
        await this.handle?.close();
      } finally {
        this.handle = undefined;
        await this.lock?.release();
      }
    }
  }
}

type ParsedLine = { kind: 'record'; record: SampleRecord } | { kind: 'not-json'; problem: string } | { kind: 'not-record'; problem: string };

/** A journal line as a record, or why it is not one: not JSON at all (maybe torn), or JSON without the fields resume and the summary rely on. */
function parseRecord(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return { kind: 'not-json', problem: `not valid JSON (${(e as Error).message.slice(0, 160)})` };
  }
  const problem = recordProblem(value);
  return problem ? { kind: 'not-record', problem: `valid JSON but not a result record: ${problem}` } : { kind: 'record', record: value as SampleRecord };
}

function recordProblem(value: unknown): string | undefined {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value)) return 'not an object';
  if (typeof value.benchmark !== 'string') return '"benchmark" is not a string';
  if (!isObject(value.sample) || typeof value.sample.id !== 'string') return '"sample.id" is not a string';
  if (!isObject(value.result)) return '"result" is not an object';
  return undefined;
}

function corruptLine(path: string, line: number, problem: string): YardstickError {
  return new YardstickError(ERROR_CODES.STORE_CORRUPT, `The results journal ${path} is corrupt at line ${line}: ${problem}. Nothing was changed.`, {
    hint: `Fix or delete line ${line} of ${path} and resume again (the records after it are kept), or start a new run without --resume.`,
    details: { file: path, line },
  });
}

/**
 * The journal's lines with their byte length + 1 (so a torn final line, which has no newline, can be
 * cut precisely, and a complete final line that only lost its newline shows as one byte over the
 * file size). Splits 1 MiB reads on LF by hand: readline's regex split and per-line string building
 * were about a fifth of the time to read the records back for the summary (profile of 100,000).
 */
async function* readLines(path: string): AsyncIterable<{ line: string; bytes: number; terminated: boolean }> {
  let carry: Buffer | undefined;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    carry = undefined;
    let start = 0;
    for (let nl = buf.indexOf(0x0a, start); nl >= 0; nl = buf.indexOf(0x0a, start)) {
      const end = nl > start && buf[nl - 1] === 0x0d ? nl - 1 : nl;
      // bytes counts the whole line with its ending (CRLF is two bytes): recovery cuts the file by it.
      yield { line: buf.toString('utf8', start, end), bytes: nl - start + 1, terminated: true };
      start = nl + 1;
    }
    if (start < buf.length) carry = buf.subarray(start);
  }
  if (carry && carry.length > 0) yield { line: carry.toString('utf8'), bytes: carry.length + 1, terminated: false };
}
