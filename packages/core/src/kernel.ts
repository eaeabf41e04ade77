import { asValue, createContainer, InjectionMode, type AwilixContainer } from 'awilix';
import { setMaxListeners } from 'node:events';
import { mkdir } from 'node:fs/promises';
import semver from 'semver';
import type { z } from 'zod';
import { problemsFromZod } from './config/problems.js';
import type { ResolvedConfig } from './config/schema.js';
import type { BenchmarkSource, RunEventMap, RunMode } from './context.js';
import { ERROR_CODES, YardstickError, describeError, isYardstickError, toError } from './errors.js';
import { createKernelHooks, STAGE, type HookName, type KernelHooks, type PluginHooks } from './hooks.js';
import { installInterceptors } from './interceptors.js';
import type { Logger } from './logger.js';
import { createModelFamilyRegistry } from './model.js';
import type { Cradle, Plugin } from './plugin.js';
import { phaseLoad, phasesOf, runBenchmark, sendWarmup, type PhaseOutcome } from './run-benchmark.js';
import { createRunContext } from './run-context.js';
import { JournalStore, type ResultsStore } from './store.js';
import { summarizeStore } from './summarize.js';
import { SystemSampler, type SystemSummary } from './system/sampler.js';
import { eventLoopBusy } from './event-loop.js';
import { fingerprintRun, type RunFingerprint } from './compare/fingerprint.js';
import type { EngineDescription, RunSummary } from './types.js';
import { CORE_VERSION } from './version.js';

export interface KernelOptions {
  config: ResolvedConfig;
  logger: Logger;
  /** Output folder of the run (created). */
  outDir: string;
  runId: string;
}

export interface RunOptions {
  /** Abort to interrupt (Ctrl-C): in-flight work stops, teardown and reports still run. */
  signal?: AbortSignal;
  mode?: RunMode;
  /** Continue the journal already in outDir. */
  resume?: boolean;
  /** When the run originally started (resume keeps it). */
  startedAt?: string;
  /** Only samples passing this are run (re-scoring saved predictions skips samples without one). */
  sampleFilter?: (benchmark: string, sample: import('./types.js').Sample) => boolean;
}

/** What `Kernel.check` found for one benchmark. */
export interface BenchmarkCheck {
  name: string;
  /** Samples the benchmark yields (after `limit`). */
  samples: number;
  /** Its phases: one, or one per sweep step. */
  phases: string[];
  /** The data files it read. */
  files: string[];
}

export interface BenchmarkCheckReport {
  benchmarks: BenchmarkCheck[];
  /** What the benchmarks' setup reported with `run.warn` (e.g. a part only a running engine can check). */
  warnings: string[];
}

interface UsedPlugin {
  plugin: Plugin;
  options: unknown;
}

/**
 * The microkernel: validates and registers plugins, then runs the lifecycle
 * setup → warmup → generate → score → report, with a teardown that always runs.
 * Only the kernel fires hooks; plugins tap. Requests are scheduled here, never by engines.
 */
export class Kernel {
  readonly hooks: KernelHooks = createKernelHooks();
  private readonly used: UsedPlugin[] = [];
  private readonly container: AwilixContainer<Cradle>;
  private ran = false;

  constructor(private readonly options: KernelOptions) {
    this.container = createContainer<Cradle>({ injectionMode: InjectionMode.PROXY, strict: true });
  }

  get plugins(): readonly Plugin[] {
    return this.used.map((u) => u.plugin);
  }

