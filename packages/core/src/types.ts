/**
 * Data that crosses plugin borders. Everything a report shows is derivable from the stored
 * `SampleRecord`s plus the `RunSummary`.
 */

import type { Arrival } from './schedule/arrivals.js';

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  id?: string;
  name: string;
  /** Raw JSON text of the arguments, exactly as the model produced it. */
  arguments: string;
}

export interface ChatMessage {
  role: ChatRole;
  content: string;
  name?: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  /** Benchmark bookkeeping (e.g. a RAG context block) used by `ConversationTurn.drop`; never sent. */
  tag?: string;
}

export type JsonSchema = { [key: string]: unknown };

export interface ToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters?: JsonSchema };
}

export interface GenerationParams {
  maxTokens: number;
  temperature: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  seed?: number;
  /** Keep generating past end-of-sequence so output lengths hold (serving benchmarks). */
  ignoreEos?: boolean;
  /** Engine-specific request fields passed through verbatim. */
  extra?: Record<string, unknown>;
}

/** One turn of a multi-turn conversation; the kernel generates the turns in order. */
export interface ConversationTurn {
  /** Messages appended to the history before this turn's assistant reply is generated. */
  messages: ChatMessage[];
  /** Remove earlier history messages with these tags before this turn (e.g. a RAG block). */
  drop?: string[];
}

/** One evaluation item as a benchmark yields it. */
export interface Sample {
  /** The dataset's own id (HumanEval task_id, SQuAD question id…) or the 0-based row index. */
  id: string;
  /** Which scorers apply: scorers match on this (e.g. 'gsm8k', 'squad_v2', 'humaneval'). */
  task: string;
  /** Completion-style prompt. Exactly one of `prompt` / `messages` is set. */
  prompt?: string;
  /** Chat-style prompt (history before the first generated turn when `turns` is set). */
  messages?: ChatMessage[];
  /** Multi-turn: each turn is generated with the conversation so far. */
  turns?: ConversationTurn[];
  tools?: ToolDefinition[];
  /** Reference answer(s), shape defined by the benchmark and understood by its scorers. */
  target?: unknown;
  /** Per-sample generation overrides (stop strings, max tokens…). */
  generation?: Partial<GenerationParams>;
  /** Free-form; stored with the record. `category` is used for per-category aggregates. */
  metadata?: Record<string, unknown>;
}

export type RequestKind = 'completion' | 'chat';

export interface GenerateRequest {
  /** Unique within the run: `<benchmark>:<sampleId>[#turn][@attempt]`. */
  requestId: string;
  benchmark: string;
  sampleId: string;
  kind: RequestKind;
  prompt?: string;
  messages?: ChatMessage[];
  tools?: ToolDefinition[];
  params: GenerationParams;
  /** Warm-up requests are excluded from every metric and never stored. */
  warmup?: boolean;
}

/**
 * Timing of one request. `sentAt` is epoch milliseconds with sub-millisecond precision
 * (`performance.timeOrigin + performance.now()`); every other field is milliseconds after `sentAt`.
 */
export interface TimingTrace {
  sentAt: number;
  headersMs?: number;
  /** First chunk that carries content (text or tool-call delta). */
  firstTokenMs?: number;
  /** Offset of every content chunk, in arrival order (the first equals `firstTokenMs`). */
  chunksMs: number[];
  /** Last byte received / generation finished: the end of the reply, which run durations end at. */
  doneMs: number;
  /**
   * Streamed replies: the last chunk that carried a non-empty `choices` array (content, role-only,
   * empty-text or finish chunks; not a usage-only chunk, not `[DONE]`). vLLM `bench serve` ends a
   * request's latency there, so E2EL and TPOT do too (see `e2elMs`). Absent for non-streamed
   * replies, engines that do not stream over HTTP and journals written before it existed: E2EL then
   * falls back to `doneMs`.
   */
  lastChoiceMs?: number;
  /**
   * Streamed replies with no content chunk only (`firstTokenMs` absent): the first chunk that
   * carried `choices` (role-only, empty text, finish). What vLLM would take as the TTFT; used for
   * the TTFT SLO of such a reply and nowhere else.
   */
  firstChoiceMs?: number;
  /** How late the client itself sent the request relative to its scheduled time (open-loop load only). */
  lagMs?: number;
  /**
   * How long the request waited for a free slot under a concurrency cap, beyond `lagMs` (open loop
   * with a cap only; vLLM's client queue time). The server's doing: it held the slots.
   */
  queueMs?: number;
  /**
   * Set when the reply came as one JSON document, not a stream: its only "chunk" is its end, so its
   * TTFT is its E2EL and it has no ITL. The summary warns when a benchmark has such replies.
   */
  unstreamed?: true;
}

