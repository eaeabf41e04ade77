import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import type { Dispatcher } from 'undici';
import { ERROR_CODES, YardstickError } from '../errors.js';
import { toMicroseconds } from '../microseconds.js';
import type { GenerateResult, TimingTrace } from '../types.js';
import { CHUNK_CHOICE, CHUNK_CONTENT, CHUNK_ERROR, CHUNK_MALFORMED, CHUNK_NONE, plainContent, quietChunk, ReplyAccumulator, type Chunk } from './accumulator.js';
import { ContentChunkTemplate } from './chunk-template.js';
import type { ReplyShape } from './reply-shape.js';
import { HTTP1_ERROR_CODES, isChunked, type StreamController, type StreamHandler } from './http1-pool.js';
import { bodyExcerpt, classifyTransportError, ENGINE_REQUEST_ERROR_CODES as CODES, errorText, type EngineRequestError } from './errors.js';
import { noteReplyRead } from '../schedule/spin-idle.js';

const DONE = '[DONE]';
/** The longest one SSE event may grow before the reply fails: no engine sends a chunk near it. */
const MAX_EVENT_CHARS = 16 << 20;
/**
 * Requests in flight per signal, behind ONE abort listener per signal. Load-test requests all share
 * the run's signal: an EventTarget listener added and removed per request costs more than parsing
 * the reply, and removal walks the listener list (thousands long at high concurrency).
 *
 * The requests are an intrusive doubly linked list through the handlers, not a Set. A Set that
 * takes and drops thousands of entries a second rehashes into a new table every few dozen
 * requests, and V8 leaves each old table pointing at its successor, entries and all (for live
 * iterators). Once one table had lived long enough to reach the old generation, that chain of
 * dead tables kept every handler since (its parser, reply text, request body) alive through
 * young-generation collections: measured at 15,000 req/s, about half of the runs promoted
 * 2-3 MB per scavenge and ran a major GC every ~1.4 s, with 4-10 ms scavenge pauses instead of
 * ~1 ms. A handler leaving the list clears its own links, so nothing dead points at anything new.
 */
interface InFlightList {
  head: GenerateHandler | undefined;
}
const inFlightBySignal = new WeakMap<AbortSignal, InFlightList>();

function watchAbort(signal: AbortSignal, handler: GenerateHandler): void {
  if (handler.inFlight) return; // already listed: linking it twice would loop the list
  let list = inFlightBySignal.get(signal);
  if (!list) {
    const created: InFlightList = { head: undefined };
    list = created;
    inFlightBySignal.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        // Collected first: aborting a handler unlinks it.
        const all: GenerateHandler[] = [];
        for (let h = created.head; h; h = h.nextInFlight) all.push(h);
        for (const h of all) h.abortNow();
      },
      { once: true },
    );
  }
  handler.inFlight = list;
  handler.nextInFlight = list.head;
  if (list.head) list.head.prevInFlight = handler;
  list.head = handler;
}

