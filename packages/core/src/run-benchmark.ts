import { requestsOf } from './record-requests.js';
import type { BenchmarkSource, RunContext, RunEventMap } from './context.js';
import type { LoadProfile } from './config/schema.js';
import type { Engine, MetricsScrape } from './engine.js';
import { ERROR_CODES, YardstickError, describeError } from './errors.js';
import type { KernelHooks } from './hooks.js';
import type { ModelFamily } from './model.js';
import { toMicroseconds } from './microseconds.js';
import { dispatch, type DispatchWarmup } from './schedule/dispatch.js';
import type { SystemSummary, SystemWindow, SystemWindows } from './system/sampler.js';
import type { ChatMessage, GenerateRequest, GenerateResult, GenerationParams, PhaseLoad, Sample, SampleRecord, ScoreCard, ScoredSample } from './types.js';

export interface BenchmarkRunInput {
  source: BenchmarkSource;
  run: RunContext;
  hooks: KernelHooks;
  engine: Engine | undefined;
  filter?: (benchmark: string, sample: Sample) => boolean;
  /** Stops the whole run with this error (the engine went away). */
  fail: (error: Error) => void;
  emit: <K extends keyof RunEventMap>(event: K, payload: RunEventMap[K]) => void;
  /** Whether anyone listens to an event (per-request payloads are only built for listeners). */
  listening?: (event: keyof RunEventMap) => boolean;
  /** Each phase's load and server metrics by phase name, filled as phases start (kept when a later phase throws). */
  outcomes: Record<string, PhaseOutcome>;
  /** The run's system sampler: each phase samples its measured stretch in a window of its own. */
  system?: SystemWindows;
}

interface Phase {
  name: string;
  load: Partial<LoadProfile> & { concurrency?: number };
}

/** The load profile of a benchmark: root `concurrency` < root `load` < the benchmark's own `load`. */
export function phasesOf(source: BenchmarkSource, run: RunContext): Phase[] {
  const load: Partial<LoadProfile> = { concurrency: run.config.concurrency, ...run.config.load, ...source.load };
  // Open loop: only an explicit load.concurrency caps requests in flight (vLLM's --max-concurrency);
  // the root `concurrency` (default 1) is the closed-loop setting and would throttle a rate run.
  if (load.rate !== undefined || load.sweep?.rate?.length) load.concurrency = source.load?.concurrency ?? run.config.load?.concurrency;
  const sweep = load.sweep;
  if (sweep?.concurrency?.length) return sweep.concurrency.map((c) => ({ name: `${source.name}[concurrency=${c}]`, load: { ...load, concurrency: c, rate: undefined } }));
  if (sweep?.rate?.length) return sweep.rate.map((r) => ({ name: `${source.name}[rate=${r}]`, load: { ...load, rate: r } }));
  return [{ name: source.name, load }];
}

/** Generation parameters: family recommendations < root config < benchmark < sample; stop lists are merged. */
export function resolveParams(run: RunContext, source: BenchmarkSource, sample: Sample, family: ModelFamily | undefined): GenerationParams {
  const params: GenerationParams = { ...family?.sampling, ...run.config.generation, ...source.generation, ...sample.generation } as GenerationParams;
  const stop = [...(family?.stopSequences ?? []), ...(run.config.generation.stop ?? []), ...(source.generation?.stop ?? []), ...(sample.generation?.stop ?? [])];
  if (stop.length) params.stop = [...new Set(stop)];
  return params;
}

export function resolveFamily(run: RunContext, engine: Engine | undefined): ModelFamily | undefined {
  if (!engine) return undefined;
  try {
    const described = engine.describe();
    const architecture = typeof described.architecture === 'string' ? described.architecture : undefined;
    return run.services.modelFamilies.resolve({ id: described.model, ...(architecture ? { architecture } : {}) });
  } catch {
    return undefined;
  }
}

const emptyCard = (): ScoreCard => ({ metrics: {}, reasons: {}, details: {} });