export interface Usage {
  promptTokens?: number;
  completionTokens?: number;
  /** The reply re-counted with the engine's tokenizer, to cross-check the server's count. */
  tokenizerCompletionTokens?: number;
  /** Where completionTokens came from: the server's `usage`, or counted by the client. */
  source?: 'server' | 'tokenizer' | 'chunks';
}

export interface RequestError {
  /** Stable code: YS_ENGINE_CONNECT_REFUSED, YS_ENGINE_HTTP_STATUS, YS_ENGINE_STREAM_MALFORMED… */
  code: string;
  message: string;
}

export interface GenerateResult {
  text: string;
  toolCalls?: ToolCall[];
  finishReason?: string;
  usage?: Usage;
  timing: TimingTrace;
  /** Set when the request failed; the sample is recorded as failed and scored as such. */
  error?: RequestError;
  /** Served from a cache tap rather than the engine. */
  cached?: boolean;
}

/** What scorers add to; scorers tap `score` as a waterfall and return the card with their metrics. */
export interface ScoreCard {
  /** metric name → value (usually 0..1). */
  metrics: Record<string, number>;
  /** metric name → weight for the aggregate mean (default 1), e.g. instructions per IFEval prompt. */
  weights?: Record<string, number>;
  /** scorer name → human-readable reason / failure explanation. */
  reasons: Record<string, string>;
  /** scorer name → structured detail (extracted answer, test output…). */
  details: Record<string, unknown>;
}

/** The unit scorers see: a sample with everything generated for it. */
export interface ScoredSample {
  benchmark: string;
  sample: Sample;
  /** The final (or only) generation. */
  result: GenerateResult;
  /** Multi-turn: one result per turn (the last equals `result`). */
  turns?: GenerateResult[];
  /** Repeated sampling (`repeats` > 1, for pass@k): every attempt, `attempts[0]` equals `result`. */
  attempts?: GenerateResult[];
}

/** The durable record of one finished sample, one line of `samples.jsonl`. */
export interface SampleRecord extends ScoredSample {
  runId: string;
  /** Position of the sample in its benchmark's order, for stable reports. */
  index: number;
  score: ScoreCard;
  finishedAt: string;
  /**
   * Which attempt of the run wrote it: absent for the first, 2 for the first `--resume`, and so on.
   * A benchmark's duration adds up each attempt's own span, so the time between an interruption
   * and its resume is not counted as benchmark time.
   */
  attempt?: number;
}

export interface MetricAggregate {
  mean: number;
  /** 95% confidence interval of the mean (normal approximation on the standard error). */
  ci95: [number, number];
  stderr: number;
  n: number;
}

export interface BenchmarkSummary {
  n: number;
  failed: number;
  metrics: Record<string, number>;
  /** Same metrics with uncertainty. */
  aggregates: Record<string, MetricAggregate>;
  /** Per `sample.metadata.category` (or task when a benchmark mixes tasks). */
  categories?: Record<string, { n: number; metrics: Record<string, number>; aggregates: Record<string, MetricAggregate> }>;
  /** Timing aggregates over this benchmark's requests (see performance/). */
  performance?: PerformanceSummary;
  /** Server-side metrics diffed over this benchmark (engines with /metrics). */
  serverMetrics?: Record<string, unknown>;
  /** The load this benchmark (or sweep step) ran under, as the kernel applied it. */
  load?: PhaseLoad;
  /** CPU, RSS and GPU sampled over this benchmark's measured stretch (`yardstick run` only; warm-up left out). */
  system?: import('./system/sampler.js').SystemSummary;
}

