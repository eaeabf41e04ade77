import type { BenchmarkSource, RunContext, RunEventMap } from './context.js';
import { ERROR_CODES, YardstickError, describeError } from './errors.js';
import type { KernelHooks } from './hooks.js';
import type { Engine } from './engine.js';
import { toMicroseconds } from './microseconds.js';
import type { ModelFamily } from './model.js';
import { RecordLines } from './record-line.js';
import { requestsOf } from './record-requests.js';
import { chatRequest, emptyCard, failedResult, firstTurnOf, promptless, resolveParams, singleRequestOf, stripTags } from './request-builders.js';
import { SCORING_FAILED_PREFIX } from './scoring-failure.js';
import type { ChatMessage, GenerateRequest, GenerateResult, GenerationParams, Sample, SampleRecord, ScoreCard, ScoredSample } from './types.js';

/** One work item of a phase: a sample and its position in the benchmark's order. */
export interface PhaseItem {
  sample: Sample;
  index: number;
  /** The dataset row `sample` was made from: itself, or (a later cycle) a copy with another id. */
  row?: Sample;
}

export interface PhaseRequestsOptions {
  /** The phase's name (a sweep step's carries its load, `serving[rate=8]`). */
  name: string;
  source: BenchmarkSource;
  run: RunContext;
  hooks: KernelHooks;
  family: ModelFamily | undefined;
  emit: <K extends keyof RunEventMap>(event: K, payload: RunEventMap[K]) => void;
  /** Whether anyone listens to an event (per-request payloads are only built for listeners). */
  listening: (event: keyof RunEventMap) => boolean;
  /** Stops the whole run with this error (the engine went away). */
  fail: (error: Error) => void;
  /** The phase's concurrency cap, if any (sizes the backlog and the circuit breaker). */
  concurrency: number | undefined;
  /** Score hooks running at once. */
  scoreLimit: number;
  /** The run's engine, when one is registered (its health check tells a frozen engine from a slow one). */
  engine?: Engine;
}

/** Request errors that mean the engine itself is gone, not that one reply was bad. */
const ENGINE_GONE = new Set(['YS_ENGINE_CONNECT_REFUSED', 'YS_ENGINE_STREAM_CLOSED']);
/** Request errors of an engine that may be frozen (a stopped process still accepts connections), or only slow. */
const TIMED_OUT = new Set<string>(['YS_ENGINE_TIMEOUT', ERROR_CODES.HOOK_TIMEOUT]);

const isAbort = (r: GenerateResult) => r.error?.code === ERROR_CODES.ABORTED || r.error?.code === 'YS_ENGINE_ABORTED';

/**
 * `new Date().toISOString()` with the string reused within the same millisecond: identical values,
 * but at thousands of records per second most records share their millisecond with another.
 */
let isoMs = -1;
let isoText = '';
function isoNow(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoMs = ms;
    isoText = new Date(ms).toISOString();
  }
  return isoText;
}

/**
 * One phase's per-request path: send each item (or warm-up item), score it, append its record, and
 * the bookkeeping that joins those (jobs in flight, journal batches, backpressure, the circuit
 * breaker). A class rather than closures inside the phase runner, for V8: a closure made once per
 * phase is a new function object in every phase, so the code optimized for the first phase's
 * closures (their call targets inlined, their context folded in) deoptimized as the second phase's
 * first measured requests reached them. At 15,000 req/s that was a 100–400 ms stall at the start of
 * measuring, with the client behind its schedule by up to 40 ms (`pnpm bench:client`, open loop).
 * A method is one function object for the whole process: what was optimized stays valid.
 */
