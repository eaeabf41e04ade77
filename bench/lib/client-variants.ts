// bench/ is not a workspace package: take core's own copies of its dependencies (same versions the client uses).
import { createParser } from '../../packages/core/node_modules/eventsource-parser/dist/index.js';
import { Pool, type Dispatcher } from '../../packages/core/node_modules/undici/index.js';
import { Http1Pool, type StreamHandler } from '../../packages/core/src/openai/http1-pool.js';

/**
 * Stripped-down clients that split the shared client's cost into layers, on the transport the
 * client uses for streamed generations (core's Http1Pool): `bare` (HTTP only, body bytes counted),
 * `sse` (+ UTF-8 decoding and eventsource-parser), `json` (+ JSON.parse of every event, no
 * accumulation). `undici-json` is the `json` layer on an undici Pool, the transport the client used
 * before Http1Pool (and still uses for https:). The gap between `json` and the real client is the
 * client's own bookkeeping (the chunk template saves most of the JSON.parse calls); the gap between
 * `bare` and wrk is Node's socket cost.
 */
export type Variant = 'bare' | 'sse' | 'json' | 'undici-json';

class Handler implements StreamHandler, Dispatcher.DispatchHandler {
  private parser: ReturnType<typeof createParser> | undefined;
  events = 0;
  constructor(
    private readonly variant: Variant,
    private readonly done: (ok: boolean) => void,
  ) {}
  onRequestStart(): void {}
  onResponseStart(): void {
    if (this.variant === 'bare') return;
    const json = this.variant !== 'sse';
    this.parser = createParser({
      onEvent: (e) => {
        this.events++;
        if (json && e.data !== '[DONE]') JSON.parse(e.data);
      },
    });
  }
  onResponseData(_c: unknown, chunk: Buffer): void {
    // Replies of the stand-in are ASCII: no character is split across chunks.
    if (this.parser) this.parser.feed(chunk.toString('utf8'));
  }
  onResponseEnd(): void {
    this.done(true);
  }
  onResponseError(): void {
    this.done(false);
  }
}

export async function runVariant(variant: Variant, origin: string, body: string, concurrency: number, total: number): Promise<{ rps: number; failed: number }> {
  const headers = { 'content-type': 'application/json' };
  const request = { path: '/v1/completions', method: 'POST' as const, headers, body };
  let dispatch: (handler: Handler) => void;
  let close: () => Promise<void>;
  if (variant === 'undici-json') {
    const pool = new Pool(origin, { connections: concurrency, pipelining: 1, connect: { noDelay: true }, keepAliveTimeout: 30_000 });
    dispatch = (handler) => pool.dispatch(request, handler);
    close = () => pool.close();
  } else {
    const pool = new Http1Pool(origin, { connections: concurrency });
    dispatch = (handler) => pool.dispatch(request, handler);
    close = () => pool.close();
  }
  const one = () => new Promise<boolean>((resolve) => dispatch(new Handler(variant, resolve)));
  let next = 0;
  let failed = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        if (!(await one())) failed++;
      }
    }),
  );
  const rps = total / ((performance.now() - t0) / 1000);
  await close();
  return { rps, failed };
}
