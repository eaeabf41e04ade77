import { promptless } from './request-builders.js';
import type { Sample, SampleRecord } from './types.js';

/** `JSON.stringify` of a fresh `emptyCard()`: the score of every record of a phase without scorers. */
const EMPTY_CARD_JSON = '{"metrics":{},"reasons":{},"details":{}}';

/**
 * The journal line of one phase's records: exactly `JSON.stringify(record)`, built faster for the
 * shape every serving request has.
 *
 * Why: at 20,000 req/s, `JSON.stringify` of the record was ~10% of the client's event loop (profile
 * of `pnpm bench:client`'s open loop), and the prompt-less copy of the sample made for it one more
 * object per request. In a serving phase (no scorers, prompts not recorded) most of a line is the
 * same from request to request: the benchmark name, the run id, the empty score card, and the
 * sample, which a phase cycles through again and again. Those parts are serialized once (the sample
 * once per sample object) and only the result is serialized per record: 2.0 µs against 4.3 µs for
 * copy + stringify in a microbenchmark of the real record shape.
 *
 * Exact by construction: a record's keys are created in the order benchmark, sample, result,
 * runId, index, score, finishedAt (PhaseRequests builds it so), which is the order
 * `JSON.stringify` writes; the fast path joins the JSON of each value in that order. Records of
 * any other shape (multi-turn `turns`, repeated `attempts`, a scored phase) take `JSON.stringify`.
 * A sample's JSON is kept only when nothing in the phase is handed the sample object itself
 * (`cachesSamples`: no scorer sees it; listeners get a prompt-less copy), so nothing can change it
 * between two uses; a dataset row is not modified by the kernel.
 */
export class RecordLines {
  private readonly samples = new WeakMap<Sample, string>();
  private readonly head: string;
  private readonly runIdJson: string;

  constructor(
    private readonly benchmark: string,
    private readonly runId: string,
    /** Whether sample JSON can be kept across records (see the class comment). */
    readonly cachesSamples: boolean,
    /** Whether records keep the prompt (else the sample is written without prompt, messages, turns). */
    private readonly recordPrompts: boolean,
  ) {
    this.head = `{"benchmark":${JSON.stringify(benchmark)},"sample":`;
    this.runIdJson = JSON.stringify(runId);
  }

  /**
   * The line of `record`, whose sample was made from `sample` (itself, or its prompt-less copy).
   * `freshCard`: `record.score` is an untouched `emptyCard()`.
   */
  of(record: SampleRecord, sample: Sample, freshCard: boolean): string {
    if (
      !this.cachesSamples ||
      record.turns !== undefined ||
      record.attempts !== undefined ||
      record.benchmark !== this.benchmark ||
      record.runId !== this.runId ||
      !Number.isSafeInteger(record.index)
    )
      return JSON.stringify(record);
    let sampleJson = this.samples.get(sample);
    if (sampleJson === undefined) {
      sampleJson = JSON.stringify(this.recordPrompts ? sample : promptless(sample));
      this.samples.set(sample, sampleJson);
    }
    const score = freshCard ? EMPTY_CARD_JSON : JSON.stringify(record.score);
    // finishedAt is Date#toISOString: digits, '-', ':', '.', 'T', 'Z', nothing JSON escapes.
    return `${this.head}${sampleJson},"result":${JSON.stringify(record.result)},"runId":${this.runIdJson},"index":${record.index},"score":${score},"finishedAt":"${record.finishedAt}"}`;
  }
}