  /**
   * Registers a plugin. Checks, in order: unique name, supported core range, options schema.
   * Dependencies are checked when the run starts, once every plugin is known.
   */
  use(plugin: Plugin, rawOptions: unknown = {}): this {
    if (this.ran) throw new YardstickError(ERROR_CODES.INTERNAL, 'Kernel.use() after run() started');
    if (this.used.some((u) => u.plugin.name === plugin.name)) {
      throw new YardstickError(ERROR_CODES.PLUGIN_DUPLICATE, `Plugin "${plugin.name}" is registered twice.`, {
        hint: 'List each plugin once in `plugins` (a path and a package name may point at the same plugin).',
        details: { plugin: plugin.name },
      });
    }
    if (!semver.validRange(plugin.core) || !semver.satisfies(CORE_VERSION, plugin.core, { includePrerelease: true })) {
      throw new YardstickError(ERROR_CODES.PLUGIN_VERSION_MISMATCH, `Plugin "${plugin.name}" ${plugin.version} supports @yardstick/core ${plugin.core}, but this is ${CORE_VERSION}.`, {
        hint: `Install a version of ${plugin.name} built for core ${CORE_VERSION}, or a core in ${plugin.core}.`,
        details: { plugin: plugin.name, supported: plugin.core, core: CORE_VERSION },
      });
    }
    let options: unknown = rawOptions;
    if (plugin.configSchema) {
      const parsed = (plugin.configSchema as z.ZodType).safeParse(rawOptions ?? {});
      if (!parsed.success) {
        const problems = problemsFromZod(parsed.error, { file: this.options.config.filepath, plugin: plugin.name });
        throw new YardstickError(ERROR_CODES.PLUGIN_OPTIONS_INVALID, `Invalid options for plugin "${plugin.name}"`, {
          hint: `Run \`yardstick plugins\` to see the options of ${plugin.name}.`,
          details: { plugin: plugin.name, problems },
        });
      }
      options = parsed.data;
    }
    this.used.push({ plugin, options });
    return this;
  }

  /** Once per kernel: a run (or check) applies its plugins' taps to this kernel's hooks. */
  private begin(): void {
    if (this.ran) throw new YardstickError(ERROR_CODES.INTERNAL, 'A kernel runs once; create a new one per run.');
    this.ran = true;
    this.checkDependencies();
  }

  /** Every plugin's `dependencies` configured too (also checked when a run or check starts). */
  checkDependencies(): void {
    const names = new Set(this.used.map((u) => u.plugin.name));
    for (const { plugin } of this.used) {
      for (const dep of plugin.dependencies ?? []) {
        if (!names.has(dep)) {
          throw new YardstickError(ERROR_CODES.PLUGIN_MISSING_DEPENDENCY, `Plugin "${plugin.name}" needs plugin "${dep}", which is not configured.`, {
            hint: `Add "${dep}" to \`plugins\` in the config.`,
            details: { plugin: plugin.name, dependency: dep },
          });
        }
      }
    }
  }