export class PhaseRequests {
  /** Score + store jobs not yet settled: a count and shared callbacks, not a promise per request. */
  private pendingJobs = 0;
  /** The first failed job (a journal write the store rejected): rethrown once the phase settles. */
  jobError: { error: unknown } | undefined;
  private allJobsDone: (() => void) | undefined;
  private readonly backlogWaiters: (() => void)[] = [];
  private readonly maxPending: number;
  /** Records share their durability promise per journal batch: one callback per batch, not per record. */
  private batchPromise: Promise<void> | undefined;
  private batch: { records: SampleRecord[]; count: number } = { records: [], count: 0 };
  private scoringActive = 0;
  private readonly scoreQueue: (() => void)[] = [];
  private engineGoneInARow = 0;
  private readonly engineGoneLimit: number;
  /** Requests in a row that timed out (see checkFrozen), and the health check they started, while it runs. */
  private timeoutsInARow = 0;
  /** This run attempt's number, written on its records from the second on. */
  private readonly attempt: number;
  private healthCheck: Promise<void> | undefined;
  private baseParams: GenerationParams | undefined;
  private readonly paramsByOverrides = new WeakMap<Partial<GenerationParams>, GenerationParams>();
  private warmupSent = 0;
  private readonly name: string;
  private readonly source: BenchmarkSource;
  private readonly run: RunContext;
  private readonly hooks: KernelHooks;
  private readonly family: ModelFamily | undefined;
  private readonly emit: PhaseRequestsOptions['emit'];
  private readonly fail: (error: Error) => void;
  private readonly engine: Engine | undefined;
  private readonly scoreLimit: number;
  private readonly emitRequests: boolean;
  private readonly emitSamples: boolean;
  private readonly hasScorers: boolean;
  private readonly recordPrompts: boolean;
  private readonly repeats: number;
  private readonly lines: RecordLines;

  constructor(options: PhaseRequestsOptions) {
    this.name = options.name;
    this.source = options.source;
    this.run = options.run;
    this.hooks = options.hooks;
    this.family = options.family;
    this.emit = options.emit;
    this.fail = options.fail;
    this.engine = options.engine;
    this.scoreLimit = options.scoreLimit;
    this.emitRequests = options.listening('requestDone');
    this.emitSamples = options.listening('sampleDone');
    this.hasScorers = options.hooks.score.taps.length > 0;
    this.recordPrompts = options.source.recordPrompts !== false;
    this.repeats = Math.max(1, options.source.repeats ?? 1);
    this.lines = new RecordLines(this.name, this.run.runId, !this.hasScorers && !this.recordPrompts);
    this.attempt = this.run.attempt ?? 1;
    this.maxPending = Math.max(1024, 4 * (options.concurrency ?? 1));
    this.engineGoneLimit = Math.max(5, options.concurrency ?? 1);
  }

  /** Resolves once every score and store job has settled. */
  async settled(): Promise<void> {
    if (this.pendingJobs > 0) await new Promise<void>((r) => (this.allJobsDone = r));
    // A health check still running decides before the phase ends (the engine may be stopped next).
    await this.healthCheck;
  }

  /** The dispatcher's handler: one item, measured or (warm-up) sent and dropped. */
  async handle({ sample, index, row }: PhaseItem, lagMs: number | undefined, queueMs: number | undefined, warmup: boolean): Promise<void> {
    if (warmup) {
      // Sent at the phase's load and dropped: no record, no metric, no requestDone event.
      await this.send(singleRequestOf(this.source, firstTurnOf(sample), `${this.name}:warmup#${this.warmupSent++}`, this.name, sample.tools, this.paramsOf(sample), true));
      return;
    }
    const params = this.paramsOf(sample);
    let result: GenerateResult;
    let turns: GenerateResult[] | undefined;
    let attempts: GenerateResult[] | undefined;
    if (sample.turns?.length) {
      turns = [];
      let history: ChatMessage[] = [...(sample.messages ?? [])];
      for (const [t, turn] of sample.turns.entries()) {
        if (turn.drop?.length) history = history.filter((m) => !m.tag || !turn.drop!.includes(m.tag));
        history.push(...turn.messages);
        const r = await this.send(chatRequest(`${this.name}:${sample.id}#${t}`, this.name, sample.id, stripTags(history), sample.tools, params, false));
        turns.push(r);
        if (r.error) break; // the rest of the conversation depends on this reply
        history.push({ role: 'assistant', content: r.text, ...(r.toolCalls?.length ? { tool_calls: r.toolCalls } : {}) });
      }
      result = turns[turns.length - 1]!;
    } else if (this.repeats === 1) {
      // The common case (every serving request): one request, built in one object literal. Warm-up
      // and measured requests share that literal: the same object shape keeps the client's optimized
      // code valid when a phase's warm-up hands over to measuring.
      result = await this.send(singleRequestOf(this.source, sample, `${this.name}:${sample.id}`, this.name, sample.tools, params, false));
    } else {
      attempts = [];
      for (let a = 0; a < this.repeats; a++) {
        const seeded = params.seed === undefined ? params : { ...params, seed: params.seed + a };
        attempts.push(await this.send(singleRequestOf(this.source, sample, `${this.name}:${sample.id}@${a}`, this.name, sample.tools, seeded, false)));
      }
      result = attempts[0]!;
    }
    // To the microsecond like every other timing field, not a full double (0.13649200000008932).
    if (lagMs !== undefined) result.timing.lagMs = toMicroseconds(lagMs);
    if (queueMs !== undefined) result.timing.queueMs = toMicroseconds(queueMs);
    if (this.run.signal.aborted && requestsOf({ result, turns, attempts }).some(isAbort)) return; // redone on resume

    const record = { benchmark: this.name, sample, result } as SampleRecord;
    if (turns) record.turns = turns;
    if (attempts) record.attempts = attempts;
    // Serving runs have no scorers: they skip the scoring queue entirely.
    this.pendingJobs++;
    if (this.hasScorers)
      this.scoreSample(record).then(
        (card) => {
          // Scored after an interrupt: the scorer may have been cut short (a sandboxed program killed
          // by the abort reads as a failure), so the sample is not stored and --resume redoes it.
          if (this.run.signal.aborted) return this.jobsDone(1);
          this.storeRecord(record, sample, row ?? sample, index, card);
        },
        (error: unknown) => this.jobFailed(error),
      );
    else this.storeRecord(record, sample, row ?? sample, index, emptyCard(), true);
    // Backpressure: when scoring or the journal falls behind, hold this dispatch slot rather than
    // piling finished samples up in memory (one waiter per slot, woken as jobs finish: O(1) each).
    while (this.pendingJobs > this.maxPending) await new Promise<void>((r) => this.backlogWaiters.push(r));
  }

