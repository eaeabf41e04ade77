import type { Engine, MetricsScrape } from '../engine.js';
import { ERROR_CODES, YardstickError } from '../errors.js';
import type { Logger } from '../logger.js';
import { detectMetricsFlavor, LLAMACPP_METRICS, SGLANG_METRICS, VLLM_METRICS, type MetricsFlavor } from '../metrics/flavors.js';
import { parseMetrics } from '../metrics/parse.js';
import { summarizeServerMetrics } from '../metrics/summarize.js';
import type { EngineFlavor, ModelFamilyRegistry } from '../model.js';
import { OpenAICompatibleClient, type TokenizerApi } from '../openai/client.js';
import { resolvePreset } from '../presets/resolve.js';
import type { PresetName, PresetOptionsByEngine } from '../presets/table.js';
import type { EngineDescription, GenerateRequest, GenerateResult } from '../types.js';
import { AttachedServer } from './attached-server.js';
import { launchDescription, lookupModelFamily, startupMemoryCheck, type FamilyLookup, type StartupMemory } from './launch-support.js';
import { ManagedServer } from './managed-server.js';
import { findFreePort } from './ports.js';
import { checkHealth, type ProbeSpec } from './readiness.js';

const METRICS_FLAVORS: Record<'vllm' | 'sglang' | 'llamacpp', MetricsFlavor> = { vllm: VLLM_METRICS, sglang: SGLANG_METRICS, llamacpp: LLAMACPP_METRICS };

/** The options every OpenAI-compatible server engine plugin shares (its zod schema adds its own flags). */
export interface OpenAIServerOptions {
  model?: string;
  baseUrl?: string;
  apiKey?: string;
  executable: string;
  host: string;
  port: number;
  servedModelName?: string;
  preset?: PresetName;
  extraArgs: string[];
  env: Record<string, string>;
  readinessTimeoutMs: number;
  stopGraceMs: number;
  connections?: number;
  stream: boolean;
  metricsFlavor: 'auto' | 'vllm' | 'sglang' | 'llamacpp';
}

export interface OpenAIServerEngineContext {
  logger?: Logger;
  /** HTTP connections when the `connections` option is unset (sized to the run's concurrency). */
  connections?: number;
  /** The model-family registry, looked up at start (model plugins fill it in their `register`). */
  families?: () => ModelFamilyRegistry | undefined;
}

/** What makes one server engine differ from another. */
export interface OpenAIServerEngineSpec {
  /** Engine name in describe() and messages: `vllm`, `sglang`. */
  name: string;
  /** Key into presets and model-family `engineFlags`. */
  flavor: EngineFlavor;
  /** Server-info endpoints that may carry `{ version }`, tried in order. */
  versionPaths: readonly string[];
  /** Body shape of `/tokenize` for the shared client. */
  tokenizerApi?: TokenizerApi;
  /** Metrics names to read when `metricsFlavor: auto` cannot tell. */
  defaultMetrics: MetricsFlavor;
}

/**
 * An engine behind an OpenAI-compatible HTTP server, launched (ManagedServer) or attached (`baseUrl`):
 * readiness probes, served model and context from /v1/models, version from the server, requests through
 * core's shared client, tokenize/detokenize, /metrics. Presets are resolved in the constructor (the
 * user's fields win), the model family's flags at start. Subclasses give the argv and their quirks.
 */
export abstract class OpenAIServerEngine<O extends OpenAIServerOptions> implements Engine {
  readonly specificationVersion = 1 as const;
  /** The options with the preset filled in under the user's own values. */
  protected readonly options: O;
  protected readonly logger: Logger | undefined;
  protected server: ManagedServer | AttachedServer | undefined;
  protected client: OpenAICompatibleClient | undefined;
  protected servedModel: string | undefined;
  private readonly connections: number;
  private readonly families: (() => ModelFamilyRegistry | undefined) | undefined;
  private version: string | undefined;
  private maxModelLen: number | undefined;
  private lookup: FamilyLookup | undefined;
  private memory: StartupMemory | undefined;

