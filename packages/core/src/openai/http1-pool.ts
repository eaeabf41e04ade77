import { connect, type Socket } from 'node:net';

/**
 * A keep-alive HTTP/1.1 connection pool for the streaming hot path, on bare `node:net` sockets.
 *
 * Why not undici here: on the bench's loopback SSE server, with the same SSE + JSON work per reply,
 * this pool sustains 1.4–1.6× the streamed req/s of undici's Pool (`pnpm bench:client`, layer lines):
 * undici's dispatcher layers, llhttp-in-wasm header callbacks and per-request timers were the largest
 * client-side cost at that rate. undici stays for everything off the hot path (JSON helpers, probes, HTTPS).
 *
 * Scope, deliberately small: plain `http:`, one request at a time per connection (no pipelining),
 * responses framed by `Transfer-Encoding: chunked`, `Content-Length` or connection close; 1xx interim
 * responses skipped; `Connection: close` / HTTP/1.0 honoured. Handlers follow undici's dispatch
 * handler shape so the same GenerateHandler runs on both.
 */

export interface Http1PoolOptions {
  /** Most connections open at once; requests beyond wait in FIFO order (default 64). */
  connections?: number;
  connectTimeoutMs?: number;
  /** Longest wait from sending a request to the end of the response head. */
  headersTimeoutMs?: number;
  /** Longest silence while a response body streams. */
  bodyTimeoutMs?: number;
  /** Idle connections are closed after this long (default 30 s), oldest first, at most 16 every 50 ms. */
  keepAliveTimeoutMs?: number;
}

export interface Http1Request {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** What a handler may do with its request: stop it. */
export interface StreamController {
  abort(reason: Error): void;
}

/** The subset of undici's `Dispatcher.DispatchHandler` the pool calls. */
export interface StreamHandler {
  onRequestStart?(controller: StreamController, context: unknown): void;
  onResponseStart?(controller: StreamController, statusCode: number, headers: Readonly<Record<string, string>>, statusMessage?: string): void;
  /** `chunk` is a view of a shared read buffer, valid only during the call: copy what is kept. */
  onResponseData?(controller: StreamController, chunk: Buffer): void;
  onResponseEnd?(controller: StreamController, trailers: Record<string, string>): void;
  onResponseError?(controller: StreamController, error: Error): void;
}

/** Transport failure codes (mapped to request error codes by openai/errors.ts). */
export const HTTP1_ERROR_CODES = {
  CONNECT_TIMEOUT: 'YS_HTTP_CONNECT_TIMEOUT',
  HEADERS_TIMEOUT: 'YS_HTTP_HEADERS_TIMEOUT',
  BODY_TIMEOUT: 'YS_HTTP_BODY_TIMEOUT',
  /** The connection closed before the response was complete. */
  SOCKET_CLOSED: 'YS_HTTP_SOCKET_CLOSED',
  /** The server's bytes are not HTTP/1.x. */
  PROTOCOL: 'YS_HTTP_PROTOCOL',
  POOL_CLOSED: 'YS_HTTP_POOL_CLOSED',
} as const;

/** Whether a Transfer-Encoding value frames the body in chunks: only when chunked is its last coding (RFC 9112 §6.3). */
export function isChunked(transferEncoding: string): boolean {
  return /(?:^|,)\s*chunked\s*$/i.test(transferEncoding);
}

export class Http1Error extends Error {
  constructor(
    message: string,
    readonly code: (typeof HTTP1_ERROR_CODES)[keyof typeof HTTP1_ERROR_CODES],
  ) {
    super(message);
    this.name = 'Http1Error';
  }
}

const MAX_HEAD_BYTES = 64 * 1024;

// Parser states of a connection.
const IDLE = 0;
const HEAD = 1;
const BODY_LENGTH = 2;
const CHUNK_SIZE = 3;
const CHUNK_DATA = 4;
const CHUNK_END = 5;
const TRAILERS = 6;
const BODY_UNTIL_CLOSE = 7;
/** A response without a body (204, 304, Content-Length: 0): finished right after its head. */
const NO_BODY = 8;

/** One request on its way: queued, then bound to a connection until settled. */
class Exchange implements StreamController {
  connection: Connection | undefined;
  settled = false;
  /** Its bytes went out on `connection` (until then it can move to another connection unharmed). */
  written = false;
  /** Already re-sent once after a kept-alive socket closed on it. */
  resent = false;
  constructor(
    readonly wire: string,
    readonly handler: StreamHandler,
  ) {}