  /**
   * Most samples carry no overrides: their parameters are the same object for the whole phase.
   * Samples with overrides usually share them per row (cycled copies keep the same object): resolved once per object.
   */
  private paramsOf(sample: Sample): GenerationParams {
    if (!sample.generation) return (this.baseParams ??= resolveParams(this.run, this.source, sample, this.family));
    let cached = this.paramsByOverrides.get(sample.generation);
    if (!cached) this.paramsByOverrides.set(sample.generation, (cached = resolveParams(this.run, this.source, sample, this.family)));
    return cached;
  }

  private async send(request: GenerateRequest): Promise<GenerateResult> {
    let result: GenerateResult | undefined;
    try {
      result = await this.hooks.generate.promise(request, this.run);
    } catch (e) {
      if (this.run.signal.aborted) return failedResult(ERROR_CODES.ABORTED, 'aborted');
      const err = describeError(e);
      result = failedResult(err.code, `request ${request.requestId}: ${err.message}`);
    }
    if (!result) result = failedResult(ERROR_CODES.NO_ENGINE, `request ${request.requestId}: no generate tap answered`);
    if (!result.error && request.tools?.length && !result.toolCalls?.length && this.family?.parseToolCalls) {
      const calls = this.family.parseToolCalls(result.text);
      if (calls?.length) result.toolCalls = calls;
    }
    if (this.emitRequests && !request.warmup) this.emit('requestDone', { benchmark: this.name, result });
    // Circuit breaker: when every request in a row fails because the engine is unreachable (a killed
    // server), stop instead of recording the rest of the dataset as failures; --resume continues.
    if (result.error && ENGINE_GONE.has(result.error.code)) {
      if (++this.engineGoneInARow >= this.engineGoneLimit && !this.run.signal.aborted) {
        this.fail(
          new YardstickError(ERROR_CODES.ENGINE_UNAVAILABLE, `The engine stopped answering: ${this.engineGoneInARow} requests in a row failed (last: ${result.error.message}). Finished samples are saved.`, {
            hint: `Check the engine (the log file has its output), then continue with: yardstick run --resume ${this.run.outDir}`,
            details: { benchmark: this.name, lastError: result.error },
          }),
        );
      }
    } else if (!result.error) this.engineGoneInARow = 0;
    // The same for a frozen engine, whose requests time out one by one (hours of them with default
    // timeouts): after as many timeouts in a row, one health check tells frozen from merely slow.
    if (result.error && TIMED_OUT.has(result.error.code)) {
      if (++this.timeoutsInARow >= this.engineGoneLimit && !this.healthCheck && !this.run.signal.aborted) this.healthCheck = this.checkFrozen(result.error.message);
    } else if (!result.error) this.timeoutsInARow = 0;
    return result;
  }

