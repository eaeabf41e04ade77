import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { requestsOf, VLLM_DETAIL_FIELDS, vllmRequestDetail, type SampleRecord, type VllmDetailField } from '@yardstick/core';

/**
 * vLLM's `--save-detailed` arrays for each benchmark, from one pass over the journal. A
 * 1,000,000-request run has millions of ITLs: nothing is held per request in memory. Each array is
 * streamed to a temp file of comma-separated JSON values (one set of files per benchmark), and
 * `assemble` splices the files into the result JSON after its scalar fields.
 */
export class VllmDetailArrays {
  private readonly writers = new Map<string, { streams: Record<VllmDetailField, WriteStream>; count: number }>();
  /** The first write error of any temp file (a full disk): thrown by the next add or assemble. */
  private error: Error | undefined;

  private constructor(private readonly dir: string) {}

  /** Temp files go in `parent` (the run folder: same disk as the result, cleaned by `close`). */
  static async create(parent: string): Promise<VllmDetailArrays> {
    return new VllmDetailArrays(await mkdtemp(join(parent, '.vllm-detailed-')));
  }

  /** Reads the journal once; `wanted` names the benchmarks to collect (those with performance). */
  async collect(records: AsyncIterable<SampleRecord>, wanted: ReadonlySet<string>): Promise<void> {
    for await (const record of records) {
      if (!wanted.has(record.benchmark)) continue;
      const requests = requestsOf(record);
      // The prompt length the client asked for (synthetic workloads record it); a multi-request
      // record's turns differ in length, so those take each request's usage instead.
      const asked = record.sample.metadata?.input_tokens;
      const promptLen = requests.length === 1 && typeof asked === 'number' ? asked : undefined;
      for (const result of requests) await this.add(record.benchmark, vllmRequestDetail(result, promptLen));
    }
  }

  private async add(benchmark: string, detail: ReturnType<typeof vllmRequestDetail>): Promise<void> {
    let w = this.writers.get(benchmark);
    if (!w) {
      const streams = {} as Record<VllmDetailField, WriteStream>;
      const index = this.writers.size;
      for (const field of VLLM_DETAIL_FIELDS) {
        streams[field] = createWriteStream(join(this.dir, `${index}.${field}`));
        streams[field].on('error', (e) => void (this.error ??= e));
      }
      this.writers.set(benchmark, (w = { streams, count: 0 }));
    }
    if (this.error) throw this.error;
    const sep = w.count++ === 0 ? '' : ',';
    for (const field of VLLM_DETAIL_FIELDS) {
      const stream = w.streams[field];
      // Backpressure: wait for the file to take what is buffered before writing more.
      if (!stream.write(sep + JSON.stringify(detail[field]))) await once(stream, 'drain');
    }
  }

  /**
   * The result JSON of `benchmark`: `head` (vLLM's scalar fields, indented as the plain export)
   * followed by the seven arrays, each on one line. Empty arrays when no request was recorded.
   */
  async *assemble(benchmark: string, head: Record<string, unknown>): AsyncGenerator<string> {
    const w = this.writers.get(benchmark);
    if (w) await Promise.all(VLLM_DETAIL_FIELDS.map(async (f) => (w.streams[f].end(), once(w.streams[f], 'close'))));
    if (this.error) throw this.error;
    const text = JSON.stringify(head, null, 2);
    yield text.slice(0, text.lastIndexOf('}')).trimEnd();
    let first = Object.keys(head).length === 0;
    for (const field of VLLM_DETAIL_FIELDS) {
      yield `${first ? '' : ','}\n  ${JSON.stringify(field)}: [`;
      first = false;
      // utf8 decoding keeps a character split across read chunks whole.
      if (w) yield* createReadStream(w.streams[field].path, { encoding: 'utf8' }) as AsyncIterable<string>;
      yield ']';
    }
    yield '\n}\n';
  }

  /** Closes every temp file and removes them. */
  async close(): Promise<void> {
    for (const w of this.writers.values()) for (const s of Object.values(w.streams)) s.destroy();
    await rm(this.dir, { recursive: true, force: true });
  }
}
