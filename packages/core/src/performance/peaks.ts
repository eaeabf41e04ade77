import type { GenerateResult } from '../types.js';

/** Times buffered (chunk arrivals, plus a start and an end per request) before the tracker asks for a second pass instead: 8 bytes each, 8 MB. */
const DEFAULT_TOKEN_BUFFER = 1 << 20;

export interface Peaks {
  /** Most content chunks received within one second of the run (vLLM `max_output_tokens_per_s`). */
  max_output_tokens_per_s: number;
  /** Most requests in flight during one second (vLLM `max_concurrent_requests`). */
  max_concurrent_requests: number;
}

/**
 * vLLM `bench serve`'s peak metrics (`calculate_metrics` in vllm/benchmarks/serve.py), exactly:
 * over successful requests, with `m` the earliest start, second buckets `int(t − m)`;
 * - each content chunk's arrival (start + TTFT + the running sum of ITLs; an empty reply counts one
 *   token at start + TTFT) adds 1 to its bucket, and the peak is the fullest bucket — chunks, not
 *   usage tokens, as vLLM counts them;
 * - each request counts in every bucket from `int(start − m)` through `int(end − m)`, and the peak
 *   is the fullest one.
 *
 * `m` is known only once every request is seen, and the buckets depend on it to the microsecond, so
 * token times are kept until the end, up to a budget; a longer run asks its caller for a second pass
 * over the requests (`needsReplay`, then `replay` each one) and stays in constant memory.
 */
export class PeakTracker {
  private minStart = Infinity;
  private maxEnd = -Infinity;
  /** Absolute chunk times and request [start, end] pairs (ms) while within budget. */
  private tokens: Float64Array | undefined;
  private tokenCount = 0;
  private spans: Float64Array | undefined;
  private spanCount = 0;
  /** Set once the budget overflowed: buckets are filled by `replay` with `minStart` known. */
  private replayBuckets: { tokens: Float64Array; concurrency: Int32Array } | undefined;

  constructor(private readonly tokenBudget = DEFAULT_TOKEN_BUFFER) {
    this.tokens = new Float64Array(Math.min(1024, tokenBudget));
    this.spans = new Float64Array(Math.min(1024, tokenBudget));
  }

  add(result: GenerateResult): void {
    if (result.error) return;
    const t = result.timing;
    const start = t.sentAt;
    const end = start + t.doneMs;
    if (start < this.minStart) this.minStart = start;
    if (end > this.maxEnd) this.maxEnd = end;
    if (!this.tokens) return;
    const chunks = t.chunksMs;
    const count = Math.max(1, chunks.length);
    if (this.tokenCount + count + this.spanCount + 2 > this.tokenBudget) {
      // Over budget: drop the buffers; the caller replays every request once `minStart` is final.
      this.tokens = undefined;
      this.spans = undefined;
      return;
    }
    const tokens = (this.tokens = grow(this.tokens, this.tokenCount + count, this.tokenBudget));
    if (chunks.length === 0) tokens[this.tokenCount++] = start + (t.firstTokenMs ?? 0);
    else for (let i = 0; i < chunks.length; i++) tokens[this.tokenCount++] = start + chunks[i]!;
    const spans = (this.spans = grow(this.spans!, this.spanCount + 2, this.tokenBudget));
    spans[this.spanCount++] = start;
    spans[this.spanCount++] = end;
  }

  /** True when the buffers overflowed: call `replay` with every request again, then `summarize`. */
  get needsReplay(): boolean {
    return this.tokens === undefined && Number.isFinite(this.minStart);
  }

  /** The second pass: the same requests as `add` saw, in any order. */
  replay(result: GenerateResult): void {
    if (result.error || !this.needsReplay) return;
    const buckets = (this.replayBuckets ??= this.emptyBuckets());
    const t = result.timing;
    const chunks = t.chunksMs;
    if (chunks.length === 0) this.countToken(buckets.tokens, t.sentAt + (t.firstTokenMs ?? 0));
    else for (let i = 0; i < chunks.length; i++) this.countToken(buckets.tokens, t.sentAt + chunks[i]!);
    this.countSpan(buckets.concurrency, t.sentAt, t.sentAt + t.doneMs);
  }

  summarize(): Peaks {
    if (!Number.isFinite(this.minStart)) return { max_output_tokens_per_s: 0, max_concurrent_requests: 0 };
    let buckets = this.replayBuckets;
    if (!buckets) {
      if (!this.tokens) throw new Error('PeakTracker: the token buffer overflowed and no replay pass was made');
      buckets = this.emptyBuckets();
      for (let i = 0; i < this.tokenCount; i++) this.countToken(buckets.tokens, this.tokens[i]!);
      const spans = this.spans!;
      for (let i = 0; i < this.spanCount; i += 2) this.countSpan(buckets.concurrency, spans[i]!, spans[i + 1]!);
    }
    // Spans were added as +1 at their first second and −1 after their last: a running sum gives
    // the requests in flight per second.
    let inFlight = 0;
    let maxConcurrent = 0;
    for (let s = 0; s < buckets.concurrency.length; s++) {
      inFlight += buckets.concurrency[s]!;
      if (inFlight > maxConcurrent) maxConcurrent = inFlight;
    }
    let maxTokens = 0;
    for (let s = 0; s < buckets.tokens.length; s++) if (buckets.tokens[s]! > maxTokens) maxTokens = buckets.tokens[s]!;
    return { max_output_tokens_per_s: maxTokens, max_concurrent_requests: maxConcurrent };
  }

  /** vLLM: `int(ceil(max_end − min_start)) + 1` second buckets (one more for the span difference array). */
  private emptyBuckets(): { tokens: Float64Array; concurrency: Int32Array } {
    const seconds = Math.ceil((this.maxEnd - this.minStart) / 1000) + 1;
    return { tokens: new Float64Array(seconds), concurrency: new Int32Array(seconds + 1) };
  }

  private countToken(tokens: Float64Array, at: number): void {
    const bucket = Math.trunc((at - this.minStart) / 1000);
    if (bucket >= 0 && bucket < tokens.length) tokens[bucket]!++;
  }

  private countSpan(concurrency: Int32Array, start: number, end: number): void {
    const first = Math.trunc((start - this.minStart) / 1000);
    const last = Math.trunc((end - this.minStart) / 1000);
    concurrency[first]!++;
    concurrency[last + 1]!--;
  }
}

/** `buffer`, or a copy twice as large (at most `cap`, at least `needed`) when it cannot hold `needed` values. */
function grow(buffer: Float64Array, needed: number, cap: number): Float64Array {
  if (needed <= buffer.length) return buffer;
  const grown = new Float64Array(Math.max(needed, Math.min(cap, buffer.length * 2)));
  grown.set(buffer);
  return grown;
}