function failedResult(code: string, message: string): GenerateResult {
  return { text: '', timing: { sentAt: performance.timeOrigin + performance.now(), chunksMs: [], doneMs: 0 }, error: { code, message } };
}

const stripTags = (messages: ChatMessage[]): ChatMessage[] => messages.map(({ tag: _tag, ...m }) => m);

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

const SKIP = Symbol('skip');
const END_CYCLE = Symbol('end of this pass');
const END = Symbol('end');

/** Request errors that mean the engine itself is gone, not that one reply was bad. */
const ENGINE_GONE = new Set(['YS_ENGINE_CONNECT_REFUSED', 'YS_ENGINE_STREAM_CLOSED']);

/** What the kernel keeps of a phase beside its records. */
export interface PhaseOutcome {
  load: PhaseLoad;
  /** Server metrics diffed over the phase (engines with /metrics). */
  serverMetrics?: Record<string, unknown>;
  /** CPU, RSS and GPU sampled while the phase measured (its warm-up left out). */
  system?: SystemSummary;
}

/** A phase's load as the dispatcher applies it (see dispatch: closed loop runs at least one worker). */
export function phaseLoad(load: Phase['load']): PhaseLoad {
  const out: PhaseLoad = {};
  if (load.rate !== undefined) {
    out.rate = load.rate;
    out.arrival = load.arrival ?? 'poisson';
    out.burstiness = load.burstiness ?? 1;
    if (load.concurrency !== undefined) out.concurrency = load.concurrency;
  } else out.concurrency = Math.max(1, load.concurrency ?? 1);
  if (load.warmupSeconds) out.warmup_s = load.warmupSeconds;
  if (load.duration !== undefined) out.duration_s = load.duration;
  if (load.numRequests !== undefined) out.num_requests = load.numRequests;
  return out;
}

/** Runs every phase of one benchmark, recording each phase's outcome in `input.outcomes`. */
export async function runBenchmark(input: BenchmarkRunInput): Promise<void> {
  const { source, run, hooks, engine } = input;
  if (run.mode === 'run' && !engine && hooks.generate.taps.length === 0) {
    throw new YardstickError(ERROR_CODES.NO_ENGINE, 'No engine is configured.', { hint: 'Add an engine plugin, e.g. `engine-llamacpp: { model: ./model.gguf }`.' });
  }
  const family = resolveFamily(run, engine);
  const { outcomes } = input;
  for (const phase of phasesOf(source, run)) {
    if (run.signal.aborted) break;
    // Recorded before the phase runs: an interrupted phase's records still say what load they ran under.
    const outcome: PhaseOutcome = (outcomes[phase.name] = { load: phaseLoad(phase.load) });
    const metrics = await runPhase(input, phase, family, outcome);
    if (metrics) outcome.serverMetrics = metrics;
  }
}