  /** Runs the whole lifecycle once and returns the summary (also when the run failed). */
  async run(runOptions: RunOptions = {}): Promise<RunSummary> {
    this.begin();
    const { config, logger, outDir, runId } = this.options;
    const startedAt = runOptions.startedAt ?? new Date().toISOString();
    const mode = runOptions.mode ?? 'run';
    const { abort, unlink } = linkedAbort(runOptions.signal);

    const store = await this.openJournal();
    // A torn last line (a crash mid-write) was cut: say so, since its sample runs again.
    if (store.recovered) logger.warn({ journal: store.path, line: store.recovered.line, droppedBytes: store.recovered.droppedBytes }, store.recovered.message);
    const scope = this.runScope();
    const { run, sources, warnings, extensions, emitter } = createRunContext({
      runId,
      outDir,
      mode,
      config,
      signal: abort.signal,
      logger,
      store,
      services: scope.cradle,
      resumed: runOptions.resume === true,
      attempt: runOptions.resume === true ? store.lastAttempt + 1 : 1,
    });
    const cell = this.matrixCell();
    if (cell) extensions.matrix = cell;

    const failRun = (e: Error) => {
      error ??= e;
      logger.error({ err: describeError(e) }, e.message);
      abort.abort(e);
    };
    installInterceptors(this.hooks, { logger, timeouts: config.timeouts as Partial<Record<HookName, number>> });
    const pluginHooks = this.pluginHooks();
    let error: Error | undefined;
    let engineDescription: EngineDescription | undefined;
    let engineStarted = false;
    let system: SystemSummary | undefined;
    let fingerprint: RunFingerprint | undefined;
    const phaseOutcomes: Record<string, PhaseOutcome> = {};
    try {
      await this.registerPlugins(scope);
      this.tapEngine(scope, () => (engineStarted = true));
      await this.applyPlugins(scope, pluginHooks);

      await this.hooks.setup.promise(run);
      if (scope.hasRegistration('engine') && engineStarted) engineDescription = scope.cradle.engine?.describe();
      fingerprint = await this.fingerprint(engineDescription, sources).catch((e: unknown) => {
        run.warn(`Could not fingerprint the run: ${(e as Error).message}`);
        return undefined;
      });
      if (sources.length === 0) run.warn('No benchmark is configured: nothing was generated. Add a benchmark-* plugin.');
      // Every benchmark's merged load checked now (root and benchmark levels can contradict each
      // other, e.g. a burstiness beside arrival: poisson): a config error before any benchmark runs.
      for (const source of sources) for (const phase of phasesOf(source, run)) phaseLoad(phase.load);
      if (mode === 'run') await this.hooks.warmup.promise(run);
      const engine = engineStarted ? scope.cradle.engine : undefined;
      const sampler = mode === 'run' ? new SystemSampler({ pid: () => engine?.pid?.() }) : undefined;
      sampler?.start();
      try {
        for (const source of sources) {
          if (abort.signal.aborted) break;
          await runBenchmark({ source, run, hooks: this.hooks, filter: runOptions.sampleFilter, fail: failRun, emit: (e, p) => emitter.emit(e, p), listening: (e) => emitter.listenerCount(e) > 0, engine, outcomes: phaseOutcomes, system: sampler });
        }
      } finally {
        system = await sampler?.stop();
      }
      if (abort.signal.aborted && !error) {
        error = new YardstickError(ERROR_CODES.ABORTED, 'The run was interrupted; finished samples are saved.', { hint: `Continue it with: yardstick run --resume ${outDir}` });
      }
    } catch (e) {
      error = toError(e);
      abort.abort(error);
      logger.error({ err: describeError(e) }, `run failed: ${error.message}`);
    }

    await store.flush().catch((e: unknown) => {
      error ??= toError(e);
    });
    const summary: RunSummary = {
      runId,
      startedAt,
      finishedAt: new Date().toISOString(),
      status: error ? (isYardstickError(error) && error.code === ERROR_CODES.ABORTED ? 'interrupted' : 'failed') : 'completed',
      config: stripInternal(config),
      engine: engineDescription,
      plugins: Object.fromEntries(this.used.map((u) => [u.plugin.name, u.plugin.version])),
      benchmarks: {},
      extensions,
      warnings,
    };
    if (error) summary.error = describeError(error);
    if (system) summary.system = system;
    // Judged per benchmark where each has its measured stretch: in a sweep, the run's mean can sit
    // under the threshold while its top step was client-bound.
    const stretches = Object.entries(phaseOutcomes).filter(([, o]) => o.system);
    const busyWarning = (busy: number | undefined, prefix: string, span: string) => {
      if (busy !== undefined && eventLoopBusy(busy).busy)
        warnings.push(
          `${prefix}Yardstick's event loop was busy ${(busy * 100).toFixed(0)}% of ${span}: at that load the client itself limits how fast ` +
            'requests go out and replies are read, so throughput may understate the server and latencies include client delay (pnpm bench:client measures the client’s ceiling)',
        );
    };
    if (stretches.length > 0) for (const [name, o] of stretches) busyWarning(o.system!.yardstick.event_loop_utilization?.mean, `${name}: `, 'its measured stretch');
    else busyWarning(system?.yardstick.event_loop_utilization?.mean, '', 'the generate phase');
    if (fingerprint) summary.fingerprint = fingerprint;
    try {
      const origins: Record<string, number> = {};
      for (const [name, outcome] of Object.entries(phaseOutcomes)) if (outcome.measuredFrom !== undefined) origins[name] = outcome.measuredFrom;
      const totals = await summarizeStore(store, { percentiles: config.percentiles, slo: config.slo, order: sources.map((s) => s.name), origins, attempt: run.attempt });
      summary.benchmarks = totals.benchmarks;
      const benchmarkServerMetrics: Record<string, Record<string, unknown>> = {};
      for (const [name, outcome] of Object.entries(phaseOutcomes)) {
        const b = summary.benchmarks[name];
        if (outcome.serverMetrics) benchmarkServerMetrics[name] = outcome.serverMetrics;
        if (!b) continue;
        b.load = outcome.load;
        if (outcome.serverMetrics) b.serverMetrics = outcome.serverMetrics;
        if (outcome.system) b.system = outcome.system;
      }
      if (totals.performance) summary.performance = totals.performance;
      warnings.push(...totals.warnings);
      const names = Object.keys(benchmarkServerMetrics);
      if (names.length === 1) summary.serverMetrics = benchmarkServerMetrics[names[0]!];
      else if (names.length > 1) summary.serverMetrics = benchmarkServerMetrics;
      for (const [name, b] of Object.entries(summary.benchmarks)) emitter.emit('benchmarkEnd', { benchmark: name, summary: b } satisfies RunEventMap['benchmarkEnd']);
      await this.hooks.report.promise(summary, run);
    } catch (e) {
      error ??= toError(e);
      summary.status = 'failed';
      summary.error = describeError(e);
      logger.error({ err: describeError(e) }, `reporting failed: ${(e as Error).message}`);
    }

    try {
      await this.hooks.teardown.promise(run, error);
    } catch (e) {
      logger.error({ err: describeError(e) }, `teardown failed: ${(e as Error).message}`);
      error ??= toError(e);
    }
    await store.close().catch(() => undefined);
    await scope.dispose().catch((e: unknown) => logger.error({ err: describeError(e) }, 'disposing services failed'));
    unlink();
    if (error && !summary.error) summary.error = describeError(error);
    if (error && summary.status === 'completed') summary.status = 'failed';
    Object.defineProperty(summary, 'cause', { value: error, enumerable: false });
    return summary;
  }