  abort(reason: Error): void {
    if (this.settled) return;
    const connection = this.connection;
    // A connection cannot be reused mid-response: drop it. A queued request is skipped when dequeued.
    this.fail(reason);
    if (connection) connection.destroy();
  }

  fail(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.handler.onResponseError?.(this, error);
  }
}

/**
 * Every connection reads into this one buffer (net's `onread`), not a new Buffer per read pushed
 * through a Readable stream: measured on the bench, the client's CPU per streamed request fell from
 * 37.1 to 31.3 µs (median of 6 alternating rounds). Safe shared because reads are delivered one at
 * a time and each is consumed before its callback returns: the parser copies what it keeps (`carry`)
 * and the handlers decode their bytes to strings at once.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** The idle reaper's period and most closes per tick: ~0.9 ms of event-loop time a tick at worst, 320 closes a second. */
const REAP_TICK_MS = 50;
const REAP_PER_TICK = 16;

class Connection {
  readonly socket: Socket;
  exchange: Exchange | undefined;
  /** Served a response before: a keep-alive socket the server may close at any moment. */
  reused = false;
  private state = IDLE;
  private keepAlive = true;
  private remaining = 0;
  /** Bytes of an unfinished head or chunk-size / trailer line. */
  private carry: Buffer | undefined;
  private gotHead = false;
  private error: Error | undefined;
  /** We closed it on purpose (a timeout, the pool destroyed): its request fails, it does not move. */
  private closedByUs = false;
  private closed = false;
  /** The server ended its side (FIN): no new request may go out on this socket. */
  private ended = false;
  /** Response bytes received for the current exchange. */
  private received = false;
  /**
   * When the current wait began (connect, request sent, last body bytes, idle since): the pool's
   * sweep compares it with the timeout of the current state. One clock read per event instead of
   * re-arming a socket timer three times per request (each re-arm allocates a Timeout).
   */
  private lastActivity = 0;

  constructor(
    private readonly pool: Http1Pool,
    host: string,
    port: number,
  ) {
    this.socket = connect({ host, port, noDelay: true, onread: { buffer: READ_BUFFER, callback: (bytes: number) => (this.onData(READ_BUFFER.subarray(0, bytes)), true) } });
    this.lastActivity = performance.now();
    this.socket.once('connect', () => void (this.lastActivity = performance.now()));
    this.socket.on('error', (error) => void (this.error ??= error));
    this.socket.on('end', () => this.onEnd());
    this.socket.on('close', () => this.onClose());
  }

  get alive(): boolean {
    return !this.closed && !this.ended && !this.socket.destroyed;
  }

  send(exchange: Exchange): void {
    this.exchange = exchange;
    exchange.connection = this;
    this.state = HEAD;
    this.gotHead = false;
    this.received = false;
    this.carry = undefined;
    this.lastActivity = performance.now();
    this.pool.queueWrite(this);
  }

  /** Puts the request on the wire (called by the pool's batched flush). */
  flush(): void {
    const exchange = this.exchange;
    if (!exchange || exchange.settled) return;
    if (!this.alive) {
      // Closed between dispatch and this flush (servers that close kept-alive sockets after a
      // streamed reply do this all the time): nothing was sent, so move the request, unharmed.
      this.exchange = undefined;
      this.pool.sendFresh(exchange);
      return;
    }
    exchange.written = true;
    this.socket.write(exchange.wire);
  }

  destroy(error?: Error): void {
    if (error) {
      this.error ??= error;
      this.closedByUs = true;
    }
    this.socket.destroy();
  }

  /** Idle since (when not busy): the pool's idle reaper reads it. */
  get lastActive(): number {
    return this.lastActivity;
  }

