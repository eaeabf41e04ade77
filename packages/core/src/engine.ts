import type { EngineDescription, GenerateRequest, GenerateResult } from './types.js';

/** Raw Prometheus exposition text scraped from an engine's `/metrics`, with when it was taken. */
export interface MetricsScrape {
  takenAt: number;
  text: string;
}

/**
 * One contract for every engine (in-process or a server, launched or attached). An engine plugin
 * registers an instance as `engine` in the container; the kernel starts it in `setup`, sends every
 * request to it from `generate` and stops it in `teardown` (always).
 */
export interface Engine {
  readonly specificationVersion: 1;
  /** Start (launch mode) or check (attach mode) the engine; resolves when it is ready for requests. */
  start(signal: AbortSignal): Promise<void>;
  /**
   * Generate one reply with its timing trace. A failed request resolves with `error` set rather than
   * rejecting, so one bad reply never fails the run; reject only when the signal aborts.
   */
  generate(request: GenerateRequest, signal: AbortSignal): Promise<GenerateResult>;
  /** Idempotent; must not throw when the engine never started. */
  stop(): Promise<void>;
  describe(): EngineDescription;
  /** Token ids for a text, with the engine's own tokenizer (exact synthetic prompt lengths, usage checks). */
  tokenize?(text: string, signal?: AbortSignal): Promise<number[]>;
  /** Text for token ids (building synthetic prompts of an exact length). */
  detokenize?(tokens: number[], signal?: AbortSignal): Promise<string>;
  /** The model's context window in tokens, when the engine knows it. */
  contextLength?(): Promise<number | undefined>;
  /** PID of the server process this engine launched (launch mode), for CPU/RSS sampling. */
  pid?(): number | undefined;
  /**
   * One quick liveness check while requests run (a server's `/health`, answered within a few
   * seconds): undefined when the engine answers, else why not. The kernel asks after several
   * requests in a row timed out, to tell a stalled or frozen engine from a slow one.
   */
  health?(signal?: AbortSignal): Promise<string | undefined>;
  /** Raw `/metrics` text; absent for engines without a metrics endpoint. */
  scrapeMetrics?(signal?: AbortSignal): Promise<MetricsScrape>;
  /** Map scrapes taken over the run into common names (running, waiting, kv_cache_usage…). */
  summarizeMetrics?(first: MetricsScrape, last: MetricsScrape, all: MetricsScrape[]): Record<string, unknown>;
}
