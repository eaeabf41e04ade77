import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import { Pool, type Dispatcher } from 'undici';
import { ERROR_CODES, YardstickError } from '../errors.js';
import type { GenerateRequest, GenerateResult, TimingTrace } from '../types.js';
import { CHUNK_CONTENT, CHUNK_ERROR, plainContent, ReplyAccumulator } from './accumulator.js';
import { ContentChunkTemplate } from './chunk-template.js';
import { buildRequestBody } from './body.js';
import { Http1Pool, type StreamController, type StreamHandler } from './http1-pool.js';
import {
  bodyExcerpt,
  classifyTransportError,
  ENGINE_REQUEST_ERROR_CODES as CODES,
  errorText,
  type EngineRequestError,
} from './errors.js';

/** Request body shapes of the non-standard `/tokenize` and `/detokenize` endpoints. */
export type TokenizerApi = 'llamacpp' | 'vllm';

export interface OpenAIClientOptions {
  /** Server root, e.g. `http://127.0.0.1:8080` (a trailing `/v1` is accepted and ignored). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`; never logged. */
  apiKey?: string;
  /** `model` field of every request (vLLM/SGLang need the served name; llama-server accepts anything). */
  model?: string;
  /** Keep-alive connections in the pool; size it to the run's concurrency (default 64). */
  connections?: number;
  /** Stream replies (default true); false sends `stream: false` and stamps the whole reply as one chunk. */
  stream?: boolean;
  /** Ask for `stream_options.include_usage` (default true). */
  includeUsage?: boolean;
  /** TCP connect timeout (default 10 s). */
  connectTimeoutMs?: number;
  /** Time to wait for response headers (default 10 min: a queued request may wait long for a slot). */
  headersTimeoutMs?: number;
  /** Longest silence between two body chunks (default 5 min). */
  bodyIdleTimeoutMs?: number;
  /** Body shape of `/tokenize` / `/detokenize` (default 'llamacpp'). */
  tokenizerApi?: TokenizerApi;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

const DONE = '[DONE]';

/** Strips a trailing slash and `/v1` so paths can always be written as `/v1/...`. */
export function normalizeBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (cause) {
    throw new YardstickError(ERROR_CODES.CONFIG_INVALID, `invalid engine base URL "${baseUrl}"`, {
      cause,
      hint: 'use a full URL such as http://127.0.0.1:8080',
    });
  }
  url.pathname = url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return url;
}

/**
 * A lean OpenAI-compatible client for benchmarking. Streamed generations on http: go through
 * Http1Pool (bare keep-alive sockets; measured 1.4–1.6× undici's Pool on the bench server); https:
 * and every other call go through one undici `Pool` (global `fetch` tops out near 3.5k streamed req/s
 * on a small machine). SSE is framed by eventsource-parser, repeated chunks are read through a
 * learned template instead of JSON.parse (chunk-template.ts), and each request gets a timing trace.
 * `generate` never rejects for a bad reply: the result carries a classified `error`.
 */
export class OpenAICompatibleClient {
  readonly baseUrl: string;
  readonly model: string | undefined;
  private readonly prefix: string;
  /** Full URLs / paths per request kind, built once (named in error messages, sent as the path). */
  private readonly urls: Record<GenerateRequest['kind'], string>;
  private readonly paths: Record<GenerateRequest['kind'], string>;
  private readonly pool: Pool;
  /** The streaming hot path on plain http: (see http1-pool.ts for why not undici there). */
  private readonly streamPool: Http1Pool | undefined;
  private readonly headers: Record<string, string>;
  private readonly stream: boolean;
  private readonly includeUsage: boolean;
  private readonly tokenizerApi: TokenizerApi;
  private readonly headersTimeout: number;
  private readonly bodyTimeout: number;
  private closed = false;

