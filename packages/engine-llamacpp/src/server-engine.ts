import { assertModelFile } from './model-file.js';
import {
  AttachedServer,
  checkHealth,
  findFreePort,
  launchDescription,
  LLAMACPP_METRICS,
  lookupModelFamily,
  ManagedServer,
  OpenAICompatibleClient,
  startupMemoryCheck,
  summarizeServerMetrics,
  type Engine,
  type EngineDescription,
  type GenerateRequest,
  type GenerateResult,
  type Logger,
  type MetricsScrape,
  type ModelFamilyRegistry,
  type PresetOptionsByEngine,
  type FamilyLookup,
  type StartupMemory,
} from '@yardstick/core';
import { execa } from 'execa';
import { resolveLlamaServer } from './binary.js';
import { resolveLlamacppOptions, type LlamacppOptions, type ResolvedLlamacppOptions } from './schema.js';
import { buildServerArgs } from './server-args.js';

export interface LlamaServerEngineDeps {
  logger: Logger;
  /** Absolute model path (launch mode). */
  modelPath: string | undefined;
  /** Config folder: relative `serverBinary` paths resolve against it. */
  baseDir: string;
  /** llama-server slots when `parallel` is not set: the run's concurrency. */
  parallel: number;
  /** HTTP connections when `connections` is not set. */
  connections: number;
  /** The model-family registry, looked up when the server starts (model plugins fill it in `register`). */
  families?: () => ModelFamilyRegistry | undefined;
}

const PROBES = ['/health', '/v1/models'];

/** llama-server over HTTP: launched from typed options (ManagedServer) or attached by `baseUrl`. */
export class LlamaServerEngine implements Engine {
  readonly specificationVersion = 1 as const;
  private server: ManagedServer | undefined;
  private attached: AttachedServer | undefined;
  private client: OpenAICompatibleClient | undefined;
  private version: string | undefined;
  private launch = '';
  private nCtx: number | undefined;
  private servedModel: string | undefined;
  private binaryPath: string | undefined;
  private parallel: number | undefined;
  private lookup: FamilyLookup | undefined;
  private memory: StartupMemory | undefined;
  /** The preset laid under the user's options, engine defaults filled in. */
  private readonly options: ResolvedLlamacppOptions;

  constructor(
    options: LlamacppOptions,
    private readonly deps: LlamaServerEngineDeps,
  ) {
    this.options = resolveLlamacppOptions(options);
  }

  /** llama-server's PID (launch mode), for CPU/RSS sampling. */
  pid(): number | undefined {
    return this.server?.pid;
  }

  /** `/health`, answered within a few seconds (a frozen server does not). */
  health(signal?: AbortSignal): Promise<string | undefined> {
    const base = this.baseUrl;
    return base ? checkHealth(base, PROBES, this.options.apiKey, signal) : Promise.resolve('llama-server is not started');
  }

  get baseUrl(): string | undefined {
    return this.server?.baseUrl ?? this.attached?.baseUrl;
  }

  async start(signal: AbortSignal): Promise<void> {
    const o = this.options;
    const log = this.deps.logger;
    let baseUrl: string;
    if (o.baseUrl) {
      this.attached = new AttachedServer({ name: 'llama-server', baseUrl: o.baseUrl, apiKey: o.apiKey, probes: PROBES, readinessTimeoutMs: o.readinessTimeoutMs });
      await this.attached.ready(signal);
      baseUrl = this.attached.baseUrl;
      this.launch = `attach ${baseUrl}`;
    } else {
      const modelPath = assertModelFile(this.deps.modelPath);
      const binary = resolveLlamaServer(o.serverBinary, this.deps.baseDir);
      this.binaryPath = binary.path;
      const port = o.port === 0 ? await findFreePort(o.host === '0.0.0.0' ? '127.0.0.1' : o.host) : o.port;
      const parallel = o.parallel ?? this.deps.parallel;
      this.parallel = parallel;
      // The GGUF's general.architecture, so families can match on it and not only on the file name.
      this.lookup = await lookupModelFamily(this.deps.families?.(), 'llamacpp', this.deps.modelPath);
      const args = buildServerArgs(o, { modelPath, port, parallel, familyFlags: this.lookup.flags });
      log.debug({ binary: binary.path, source: binary.source }, 'using llama-server');
      this.server = new ManagedServer({
        name: 'llama-server',
        command: [binary.path, ...args],
        env: o.env,
        host: o.host,
        port,
        probes: PROBES,
        readinessTimeoutMs: o.readinessTimeoutMs,
        stopGraceMs: o.stopGraceMs,
        // llama-server loses a SIGTERM that arrives as its task loop starts, and exits at once on a
        // second one (see ManagedServer.repeatTermMs): a stop right after start-up then takes 2 s, not the grace.
        repeatTermMs: 2_000,
        // Orphaned by a kill -9 of Yardstick: nothing to flush, and an early SIGTERM can be lost (above).
        parentDeathSignal: 'SIGKILL',
        apiKey: o.apiKey,
        logger: log,
      });
      this.launch = this.server.commandLine;
      await this.server.start(signal);
      baseUrl = this.server.baseUrl;
    }
    this.client = new OpenAICompatibleClient({
      baseUrl,
      apiKey: o.apiKey,
      model: o.alias,
      connections: o.connections ?? this.deps.connections,
      stream: o.stream,
      tokenizerApi: 'llamacpp',
      connectTimeoutMs: o.timeouts.connectMs,
      headersTimeoutMs: o.timeouts.headersMs,
      bodyIdleTimeoutMs: o.timeouts.bodyIdleMs,
    });
    await this.readProps(signal);
    if (!this.version && this.binaryPath) this.version = await binaryVersion(this.binaryPath);
    if (this.server) await this.checkMemory();
    if (this.attached) this.servedModel = (await this.client.listModels(signal).catch(() => []))[0];
  }

