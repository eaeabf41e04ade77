import { Pool, type Dispatcher } from 'undici';
import { ERROR_CODES, YardstickError } from '../errors.js';
import type { GenerateRequest, GenerateResult } from '../types.js';
import { buildRequestBody } from './body.js';
import { GenerateHandler } from './generate-handler.js';
import { Http1Pool } from './http1-pool.js';
import { ReplyShape } from './reply-shape.js';
import { bodyExcerpt, classifyTransportError, ENGINE_REQUEST_ERROR_CODES as CODES, errorText } from './errors.js';

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
 * learned template instead of JSON.parse (chunk-template.ts, reply-shape.ts), and each request gets a timing trace.
 * `generate` never rejects for a bad reply: the result carries a classified `error`.
 */
export class OpenAICompatibleClient {
  readonly baseUrl: string;
  readonly model: string | undefined;
  private readonly prefix: string;
  /** Full URLs / paths per request kind, built once (named in error messages, sent as the path). */
  private readonly urls: Record<GenerateRequest['kind'], string>;
  private readonly paths: Record<GenerateRequest['kind'], string>;
  /** The shape of each endpoint's content chunks, learned from one reply and read in the next ones' first chunks (reply-shape.ts). */
  private readonly shapes: Record<GenerateRequest['kind'], ReplyShape> = { completion: new ReplyShape(), chat: new ReplyShape() };
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
        // does, instead of racing its close with the next request. The pool closes them a few at a
        // time (320 a second), so 3 s leaves room for a burst's worth before the server's 5 s.
        keepAliveTimeoutMs: 3_000,
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
      const handler = new GenerateHandler(request.requestId, this.urls[kind], this.stream, resolve, reject, signal, this.shapes[kind]);
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