  /**
   * `yardstick validate`: the benchmarks' own setup, without the engine, so every dataset file is
   * read and checked (a bad row named by file and line) and every benchmark's samples and load
   * are resolved, before anyone waits minutes for an engine to load. Every plugin registers its
   * services; only benchmark plugins are applied (scorers and reporters may start processes or
   * servers in setup), the engine is never started and nothing is generated. Teardown runs.
   * The context's mode is 'check': a benchmark that can only build its samples with a running
   * engine (synthetic prompts of exact token lengths) says so with `run.warn` instead.
   */
  async check(options: { signal?: AbortSignal } = {}): Promise<BenchmarkCheckReport> {
    this.begin();
    const { config, logger, outDir, runId } = this.options;
    const { abort, unlink } = linkedAbort(options.signal);
    const store = await this.openJournal();
    const scope = this.runScope();
    const { run, sources, warnings } = createRunContext({ runId, outDir, mode: 'check', config, signal: abort.signal, logger, store, services: scope.cradle, resumed: false, attempt: 1 });
    installInterceptors(this.hooks, { logger, timeouts: config.timeouts as Partial<Record<HookName, number>> });
    const benchmarks: BenchmarkCheck[] = [];
    let error: Error | undefined;
    try {
      await this.registerPlugins(scope);
      await this.applyPlugins(scope, this.pluginHooks(), (plugin) => plugin.kind === 'benchmark');
      await this.hooks.setup.promise(run);
      for (const source of sources) {
        const phases = phasesOf(source, run);
        for (const phase of phases) phaseLoad(phase.load);
        let samples = 0;
        for await (const _sample of source.samples(run.signal)) {
          samples++;
          if (abort.signal.aborted) break;
        }
        // The root limit caps every benchmark in a run, whether or not its plugin applied it.
        if (config.limit !== undefined) samples = Math.min(samples, config.limit);
        benchmarks.push({ name: source.name, samples, phases: phases.map((p) => p.name), files: [...(source.files ?? [])] });
      }
      // Counts cut short by an interrupt are not a check that passed.
      if (abort.signal.aborted) throw new YardstickError(ERROR_CODES.ABORTED, 'The check was interrupted.');
    } catch (e) {
      error = toError(e);
      abort.abort(error);
    }
    try {
      await this.hooks.teardown.promise(run, error);
    } catch (e) {
      error ??= toError(e);
    }
    await store.close().catch(() => undefined);
    await scope.dispose().catch((e: unknown) => logger.error({ err: describeError(e) }, 'disposing services failed'));
    unlink();
    if (error) throw error;
    return { benchmarks, warnings };
  }

  /** The journal in the run folder (created when missing). */
  private async openJournal(): Promise<JournalStore> {
    await mkdir(this.options.outDir, { recursive: true });
    return JournalStore.open(this.options.outDir, { syncIntervalMs: this.options.config.journalSyncMs });
  }

  /** One run's DI scope, with the services the kernel itself provides. */
  private runScope(): AwilixContainer<Cradle> {
    const scope = this.container.createScope();
    scope.register({ logger: asValue(this.options.logger), modelFamilies: asValue(createModelFamilyRegistry()) });
    return scope;
  }

  /** Every plugin's services into the run's scope (engines, model families…), in config order. */
  private async registerPlugins(scope: AwilixContainer<Cradle>): Promise<void> {
    const { config, logger } = this.options;
    for (const { plugin, options } of this.used) {
      await plugin.register?.({ options, logger: logger.child({ plugin: plugin.name }), config: config as unknown as Record<string, unknown>, container: scope });
    }
  }