  /** Version (`build_info`, e.g. b1-de3ff81) and context size from /props; best effort. */
  private async readProps(signal: AbortSignal): Promise<void> {
    try {
      const props = (await this.client!.getJson('/props', signal)) as { build_info?: unknown; default_generation_settings?: { n_ctx?: unknown } };
      if (typeof props.build_info === 'string') this.version = props.build_info;
      const nCtx = props.default_generation_settings?.n_ctx;
      if (typeof nCtx === 'number') this.nCtx = nCtx;
    } catch (error) {
      this.deps.logger.debug({ err: error }, 'llama-server /props unavailable');
    }
  }

  /**
   * Plan vs the memory llama-server logged. This build prints its buffer sizes only at `-lv 4` (not at
   * the default verbosity 3), so unless the user asked for it (extraArgs) there is nothing to compare.
   */
  private async checkMemory(): Promise<void> {
    const o = this.options;
    const parallel = this.parallel ?? 1;
    const total = o.contextSize ?? this.nCtx;
    const options: PresetOptionsByEngine['llamacpp'] = { ...o, flashAttention: o.flashAttention === 'auto' ? undefined : o.flashAttention, parallel };
    this.memory = await startupMemoryCheck({
      engine: 'llamacpp',
      model: this.deps.modelPath,
      log: this.server!.startupLog(),
      ...(total !== undefined ? { context: Math.floor(total / parallel) } : {}),
      ...(o.preset ? { preset: o.preset } : {}),
      options,
      logger: this.deps.logger,
    });
  }

  generate(request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult> {
    const client = this.client;
    if (!client) return Promise.reject(new Error('engine-llamacpp: generate() before start()'));
    return client.generate(request, signal);
  }

  tokenize(text: string, signal?: AbortSignal): Promise<number[]> {
    return this.requireClient().tokenize(text, signal);
  }

  detokenize(tokens: number[], signal?: AbortSignal): Promise<string> {
    return this.requireClient().detokenize(tokens, signal);
  }

  async contextLength(): Promise<number | undefined> {
    return this.nCtx;
  }

  async scrapeMetrics(signal?: AbortSignal): Promise<MetricsScrape> {
    const text = await this.requireClient().getText('/metrics', signal);
    return { takenAt: Date.now(), text };
  }

  summarizeMetrics(first: MetricsScrape, last: MetricsScrape, all: MetricsScrape[]): Record<string, unknown> {
    return summarizeServerMetrics(LLAMACPP_METRICS, first, last, all);
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    // destroy, not close: in-flight streams end now instead of holding teardown open.
    await client?.destroy();
    await this.server?.stop();
    await this.attached?.stop();
  }

  describe(): EngineDescription {
    const d: EngineDescription = {
      name: 'llama.cpp',
      model: this.deps.modelPath ?? this.servedModel ?? this.options.alias ?? 'unknown',
      mode: this.options.baseUrl ? 'attach' : 'server',
      launch: this.launch || '(not started)',
    };
    if (this.version) d.version = this.version;
    const url = this.baseUrl;
    if (url) d.baseUrl = url;
    return { ...d, ...launchDescription({ preset: this.options.preset, lookup: this.lookup, memory: this.memory }) };
  }

  private requireClient(): OpenAICompatibleClient {
    if (!this.client) throw new Error('engine-llamacpp: the server is not started');
    return this.client;
  }
}

/** `llama-server --version` → `b<build>-<commit>` (prints e.g. `version: 0.5.0-dev (build 1, commit de3ff81)`). */
export async function binaryVersion(path: string): Promise<string | undefined> {
  try {
    const { stdout, stderr } = await execa(path, ['--version'], { reject: false, timeout: 10_000, stdin: 'ignore' });
    const text = `${stdout}\n${stderr}`;
    const m = /build (\d+), commit ([0-9a-f]+)/.exec(text);
    if (m) return `b${m[1]}-${m[2]}`;
    return /version: (\S+)/.exec(text)?.[1];
  } catch {
    return undefined;
  }
}
