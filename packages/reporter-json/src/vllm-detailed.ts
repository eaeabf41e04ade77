import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { clientPromptTokens, requestsOf, VLLM_DETAIL_FIELDS, vllmRequestDetail, type SampleRecord, type VllmDetailField } from '@yardstick/core';

/** A closed-loop request's queue time, filled in once the benchmark's first send is known (see vllmRequestDetail). */
const LATER = 'null';

/** One benchmark's requests as collected: a line each, in journal (completion) order. */
interface Collected {
  /** Names its temp files. */
  id: number;
  /** Every request's fields, one line each: their JSON texts joined by tabs (JSON.stringify never writes a raw tab or newline). */
  lines: WriteStream;
  bytes: number;
  /** Per request, by journal position: its record's place in the benchmark's dispatch order, its send time, where its line is. */
  index: number[];
  sentAt: number[];
  /** The run attempt that sent it (1 unless resumed): closed-loop queue times count from their attempt's first send. */
  attempt: number[];
  offset: number[];
  length: number[];
}

/**
 * vLLM's `--save-detailed` arrays for each benchmark, in request (dispatch) order as vLLM writes
 * them, from one pass over the journal, which holds requests in completion order. A
 * 1,000,000-request run has millions of ITLs and texts: those go to a temp file, a line per request,
 * and memory holds 5 numbers per request (~40 MB per million) to put the lines in order. `assemble`
 * splits the ordered lines into one temp file per array and splices those into the result JSON
 * after its scalar fields.
 */
export class VllmDetailArrays {
  private readonly collected = new Map<string, Collected>();
  /** The first write error of any temp file (a full disk): thrown by the next add or assemble. */
  private error: Error | undefined;
  private readonly streams: WriteStream[] = [];

  private constructor(
    private readonly dir: string,
    private readonly fields: readonly VllmDetailField[],
  ) {}

  /**
   * Temp files go in `parent` (the run folder: same disk as the result, cleaned by `close`).
   * `fields`: the arrays to write, in vLLM's order (all of them for `--save-detailed`; the plain
   * export has the two vLLM keeps without it, VLLM_PLAIN_FIELDS).
   */
  static async create(parent: string, fields: readonly VllmDetailField[] = VLLM_DETAIL_FIELDS): Promise<VllmDetailArrays> {
    return new VllmDetailArrays(await mkdtemp(join(parent, '.vllm-detailed-')), VLLM_DETAIL_FIELDS.filter((f) => fields.includes(f)));
  }

  /** Reads the journal once; `wanted` names the benchmarks to collect (those with performance). */
  async collect(records: AsyncIterable<SampleRecord>, wanted: ReadonlySet<string>): Promise<void> {
    for await (const record of records) {
      if (!wanted.has(record.benchmark)) continue;
      // The prompt length the client knows (synthetic workloads record it), for requests without usage.
      const promptLen = clientPromptTokens(record);
      for (const result of requestsOf(record)) await this.add(record.benchmark, record.index, result.timing.sentAt, record.attempt ?? 1, vllmRequestDetail(result, promptLen));
    }
  }

  private stream(path: string): WriteStream {
    const s = createWriteStream(path);
    s.on('error', (e) => void (this.error ??= e));
    this.streams.push(s);
    return s;
  }

  private async add(benchmark: string, index: number, sentAt: number, attempt: number, detail: ReturnType<typeof vllmRequestDetail>): Promise<void> {
    let c = this.collected.get(benchmark);
    if (!c) {
      const id = this.collected.size;
      const lines = this.stream(join(this.dir, `${id}.requests`));
      this.collected.set(benchmark, (c = { id, lines, bytes: 0, index: [], sentAt: [], attempt: [], offset: [], length: [] }));
    }
    if (this.error) throw this.error;
    let line = '';
    for (const field of this.fields) line += (line ? '\t' : '') + JSON.stringify(detail[field]);
    const length = Buffer.byteLength(line);
    c.index.push(index);
    c.sentAt.push(sentAt);
    c.attempt.push(attempt);
    c.offset.push(c.bytes);
    c.length.push(length);
    c.bytes += length + 1;
    // Backpressure: wait for the file to take what is buffered before writing more.
    if (!c.lines.write(`${line}\n`)) await once(c.lines, 'drain');
  }