  /** Lets plugins tap the hooks, in config order; `only` picks which (a check applies benchmarks alone). */
  private async applyPlugins(scope: AwilixContainer<Cradle>, hooks: PluginHooks, only: (plugin: Plugin) => boolean = () => true): Promise<void> {
    const { config, logger } = this.options;
    for (const { plugin, options } of this.used) {
      if (!only(plugin)) continue;
      await plugin.apply?.({ options, logger: logger.child({ plugin: plugin.name }), config: config as unknown as Record<string, unknown>, hooks, container: scope });
    }
  }

  /** Model and dataset hashes, engine command, versions and seeds, so `compare` can tell what differs. */
  private async fingerprint(engine: EngineDescription | undefined, sources: readonly BenchmarkSource[]): Promise<RunFingerprint> {
    const { config } = this.options;
    const matrix = this.matrixCell();
    return fingerprintRun({
      config: stripInternal(config) as Record<string, unknown>,
      baseDir: config.baseDir,
      yardstickVersion: CORE_VERSION,
      plugins: Object.fromEntries(this.used.map((u) => [u.plugin.name, u.plugin.version])),
      engine,
      varied: matrix?.vars as Record<string, unknown> | undefined,
      datasetFiles: sources.flatMap((s) => s.files ?? []),
    });
  }

  /** Set by `yardstick run` for each cell of a matrix: `{ label, vars, baseline }`. */
  private matrixCell(): Record<string, unknown> | undefined {
    const matrix = (this.options.config as { matrix?: unknown }).matrix;
    const cell = typeof matrix === 'object' && matrix !== null ? (matrix as { cell?: unknown }).cell : undefined;
    return typeof cell === 'object' && cell !== null ? (cell as Record<string, unknown>) : undefined;
  }

  /** The engine is a service, not a tap: the kernel starts it first, sends requests to it, and always stops it. */
  private tapEngine(scope: AwilixContainer<Cradle>, started: () => void): void {
    if (!scope.hasRegistration('engine')) return;
    // Resolved once: `cradle` is a Proxy that resolves the registration on every access, and
    // generate asks for the engine once per request.
    let resolved: Cradle['engine'];
    const engine = () => (resolved ??= scope.cradle.engine!);
    this.hooks.setup.tapPromise({ name: 'kernel:engine-start', stage: STAGE.PRE - 1000 }, async (run) => {
      await engine().start(run.signal);
      started();
    });
    this.hooks.warmup.tapPromise({ name: 'kernel:warmup' }, (run) => sendWarmup(run, this.hooks, engine()));
    this.hooks.generate.tapPromise({ name: 'kernel:engine', stage: STAGE.NORMAL }, (request, run) => engine().generate(request, run.signal));
    this.hooks.teardown.tapPromise({ name: 'kernel:engine-stop', stage: STAGE.POST + 1000 }, async () => {
      await engine().stop();
    });
  }

  /** Hooks as plugins see them: tap methods only. */
  private pluginHooks(): PluginHooks {
    const out: Record<string, unknown> = {};
    for (const [name, hook] of Object.entries(this.hooks)) {
      out[name] = Object.freeze({ tap: hook.tap.bind(hook), tapPromise: hook.tapPromise.bind(hook) });
    }
    return Object.freeze(out) as unknown as PluginHooks;
  }
}

/**
 * The run's own abort controller, aborted too when the caller's signal aborts (Ctrl-C); `unlink`
 * stops listening on the caller's signal once the run is over.
 */
function linkedAbort(external: AbortSignal | undefined): { abort: AbortController; unlink: () => void } {
  const abort = new AbortController();
  // Every in-flight request listens on the run's signal; thousands at once are expected.
  setMaxListeners(0, abort.signal);
  const onExternalAbort = () => abort.abort(external?.reason);
  if (external?.aborted) onExternalAbort();
  external?.addEventListener('abort', onExternalAbort, { once: true });
  return { abort, unlink: () => external?.removeEventListener('abort', onExternalAbort) };
}

/** The config as written to summary.json: without internals, and with secrets masked. */
function stripInternal(config: ResolvedConfig): unknown {
  const { baseDir: _b, ...rest } = config;
  return redactSecrets(rest);
}

const SECRET_KEY = /^(api[-_]?key|token|password|secret|authorization)$/i;

function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) && typeof v === 'string' ? '***' : redactSecrets(v)]));
}