  /** Called by the pool's sweep: closes the connection when its current wait ran out (idle ones: see reapIdle). */
  checkTimeout(now: number): void {
    const { connectTimeoutMs, headersTimeoutMs, bodyTimeoutMs } = this.pool;
    const waited = now - this.lastActivity;
    if (this.socket.connecting) {
      if (waited >= connectTimeoutMs) this.destroy(new Http1Error(`connect timeout after ${connectTimeoutMs} ms`, HTTP1_ERROR_CODES.CONNECT_TIMEOUT));
    } else if (this.state === IDLE) {
      // Kept-alive expiry is the pool's reaper's, a few at a time.
    } else if (this.gotHead) {
      if (waited >= bodyTimeoutMs) this.destroy(new Http1Error(`no body data for ${bodyTimeoutMs} ms`, HTTP1_ERROR_CODES.BODY_TIMEOUT));
    } else if (waited >= headersTimeoutMs) {
      this.destroy(new Http1Error(`no response head within ${headersTimeoutMs} ms`, HTTP1_ERROR_CODES.HEADERS_TIMEOUT));
    }
  }

  private onEnd(): void {
    this.ended = true;
    // A close-delimited body ends here; anything else in progress is cut short (reported on close).
    if (this.state === BODY_UNTIL_CLOSE) this.finish();
  }

  private onClose(): void {
    this.closed = true;
    const exchange = this.exchange;
    this.exchange = undefined;
    // A kept-alive socket the server closed under this request before a single byte of reply:
    // servers that close after each streamed reply (llama-server) do this whenever the close
    // crosses the next request. Unsent, the request moves freely; sent, the server never read it
    // (it had closed), so it goes once more on a new connection. Only for reused sockets: a new
    // connection that fails is a real failure (refused, reset by a crashed server).
    // Never when we closed it ourselves: a request that timed out waiting for its head must fail with
    // that timeout, not go out again (the server then runs it twice, and a destroyed pool would send
    // it after the run).
    const move = exchange && !exchange.settled && !this.closedByUs && this.reused && !this.received && (!exchange.written || !exchange.resent);
    if (move) {
      if (exchange.written) exchange.resent = true;
      exchange.written = false;
    } else if (exchange && !exchange.settled) {
      if (this.state === BODY_UNTIL_CLOSE && !this.error) {
        exchange.settled = true;
        exchange.handler.onResponseEnd?.(exchange, {});
      } else {
        const cause = this.error;
        const error =
          cause ??
          new Http1Error(this.gotHead ? 'the server closed the connection mid-response' : 'the server closed the connection before responding', HTTP1_ERROR_CODES.SOCKET_CLOSED);
        exchange.fail(error);
      }
    }
    this.pool.removed(this);
    if (move) this.pool.sendFresh(exchange);
  }

  private onData(chunk: Buffer): void {
    const exchange = this.exchange;
    if (!exchange || exchange.settled || this.state === IDLE) {
      // Bytes nobody asked for (or for an aborted exchange): this connection is no longer in sync.
      this.destroy();
      return;
    }
    this.lastActivity = performance.now();
    this.received = true;
    let buf = chunk;
    if (this.carry) {
      buf = Buffer.concat([this.carry, chunk]);
      this.carry = undefined;
    }
    try {
      this.parse(buf, exchange);
    } catch (error) {
      const failure = error instanceof Http1Error ? error : new Http1Error(String(error), HTTP1_ERROR_CODES.PROTOCOL);
      exchange.fail(failure);
      this.destroy(failure);
    }
  }