  constructor(
    protected readonly spec: OpenAIServerEngineSpec,
    options: O,
    context: OpenAIServerEngineContext = {},
  ) {
    // Preset-controlled options have no schema default, so `undefined` means "the preset decides".
    this.options = resolvePreset(spec.flavor, options.preset, options) as O;
    this.logger = context.logger;
    this.connections = options.connections ?? context.connections ?? 64;
    this.families = context.families;
  }

  /** The launch argv for this port, family flags merged before `extraArgs`. */
  protected abstract buildCommand(port: number, familyFlags: readonly string[]): string[];
  /** What describe().launch says before start. */
  protected abstract notStartedLaunch(): string;
  /** The context length the user configured (max-model-len, context-length). */
  protected abstract configuredContextLength(): number | undefined;

  protected probes(): ProbeSpec[] {
    return ['/health', '/v1/models'];
  }

  get baseUrl(): string | undefined {
    return this.server?.baseUrl;
  }

  /** The exact command line, once the port is known (launch mode). */
  get commandLine(): string | undefined {
    return this.server instanceof ManagedServer ? this.server.commandLine : undefined;
  }

  /** PID of the launched server (CPU/RSS sampling; tests check it is gone after stop). */
  pid(): number | undefined {
    return this.server instanceof ManagedServer ? this.server.pid : undefined;
  }

  /** The first readiness probe (`/health`), answered within a few seconds. */
  health(signal?: AbortSignal): Promise<string | undefined> {
    const base = this.server?.baseUrl;
    return base ? checkHealth(base, this.probes(), this.options.apiKey, signal) : Promise.resolve(`${this.spec.name} is not started`);
  }

  async start(signal: AbortSignal): Promise<void> {
    const o = this.options;
    const name = this.spec.name;
    const probes = this.probes();
    if (o.baseUrl) {
      // The same readiness budget as launch mode: attaching to a server that is still loading a model is normal.
      const attached = new AttachedServer({ name, baseUrl: o.baseUrl, apiKey: o.apiKey, probes, readinessTimeoutMs: o.readinessTimeoutMs });
      this.server = attached;
      await attached.ready(signal);
    } else {
      this.lookup = await lookupModelFamily(this.families?.(), this.spec.flavor, o.model);
      if (this.lookup.family) this.logger?.debug({ family: this.lookup.family.name, flags: this.lookup.flags }, `${name}: model family`);
      const port = o.port === 0 ? await findFreePort(o.host === '0.0.0.0' ? '127.0.0.1' : o.host) : o.port;
      const managed = new ManagedServer({
        name,
        command: this.buildCommand(port, this.lookup.flags),
        env: o.env,
        host: o.host,
        port,
        probes,
        readinessTimeoutMs: o.readinessTimeoutMs,
        stopGraceMs: o.stopGraceMs,
        apiKey: o.apiKey,
        logger: this.logger,
      });
      this.server = managed;
      await managed.start(signal);
    }
    const probe = new OpenAICompatibleClient({ baseUrl: this.server.baseUrl, apiKey: o.apiKey, connections: 1 });
    try {
      await this.readModelAndVersion(probe, signal);
    } catch (error) {
      await this.stop();
      throw error;
    } finally {
      await probe.close();
    }
    this.client = new OpenAICompatibleClient({
      baseUrl: this.server.baseUrl,
      apiKey: o.apiKey,
      model: this.servedModel,
      connections: this.connections,
      stream: o.stream,
      ...(this.spec.tokenizerApi ? { tokenizerApi: this.spec.tokenizerApi } : {}),
    });
    if (this.server instanceof ManagedServer) {
      this.memory = await startupMemoryCheck({
        engine: this.spec.flavor,
        model: o.model,
        log: this.server.startupLog(),
        context: this.contextLengthSync(),
        preset: o.preset,
        options: o as PresetOptionsByEngine[EngineFlavor],
        logger: this.logger,
      });
    }
    this.logger?.debug({ baseUrl: this.server.baseUrl, model: this.servedModel, version: this.version }, `${name} model and version`);
  }