async function runPhase(input: BenchmarkRunInput, phase: Phase, family: ModelFamily | undefined, outcome: PhaseOutcome): Promise<Record<string, unknown> | undefined> {
  const { source, run, hooks, engine, emit, filter } = input;
  const name = phase.name;
  const limit = run.config.limit;
  const numRequests = phase.load.numRequests;
  let size = await source.size?.();
  if (size !== undefined && limit !== undefined) size = Math.min(size, limit);
  const total = numRequests ?? size;
  const skipped = run.resumed ? countDone(run, name) : 0;
  // A resumed phase with nothing left to measure skips its warm-up.
  const warmupSeconds = total !== undefined && skipped >= total ? 0 : (phase.load.warmupSeconds ?? 0);
  const warmupMs = warmupSeconds * 1000;
  emit('benchmarkStart', { benchmark: name, total, skipped, ...(warmupMs > 0 ? { warmupMs } : {}) });
  const recordPrompts = source.recordPrompts !== false;
  const repeats = Math.max(1, source.repeats ?? 1);

  // Work items in a stable order; cycles through the samples when numRequests asks for more.
  // `admit` is the bookkeeping both walks below share: limit, filter, numRequests, cycle ids, resume.
  type Item = { sample: Sample; index: number };
  const walk = { index: 0, yielded: 0 };
  const admit = (original: Sample, cycle: number): Item | typeof SKIP | typeof END_CYCLE | typeof END => {
    if (limit !== undefined && walk.yielded >= limit) return END_CYCLE;
    if (filter && !filter(name, original)) return SKIP;
    walk.yielded++;
    if (numRequests !== undefined && walk.index >= numRequests) return END;
    const sample = cycle === 0 ? original : { ...original, id: `${original.id}~${cycle}` };
    const index = walk.index++;
    if (run.resumed && run.store.isDone(name, sample.id)) return SKIP;
    return { sample, index };
  };
  /** After a cycle: stop unless numRequests asks for another pass (and the source yielded anything). */
  const lastCycle = () => numRequests === undefined || walk.yielded === 0 || walk.index >= numRequests;

  async function* items(first: Iterable<Sample> | AsyncIterable<Sample>): AsyncGenerator<Item> {
    for (let cycle = 0; ; cycle++) {
      walk.yielded = 0;
      for await (const original of cycle === 0 ? first : source.samples(run.signal)) {
        const step = admit(original, cycle);
        if (step === END_CYCLE) break;
        if (step === END) return;
        if (step !== SKIP) yield step;
      }
      if (lastCycle()) return;
    }
  }

  // The same walk without an await per item, for sources whose samples() is an in-memory array or
  // other sync iterable (the serving workloads): an async generator step costs several microtask hops
  // per request. A source is probed once; lazy (async) sources keep the async path.
  function* syncItems(first: Iterable<Sample>): Generator<Item> {
    let samples: Iterable<Sample> | AsyncIterable<Sample> = first;
    for (let cycle = 0; ; cycle++) {
      if (cycle > 0) samples = source.samples(run.signal);
      if (!isSyncIterable(samples)) throw new YardstickError(ERROR_CODES.DATASET_INVALID, `benchmark ${name}: samples() returned an async iterable after an array or sync iterable`);
      walk.yielded = 0;
      for (const original of samples) {
        const step = admit(original, cycle);
        if (step === END_CYCLE) break;
        if (step === END) return;
        if (step !== SKIP) yield step;
      }
      if (lastCycle()) return;
    }
  }

  const scrapes: MetricsScrape[] = [];
  /** Server metrics are diffed from here: the scrape as measuring begins, after any warm-up. */
  let measuredFrom = 0;
  const scrape = async () => {
    if (!engine?.scrapeMetrics) return;
    try {
      scrapes.push(await engine.scrapeMetrics(run.signal));
    } catch (e) {
      run.warn(`Could not scrape server metrics for ${name}: ${(e as Error).message}`);
    }
  };
  await scrape();
  const interval = run.config.metricsInterval && engine?.scrapeMetrics ? setInterval(() => void scrape(), run.config.metricsInterval) : undefined;

  // Score + store jobs in flight: a count and shared callbacks rather than a Set of promises and
  // a `.finally` chain per request (the per-request allocations showed in profiles).
  let pendingJobs = 0;
  let jobError: { error: unknown } | undefined;
  let allJobsDone: (() => void) | undefined;
  const jobsDone = (count: number) => {
    pendingJobs -= count;
    for (let i = 0; i < count && backlogWaiters.length > 0; i++) backlogWaiters.shift()!();
    if (pendingJobs === 0) allJobsDone?.();
  };
  const jobFailed = (error: unknown) => {
    jobError ??= { error };
    jobsDone(1);
  };
  const listening = input.listening ?? (() => true);
  const emitRequests = listening('requestDone');
  const emitSamples = listening('sampleDone');
  // Records share their durability promise per journal batch: one callback per batch, not per record.
  // A batch holds its records only for sampleDone listeners; without any, it holds a count, and each
  // record (its result, timing arrays, reply text) can be collected as soon as the journal has its
  // line, rather than when the batch's write completes: less for each young-generation collection
  // to copy at high rates.
  let batchPromise: Promise<void> | undefined;
  let batch: { records: SampleRecord[]; count: number } = { records: [], count: 0 };
  const stored = (promise: Promise<void>, record: SampleRecord) => {
    if (promise !== batchPromise) {
      batchPromise = promise;
      const current = (batch = { records: [], count: 0 });
      promise.then(
        () => {
          for (const r of current.records) emit('sampleDone', { benchmark: name, record: r });
          jobsDone(current.count);
        },
        (error: unknown) => {
          jobError ??= { error };
          jobsDone(current.count);
        },
      );
    }
    batch.count++;
    if (emitSamples) batch.records.push(record);
  };
  const maxPending = Math.max(1024, 4 * (phase.load.concurrency ?? 1));
  const backlogWaiters: (() => void)[] = [];
  const scoreLimit = run.config.scoreConcurrency ?? Math.max(1, (await import('node:os')).availableParallelism());
  let scoringActive = 0;
  const scoreQueue: (() => void)[] = [];
  const acquire = () => (scoringActive < scoreLimit ? (scoringActive++, Promise.resolve()) : new Promise<void>((r) => scoreQueue.push(() => (scoringActive++, r()))));
  const release = () => {
    scoringActive--;
    scoreQueue.shift()?.();
  };

  const hasScorers = hooks.score.taps.length > 0;
  let engineGoneInARow = 0;
  const engineGoneLimit = Math.max(5, phase.load.concurrency ?? 1);
  let baseParams: GenerationParams | undefined;
  const paramsByOverrides = new WeakMap<Partial<GenerationParams>, GenerationParams>();
  const scoreSample = async (scored: ScoredSample): Promise<ScoreCard> => {
    await acquire();
    try {
      return await hooks.score.promise(emptyCard(), scored, run);
    } catch (e) {
      const err = describeError(e);
      const card = emptyCard();
      card.reasons.kernel = `scoring failed: ${err.message}`;
      run.logger.error({ err, benchmark: name, sample: scored.sample.id }, 'scoring failed for one sample; it is recorded without scores');
      return card;
    } finally {
      release();
    }
  };

  // Most samples carry no overrides: their parameters are the same object for the whole phase.
  // Samples with overrides usually share them per row (cycled copies keep the same object): resolve once per object.
  const paramsOf = (sample: Sample): GenerationParams => {
    if (!sample.generation) return (baseParams ??= resolveParams(run, source, sample, family));
    let cached = paramsByOverrides.get(sample.generation);
    if (!cached) paramsByOverrides.set(sample.generation, (cached = resolveParams(run, source, sample, family)));
    return cached;
  };

  /**
   * One request for a single-turn sample. Warm-up and measured requests share this literal: the same
   * object shape keeps the client's optimized code valid when a phase's warm-up hands over to measuring.
   */
  const singleRequest = (sample: Sample, params: GenerationParams, requestId: string, warmup: boolean): GenerateRequest =>
    singleRequestOf(source, sample, requestId, name, sample.tools, params, warmup);

  const send = async (request: GenerateRequest): Promise<GenerateResult> => {
    let result: GenerateResult | undefined;
    try {
      result = await hooks.generate.promise(request, run);
    } catch (e) {
      if (run.signal.aborted) return failedResult(ERROR_CODES.ABORTED, 'aborted');
      const err = describeError(e);
      result = failedResult(err.code, `request ${request.requestId}: ${err.message}`);
    }
    if (!result) result = failedResult(ERROR_CODES.NO_ENGINE, `request ${request.requestId}: no generate tap answered`);
    if (!result.error && request.tools?.length && !result.toolCalls?.length && family?.parseToolCalls) {
      const calls = family.parseToolCalls(result.text);
      if (calls?.length) result.toolCalls = calls;
    }
    if (emitRequests && !request.warmup) emit('requestDone', { benchmark: name, result });
    // Circuit breaker: when every request in a row fails because the engine is unreachable (a killed
    // server), stop instead of recording the rest of the dataset as failures; --resume continues.
    if (result.error && ENGINE_GONE.has(result.error.code)) {
      if (++engineGoneInARow >= engineGoneLimit && !run.signal.aborted) {
        input.fail(
          new YardstickError(ERROR_CODES.ENGINE_UNAVAILABLE, `The engine stopped answering: ${engineGoneInARow} requests in a row failed (last: ${result.error.message}). Finished samples are saved.`, {
            hint: `Check the engine (the log file has its output), then continue with: yardstick run --resume ${run.outDir}`,
            details: { benchmark: name, lastError: result.error },
          }),
        );
      }
    } else if (!result.error) engineGoneInARow = 0;
    return result;
  };

  let warmupSent = 0;
  const handle = async ({ sample, index }: Item, lagMs: number | undefined, queueMs: number | undefined, warmup: boolean): Promise<void> => {
    if (warmup) {
      // Sent at the phase's load and dropped: no record, no metric, no requestDone event.
      await send(singleRequest(firstTurnOf(sample), paramsOf(sample), `${name}:warmup#${warmupSent++}`, true));
      return;
    }
    const params = paramsOf(sample);
    let result: GenerateResult;
    let turns: GenerateResult[] | undefined;
    let attempts: GenerateResult[] | undefined;
    if (sample.turns?.length) {
      turns = [];
      let history: ChatMessage[] = [...(sample.messages ?? [])];
      for (const [t, turn] of sample.turns.entries()) {
        if (turn.drop?.length) history = history.filter((m) => !m.tag || !turn.drop!.includes(m.tag));
        history.push(...turn.messages);
        const r = await send(chatRequest(`${name}:${sample.id}#${t}`, name, sample.id, stripTags(history), sample.tools, params, false));
        turns.push(r);
        if (r.error) break; // the rest of the conversation depends on this reply
        history.push({ role: 'assistant', content: r.text, ...(r.toolCalls?.length ? { tool_calls: r.toolCalls } : {}) });
      }
      result = turns[turns.length - 1]!;
    } else if (repeats === 1) {
      // The common case (every serving request): one request, built in one object literal.
      result = await send(singleRequest(sample, params, `${name}:${sample.id}`, false));
    } else {
      attempts = [];
      for (let a = 0; a < repeats; a++) {
        const seeded = params.seed === undefined ? params : { ...params, seed: params.seed + a };
        attempts.push(await send(singleRequest(sample, seeded, `${name}:${sample.id}@${a}`, false)));
      }
      result = attempts[0]!;
    }
    // To the microsecond like every other timing field, not a full double (0.13649200000008932).
    if (lagMs !== undefined) result.timing.lagMs = toMicroseconds(lagMs);
    if (queueMs !== undefined) result.timing.queueMs = toMicroseconds(queueMs);
    if (run.signal.aborted && requestsOf({ result, turns, attempts }).some(isAbort)) return; // redone on resume

    const record = { benchmark: name, sample, result } as SampleRecord;
    if (turns) record.turns = turns;
    if (attempts) record.attempts = attempts;
    // Serving runs have no scorers: they skip the scoring queue entirely.
    pendingJobs++;
    if (hasScorers) scoreSample(record).then((card) => storeRecord(record, sample, index, card), jobFailed);
    else storeRecord(record, sample, index, emptyCard());
    // Backpressure: when scoring or the journal falls behind, hold this dispatch slot rather than
    // piling finished samples up in memory (one waiter per slot, woken as jobs finish: O(1) each).
    while (pendingJobs > maxPending) await new Promise<void>((r) => backlogWaiters.push(r));
  };

  /**
   * The phase's warm-up (load.warmupSeconds): the samples again, cycled, each sent as one request
   * at the phase's own load (through `handle`) and then dropped.
   */
  function warmupOf(seconds: number | undefined): DispatchWarmup<Item> | undefined {
    if (!seconds) return undefined;
    const first = source.samples(run.signal);
    const cycled = isSyncIterable(first) ? cycleSync(first) : cycleAsync(first);
    // Server counters (tokens, prefix-cache hits, preemptions) are diffed over the measured window:
    // a fresh baseline scrape as the warm-up hands over. The window still holds the tail of the
    // warm-up requests in flight at that moment, as a steady load does.
    const onEnd = () => {
      measuredFrom = scrapes.length;
      void scrape();
      systemWindow = input.system?.window();
    };
    return { ms: seconds * 1000, items: cycled, onEnd };
  }
  function* cycleSync(first: Iterable<Sample>): Generator<Item> {
    for (let samples: Iterable<Sample> | AsyncIterable<Sample> = first; isSyncIterable(samples); samples = source.samples(run.signal)) {
      let any = false;
      for (const sample of samples) if (!filter || filter(name, sample)) (any = true), yield { sample, index: -1 };
      if (!any) return;
    }
  }
  async function* cycleAsync(first: Iterable<Sample> | AsyncIterable<Sample>): AsyncGenerator<Item> {
    for (let samples = first; ; samples = source.samples(run.signal)) {
      let any = false;
      for await (const sample of samples) if (!filter || filter(name, sample)) (any = true), yield { sample, index: -1 };
      if (!any) return;
    }
  }

  /** Completes a sample's record and appends it (the caller counted the job in pendingJobs). */
  function storeRecord(record: SampleRecord, sample: Sample, index: number, card: ScoreCard): void {
    if (!recordPrompts) record.sample = promptless(sample);
    record.runId = run.runId;
    record.index = index;
    record.score = card;
    record.finishedAt = isoNow();
    let promise: Promise<void>;
    try {
      promise = run.store.append(record);
    } catch (error) {
      promise = Promise.reject(error);
    }
    stored(promise, record);
  }

  /** The system sampler's window on this phase: opened as measuring begins, closed as the last request ends. */
  let systemWindow: SystemWindow | undefined;
  const warmup = warmupOf(warmupSeconds);
  if (!warmup) systemWindow = input.system?.window();
  const probe = source.samples(run.signal);
  const iterator: Iterator<{ sample: Sample; index: number }> | AsyncIterator<{ sample: Sample; index: number }> = isSyncIterable(probe) ? syncItems(probe) : items(probe)[Symbol.asyncIterator]();
  try {
    await dispatch(
      iterator,
      {
        concurrency: phase.load.concurrency,
        rate: phase.load.rate,
        arrival: phase.load.arrival,
        burstiness: phase.load.burstiness,
        durationMs: phase.load.duration === undefined ? undefined : phase.load.duration * 1000,
        seed: run.config.seed,
        signal: run.signal,
      },
      handle,
      warmup,
    );
  } finally {
    const system = systemWindow?.close();
    if (pendingJobs > 0) await new Promise<void>((r) => (allJobsDone = r));
    if (interval) clearInterval(interval);
    await iterator.return?.(undefined);
    await warmup?.items.return?.(undefined);
    if (system) outcome.system = await system;
  }
  // A failed journal write (the store rejects): surfaced once every other job has settled.
  if (jobError) throw jobError.error;
  await scrape();
  const measured = scrapes.slice(measuredFrom);
  if (engine?.summarizeMetrics && measured.length >= 2) {
    try {
      return engine.summarizeMetrics(measured[0]!, measured[measured.length - 1]!, measured);
    } catch (e) {
      run.warn(`Could not summarize server metrics for ${name}: ${(e as Error).message}`);
    }
  }
  return undefined;
}