  constructor(options: OpenAIClientOptions) {
    const url = normalizeBaseUrl(options.baseUrl);
    this.prefix = url.pathname === '/' ? '' : url.pathname;
    this.baseUrl = `${url.origin}${this.prefix}`;
    this.paths = { completion: this.prefix + this.endpoint('completion'), chat: this.prefix + this.endpoint('chat') };
    this.urls = { completion: url.origin + this.paths.completion, chat: url.origin + this.paths.chat };
    this.model = options.model;
    this.stream = options.stream ?? true;
    this.includeUsage = options.includeUsage ?? true;
    this.tokenizerApi = options.tokenizerApi ?? 'llamacpp';
    this.headersTimeout = options.headersTimeoutMs ?? 600_000;
    this.bodyTimeout = options.bodyIdleTimeoutMs ?? 300_000;
    this.headers = { 'content-type': 'application/json', ...options.headers };
    if (options.apiKey) this.headers.authorization = `Bearer ${options.apiKey}`;
    this.pool = new Pool(url.origin, {
      connections: options.connections ?? 64,
      pipelining: 1,
      connect: { timeout: options.connectTimeoutMs ?? 10_000, noDelay: true },
      headersTimeout: this.headersTimeout,
      bodyTimeout: this.bodyTimeout,
      keepAliveTimeout: 30_000,
    });
    if (url.protocol === 'http:') {
      this.streamPool = new Http1Pool(url.origin, {
        connections: options.connections ?? 64,
        connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
        headersTimeoutMs: this.headersTimeout,
        bodyTimeoutMs: this.bodyTimeout,
        // Below uvicorn's 5 s keep-alive (vLLM, SGLang): we drop idle sockets before the server
        // does, instead of racing its close with the next request.
        keepAliveTimeoutMs: 4_000,
      });
    }
  }

  /** Path of a request kind's endpoint. */
  endpoint(kind: GenerateRequest['kind']): string {
    return kind === 'chat' ? '/v1/chat/completions' : '/v1/completions';
  }

  /**
   * Sends one completion / chat request. Resolves with text, tool calls, usage and the timing
   * trace, or with `error` set; rejects only with `YS_ENGINE_ABORTED` when `signal` aborts.
   */
  generate(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
    const kind = request.kind === 'chat' ? 'chat' : 'completion';
    const path = this.paths[kind];
    const body = JSON.stringify(buildRequestBody(request, { model: this.model, stream: this.stream, includeUsage: this.includeUsage }));
    return new Promise<GenerateResult>((resolve, reject) => {
      const handler = new GenerateHandler(request.requestId, this.urls[kind], this.stream, resolve, reject, signal);
      if (signal?.aborted) {
        handler.abortBeforeStart();
        return;
      }
      if (this.closed) {
        handler.failNow(CODES.REQUEST_FAILED, 'the client is closed');
        return;
      }
      handler.start();
      handler.request = { path, method: 'POST', headers: this.headers, body };
      handler.transport = this;
      this.dispatchGeneration(handler);
    });
  }

  /** @internal Sends (or re-sends) a generation: Http1Pool on http:, undici on https:. */
  dispatchGeneration(handler: GenerateHandler, retry = false): void {
    if (this.streamPool) this.streamPool.dispatch(handler.request!, handler, { fresh: retry });
    else this.pool.dispatch(handler.request!, handler);
  }

  /** GET a JSON document (helpers: /v1/models, /props, /version…). Throws on any failure. */
  async getJson(path: string, signal?: AbortSignal): Promise<unknown> {
    const text = await this.requestText('GET', path, undefined, signal);
    return parseJson(text, `GET ${this.baseUrl}${path}`);
  }

  /** GET a text document (e.g. Prometheus `/metrics`). Throws on any failure. */
  getText(path: string, signal?: AbortSignal): Promise<string> {
    return this.requestText('GET', path, undefined, signal);
  }

  /** POST JSON, parse the JSON reply. Throws on any failure. */
  async postJson(path: string, payload: unknown, signal?: AbortSignal): Promise<unknown> {
    const text = await this.requestText('POST', path, JSON.stringify(payload), signal);
    return parseJson(text, `POST ${this.baseUrl}${path}`);
  }