  private parse(buf: Buffer, exchange: Exchange): void {
    let i = 0;
    const n = buf.length;
    while (i < n) {
      if (exchange.settled) return this.destroy(); // aborted by a handler callback
      switch (this.state) {
        case HEAD: {
          const end = buf.indexOf('\r\n\r\n', i, 'latin1');
          if (end < 0) {
            if (n - i > MAX_HEAD_BYTES) throw new Http1Error(`response head longer than ${MAX_HEAD_BYTES} bytes`, HTTP1_ERROR_CODES.PROTOCOL);
            this.carry = Buffer.from(buf.subarray(i));
            return;
          }
          const head = buf.toString('latin1', i, end);
          i = end + 4;
          this.onHead(head, exchange);
          break;
        }
        case BODY_LENGTH:
        case CHUNK_DATA: {
          // `remaining` bytes of a Content-Length body, or of the current chunk.
          const take = Math.min(this.remaining, n - i);
          exchange.handler.onResponseData?.(exchange, buf.subarray(i, i + take));
          i += take;
          this.remaining -= take;
          if (this.remaining > 0) break;
          if (this.state === CHUNK_DATA) this.state = CHUNK_END;
          else this.finish();
          break;
        }
        case BODY_UNTIL_CLOSE:
          exchange.handler.onResponseData?.(exchange, i === 0 ? buf : buf.subarray(i));
          return;
        case CHUNK_END: {
          // Exactly CRLF (or a bare LF) after each chunk's data.
          const c = buf[i];
          if (c === 0x0a) i++;
          else if (c === 0x0d && i + 1 < n) {
            if (buf[i + 1] !== 0x0a) throw new Http1Error('missing CRLF after a chunk', HTTP1_ERROR_CODES.PROTOCOL);
            i += 2;
          } else if (c === 0x0d) {
            this.carry = Buffer.from(buf.subarray(i));
            return;
          } else throw new Http1Error('missing CRLF after a chunk', HTTP1_ERROR_CODES.PROTOCOL);
          this.state = CHUNK_SIZE;
          break;
        }
        case CHUNK_SIZE:
        case TRAILERS: {
          const lf = buf.indexOf(0x0a, i);
          if (lf < 0) {
            if (n - i > MAX_HEAD_BYTES) throw new Http1Error('chunk header line too long', HTTP1_ERROR_CODES.PROTOCOL);
            this.carry = Buffer.from(buf.subarray(i));
            return;
          }
          const line = buf.toString('latin1', i, lf > i && buf[lf - 1] === 0x0d ? lf - 1 : lf);
          i = lf + 1;
          this.onLine(line);
          break;
        }
        default:
          // IDLE after finish() with bytes left over: the server sent more than one response.
          throw new Http1Error('unexpected bytes after the response', HTTP1_ERROR_CODES.PROTOCOL);
      }
    }
  }

  private onHead(head: string, exchange: Exchange): void {
    const parsed = this.pool.parseHead(head);
    if (parsed === INTERIM) return; // 100 Continue, 103 Early Hints: the real head follows
    this.keepAlive = parsed.keepAlive;
    this.gotHead = true;
    this.state = parsed.state;
    this.remaining = parsed.length;
    exchange.handler.onResponseStart?.(exchange, parsed.code, parsed.headers, parsed.statusText);
    if (this.state === NO_BODY && !exchange.settled) this.finish();
  }

  private onLine(line: string): void {
    if (this.state === CHUNK_SIZE) {
      const size = chunkSize(line);
      if (size === 0) this.state = TRAILERS;
      else {
        this.remaining = size;
        this.state = CHUNK_DATA;
      }
    } else if (line === '') this.finish(); // TRAILERS: the blank line ends the message
  }

  /** The response is complete: hand it over, then reuse or close the connection. */
  private finish(): void {
    const exchange = this.exchange!;
    this.state = IDLE;
    this.exchange = undefined;
    this.reused = true;
    if (!exchange.settled) {
      exchange.settled = true;
      exchange.handler.onResponseEnd?.(exchange, {});
    }
    if (this.keepAlive && this.alive) {
      this.lastActivity = performance.now();
      this.pool.released(this);
    } else this.destroy();
  }
}

/** A 1xx interim response: skipped, the real head follows. */
const INTERIM = Symbol('interim');

/** What a response head decides: status, headers (shared by every response with this head: read-only) and body framing. */
interface ParsedHead {
  code: number;
  statusText: string;
  headers: Readonly<Record<string, string>>;
  keepAlive: boolean;
  /** NO_BODY, CHUNK_SIZE, BODY_LENGTH or BODY_UNTIL_CLOSE. */
  state: number;
  /** Content-Length for BODY_LENGTH. */
  length: number;
}

function parseHead(head: string): ParsedHead | typeof INTERIM {
  const lines = head.split('\r\n');
  const statusLine = lines[0] ?? '';
  // "HTTP/1.x NNN reason", checked by position (a regex per response showed in profiles).
  const d1 = statusLine.charCodeAt(9) - 0x30;
  const d2 = statusLine.charCodeAt(10) - 0x30;
  const d3 = statusLine.charCodeAt(11) - 0x30;
  const code = d1 * 100 + d2 * 10 + d3;
  const minor = statusLine.charCodeAt(7);
  const digits = d1 >= 1 && d1 <= 9 && d2 >= 0 && d2 <= 9 && d3 >= 0 && d3 <= 9;
  if (!digits || !statusLine.startsWith('HTTP/1.') || (minor !== 0x30 && minor !== 0x31) || statusLine.charCodeAt(8) !== 0x20 || (statusLine.length > 12 && statusLine.charCodeAt(12) !== 0x20)) {
    throw new Http1Error(`not an HTTP/1.x status line: ${JSON.stringify(statusLine.slice(0, 80))}`, HTTP1_ERROR_CODES.PROTOCOL);
  }
  if (code >= 100 && code < 200) {
    if (code === 101) throw new Http1Error('unexpected protocol switch (101)', HTTP1_ERROR_CODES.PROTOCOL);
    return INTERIM;
  }
  const headers: Record<string, string> = {};
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k]!;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Http1Error(`malformed header line: ${JSON.stringify(line.slice(0, 80))}`, HTTP1_ERROR_CODES.PROTOCOL);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const connection = headers.connection?.toLowerCase() ?? '';
  let keepAlive = minor === 0x31 ? !connection.includes('close') : connection.includes('keep-alive');
  const te = headers['transfer-encoding'];
  const length = headers['content-length'];
  let state: number;
  let remaining = 0;
  if (code === 204 || code === 304) state = NO_BODY;
  else if (te !== undefined && isChunked(te)) state = CHUNK_SIZE;
  else if (length !== undefined) {
    if (!/^\d+$/.test(length)) throw new Http1Error(`invalid content-length ${JSON.stringify(length)}`, HTTP1_ERROR_CODES.PROTOCOL);
    remaining = Number(length);
    state = remaining === 0 ? NO_BODY : BODY_LENGTH;
  } else {
    state = BODY_UNTIL_CLOSE;
    keepAlive = false;
  }
  return { code, statusText: statusLine.slice(13), headers, keepAlive, state, length: remaining };
}