function unwatchAbort(handler: GenerateHandler): void {
  const list = handler.inFlight;
  if (!list) return;
  const { prevInFlight: prev, nextInFlight: next } = handler;
  if (prev) prev.nextInFlight = next;
  else list.head = next;
  if (next) next.prevInFlight = prev;
  handler.inFlight = handler.prevInFlight = handler.nextInFlight = undefined;
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
export class GenerateHandler implements Dispatcher.DispatchHandler, StreamHandler {
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
  /**
   * The reply's body has framing of its own (chunked or Content-Length), so its end is the server's
   * choice; a close-delimited body ends the same way when the server dies.
   */
  private framed = false;
  /** The last network chunk's text: whether the body ended on an event's blank line. */
  private lastText = '';
  /** Characters fed to the SSE parser since its last event (see MAX_EVENT_CHARS). */
  private unparsed = 0;
  private settled = false;
  private failure: EngineRequestError | undefined;
  /** `performance.now() - t0` of the network chunk being parsed (one clock read per chunk). */
  private chunkAt = 0;
  /**
   * The first and last chunk with `choices` but no content (role-only, empty text, finish), -1 until
   * one came: one or two per reply, so content chunks pay nothing for vLLM's end of latency (the
   * last chunk with `choices` of either kind, worked out once at the end: see recordChoiceTimes).
   */
  private firstChoiceAt = -1;
  private lastChoiceAt = -1;
  /** Whether this reply has taught the endpoint's shape (see onEvent): once is enough. */
  private taught = false;
  /**
   * Sends the request again on another connection. llama-server (and others) answer with
   * `Keep-Alive` yet close the socket after a streamed reply; a request dispatched on that socket
   * fails before the server read it. That one case is safe to retry, once: nothing was processed.
   */
  transport: { dispatchGeneration(handler: GenerateHandler, retry?: boolean): void } | undefined;
  /** What to send; kept for the one retry. */
  request: { path: string; method: 'POST'; headers: Record<string, string>; body: string } | undefined;
  /** @internal The abort list this request is on while in flight, and its neighbours there (see watchAbort). */
  inFlight: InFlightList | undefined;
  /** @internal */
  prevInFlight: GenerateHandler | undefined;
  /** @internal */
  nextInFlight: GenerateHandler | undefined;

  constructor(
    private readonly requestId: string,
    private readonly url: string,
    private readonly stream: boolean,
    private readonly resolve: (r: GenerateResult) => void,
    private readonly reject: (e: unknown) => void,
    private readonly signal: AbortSignal | undefined,
    /** The shape of this endpoint's content chunks, shared by its requests (see reply-shape.ts). */
    private readonly shape: ReplyShape,
  ) {
    this.t0 = performance.now();
    this.timing = { sentAt: toMicroseconds(performance.timeOrigin + this.t0), chunksMs: [], doneMs: 0 };
  }

  /**
   * Milliseconds since the request started, rounded to the microsecond: the clock's useful
   * resolution, and shorter numbers make every stored record cheaper to write and read back.
   */
  private elapsed(): number {
    return toMicroseconds(performance.now() - this.t0);
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
    if (this.signal?.aborted) controller.abort(abortReason(this.signal!));
  }

  onResponseStart(_controller: StreamController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.status = statusCode;
    this.timing.headersMs = this.elapsed();
    // A server may answer a streaming request with one JSON document (some proxies, some errors):
    // read it whole then, rather than waiting for SSE events that never come.
    const te = headers['transfer-encoding'];
    // As the pool reads it: chunked only when it is the last coding; else the body runs to the close.
    this.framed = te !== undefined ? isChunked(typeof te === 'string' ? te : te.join(',')) : headers['content-length'] !== undefined;
    const type = headers['content-type'];
    const sse = type === undefined || (typeof type === 'string' ? type : type.join(',')).includes('event-stream');
    if (this.stream && sse && statusCode >= 200 && statusCode < 300) {
      // bind, not an arrow: the dev runtime (tsx) wraps every named arrow in a __name() call.
      this.parser = createParser({ onEvent: this.onEvent.bind(this) });
    }
  }

  onResponseData(controller: StreamController, chunk: Buffer): void {
    noteReplyRead();
    if (this.failure) return;
    const text = this.decode(chunk);
    const parser = this.parser;
    if (parser === undefined) {
      // Non-streaming reply, or an error body (kept short: only an excerpt is reported).
      if (this.status >= 200 && this.status < 300) {
        // A JSON reply is one document; one that keeps coming is not a reply (as MAX_EVENT_CHARS for a stream).
        if (this.raw.length + text.length > MAX_EVENT_CHARS) {
          this.failure = { code: CODES.STREAM_MALFORMED, message: this.describe(`a JSON reply longer than ${MAX_EVENT_CHARS / (1 << 20)} MiB`) };
          controller.abort(new Error(this.failure.message));
          return;
        }
        this.raw += text;
      } else if (this.raw.length < 4096) this.raw += text;
      return;
    }
    this.chunkAt = -1;
    this.unparsed += text.length;
    this.lastText = text;
    try {
      parser.feed(text);
      // A server that never ends its event (no blank line) would otherwise be buffered until the
      // idle timeout, however large: one event is capped.
      if (this.unparsed > MAX_EVENT_CHARS) {
        throw new ReplyFailure({ code: CODES.STREAM_MALFORMED, message: this.describe(`an event stream event longer than ${MAX_EVENT_CHARS / (1 << 20)} MiB without an end`) });
      }
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
    this.unparsed = 0;
    const data = event.data;
    if (data === DONE) {
      this.sawDone = true;
      return;
    }
    if (this.sawDone) return;
    const text = this.template.match(data);
    if (text !== undefined) {
      // Same document as the last plain content chunk but for its text: no JSON.parse needed.
      this.takeText(text);
      return;
    }
    if (this.template.matchFinal(data)) {
      // The same document but for its text and finish_reason: the reply's last token chunk.
      this.takeText(this.template.finalText);
      const reason = this.template.finalReason;
      if (reason) this.acc.finishReason = reason;
      return;
    }
    if (this.template.matchUsage(data)) {
      // The reply's envelope with `choices: []` and a usage object: what addChunk reads of it.
      const { usagePrompt, usageCompletion } = this.template;
      if (usagePrompt !== undefined) this.acc.promptTokens = usagePrompt;
      if (usageCompletion !== undefined) this.acc.completionTokens = usageCompletion;
      return;
    }
    // The reply's first content chunk (or one whose envelope changed): read by the endpoint's shape,
    // which also sets this reply's template, when it has the shape of an earlier reply's chunks.
    const shape = this.shape;
    if (shape.read(data)) {
      // undefined: an invalid escape in the text, left for JSON.parse to report.
      const text = this.template.adopt(data, shape);
      if (text !== undefined) {
        this.takeText(text);
        return;
      }
    } else if (shape.readQuiet(data)) {
      this.stampChoice();
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
    if (kind === CHUNK_MALFORMED) {
      throw new ReplyFailure({ code: CODES.STREAM_MALFORMED, message: this.describe(`malformed stream chunk (${this.acc.malformed ?? 'wrong shape'}): ${bodyExcerpt(data)}`) });
    }
    if (kind === CHUNK_CONTENT) {
      this.stampContent();
      const plain = plainContent(chunk);
      if (plain) {
        this.template.learn(data, plain.field, plain.text, (chunk as Chunk).choices?.[0]?.finish_reason === null);
        // Once per reply: chunks that differ beyond the text (per-token logprobs) are learned from
        // each time, and the shape would be rebuilt each time to no use.
        if (!this.taught) this.taught = this.template.teach(shape);
      }
    } else if (kind === CHUNK_CHOICE) {
      this.stampChoice();
      if (quietChunk(chunk)) shape.learnQuiet(data);
    }
  }

  /** A chunk read without JSON.parse carried `text`: a content chunk when not empty, else a choices chunk without content. */
  private takeText(text: string): void {
    if (text.length > 0) {
      this.acc.text += text;
      this.stampContent();
    } else this.stampChoice();
  }

  /** Time-stamps a content chunk (all events of one network read share its arrival time). */
  private stampContent(): void {
    if (this.chunkAt < 0) this.chunkAt = this.elapsed();
    if (this.timing.firstTokenMs === undefined) this.timing.firstTokenMs = this.chunkAt;
    this.timing.chunksMs.push(this.chunkAt);
  }

  /** Time-stamps a chunk with `choices` but no content: not a token here, but one to vLLM's client. */
  private stampChoice(): void {
    if (this.chunkAt < 0) this.chunkAt = this.elapsed();
    if (this.firstChoiceAt < 0) this.firstChoiceAt = this.chunkAt;
    this.lastChoiceAt = this.chunkAt;
  }

  /**
   * vLLM's view of a stream, from the times already kept: its latency ends at the last chunk with
   * `choices` (content or not; a usage chunk or `[DONE]` after it does not count), and for a reply
   * without content its TTFT is the first such chunk (kept only then: nothing else reads it).
   */
  private recordChoiceTimes(): void {
    const t = this.timing;
    const chunks = t.chunksMs;
    const last = chunks.length > 0 ? Math.max(chunks[chunks.length - 1]!, this.lastChoiceAt) : this.lastChoiceAt;
    if (last >= 0) t.lastChoiceMs = last;
    if (t.firstTokenMs === undefined && this.firstChoiceAt >= 0) t.firstChoiceMs = this.firstChoiceAt;
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
      // Complete when the server said so: [DONE], a finish_reason, or a body that ended by its own
      // framing (vLLM's client counts any stream that ends as a success; a body cut by a crash
      // fails in transport). A close-delimited body without either marker may be a crash: failed.
      // A framed body that ends inside an event (data after the last blank line) was cut all the same.
      if (!this.sawDone && this.acc.finishReason === undefined && (!this.framed || !endsOnEventBoundary(this.lastText))) {
        return this.settleResult({ code: CODES.STREAM_CLOSED, message: this.describe(this.framed ? 'the stream ended inside an event, before the reply was complete (no finish_reason, no [DONE])' : 'the server closed the connection before the reply was complete (no finish_reason, no [DONE], and a body delimited only by the close)') });
      }
      if (this.timing.chunksMs.length === 0 && this.firstChoiceAt < 0) {
        // No token at all, so no TTFT: vLLM's client fails such a reply, and so does this one.
        return this.settleResult({ code: CODES.NO_CHOICES, message: this.describe('the stream ended without any choices chunk (no token: only usage, or nothing, before [DONE])') });
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
    const kind = this.acc.addChunk(doc);
    if (kind === CHUNK_ERROR) {
      return this.settleResult({ code: CODES.SERVER_ERROR, message: this.describe(`server error: ${bodyExcerpt(this.acc.serverError ?? '')}`) });
    }
    if (kind === CHUNK_MALFORMED) {
      return this.settleResult({ code: CODES.STREAM_MALFORMED, message: this.describe(`malformed reply (${this.acc.malformed ?? 'wrong shape'}): ${bodyExcerpt(raw)}`) });
    }
    // A reply with no choice to read (`{}`, only usage): as a stream without any choices chunk.
    if (kind === CHUNK_NONE) return this.settleResult({ code: CODES.NO_CHOICES, message: this.describe(`the reply has no choices: ${bodyExcerpt(raw)}`) });
    this.timing.firstTokenMs = this.timing.doneMs;
    this.timing.chunksMs.push(this.timing.doneMs);
    this.timing.unstreamed = true;
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
          ? // The pool's own error already says it in these words; another transport's gets them added.
            (error as { code?: unknown }).code === HTTP1_ERROR_CODES.SOCKET_CLOSED
            ? error.message
            : `the server closed the connection ${this.status !== 0 ? 'mid-stream' : 'before replying'} (${errorText(error)})`
          : errorText(error);
    this.settleResult({ code, message: this.describe(why) });
  }

  private describe(why: string): string {
    return `request ${this.requestId} to ${this.url}: ${why}`;
  }

  private settleResult(error: EngineRequestError | undefined): void {
    if (this.settled) return;
    this.settled = true;
    unwatchAbort(this);
    if (this.timing.doneMs === 0) this.timing.doneMs = this.elapsed();
    if (this.parser !== undefined) this.recordChoiceTimes();
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
    const reason: unknown = this.signal?.reason;
    // Aborted by the generate hook's timeout: a failed request, with what it got before the stall
    // (send time, chunks, text), not a bare abort the kernel would have to stamp itself.
    if (reason instanceof YardstickError && reason.code === ERROR_CODES.HOOK_TIMEOUT && reason.details.hook === 'generate') {
      return this.settleResult({ code: ERROR_CODES.HOOK_TIMEOUT, message: this.describe(reason.message) });
    }
    this.settled = true;
    unwatchAbort(this);
    this.reject(new YardstickError(CODES.ABORTED, this.describe('aborted'), { cause: reason }));
  }
}

/** Whether a stream's last text ends an event (a blank line), or is only whitespace after one. */
function endsOnEventBoundary(text: string): boolean {
  return /(?:\n\n|\r\r|\r\n\r\n)$/.test(text) || text.trim() === '';
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


function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error('aborted');
}