/**
 * The load of one benchmark phase after root, plugin and sweep settings are merged: what the
 * vLLM export writes as `request_rate`, `burstiness` and `max_concurrency`.
 */
export interface PhaseLoad {
  /** Open-loop arrivals per second; absent for a closed loop (vLLM's `--request-rate inf`). */
  rate?: number;
  /** Inter-arrival distribution of an open loop. */
  arrival?: Arrival;
  /** Gamma shape factor of an open loop (1 = Poisson). */
  burstiness?: number;
  /** Closed-loop workers, or an open loop's cap on requests in flight (vLLM `--max-concurrency`); absent: no cap. */
  concurrency?: number;
  /** Seconds of warm-up at this load before measuring (requests not in any metric). */
  warmup_s?: number;
  /** Dispatching stopped after this many seconds (after the warm-up). */
  duration_s?: number;
  /** Requests asked for (cycling through the samples). */
  num_requests?: number;
}

/** Serving metrics with vLLM `bench serve` definitions; times in ms, throughputs per second of wall time. */
export interface PerformanceSummary {
  ttft_ms: Distribution;
  tpot_ms: Distribution;
  itl_ms: Distribution;
  e2el_ms: Distribution;
  /** The seeds' per-request decode speed: output tokens / (E2EL − TTFT). */
  decode_tokens_per_s: Distribution;
  output_tokens: Distribution;
  request_throughput: number;
  output_throughput: number;
  total_token_throughput: number;
  /** Requests/s meeting every SLO (equals request_throughput when no SLO is set). */
  goodput: number;
  completed: number;
  failed: number;
  /** Failure reasons → count. */
  errors: Record<string, number>;
  duration_s: number;
  total_input_tokens: number;
  total_output_tokens: number;
  /**
   * vLLM's peak: most content chunks received within one second of the run (successful requests).
   * Absent in summaries written before it existed.
   */
  max_output_tokens_per_s?: number;
  /** vLLM's peak: most successful requests in flight at one instant (a sweep over [start, end)). */
  max_concurrent_requests?: number;
  /** How late the client itself sent requests relative to the schedule (open loop). */
  client_lag_ms?: Distribution;
  /** How long requests waited for a concurrency slot (open loop with a cap; vLLM `client_queue_time`). */
  client_queue_ms?: Distribution;
  [extra: string]: unknown;
}

export interface Distribution {
  mean: number;
  median: number;
  std: number;
  p90: number;
  p95: number;
  p99: number;
  /** Any extra percentiles asked for in config, keyed `p<q>`. */
  [percentile: string]: number;
}

export interface EngineDescription {
  name: string;
  version?: string;
  model: string;
  mode: string;
  /** The exact command line (launch mode) or what it talks to (attach / in-process). */
  launch: string;
  baseUrl?: string;
  [key: string]: unknown;
}

export interface RunSummary {
  runId: string;
  startedAt: string;
  finishedAt: string;
  status: 'completed' | 'failed' | 'interrupted';
  config: unknown;
  engine?: EngineDescription;
  plugins: Record<string, string>;
  benchmarks: Record<string, BenchmarkSummary>;
  /** Serving metrics over the whole run, when any request went to an engine (all of them failed included). */
  performance?: PerformanceSummary;
  /** Server-side metrics diffed over the run, in common names. */
  serverMetrics?: Record<string, unknown>;
  /** Process CPU/RSS (engine server and Yardstick) and GPU memory/utilisation sampled during generation. */
  system?: import('./system/sampler.js').SystemSummary;
  /** What produced these numbers: model and dataset hashes, engine command, versions, seeds (`compare` checks it). */
  fingerprint?: import('./compare/fingerprint.js').RunFingerprint;
  /** Anything a plugin wants the report to carry, keyed by plugin name. */
  extensions: Record<string, unknown>;
  warnings: string[];
  error?: { code: string; message: string };
}
