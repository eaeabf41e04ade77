import type { BenchmarkSource, RunContext, RunEventMap } from './context.js';
import type { LoadProfile } from './config/schema.js';
import type { Engine, MetricsScrape } from './engine.js';
import { ERROR_CODES, YardstickError } from './errors.js';
import type { KernelHooks } from './hooks.js';
import type { ModelFamily } from './model.js';
import { resolveArrival, type Arrival } from './schedule/arrivals.js';
import { dispatch, type DispatchWarmup } from './schedule/dispatch.js';
import { PhaseRequests, type PhaseItem } from './phase-requests.js';
import { firstTurnOf, resolveParams, singleRequestOf } from './request-builders.js';
import type { SystemSummary, SystemWindow, SystemWindows } from './system/sampler.js';
import type { PhaseLoad, Sample } from './types.js';

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

const SKIP = Symbol('skip');
const END_CYCLE = Symbol('end of this pass');
const END = Symbol('end');

/** What the kernel keeps of a phase beside its records. */
export interface PhaseOutcome {
  load: PhaseLoad;
  /** Server metrics diffed over the phase (engines with /metrics). */
  serverMetrics?: Record<string, unknown>;
  /** CPU, RSS and GPU sampled while the phase measured (its warm-up left out). */
  system?: SystemSummary;
  /**
   * Open loop: when the measured stretch's schedule started (epoch ms), one inter-arrival gap before
   * its first send. The phase's benchmark duration counts from here, as vLLM's does.
   */
  measuredFrom?: number;
}

/**
 * The arrival law of an open-loop phase (vLLM's reading: a burstiness alone means gamma), or a
 * config error naming the contradiction when the merged load sets a burstiness beside an arrival
 * that cannot use it.
 */
function arrivalOf(load: Phase['load']): { arrival: Arrival; burstiness: number } {
  const law = resolveArrival(load);
  if (typeof law === 'string') throw new YardstickError(ERROR_CODES.CONFIG_INVALID, `load: ${law}`, { hint: 'The load profile is merged from the root `load` and the benchmark\'s own `load`; set arrival and burstiness together.' });
  return law;
}

/** A phase's load as the dispatcher applies it (see dispatch: closed loop runs at least one worker). */
export function phaseLoad(load: Phase['load']): PhaseLoad {
  const out: PhaseLoad = {};
  if (load.rate !== undefined) {
    const law = arrivalOf(load);
    out.rate = load.rate;
    out.arrival = law.arrival;
    // Constant spacing has no shape (vLLM's is burstiness inf, which JSON cannot hold): left out.
    if (law.arrival !== 'constant') out.burstiness = law.burstiness;
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

  // Work items in a stable order; cycles through the samples when numRequests asks for more.
  // `admit` is the bookkeeping both walks below share: limit, filter, numRequests, cycle ids, resume.
  type Item = PhaseItem;
  const walk = { index: 0, yielded: 0 };
  const admit = (original: Sample, cycle: number): Item | typeof SKIP | typeof END_CYCLE | typeof END => {
    if (limit !== undefined && walk.yielded >= limit) return END_CYCLE;
    if (filter && !filter(name, original)) return SKIP;
    walk.yielded++;
    if (numRequests !== undefined && walk.index >= numRequests) return END;
    const sample = cycle === 0 ? original : { ...original, id: `${original.id}~${cycle}` };
    const index = walk.index++;
    if (run.resumed && run.store.isDone(name, sample.id)) return SKIP;
    return { sample, index, row: original };
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
      // An interrupted run cancels its last scrape: that says nothing about the server.
      if (!run.signal.aborted) run.warn(`Could not scrape server metrics for ${name}: ${(e as Error).message}`);
    }
  };
  await scrape();
  const interval = run.config.metricsInterval && engine?.scrapeMetrics ? setInterval(() => void scrape(), run.config.metricsInterval) : undefined;

  const requests = new PhaseRequests({
    name,
    source,
    run,
    hooks,
    family,
    emit,
    listening: input.listening ?? (() => true),
    fail: input.fail,
    concurrency: phase.load.concurrency,
    scoreLimit: run.config.scoreConcurrency ?? Math.max(1, (await import('node:os')).availableParallelism()),
    engine,
  });
  // One arrow per phase for the dispatcher to call; everything it reaches is PhaseRequests' methods.
  const handle = (item: Item, lagMs: number | undefined, queueMs: number | undefined, warmup: boolean) => requests.handle(item, lagMs, queueMs, warmup);

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

  /** The system sampler's window on this phase: opened as measuring begins, closed as the last request ends. */
  let systemWindow: SystemWindow | undefined;
  const warmup = warmupOf(warmupSeconds);
  if (!warmup) systemWindow = input.system?.window();
  const probe = source.samples(run.signal);
  const iterator: Iterator<{ sample: Sample; index: number }> | AsyncIterator<{ sample: Sample; index: number }> = isSyncIterable(probe) ? syncItems(probe) : items(probe)[Symbol.asyncIterator]();
  /** Measured requests sent: a phase that sent none (resumed with nothing left) keeps no system sample. */
  let sent = 0;
  try {
    sent = await dispatch(
      iterator,
      {
        concurrency: phase.load.concurrency,
        rate: phase.load.rate,
        // As phaseLoad resolved them (constant spacing has no burstiness; the dispatcher needs none there).
        arrival: outcome.load.arrival,
        burstiness: outcome.load.burstiness,
        durationMs: phase.load.duration === undefined ? undefined : phase.load.duration * 1000,
        // The measured requests still to send, for vLLM's schedule scaling (unknown for a lazy source without a size).
        count: total === undefined ? undefined : Math.max(0, total - skipped),
        onMeasuring: (originMs) => (outcome.measuredFrom = originMs),
        seed: run.config.seed,
        signal: run.signal,
      },
      handle,
      warmup,
    );
  } finally {
    const system = systemWindow?.close();
    await requests.settled();
    if (interval) clearInterval(interval);
    await iterator.return?.(undefined);
    await warmup?.items.return?.(undefined);
    const sampled = await system;
    if (sampled && sent > 0) outcome.system = sampled;
    // A phase that sent nothing (resumed with nothing left) has no clock of its own to start the run's from.
    if (sent === 0) delete outcome.measuredFrom;
  }
  // A failed journal write (the store rejects): surfaced once every other job has settled.
  if (requests.jobError) throw requests.jobError.error;
  await scrape();
  const measured = scrapes.slice(measuredFrom);
  if (engine?.summarizeMetrics && measured.length >= 2) {
    try {
      const summary = engine.summarizeMetrics(measured[0]!, measured[measured.length - 1]!, measured);
      // Unparsable scrapes are skipped and listed in the summary; say so where people look too.
      const errors = summary.errors;
      if (Array.isArray(errors) && errors.length > 0) run.warn(`${name}: ${errors.length} of ${measured.length} /metrics scrapes could not be read (first: ${String(errors[0])}); see serverMetrics.errors`);
      return summary;
    } catch (e) {
      run.warn(`Could not summarize server metrics for ${name}: ${(e as Error).message}`);
    }
  }
  return undefined;
}

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