  /** After a run of timeouts: stops the run when the engine's health check fails too, else carries on. */
  private async checkFrozen(lastError: string): Promise<void> {
    try {
      const engine = this.engine;
      if (!engine?.health) return;
      const problem = await engine.health(this.run.signal).catch((e: unknown) => `health check failed: ${(e as Error).message}`);
      if (problem === undefined) {
        this.timeoutsInARow = 0; // slow, but alive
        return;
      }
      if (this.run.signal.aborted) return;
      this.fail(
        new YardstickError(ERROR_CODES.ENGINE_UNAVAILABLE, `The engine stopped answering: ${this.timeoutsInARow} requests in a row timed out and its health check failed (${problem}; last: ${lastError}). Finished samples are saved.`, {
          hint: `Check the engine (the log file has its output; a stopped or frozen process), then continue with: yardstick run --resume ${this.run.outDir}`,
          details: { benchmark: this.name, health: problem },
        }),
      );
    } catch (error) {
      // Never an unhandled rejection: the check only ever adds a reason to stop.
      this.run.logger.warn({ err: describeError(error) }, 'engine health check failed to run');
    } finally {
      this.healthCheck = undefined;
    }
  }

  private async scoreSample(scored: ScoredSample): Promise<ScoreCard> {
    await this.acquireScorer();
    try {
      // Interrupted while it waited for a scorer: it will not be stored (see send), so do not score it.
      if (this.run.signal.aborted) return emptyCard();
      return await this.hooks.score.promise(emptyCard(), scored, this.run);
    } catch (e) {
      const err = describeError(e);
      const card = emptyCard();
      card.reasons.kernel = `${SCORING_FAILED_PREFIX}${err.message}`;
      this.run.logger.error({ err, benchmark: this.name, sample: scored.sample.id }, 'scoring failed for one sample; it is recorded without scores and runs again on --resume');
      return card;
    } finally {
      this.scoringActive--;
      this.scoreQueue.shift()?.();
    }
  }

  private acquireScorer(): Promise<void> {
    if (this.scoringActive < this.scoreLimit) {
      this.scoringActive++;
      return Promise.resolve();
    }
    return new Promise<void>((r) => this.scoreQueue.push(() => (this.scoringActive++, r())));
  }

  /** Completes a sample's record and appends it (the caller counted the job in pendingJobs). */
  private storeRecord(record: SampleRecord, sample: Sample, row: Sample, index: number, card: ScoreCard, freshCard = false): void {
    record.runId = this.run.runId;
    record.index = index;
    record.score = card;
    record.finishedAt = isoNow();
    // Last, as RecordLines writes it: absent on a first attempt's records (see SampleRecord.attempt).
    if (this.attempt > 1) record.attempt = this.attempt;
    let line = this.lines.line(record, row, freshCard);
    // The prompt-less copy is for JSON.stringify and for sampleDone listeners (they see what the
    // journal holds); a line RecordLines built needs none, and without listeners the record dies here.
    if (!this.recordPrompts && (line === undefined || this.emitSamples)) record.sample = promptless(sample);
    line ??= JSON.stringify(record);
    let promise: Promise<void>;
    try {
      promise = this.run.store.append(record, line);
    } catch (error) {
      promise = Promise.reject(error);
    }
    this.stored(promise, record);
  }

  /**
   * A batch holds its records only for sampleDone listeners; without any, it holds a count, and each
   * record (its result, timing arrays, reply text) can be collected as soon as the journal has its
   * line, rather than when the batch's write completes: less for each young-generation collection
   * to copy at high rates.
   */
  private stored(promise: Promise<void>, record: SampleRecord): void {
    if (promise !== this.batchPromise) {
      this.batchPromise = promise;
      const current = (this.batch = { records: [], count: 0 });
      promise.then(
        () => {
          for (const r of current.records) this.emit('sampleDone', { benchmark: this.name, record: r });
          this.jobsDone(current.count);
        },
        (error: unknown) => {
          this.jobError ??= { error };
          this.jobsDone(current.count);
        },
      );
    }
    this.batch.count++;
    if (this.emitSamples) this.batch.records.push(record);
  }

  private jobFailed(error: unknown): void {
    this.jobError ??= { error };
    this.jobsDone(1);
  }

  private jobsDone(count: number): void {
    this.pendingJobs -= count;
    for (let i = 0; i < count && this.backlogWaiters.length > 0; i++) this.backlogWaiters.shift()!();
    if (this.pendingJobs === 0) this.allJobsDone?.();
  }
}
