import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Http1Pool, type Http1PoolOptions } from '../src/openai/http1-pool.js';

/**
 * Http1Pool against a raw TCP server that writes exact bytes: framing (chunked, length, close),
 * interim responses, keep-alive decisions, protocol errors, timeouts, queueing and aborts.
 */

interface Raw {
  url: string;
  /** Sockets accepted so far. */
  connections: number;
  /** Most sockets open at once. */
  maxOpen: number;
  server: Server;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** Calls `reply(socket, request)` for every complete request head (+ body by content-length). */
async function rawServer(reply: (socket: Socket, request: string, n: number) => void): Promise<Raw> {
  const raw = { url: '', connections: 0, maxOpen: 0 } as Raw;
  let open = 0;
  let served = 0;
  const server = createServer((socket) => {
    raw.connections++;
    socket.setNoDelay(true);
    raw.maxOpen = Math.max(raw.maxOpen, ++open);
    socket.on('close', () => open--);
    socket.on('error', () => undefined);
    let buf = '';
    socket.on('data', (d) => {
      buf += d.toString('latin1');
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/content-length: (\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        const request = buf.slice(0, end + 4 + length);
        buf = buf.slice(end + 4 + length);
        reply(socket, request, served++);
      }
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  raw.server = server;
  raw.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return raw;
}

interface Outcome {
  status?: number;
  headers?: Record<string, string>;
  /** The body bytes received, decoded as UTF-8 once at the end. */
  body: string;
  error?: Error & { code?: string };
}

function send(pool: Http1Pool, body = '{"x":1}', onStart?: (abort: (e: Error) => void) => void): Promise<Outcome> {
  return new Promise((resolve) => {
    const out: Outcome = { body: '' };
    const bytes: Buffer[] = [];
    const done = (o: Outcome) => resolve({ ...o, body: Buffer.concat(bytes).toString('utf8') });
    pool.dispatch(
      { method: 'POST', path: '/v1/completions', headers: { 'content-type': 'application/json' }, body },
      {
        onRequestStart: (c) => onStart?.((e) => c.abort(e)),
        onResponseStart: (_c, status, headers) => {
          out.status = status;
          out.headers = headers;
        },
        onResponseData: (_c, chunk) => void bytes.push(Buffer.from(chunk)),
        onResponseEnd: () => done(out),
        onResponseError: (_c, error) => done({ ...out, error }),
      },
    );
  });
}

const pool = (url: string, options: Http1PoolOptions = {}) => new Http1Pool(url, { connections: 4, ...options });
const chunked = (parts: string[]) => parts.map((p) => `${Buffer.byteLength(p).toString(16)}\r\n${p}\r\n`).join('') + '0\r\n\r\n';

/** Writes bytes one at a time (every split point a parser can meet). */
function dribble(socket: Socket, text: string): void {
  const bytes = Buffer.from(text);
  let i = 0;
  const next = () => {
    if (i >= bytes.length || socket.destroyed) return;
    socket.write(bytes.subarray(i, i + 1));
    i++;
    setImmediate(next);
  };
  next();
}

describe('Http1Pool', () => {
  it('reassembles a chunked body split at every byte, with extensions and trailers', async () => {
    const body = ['data: {"a":"é中😀"}\n\n', 'data: [DONE]\n\n'];
    const wire = `HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n${chunked(body).replace('\r\n', ';ext=1\r\n').replace(/0\r\n\r\n$/, '0\r\nX-Trailer: t\r\n\r\n')}`;
    const raw = await rawServer((socket) => dribble(socket, wire));
    const p = pool(raw.url);
    const out = await send(p);
    expect(out.error).toBeUndefined();
    expect(out.status).toBe(200);
    expect(out.headers?.['content-type']).toBe('text/event-stream');
    expect(out.body).toBe(body.join(''));
    await p.close();
  });

  it('keeps interleaved byte-by-byte replies on several connections apart (they share one read buffer)', async () => {
    // Each reply's head and chunk-size lines are split at every byte, and the three connections'
    // reads alternate: every carried fragment must survive the other connections' reads.
    const bodyOf = (n: number) => [`data: {"reply":${n},"text":"${String(n).repeat(40)}é"}\n\n`, 'data: [DONE]\n\n'];
    const raw = await rawServer((socket, request) => {
      const n = Number(/"n":(\d+)/.exec(request)?.[1]);
      dribble(socket, `HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n${chunked(bodyOf(n))}`);
    });
    const p = pool(raw.url, { connections: 3 });
    const outs = await Promise.all([0, 1, 2].map((n) => send(p, JSON.stringify({ n }))));
    expect(raw.maxOpen).toBe(3);
    outs.forEach((out, n) => {
      expect(out.error).toBeUndefined();
      expect(out.body).toBe(bodyOf(n).join(''));
    });
    await p.close();
  });

  it('reuses a kept-alive connection and reads content-length bodies', async () => {
    const raw = await rawServer((socket, _req, n) => socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nreq${n}!`));
    const p = pool(raw.url);
    for (let i = 0; i < 3; i++) expect((await send(p)).body).toBe(`req${i}!`);
    expect(raw.connections).toBe(1);
    await p.close();
  });

  it('reads chunk-size lines with extensions, spaces and upper-case hex', async () => {
    const raw = await rawServer((socket) => socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=val\r\nhello\r\n A \r\n0123456789\r\n0\r\n\r\n'));
    const p = pool(raw.url);
    const out = await send(p);
    expect(out.error).toBeUndefined();
    expect(out.body).toBe('hello0123456789');
    await p.close();
  });

  it('reads a repeated response head the same each time, and tells different heads apart (parsed heads are cached)', async () => {
    const heads = [
      'HTTP/1.1 200 OK\r\nX-N: a\r\nContent-Length: 2\r\n\r\nok',
      'HTTP/1.1 200 OK\r\nX-N: a\r\nContent-Length: 2\r\n\r\nOK',
      'HTTP/1.1 500 Oops\r\nX-N: b\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nbad\r\n0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nX-N: a\r\nContent-Length: 2\r\n\r\nok',
    ];
    const raw = await rawServer((socket, _req, n) => socket.write(heads[n]!));
    const p = pool(raw.url);
    const outs: Outcome[] = [];
    for (let i = 0; i < heads.length; i++) outs.push(await send(p));
    expect(outs.map((o) => [o.status, o.headers?.['x-n'], o.body])).toEqual([
      [200, 'a', 'ok'],
      [200, 'a', 'OK'],
      [500, 'b', 'bad'],
      [200, 'a', 'ok'],
    ]);
    expect(raw.connections).toBe(1);
    await p.close();
  });

  it('accepts a status line without a reason phrase', async () => {
    const raw = await rawServer((socket) => socket.write('HTTP/1.1 503\r\nContent-Length: 4\r\n\r\nbusy'));
    const p = pool(raw.url);
    const out = await send(p);
    expect(out.status).toBe(503);
    expect(out.body).toBe('busy');
    await p.close();
  });

  it('skips interim 1xx responses', async () => {
    const raw = await rawServer((socket) => socket.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok'));
    const p = pool(raw.url);
    const out = await send(p);
    expect(out.status).toBe(201);
    expect(out.body).toBe('ok');
    await p.close();
  });

  it('reads a close-delimited body and never reuses that connection', async () => {
    const raw = await rawServer((socket, _req, n) => socket.end(`HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{"n":${n}}`));
    const p = pool(raw.url);
    expect((await send(p)).body).toBe('{"n":0}');
    expect((await send(p)).body).toBe('{"n":1}');
    expect(raw.connections).toBe(2);
    await p.close();
  });

  it('moves requests off kept-alive sockets the server closes after each reply (llama-server does)', async () => {
    // Advertises keep-alive, then closes: requests dispatched onto such a socket before its close
    // is seen must go out on a new connection, not fail.
    const raw = await rawServer((socket, _req, n) => socket.end(`HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: ${String(n).length}\r\n\r\n${n}`));
    const p = pool(raw.url, { connections: 4 });
    const sequential: Outcome[] = [];
    for (let i = 0; i < 30; i++) sequential.push(await send(p));
    const concurrent = await Promise.all(Array.from({ length: 40 }, () => send(p)));
    const all = [...sequential, ...concurrent];
    expect(all.filter((o) => o.error).map((o) => `${o.error!.message} ${o.error!.code}`).slice(0, 3)).toEqual([]);
    expect(new Set(all.map((o) => o.body)).size).toBe(70);
    await p.close();
  });

  it('honours Connection: close', async () => {
    const raw = await rawServer((socket) => socket.write('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx'));
    const p = pool(raw.url);
    await send(p);
    await send(p);
    expect(raw.connections).toBe(2);
    await p.close();
  });

  it('answers 204 and Content-Length: 0 without waiting for a body', async () => {
    const raw = await rawServer((socket, _req, n) => socket.write(n === 0 ? 'HTTP/1.1 204 No Content\r\n\r\n' : 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'));
    const p = pool(raw.url);
    expect((await send(p)).status).toBe(204);
    expect((await send(p)).status).toBe(200);
    expect(raw.connections).toBe(1);
    await p.close();
  });

  it.each([
    ['a status line that is not HTTP', 'SSH-2.0-OpenSSH\r\n\r\n'],
    ['a status code that is not three digits', 'HTTP/1.1 1e2 OK\r\nContent-Length: 0\r\n\r\n'],
    ['an HTTP/2 status line', 'HTTP/2 200\r\nContent-Length: 0\r\n\r\n'],
    ['an invalid chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
    ['a chunk size of more than 8 hex digits', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n000000005\r\nhello\r\n0\r\n\r\n'],
    ['a chunk size followed by junk', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\nhello\r\n0\r\n\r\n'],
    ['a missing CRLF after a chunk', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXX'],
    ['an invalid content-length', 'HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n'],
    ['a header line without a colon', 'HTTP/1.1 200 OK\r\nbroken\r\n\r\n'],
  ])('fails the request with YS_HTTP_PROTOCOL on %s', async (_what, wire) => {
    const raw = await rawServer((socket) => socket.write(wire));
    const p = pool(raw.url);
    const out = await send(p);
    expect(out.error?.code).toBe('YS_HTTP_PROTOCOL');
    await p.close();
  });

  it('reports a connection closed mid-body, after the head', async () => {
    const raw = await rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel'));
    const p = pool(raw.url);
    const out = await send(p);
    expect(out.status).toBe(200);
    expect(out.body).toBe('hel');
    expect(out.error?.code).toBe('YS_HTTP_SOCKET_CLOSED');
    expect(out.error?.message).toMatch(/mid-response/);
    await p.close();
  });

  it('times out waiting for the head, and on a silent body', async () => {
    const silent = await rawServer(() => undefined);
    const p1 = pool(silent.url, { headersTimeoutMs: 150 });
    expect((await send(p1)).error?.code).toBe('YS_HTTP_HEADERS_TIMEOUT');
    p1.destroy();
    const stalls = await rawServer((socket) => socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n'));
    const p2 = pool(stalls.url, { bodyTimeoutMs: 150 });
    const out = await send(p2);
    expect(out.body).toBe('a');
    expect(out.error?.code).toBe('YS_HTTP_BODY_TIMEOUT');
    p2.destroy();
  });

  it('a request that times out or is destroyed on a kept-alive socket fails; it is never sent again', async () => {
    // The first request on the socket is answered; the next ones never get a head.
    let requests = 0;
    const raw = await rawServer((socket, _req, n) => {
      requests++;
      if (n === 0) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
    const p = pool(raw.url, { connections: 1, headersTimeoutMs: 200 });
    expect((await send(p)).body).toBe('ok');
    expect((await send(p)).error?.code).toBe('YS_HTTP_HEADERS_TIMEOUT');
    await new Promise((r) => setTimeout(r, 100));
    expect(requests).toBe(2); // the timed-out one was not resent on a fresh connection
    const first = await rawServer((socket, _req, n) => {
      if (n === 0) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
    const p3 = pool(first.url, { connections: 1 });
    expect((await send(p3)).body).toBe('ok');
    const hanging = send(p3);
    await new Promise((r) => setTimeout(r, 30));
    p3.destroy();
    expect((await hanging).error?.code).toBe('YS_HTTP_POOL_CLOSED');
    await new Promise((r) => setTimeout(r, 100));
    expect(first.connections).toBe(1); // no retry went out after destroy()
    p.destroy();
  });

  it('writes the requests of one event-loop turn together, but never holds one back more than 1 ms', async () => {
    const raw = await rawServer((socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    const p = pool(raw.url);
    const waiting = () => (p as unknown as { writes: unknown[] }).writes.length;
    // Two requests in one turn: batched for the turn's end (one write each, after the turn).
    const a = [send(p), send(p)];
    expect(waiting()).toBe(2);
    await Promise.all(a);
    // The same, with more than 1 ms of work between them (a long turn reading a burst of replies):
    // the first must not wait for the turn to end, so the second send writes both at once.
    const b = [send(p)];
    const t0 = performance.now();
    while (performance.now() - t0 < 1.5);
    b.push(send(p));
    expect(waiting()).toBe(0);
    expect((await Promise.all(b)).every((o) => o.status === 200 && o.body === 'ok')).toBe(true);
    await p.close();
  });

  it('queues beyond its connection limit and serves every request in order of arrival', async () => {
    const raw = await rawServer((socket, _req, n) => setTimeout(() => socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${String(n).length}\r\n\r\n${n}`), 5));
    const p = pool(raw.url, { connections: 2 });
    const outs = await Promise.all(Array.from({ length: 20 }, () => send(p)));
    expect(outs.every((o) => o.status === 200 && !o.error)).toBe(true);
    expect(raw.maxOpen).toBeLessThanOrEqual(2);
    expect(new Set(outs.map((o) => o.body)).size).toBe(20);
    await p.close();
  });

  it('aborts a queued request and a running one; the pool keeps serving', async () => {
    const raw = await rawServer((socket, req) => {
      if (req.includes('"slow"')) socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n'); // never finishes
      else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
    const p = pool(raw.url, { connections: 1 });
    let abortRunning!: (e: Error) => void;
    let abortQueued!: (e: Error) => void;
    const running = send(p, '{"slow":1}', (a) => (abortRunning = a));
    const queued = send(p, '{"q":1}', (a) => (abortQueued = a));
    const later = send(p, '{"later":1}');
    abortQueued(new Error('stop queued'));
    await new Promise((r) => setTimeout(r, 50));
    abortRunning(new Error('stop running'));
    expect((await running).error?.message).toBe('stop running');
    expect((await queued).error?.message).toBe('stop queued');
    expect((await later).body).toBe('ok');
    await p.close();
  });

  it('close() waits for requests in flight; destroy() fails them', async () => {
    const raw = await rawServer((socket, req) => {
      if (req.includes('"hang"')) return;
      setTimeout(() => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'), 30);
    });
    const p = pool(raw.url);
    const inFlight = send(p);
    await p.close();
    expect((await inFlight).body).toBe('ok');
    expect((await send(p)).error?.code).toBe('YS_HTTP_POOL_CLOSED');
    const p2 = pool(raw.url);
    const hanging = send(p2, '{"hang":1}');
    await new Promise((r) => setTimeout(r, 30));
    p2.destroy();
    expect((await hanging).error?.code).toBe('YS_HTTP_POOL_CLOSED');
  });

  it('drops a connection that sends bytes after its response, keeping that response', async () => {
    const raw = await rawServer((socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n'));
    const p = pool(raw.url);
    expect((await send(p)).body).toBe('ok');
    expect((await send(p)).body).toBe('ok');
    expect(raw.connections).toBe(2);
    await p.close();
  });

  it('closes idle connections after keepAliveTimeoutMs a few at a time, oldest first, and keeps the one in use', async () => {
    // A burst opens 40 connections; afterwards one request at a time keeps reusing the newest one.
    const closedAt: number[] = [];
    let release: (() => void) | undefined;
    const held = new Promise<void>((r) => (release = r));
    const raw = await rawServer((socket, _request, n) => {
      socket.once('close', () => closedAt.push(performance.now()));
      const reply = () => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      if (n < 40) void held.then(reply);
      else reply();
    });
    const p = pool(raw.url, { connections: 64, keepAliveTimeoutMs: 150 });
    const burst = Array.from({ length: 40 }, () => send(p));
    while (raw.connections < 40) await new Promise((r) => setTimeout(r, 5));
    release!();
    expect((await Promise.all(burst)).every((o) => o.status === 200)).toBe(true);
    const idleFrom = performance.now();
    // One request every 20 ms for 700 ms: always the most recently released connection.
    while (performance.now() - idleFrom < 700) {
      expect((await send(p)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(raw.connections).toBe(40); // no new connection: the busy one was never reaped
    expect(closedAt).toHaveLength(39);
    expect(Math.min(...closedAt) - idleFrom).toBeGreaterThanOrEqual(140);
    // Closed in ticks of at most 16: group closes less than 10 ms apart.
    const ticks: number[] = [];
    closedAt.sort((a, b) => a - b).forEach((t, i) => (i > 0 && t - closedAt[i - 1]! < 10 ? ticks[ticks.length - 1]!++ : ticks.push(1)));
    expect(Math.max(...ticks)).toBeLessThanOrEqual(16);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    await p.close();
  });

  it('refuses non-http origins (https goes through undici)', () => {
    expect(() => new Http1Pool('https://example.com')).toThrow(/http: origins only/);
  });
});