/**
 * Every request the kernel sends is one of these two literals: the same keys in the same order, so
 * each property access on the request path (hooks, interceptors, the engine, the client) sees one
 * or two object shapes. Requests built by spreading (`{ ...body, requestId, … }`) got a hidden
 * class each here (51 for a 64-request warm-up) and left those accesses megamorphic for the rest
 * of the run.
 */
function completionRequest(requestId: string, benchmark: string, sampleId: string, prompt: string, tools: Sample['tools'], params: GenerationParams, warmup: boolean): GenerateRequest {
  return { requestId, benchmark, sampleId, kind: 'completion', prompt, tools, params, warmup };
}

function chatRequest(requestId: string, benchmark: string, sampleId: string, messages: ChatMessage[], tools: Sample['tools'], params: GenerationParams, warmup: boolean): GenerateRequest {
  return { requestId, benchmark, sampleId, kind: 'chat', messages, tools, params, warmup };
}

/**
 * A sample without its prompt text, for sources that do not record prompts. Rest destructuring, not
 * `{ ...sample, prompt: undefined, … }`: adding keys the object does not have after a spread takes
 * V8's slow path (measured 1.8 µs against 0.1 µs per record).
 */
function promptless(sample: Sample): Sample {
  const { prompt: _prompt, messages: _messages, turns: _turns, ...rest } = sample;
  return rest;
}