  private async readModelAndVersion(probe: OpenAICompatibleClient, signal: AbortSignal): Promise<void> {
    const o = this.options;
    const models = (await probe.getJson('/v1/models', signal)) as { data?: { id?: unknown; max_model_len?: unknown }[] };
    const listed = (models.data ?? []).filter((m) => typeof m.id === 'string');
    this.servedModel = o.servedModelName ?? (o.baseUrl ? (o.model ?? (listed[0]?.id as string | undefined)) : o.model);
    const entry = listed.find((m) => m.id === this.servedModel) ?? listed[0];
    if (typeof entry?.max_model_len === 'number') this.maxModelLen = entry.max_model_len;
    if (!this.servedModel) {
      throw new YardstickError(ERROR_CODES.ENGINE_START_FAILED, `${this.spec.name} at ${this.server!.baseUrl} lists no model in /v1/models`, { hint: 'set `model` or `servedModelName`' });
    }
    // Version endpoints are the engine's own; absent on look-alikes, which is fine.
    for (const path of this.spec.versionPaths) {
      const info = (await probe.getJson(path, signal).catch(() => undefined)) as { version?: unknown } | undefined;
      if (typeof info?.version === 'string') {
        this.version = info.version;
        break;
      }
    }
  }

  generate(request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> {
    if (!this.client) {
      // A failed request, not a crash: the contract rejects only on abort.
      return Promise.resolve({
        text: '',
        timing: { sentAt: performance.timeOrigin + performance.now(), chunksMs: [], doneMs: 0 },
        error: { code: ERROR_CODES.ENGINE_REQUEST_FAILED, message: `${this.spec.name} is not running (generate ${request.requestId} before start or after stop)` },
      });
    }
    return this.client.generate(request, signal);
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    // destroy, not close: in-flight streams end now instead of holding teardown open.
    await client?.destroy();
    await this.server?.stop();
  }

  describe(): EngineDescription {
    const o = this.options;
    return {
      name: this.spec.name,
      version: this.version,
      model: this.servedModel ?? o.servedModelName ?? o.model ?? 'unknown',
      mode: o.baseUrl ? 'attach' : 'launch',
      launch: this.commandLine ?? (o.baseUrl ? `attach ${o.baseUrl}` : this.notStartedLaunch()),
      baseUrl: this.server?.baseUrl,
      ...launchDescription({ preset: o.preset, lookup: this.lookup, memory: this.memory }),
    };
  }

  tokenize(text: string, signal?: AbortSignal): Promise<number[]> {
    return this.requireClient('tokenize').tokenize(text, signal);
  }

  detokenize(tokens: number[], signal?: AbortSignal): Promise<string> {
    return this.requireClient('detokenize').detokenize(tokens, signal);
  }

  async contextLength(): Promise<number | undefined> {
    return this.contextLengthSync();
  }

  private contextLengthSync(): number | undefined {
    return this.configuredContextLength() ?? this.maxModelLen;
  }

  async scrapeMetrics(signal?: AbortSignal): Promise<MetricsScrape> {
    const text = await this.requireClient('scrapeMetrics').getText('/metrics', signal);
    return { takenAt: Date.now(), text };
  }

  summarizeMetrics(first: MetricsScrape, last: MetricsScrape, all: MetricsScrape[]): Record<string, unknown> {
    return summarizeServerMetrics(this.metricsFlavorFor(last), first, last, all);
  }

  /** `auto`: the prefix the server really uses (a look-alike server is reported as what it is). */
  private metricsFlavorFor(scrape: MetricsScrape): MetricsFlavor {
    const chosen = this.options.metricsFlavor;
    if (chosen !== 'auto') return METRICS_FLAVORS[chosen];
    try {
      return detectMetricsFlavor(parseMetrics(scrape.text).keys()) ?? this.spec.defaultMetrics;
    } catch {
      return this.spec.defaultMetrics;
    }
  }

  protected requireClient(what: string): OpenAICompatibleClient {
    if (!this.client) throw new YardstickError(ERROR_CODES.NO_ENGINE, `${this.spec.name}: ${what}() before start()`);
    return this.client;
  }
}
