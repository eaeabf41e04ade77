import { emptyCard, promptless } from './request-builders.js';
import type { Sample, SampleRecord } from './types.js';

/** `JSON.stringify` of a fresh `emptyCard()`: the score of every record of a phase without scorers. */
const EMPTY_CARD_JSON = JSON.stringify(emptyCard());
const ID_KEY = '{"id":';
/** A base sample whose prompt-less JSON does not start with its id: its records take JSON.stringify. */
const UNSPLIT = Symbol('unsplit');

/**
 * The journal lines of one phase's records: exactly `JSON.stringify(record)`, built faster for the
 * shape every serving request has.
 *
 * Why: at 20,000 req/s, `JSON.stringify` of the record was ~10% of the client's event loop (profile
 * of `pnpm bench:client`'s open loop), after a prompt-less copy of the sample made for it. In a
 * serving phase (no scorers, prompts not recorded) most of a line repeats: the benchmark name, the
 * run id, the empty score card, and the sample, which the phase cycles through — each later cycle a
 * copy of the dataset row with another id (`7~2`). Those parts are serialized once: the row's
 * prompt-less JSON after its id once per row, and per record only the id and the result. Callgrind,
 * kernel path against the bench server (8,000 vs 38,000 requests, synchronous JIT compiles so
 * tiering does not differ between runs): 188,618 instructions per request against 233,358 with
 * the copy + `JSON.stringify` (the stringifier ~9,200 fewer, the collector ~8,300 fewer).
 *
 * Exact by construction: a record's keys are created in the order benchmark, sample, result,
 * runId, index, score, finishedAt and, from a run's second attempt on, attempt (PhaseRequests
 * builds it so), which is the order
 * `JSON.stringify` writes; the fast path joins the JSON of each value in that order. A record's
 * sample is its row or `{ ...row, id }` (the phase's cycles), which keeps the row's key order and
 * values but for the id; a row whose JSON does not start with the id, and records of any other
 * shape (multi-turn `turns`, repeated `attempts`, a scored phase), are not built here.
 * Rows are kept only when nothing in the phase is handed them (`cachesSamples`: no scorer sees a
 * sample; listeners get a prompt-less copy), so nothing changes one between two uses; the kernel
 * does not modify dataset rows.
 */
export class RecordLines {
  /** Per dataset row: its prompt-less JSON after `{"id":<id>`, or UNSPLIT. */
  private readonly rows = new WeakMap<Sample, string | typeof UNSPLIT>();
  private readonly head: string;
  private readonly runIdJson: string;

  constructor(
    private readonly benchmark: string,
    private readonly runId: string,
    /** Whether lines are built here at all (see the class comment); else `line` always answers undefined. */
    readonly cachesSamples: boolean,
  ) {
    this.head = `{"benchmark":${JSON.stringify(benchmark)},"sample":`;
    this.runIdJson = JSON.stringify(runId);
  }

  /**
   * The line of `record`, whose sample is the prompt-less form of `row` or of `{ ...row, id }`, or
   * undefined when this record is not of the shape built here (the caller then stringifies it).
   * `freshCard`: `record.score` is an untouched `emptyCard()`.
   */
  line(record: SampleRecord, row: Sample, freshCard: boolean): string | undefined {
    if (
      !this.cachesSamples ||
      record.turns !== undefined ||
      record.attempts !== undefined ||
      record.benchmark !== this.benchmark ||
      record.runId !== this.runId ||
      !Number.isSafeInteger(record.index) ||
      (record.attempt !== undefined && !Number.isSafeInteger(record.attempt)) ||
      typeof record.sample.id !== 'string'
    )
      return undefined;
    let rest = this.rows.get(row);
    if (rest === undefined) {
      const json = JSON.stringify(promptless(row));
      const idPart = ID_KEY + JSON.stringify(row.id);
      rest = typeof row.id === 'string' && json.startsWith(idPart) ? json.slice(idPart.length) : UNSPLIT;
      this.rows.set(row, rest);
    }
    if (rest === UNSPLIT) return undefined;
    const score = freshCard ? EMPTY_CARD_JSON : JSON.stringify(record.score);
    // finishedAt is Date#toISOString: digits, '-', ':', '.', 'T', 'Z', nothing JSON escapes.
    const attempt = record.attempt === undefined ? '' : `,"attempt":${record.attempt}`;
    return `${this.head}${ID_KEY}${JSON.stringify(record.sample.id)}${rest},"result":${JSON.stringify(record.result)},"runId":${this.runIdJson},"index":${record.index},"score":${score},"finishedAt":"${record.finishedAt}"${attempt}}`;
  }
}