/** The one request of a single-turn sample, of the kind its prompt or messages (else its source) decide. */
function singleRequestOf(source: BenchmarkSource, sample: Sample, requestId: string, benchmark: string, tools: Sample['tools'], params: GenerationParams, warmup: boolean): GenerateRequest {
  return singleKind(sample, source) === 'completion'
    ? completionRequest(requestId, benchmark, sample.id, sample.prompt ?? '', tools, params, warmup)
    : chatRequest(requestId, benchmark, sample.id, stripTags(sample.messages ?? []), tools, params, warmup);
}

/** What a warm-up sends for a sample: a conversation's first request (its messages, then turn 0's), else the sample itself. */
function firstTurnOf(sample: Sample): Sample {
  return sample.turns?.length ? { ...sample, messages: [...(sample.messages ?? []), ...sample.turns[0]!.messages], turns: undefined } : sample;
}

/** The request kind of a single-turn sample: its own prompt or messages decide, else the source's kind. */
function singleKind(sample: Sample, source: BenchmarkSource): 'completion' | 'chat' {
  return sample.prompt !== undefined ? 'completion' : sample.messages ? 'chat' : source.kind ?? 'completion';
}

const isAbort = (r: GenerateResult) => r.error?.code === ERROR_CODES.ABORTED || r.error?.code === 'YS_ENGINE_ABORTED';