  /** HTTP status of a GET without throwing (0 when the connection failed): readiness probes. */
  async status(path: string, signal?: AbortSignal, timeoutMs = 5_000): Promise<number> {
    try {
      const res = await this.pool.request({ path: this.prefix + path, method: 'GET', headers: this.headers, signal, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
      await res.body.dump();
      return res.statusCode;
    } catch (error) {
      if (signal?.aborted) throw abortError(`GET ${this.baseUrl}${path}`, signal);
      return 0;
    }
  }

  /** Model ids from `/v1/models`. */
  async listModels(signal?: AbortSignal): Promise<string[]> {
    const doc = (await this.getJson('/v1/models', signal)) as { data?: { id?: unknown }[] };
    return (doc.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
  }

  /** Token ids of `text` with the server's tokenizer (no special tokens added). */
  async tokenize(text: string, signal?: AbortSignal): Promise<number[]> {
    const payload = this.tokenizerApi === 'vllm' ? { model: this.model, prompt: text, add_special_tokens: false } : { content: text, add_special: false };
    const doc = (await this.postJson('/tokenize', payload, signal)) as { tokens?: unknown };
    if (!Array.isArray(doc.tokens)) throw malformed(`POST ${this.baseUrl}/tokenize`, 'reply has no "tokens" array');
    // llama.cpp returns {id, piece} objects when asked for pieces; accept both shapes.
    return doc.tokens.map((t: unknown) => (typeof t === 'number' ? t : Number((t as { id?: unknown }).id)));
  }

  /** Text of token ids with the server's tokenizer. */
  async detokenize(tokens: number[], signal?: AbortSignal): Promise<string> {
    const payload = this.tokenizerApi === 'vllm' ? { model: this.model, tokens } : { tokens };
    const doc = (await this.postJson('/detokenize', payload, signal)) as { content?: unknown; prompt?: unknown };
    const text = typeof doc.content === 'string' ? doc.content : doc.prompt;
    if (typeof text !== 'string') throw malformed(`POST ${this.baseUrl}/detokenize`, 'reply has no "content" / "prompt" string');
    return text;
  }

  /** Closes idle connections and waits for requests in flight. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.pool.close(), this.streamPool?.close()]);
  }

  /** Drops every connection at once (teardown after an abort). Idempotent. */
  async destroy(): Promise<void> {
    this.closed = true;
    this.streamPool?.destroy();
    if (!this.pool.destroyed) await this.pool.destroy();
  }

  private async requestText(method: 'GET' | 'POST', path: string, body: string | undefined, signal?: AbortSignal): Promise<string> {
    const what = `${method} ${this.baseUrl}${path}`;
    let res: Dispatcher.ResponseData;
    try {
      res = await this.pool.request({ path: this.prefix + path, method, headers: this.headers, body, signal });
    } catch (error) {
      if (signal?.aborted) throw abortError(what, signal);
      const code = classifyTransportError(error, false);
      throw new YardstickError(code, `${what} failed: ${errorText(error)}`, { cause: error });
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (error) {
      if (signal?.aborted) throw abortError(what, signal);
      throw new YardstickError(classifyTransportError(error, true), `${what} failed while reading the reply: ${errorText(error)}`, { cause: error });
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      throw new YardstickError(CODES.HTTP_STATUS, `${what} failed: HTTP ${res.statusCode}: ${bodyExcerpt(text)}`, {
        details: { status: res.statusCode },
      });
    }
    return text;
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw malformed(what, `reply is not JSON: ${bodyExcerpt(text)}`);
  }
}

function malformed(what: string, why: string): YardstickError {
  return new YardstickError(CODES.STREAM_MALFORMED, `${what}: ${why}`);
}

function abortError(what: string, signal: AbortSignal): YardstickError {
  return new YardstickError(CODES.ABORTED, `${what} aborted`, { cause: signal.reason });
}

/**
 * Requests in flight per signal, behind ONE abort listener per signal. Load-test requests all share
 * the run's signal: an EventTarget listener added and removed per request costs more than parsing
 * the reply, and removal walks the listener list (thousands long at high concurrency).
 */
const inFlightBySignal = new WeakMap<AbortSignal, Set<GenerateHandler>>();

function watchAbort(signal: AbortSignal, handler: GenerateHandler): void {
  let handlers = inFlightBySignal.get(signal);
  if (!handlers) {
    const set = new Set<GenerateHandler>();
    handlers = set;
    inFlightBySignal.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        for (const h of [...set]) h.abortNow();
        set.clear();
      },
      { once: true },
    );
  }
  handlers.add(handler);
}

function unwatchAbort(signal: AbortSignal, handler: GenerateHandler): void {
  inFlightBySignal.get(signal)?.delete(handler);
}

/** Raised inside the handler to stop reading a reply that cannot be used. */
class ReplyFailure extends Error {
  constructor(readonly failure: EngineRequestError) {
    super(failure.message);
  }
}

/**
 * One request's life as an undici dispatch handler (no stream objects, no promises per chunk):
 * stamps headers / content chunks / end, feeds SSE text to the parser and settles exactly once.
 */
class GenerateHandler implements Dispatcher.DispatchHandler, StreamHandler {
  private readonly t0: number;
  private readonly timing: TimingTrace;
  private readonly acc = new ReplyAccumulator();
  private readonly template = new ContentChunkTemplate();
  /** The start of a UTF-8 character cut off at the end of the last network chunk. */
  private partial: Buffer | undefined;
  private parser: EventSourceParser | undefined;
  private controller: StreamController | undefined;
  private status = 0;
  private raw = '';
  private sawDone = false;
  private settled = false;
  private failure: EngineRequestError | undefined;
  /** `performance.now() - t0` of the network chunk being parsed (one clock read per chunk). */
  private chunkAt = 0;
  /**
   * Sends the request again on another connection. llama-server (and others) answer with
   * `Keep-Alive` yet close the socket after a streamed reply; a request dispatched on that socket
   * fails before the server read it. That one case is safe to retry, once: nothing was processed.
   */
  transport: { dispatchGeneration(handler: GenerateHandler, retry?: boolean): void } | undefined;
  /** What to send; kept for the one retry. */
  request: { path: string; method: 'POST'; headers: Record<string, string>; body: string } | undefined;

  constructor(
    private readonly requestId: string,
    private readonly url: string,
    private readonly stream: boolean,
    private readonly resolve: (r: GenerateResult) => void,
    private readonly reject: (e: unknown) => void,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.t0 = performance.now();
    this.timing = { sentAt: microseconds(performance.timeOrigin + this.t0), chunksMs: [], doneMs: 0 };
  }

  /**
   * Milliseconds since the request started, rounded to the microsecond: the clock's useful
   * resolution, and shorter numbers make every stored record cheaper to write and read back.
   */
  private elapsed(): number {
    return microseconds(performance.now() - this.t0);
  }

  start(): void {
    if (this.signal) watchAbort(this.signal, this);
  }

  /** The request's signal aborted: stop reading, or settle at once when nothing was sent yet. */
  abortNow(): void {
    if (this.controller) this.controller.abort(abortReason(this.signal!));
    else this.settleAbort();
  }

  abortBeforeStart(): void {
    this.settleAbort();
  }

  failNow(code: string, why: string): void {
    this.settleResult({ code, message: this.describe(why) });
  }

  onRequestStart(controller: StreamController): void {
    this.controller = controller;
    if (this.signal?.aborted) controller.abort(abortReason(this.signal));
  }

  onResponseStart(_controller: StreamController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.status = statusCode;
    this.timing.headersMs = this.elapsed();
    // A server may answer a streaming request with one JSON document (some proxies, some errors):
    // read it whole then, rather than waiting for SSE events that never come.
    const type = headers['content-type'];
    const sse = type === undefined || (typeof type === 'string' ? type : type.join(',')).includes('event-stream');
    if (this.stream && sse && statusCode >= 200 && statusCode < 300) {
      // bind, not an arrow: the dev runtime (tsx) wraps every named arrow in a __name() call.
      this.parser = createParser({ onEvent: this.onEvent.bind(this) });
    }
  }

  onResponseData(controller: StreamController, chunk: Buffer): void {
    if (this.failure) return;
    const text = this.decode(chunk);
    const parser = this.parser;
    if (parser === undefined) {
      // Non-streaming reply, or an error body (kept short: only an excerpt is reported).
      if (this.status >= 200 && this.status < 300) this.raw += text;
      else if (this.raw.length < 4096) this.raw += text;
      return;
    }
    this.chunkAt = -1;
    try {
      parser.feed(text);
    } catch (error) {
      const failure = error instanceof ReplyFailure ? error.failure : { code: CODES.STREAM_MALFORMED, message: this.describe(`unreadable event stream: ${errorText(error)}`) };
      this.failure = failure;
      controller.abort(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * UTF-8 text of a network chunk, holding back a character split across chunks (what
   * StringDecoder does, without a decoder object per request: replies almost never split one).
   */
  private decode(chunk: Buffer): string {
    let bytes = chunk;
    if (this.partial) {
      bytes = Buffer.concat([this.partial, chunk]);
      this.partial = undefined;
    }
    const complete = completeUtf8Length(bytes);
    if (complete < bytes.length) {
      this.partial = Buffer.from(bytes.subarray(complete));
      return bytes.toString('utf8', 0, complete);
    }
    return bytes.toString('utf8');
  }

  private onEvent(event: EventSourceMessage): void {
    const data = event.data;
    if (data === DONE) {
      this.sawDone = true;
      return;
    }
    if (this.sawDone) return;
    const text = this.template.match(data);
    if (text !== undefined) {
      // Same document as the last plain content chunk but for its text: no JSON.parse needed.
      if (text.length > 0) {
        this.acc.text += text;
        this.stampContent();
      }
      return;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      throw new ReplyFailure({ code: CODES.STREAM_MALFORMED, message: this.describe(`malformed stream chunk (not JSON): ${bodyExcerpt(data)}`) });
    }
    if (typeof chunk !== 'object' || chunk === null) {
      throw new ReplyFailure({ code: CODES.STREAM_MALFORMED, message: this.describe(`malformed stream chunk: ${bodyExcerpt(data)}`) });
    }
    const kind = this.acc.addChunk(chunk);
    if (kind === CHUNK_ERROR) {
      throw new ReplyFailure({ code: CODES.SERVER_ERROR, message: this.describe(`server error in stream: ${bodyExcerpt(this.acc.serverError ?? '')}`) });
    }
    if (kind === CHUNK_CONTENT) {
      this.stampContent();
      const plain = plainContent(chunk);
      if (plain) this.template.learn(data, plain.field, plain.text);
    }
  }

  /** Time-stamps a content chunk (all events of one network read share its arrival time). */
  private stampContent(): void {
    if (this.chunkAt < 0) this.chunkAt = this.elapsed();
    if (this.timing.firstTokenMs === undefined) this.timing.firstTokenMs = this.chunkAt;
    this.timing.chunksMs.push(this.chunkAt);
  }

  onResponseEnd(): void {
    this.timing.doneMs = this.elapsed();
    if (this.failure) return this.settleResult(this.failure);
    const rest = this.partial ? this.partial.toString('utf8') : '';
    if (this.status < 200 || this.status >= 300) {
      const excerpt = bodyExcerpt(this.raw + rest);
      return this.settleResult({ code: CODES.HTTP_STATUS, status: this.status, message: this.describe(`HTTP ${this.status}${excerpt ? `: ${excerpt}` : ''}`) });
    }
    if (this.parser) {
      if (rest) {
        try {
          this.parser.feed(rest);
        } catch (error) {
          if (error instanceof ReplyFailure) return this.settleResult(error.failure);
          throw error;
        }
      }
      if (!this.sawDone && this.acc.finishReason === undefined) {
        return this.settleResult({ code: CODES.STREAM_CLOSED, message: this.describe('the server ended the stream before the reply was complete (no finish_reason, no [DONE])') });
      }
      return this.settleResult(undefined);
    }
    // Non-streaming: the whole reply is one JSON document; its arrival is the only "chunk".
    const raw = this.raw + rest;
    let doc: unknown;
    try {
      doc = JSON.parse(raw);
    } catch {
      return this.settleResult({ code: CODES.STREAM_MALFORMED, message: this.describe(`reply is not JSON: ${bodyExcerpt(raw)}`) });
    }
    if (typeof doc !== 'object' || doc === null) {
      return this.settleResult({ code: CODES.STREAM_MALFORMED, message: this.describe(`unexpected reply: ${bodyExcerpt(raw)}`) });
    }
    if (this.acc.addChunk(doc) === CHUNK_ERROR) {
      return this.settleResult({ code: CODES.SERVER_ERROR, message: this.describe(`server error: ${bodyExcerpt(this.acc.serverError ?? '')}`) });
    }
    this.timing.firstTokenMs = this.timing.doneMs;
    this.timing.chunksMs.push(this.timing.doneMs);
    this.settleResult(undefined);
  }

  onResponseError(_controller: StreamController, error: Error): void {
    this.timing.doneMs = this.elapsed();
    if (this.signal?.aborted) return this.settleAbort();
    if (this.failure) return this.settleResult(this.failure);
    const code = classifyTransportError(error, this.status !== 0);
    if (code === CODES.STREAM_CLOSED && this.status === 0 && this.transport) {
      const transport = this.transport;
      this.transport = undefined;
      this.controller = undefined;
      this.timing.doneMs = 0;
      transport.dispatchGeneration(this, true);
      return;
    }
    const why =
      code === CODES.CONNECT_REFUSED
        ? `connection refused (${errorText(error)}): is the server running?`
        : code === CODES.STREAM_CLOSED
          ? `the server closed the connection ${this.status !== 0 ? 'mid-stream' : 'before replying'} (${errorText(error)})`
          : errorText(error);
    this.settleResult({ code, message: this.describe(why) });
  }

  private describe(why: string): string {
    return `request ${this.requestId} to ${this.url}: ${why}`;
  }

  private settleResult(error: EngineRequestError | undefined): void {
    if (this.settled) return;
    this.settled = true;
    if (this.signal) unwatchAbort(this.signal, this);
    if (this.timing.doneMs === 0) this.timing.doneMs = this.elapsed();
    const acc = this.acc;
    const result: GenerateResult = { text: acc.text, timing: this.timing };
    const toolCalls = acc.toolCalls();
    if (toolCalls) result.toolCalls = toolCalls;
    if (acc.finishReason !== undefined) result.finishReason = acc.finishReason;
    if (error === undefined || acc.text.length > 0 || acc.completionTokens !== undefined) result.usage = acc.usage(this.timing.chunksMs.length);
    if (error !== undefined) result.error = error;
    this.resolve(result);
  }

  private settleAbort(): void {
    if (this.settled) return;
    this.settled = true;
    if (this.signal) unwatchAbort(this.signal, this);
    this.reject(new YardstickError(CODES.ABORTED, this.describe('aborted'), { cause: this.signal?.reason }));
  }
}

/** Bytes of `b` that end on a UTF-8 character boundary (a trailing partial character is left out). */
export function completeUtf8Length(b: Uint8Array): number {
  const n = b.length;
  for (let back = 1; back <= 4 && back <= n; back++) {
    const c = b[n - back]!;
    if ((c & 0xc0) === 0x80) continue; // a continuation byte: keep looking for the lead byte
    const need = c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    return back >= need ? n : n - back;
  }
  return n; // no lead byte within 4 bytes: invalid, the decoder substitutes U+FFFD
}

const microseconds = (ms: number) => Math.round(ms * 1000) / 1000;

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error('aborted');
}