  /**
   * The collected lines in request order (vLLM's arrays follow its input requests, which it sends in
   * order): by the record's dispatch index, then send time (a conversation's turns), then journal
   * position. Written out as one temp file of comma-separated values per array.
   */
  private async ordered(c: Collected): Promise<Record<VllmDetailField, WriteStream>> {
    c.lines.end();
    await once(c.lines, 'close');
    if (this.error) throw this.error;
    const order = Uint32Array.from(c.index.keys()).sort((a, b) => c.index[a]! - c.index[b]! || c.sentAt[a]! - c.sentAt[b]! || a - b);
    const fields = this.fields;
    const out = {} as Record<VllmDetailField, WriteStream>;
    for (const field of fields) out[field] = this.stream(join(this.dir, `${c.id}.${field}`));
    // Closed loop: every request arrived as the benchmark started, at its first send (vLLM, rate inf);
    // a resumed run's attempt started anew, so each counts from its own first send.
    const firstSent = new Map<number, number>();
    c.sentAt.forEach((t, i) => {
      const a = c.attempt[i]!;
      if (t < (firstSent.get(a) ?? Infinity)) firstSent.set(a, t);
    });
    const queueAt = fields.indexOf('queue_times');
    const reader = new WindowReader(await open(String(c.lines.path), 'r'));
    try {
      for (let k = 0; k < order.length; k++) {
        const i = order[k]!;
        const parts = (await reader.read(c.offset[i]!, c.length[i]!)).split('\t');
        if (queueAt >= 0 && parts[queueAt] === LATER) parts[queueAt] = String(Math.round((c.sentAt[i]! - firstSent.get(c.attempt[i]!)!) * 1000) / 1e6);
        for (let f = 0; f < fields.length; f++) {
          const s = out[fields[f]!];
          if (!s.write(k === 0 ? parts[f]! : `,${parts[f]!}`)) await once(s, 'drain');
        }
      }
    } finally {
      await reader.close();
    }
    await Promise.all(fields.map(async (f) => (out[f].end(), once(out[f], 'close'))));
    if (this.error) throw this.error;
    return out;
  }

  /**
   * The result JSON of `benchmark`: `head` (vLLM's scalar fields, indented as the plain export)
   * followed by the per-request arrays, each on one line. Empty arrays when no request was recorded.
   */
  async *assemble(benchmark: string, head: Record<string, unknown>): AsyncGenerator<string> {
    const c = this.collected.get(benchmark);
    const files = c ? await this.ordered(c) : undefined;
    const text = JSON.stringify(head, null, 2);
    yield text.slice(0, text.lastIndexOf('}')).trimEnd();
    let first = Object.keys(head).length === 0;
    for (const field of this.fields) {
      yield `${first ? '' : ','}\n  ${JSON.stringify(field)}: [`;
      first = false;
      // utf8 decoding keeps a character split across read chunks whole.
      if (files) yield* createReadStream(files[field].path, { encoding: 'utf8' }) as AsyncIterable<string>;
      yield ']';
    }
    yield '\n}\n';
  }

  /** Closes every temp file and removes them. */
  async close(): Promise<void> {
    for (const s of this.streams) s.destroy();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Bytes read per miss; about half of it before the line asked for. */
const WINDOW = 1 << 20;

/**
 * Reads lines of a file in nearly ascending order through one buffer: requests finish roughly in
 * the order they were sent, so a line is usually near the one before and a read serves many. A
 * window opens half before the line asked for, since a request that finished early sits a little
 * ahead in the file.
 */
class WindowReader {
  private buffer = Buffer.alloc(WINDOW);
  private from = 0;
  private to = 0;

  constructor(private readonly file: FileHandle) {}

  async read(offset: number, length: number): Promise<string> {
    if (offset < this.from || offset + length > this.to) {
      if (length > this.buffer.length) this.buffer = Buffer.alloc(length);
      const from = Math.max(0, Math.min(offset, offset + length - this.buffer.length / 2));
      const { bytesRead } = await this.file.read(this.buffer, 0, this.buffer.length, from);
      this.from = from;
      this.to = from + bytesRead;
    }
    return this.buffer.toString('utf8', offset - this.from, offset - this.from + length);
  }

  close(): Promise<void> {
    return this.file.close();
  }
}