/** Arrays and other sync iterables that are not also async iterables (those keep `for await`). */
function isSyncIterable<T>(value: Iterable<T> | AsyncIterable<T>): value is Iterable<T> {
  return typeof (value as Iterable<T>)[Symbol.iterator] === 'function' && typeof (value as AsyncIterable<T>)[Symbol.asyncIterator] !== 'function';
}

function countDone(run: RunContext, name: string): number {
  return run.store.doneCount(name);
}

/** Throwaway requests built from the first sample of the first benchmark; never stored or measured. */
export async function sendWarmup(run: RunContext, hooks: KernelHooks, engine: Engine | undefined): Promise<void> {
  const count = run.config.warmup.requests;
  const source = run.benchmarks.list()[0];
  if (!count || !source || run.mode !== 'run') return;
  let sample: Sample | undefined;
  for await (const s of source.samples(run.signal)) {
    sample = s;
    break;
  }
  if (!sample) return;
  const family = resolveFamily(run, engine);
  const resolved = resolveParams(run, source, sample, family);
  const params = { ...resolved, maxTokens: Math.min(16, resolved.maxTokens) };
  // The same first request as a phase warm-up builds, without tools: this only wakes the engine up.
  const single = firstTurnOf(sample);
  const concurrency = Math.min(count, run.config.concurrency);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count && !run.signal.aborted) {
        const i = next++;
        const requestId = `warmup:${i}`;
        const result = await hooks.generate.promise(singleRequestOf(source, single, requestId, 'warmup', undefined, params, true), run);
        if (result?.error) run.logger.warn({ error: result.error }, 'warm-up request failed');
      }
    }),
  );
}