/**
 * The size in a chunk-size line: 1–8 hex digits, optional whitespace around them, then optional
 * `;extensions`. Read by character codes: split + trim + a regex cost ~0.3 µs for each of a
 * reply's two or more chunk lines.
 */
function chunkSize(line: string): number {
  let size = 0;
  const start = skipBlanks(line, 0);
  let i = start;
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i);
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (digit < 0) break;
    size = size * 16 + digit;
  }
  const j = skipBlanks(line, i);
  if (i === start || i - start > 8 || (j < line.length && line.charCodeAt(j) !== 0x3b)) {
    throw new Http1Error(`invalid chunk size ${JSON.stringify(line.slice(0, 40))}`, HTTP1_ERROR_CODES.PROTOCOL);
  }
  return size;
}

/** The index of the first character at or after `i` that is not a space or a tab. */
function skipBlanks(line: string, i: number): number {
  while (i < line.length && (line.charCodeAt(i) === 0x20 || line.charCodeAt(i) === 0x09)) i++;
  return i;
}

/** A FIFO of waiting exchanges without Array#shift's O(n) copies at thousands queued. */
class Queue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  get size(): number {
    return this.items.length - this.head;
  }
  push(item: T): void {
    this.items.push(item);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/** The longest a request waits in a write batch when more requests keep coming (see queueWrite). */
const MAX_WRITE_DELAY_MS = 1;

export class Http1Pool {
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  private readonly host: string;
  private readonly port: number;
  private readonly hostHeader: string;
  private readonly max: number;
  private readonly all = new Set<Connection>();
  private readonly idle: Connection[] = [];
  private readonly queue = new Queue<Exchange>();
  private closing = false;
  /** Set by destroy(): nothing may be sent after it, not even a retry on a fresh connection. */
  private destroyedBy: Http1Error | undefined;
  private drained: (() => void) | undefined;
  private readonly heads = new WeakMap<Record<string, string>, Map<string, string>>();
  /**
   * Response heads by their exact text. A server answers a stream of requests with the same head
   * but for its Date line, which changes once a second; parsing one (split, trim, lower-case,
   * header object) cost ~1.8 µs, a lookup ~0.5, and the comparison with the last head less.
   * Bounded: cleared when full.
   */
  private readonly parsedHeads = new Map<string, ParsedHead | typeof INTERIM>();
  private lastHead: string | undefined;
  private lastParsed: ParsedHead | typeof INTERIM | undefined;
  /** Connections with a request to write at the end of this event-loop turn. */
  private writes: Connection[] = [];
  /** Checks every connection's wait against its timeout, and reaps idle ones, while any connection is open. */
  private sweep: NodeJS.Timeout | undefined;
  /** Full timeout scans run every this many reaper ticks. */
  private readonly scanEvery: number;
  private ticks = 0;
  /** When the batch waiting in `writes` was started (performance.now()). */
  private writesSince = 0;
  private readonly flushWrites = () => {
    const writes = this.writes;
    if (writes.length === 0) return; // flushed early (see queueWrite)
    this.writes = [];
    for (const connection of writes) connection.flush();
  };

  /** @internal The parsed form of a response head (see parsedHeads); throws Http1Error on a malformed one. */
  parseHead(head: string): ParsedHead | typeof INTERIM {
    // The last head first: comparing two strings is cheaper than hashing one for the map.
    if (head === this.lastHead) return this.lastParsed!;
    let parsed = this.parsedHeads.get(head);
    if (parsed === undefined) {
      parsed = parseHead(head);
      if (this.parsedHeads.size >= 256) this.parsedHeads.clear();
      this.parsedHeads.set(head, parsed);
    }
    this.lastHead = head;
    this.lastParsed = parsed;
    return parsed;
  }

  constructor(origin: string, options: Http1PoolOptions = {}) {
    const url = new URL(origin);
    if (url.protocol !== 'http:') throw new Error(`Http1Pool serves http: origins only, not ${url.protocol}`);
    this.host = url.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(url.port || 80);
    this.hostHeader = url.host;
    this.max = Math.max(1, options.connections ?? 64);
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.headersTimeoutMs = options.headersTimeoutMs ?? 600_000;
    this.bodyTimeoutMs = options.bodyTimeoutMs ?? 300_000;
    this.keepAliveTimeoutMs = options.keepAliveTimeoutMs ?? 30_000;
    // Request timeouts fire within a quarter of the shortest one after they run out (at most 1 s,
    // at least one 50 ms tick); the idle reaper runs on every tick.
    const shortest = Math.min(this.connectTimeoutMs, this.headersTimeoutMs, this.bodyTimeoutMs);
    this.scanEvery = Math.max(1, Math.round(Math.min(1000, Math.floor(shortest / 4)) / REAP_TICK_MS));
  }

  /**
   * Sends a request; the handler hears about it exactly once as end or error. `fresh` sends it on a
   * new connection (a retry after a kept-alive socket died), even one past the connection limit.
   */
  dispatch(request: Http1Request, handler: StreamHandler, options: { fresh?: boolean } = {}): void {
    const exchange = new Exchange(this.serialize(request), handler);
    handler.onRequestStart?.(exchange, {});
    if (exchange.settled) return; // aborted at once
    if (this.closing) return exchange.fail(new Http1Error('the connection pool is closed', HTTP1_ERROR_CODES.POOL_CLOSED));
    if (options.fresh) return this.sendFresh(exchange);
    let connection = this.idle.pop();
    while (connection && !connection.alive) connection = this.idle.pop();
    if (connection) return connection.send(exchange);
    if (this.all.size < this.max) return this.open().send(exchange);
    this.queue.push(exchange);
  }

  /** Waits for queued and running requests, then closes every connection. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.busy()) await new Promise<void>((resolve) => (this.drained = resolve));
    for (const c of [...this.all]) c.destroy();
  }

  /** Fails everything queued or running and closes every connection now. */
  destroy(): void {
    this.closing = true;
    const error = new Http1Error('the connection pool was destroyed', HTTP1_ERROR_CODES.POOL_CLOSED);
    this.destroyedBy = error;
    for (let e = this.queue.shift(); e; e = this.queue.shift()) e.fail(error);
    for (const c of [...this.all]) c.destroy(error);
  }

  /**
   * Requests go out together once per event-loop turn (setImmediate) rather than one write as each
   * is dispatched. On loopback every write that finds the server asleep pays for waking it inside
   * the write syscall; measured on the bench, batching cut the write cost per request from ~30 µs to
   * ~16 µs and raised kernel-path throughput ~40%. The delay is one loop turn, and it is inside the
   * measured latency (a request's clock starts before dispatch, as in vLLM's benchmark).
   */
  queueWrite(connection: Connection): void {
    const n = this.writes.push(connection);
    if (n === 1) {
      this.writesSince = performance.now();
      setImmediate(this.flushWrites);
    } else if (performance.now() - this.writesSince >= MAX_WRITE_DELAY_MS) {
      // A long event-loop turn (a burst of replies to read) holds the batch back until it ends:
      // open-loop sends due meanwhile would reach the wire late by the whole turn. Past 1 ms the
      // batch goes out now; the scheduled flush then finds nothing to do.
      this.flushWrites();
    }
  }

  /** Sends a request that has not gone out yet on a new connection (never once the pool is destroyed). */
  sendFresh(exchange: Exchange): void {
    if (exchange.settled) return;
    if (this.destroyedBy) return exchange.fail(this.destroyedBy);
    this.open().send(exchange);
  }

  /** A connection finished a response and can take the next request. */
  released(connection: Connection): void {
    const next = this.nextQueued();
    if (next) return connection.send(next);
    this.idle.push(connection);
    this.checkDrained();
  }

  /** A connection closed: forget it, and open a replacement when requests are waiting. */
  removed(connection: Connection): void {
    this.all.delete(connection);
    if (this.all.size === 0 && this.sweep) {
      clearInterval(this.sweep);
      this.sweep = undefined;
    }
    // Closed idle connections are dropped lazily when dispatch pops them (servers that close after
    // every reply would otherwise cost a scan of the idle list per request).
    if (this.idle[this.idle.length - 1] === connection) this.idle.pop();
    if (this.queue.size > 0 && this.all.size < this.max) {
      const next = this.nextQueued();
      if (next) this.open().send(next);
    }
    this.checkDrained();
  }

  private nextQueued(): Exchange | undefined {
    for (let e = this.queue.shift(); e; e = this.queue.shift()) if (!e.settled) return e;
    return undefined;
  }

  private open(): Connection {
    const connection = new Connection(this, this.host, this.port);
    this.all.add(connection);
    if (!this.sweep) {
      this.sweep = setInterval(() => {
        const now = performance.now();
        this.reapIdle(now);
        if (++this.ticks % this.scanEvery === 0) for (const c of this.all) c.checkTimeout(now);
      }, REAP_TICK_MS);
      this.sweep.unref();
    }
    return connection;
  }

  /**
   * Closes connections idle for keepAliveTimeoutMs, oldest first and at most REAP_PER_TICK a tick.
   * A burst (a stall, a phase's cold start) can leave hundreds of surplus connections that then go
   * idle together; closing them in one go cost the event loop ~55 µs each (~11 ms for 200), and the
   * requests due meanwhile went out in a burst that opened hundreds more: at 10,000 req/s that put
   * 2,000–4,000 requests over 5 ms of lag at the start of the next phase (`pnpm bench:client`).
   * The idle list is a stack (reuse takes the most recent), so its bottom is the longest idle.
   */
  private reapIdle(now: number): void {
    for (let closed = 0; closed < REAP_PER_TICK && this.idle.length > 0; ) {
      const oldest = this.idle[0]!;
      // Dead entries (closed by the server, dropped lazily) leave the list without counting.
      const open = oldest.alive && !oldest.exchange;
      if (open && now - oldest.lastActive < this.keepAliveTimeoutMs) return;
      this.idle.shift();
      if (open) {
        oldest.destroy();
        closed++;
      }
    }
  }

  private busy(): boolean {
    if (this.queue.size > 0) return true;
    for (const c of this.all) if (c.exchange) return true;
    return false;
  }

  private checkDrained(): void {
    if (this.drained && !this.busy()) {
      const done = this.drained;
      this.drained = undefined;
      done();
    }
  }

  private serialize(request: Http1Request): string {
    const head = this.head(request);
    if (request.body === undefined) return `${head}\r\n`;
    return `${head}content-length: ${Buffer.byteLength(request.body)}\r\n\r\n${request.body}`;
  }

  /** Request line + headers, built once per headers object and request line (clients reuse both). */
  private head(request: Http1Request): string {
    let byLine = this.heads.get(request.headers);
    if (!byLine) this.heads.set(request.headers, (byLine = new Map()));
    const line = `${request.method} ${request.path}`;
    let head = byLine.get(line);
    if (head === undefined) {
      head = `${line} HTTP/1.1\r\nhost: ${this.hostHeader}\r\n`;
      for (const name in request.headers) head += `${name}: ${request.headers[name]}\r\n`;
      if (byLine.size < 64) byLine.set(line, head);
    }
    return head;
  }
}
