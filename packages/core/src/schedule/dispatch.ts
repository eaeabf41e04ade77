import { arrivalTimesMs, type Arrival } from './arrivals.js';

export interface DispatchOptions {
  /** Max work items in flight. Closed loop when no rate is set (default 1). */
  concurrency?: number;
  /** Open loop: requests per second on a precomputed absolute schedule. */
  rate?: number;
  arrival?: Arrival;
  burstiness?: number;
  seed: number;
  /** Stop dispatching new items after this long (counted after the warm-up). */
  durationMs?: number;
  signal: AbortSignal;
}

/**
 * A warm-up at the phase's own load (guidellm's per-benchmark warmup): for its first `ms`, the
 * dispatcher sends `items` through the handler (with `warmup` true) on the same schedule and
 * concurrency, then switches to the measured items without a gap, so measuring starts from steady
 * state rather than from an idle server and a cold client. Warm-up items are not counted.
 */
export interface DispatchWarmup<T> {
  ms: number;
  items: Items<T>;
  /** Called once, as measuring begins (before the first measured item is taken). */
  onEnd?: () => void;
}

/**
 * `lagMs`: how late the client itself sent the item (open loop only). `queueMs`: how long it waited
 * for a free concurrency slot on top of that (open loop with a concurrency cap only; vLLM's client
 * queue time). Their sum is the send time minus the scheduled time. `warmup`: a warm-up item.
 *
 * Warm-up and measured items go through one handler and one call site: a phase's handler is a new
 * closure, and an optimized dispatch loop that has only seen another one at a call site deoptimizes
 * when the new one arrives ("wrong call target", seen with --trace-deopt). With one call site that
 * happens during the warm-up, not as measuring starts. (This function's own per-call closures,
 * `nextWarmup`, `endWarmup` and `finished`, and the phase's item generator, still deoptimize the
 * loop once as the second phase of a process starts measuring. Most of the 50-150 ms lag blips
 * once put on that were the connection pool closing its idle sockets all at once, since fixed in
 * http1-pool.ts; real engines run far below these rates anyway.)
 */
export type Handler<T> = (item: T, lagMs: number | undefined, queueMs: number | undefined, warmup: boolean) => Promise<void>;

/** An async iterator, or a sync one (in-memory samples): the sync kind costs no await per item. */
export type Items<T> = AsyncIterator<T> | Iterator<T>;

const now = () => performance.now();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const tick = () => new Promise<void>((r) => setImmediate(r));

/**
 * Runs `handle` over every item, either as N closed-loop workers or on an open-loop arrival
 * schedule. Send times are absolute offsets from the start, so a late dispatch never shifts the
 * rest of the schedule; the lateness of each send is passed to the handler, split into the client's
 * own lag and the time spent waiting for a concurrency slot (see Handler).
 * Resolves when every dispatched item has finished. Handlers must not reject.
 */
export async function dispatch<T>(items: Items<T>, options: DispatchOptions, handle: Handler<T>, warmup?: DispatchWarmup<T>): Promise<number> {
  const start = now();
  const warmupEnd = start + Math.max(0, warmup?.ms ?? 0);
  const deadline = options.durationMs === undefined ? Infinity : warmupEnd + options.durationMs;
  const stopped = () => options.signal.aborted || now() >= deadline;
  /** The warm-up's next item while it lasts (a warm-up source that runs dry just ends it early). */
  let warming = warmup !== undefined && warmupEnd > start;
  const endWarmup = (): undefined => {
    if (warming) {
      warming = false;
      warmup!.onEnd?.();
    }
    return undefined;
  };
  const nextWarmup = async (at: number): Promise<T | undefined> => {
    if (!warming || at >= warmupEnd) return endWarmup();
    let next = warmup!.items.next();
    if (next instanceof Promise) next = await next;
    if (next.done) return endWarmup();
    return next.value;
  };

  if (options.rate === undefined) {
    const workers = Math.max(1, options.concurrency ?? 1);
    let count = 0;
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (!stopped()) {
          let item: T | undefined = warming ? ((await nextWarmup(now())) as T | undefined) : undefined;
          const warm = item !== undefined;
          if (!warm) {
            let next = items.next();
            if (next instanceof Promise) next = await next;
            if (next.done) return;
            count++;
            item = next.value;
          }
          await handle(item as T, undefined, undefined, warm);
        }
      }),
    );
    return count;
  }

  const cap = options.concurrency ?? Infinity;
  const schedule = arrivalTimesMs({ rate: options.rate, arrival: options.arrival ?? 'poisson', burstiness: options.burstiness ?? 1 }, options.seed);
  // Requests in flight as a count with one shared completion callback: no Set entry and no
  // `.finally` closure per request at tens of thousands of requests a second.
  let inFlight = 0;
  let allDone: (() => void) | undefined;
  const slotWaiters: (() => void)[] = [];
  const finished = () => {
    inFlight--;
    slotWaiters.shift()?.();
    if (inFlight === 0) allDone?.();
  };
  let count = 0;
  let sinceYield = 0;
  const capped = Number.isFinite(cap);
  /** When the loop last got a slot after waiting for one. */
  let lastSlotAt = -Infinity;
  for (;;) {
    const at = start + (schedule.next().value as number);
    if (at >= deadline || options.signal.aborted) break;
    const fromWarmup = warming && at < warmupEnd;
    if (!fromWarmup) endWarmup();
    const wait = at - now();
    if (wait > 0) {
      // Never before the schedule. A wait over 1 ms sleeps until 1 ms before (timers fire up to
      // ~1 ms late) and spins the rest on event-loop turns, each of which still reads replies: the
      // send is on time. A shorter wait sleeps one timer tick (Node's minimum, 1 ms): the send is
      // up to ~1 ms late, counted as lag, and every request due meanwhile goes out in that turn.
      // Spinning those waits too costs the client ~15% more CPU per request at 12,000 req/s
      // (one loop turn per request instead of one per batch); sending them early, as this loop
      // once did, put most requests above 1,000 req/s 0.3-0.9 ms ahead of their arrival time,
      // unseen by the lag metric. The spin after either sleep also covers a timer that fires
      // early: libuv counts from the loop's cached time, which can trail the clock.
      await sleep(wait > 1 ? wait - 1 : wait);
      while (now() < at) await tick();
      sinceYield = 0;
    } else if (++sinceYield >= 32) {
      // Behind schedule: keep dispatching, but let responses be processed now and then.
      await tick();
      sinceYield = 0;
    }
    // A full cap blocks this loop, so every send behind it is late too. That lateness is the
    // server's (it holds the slots), not the client's: the client's own lag counts only from when
    // the loop was free again. Without a cap, all lateness is the client's.
    const reached = now();
    const freeSince = Math.max(at, lastSlotAt);
    let resumed = reached;
    if (inFlight >= cap) {
      while (inFlight >= cap) await new Promise<void>((r) => slotWaiters.push(r));
      resumed = lastSlotAt = now();
    }
    let item: T | undefined = fromWarmup ? ((await nextWarmup(at)) as T | undefined) : undefined;
    const warm = item !== undefined;
    if (!warm) {
      let next = items.next();
      if (next instanceof Promise) next = await next;
      if (next.done) break;
      count++;
      item = next.value;
    }
    const sent = now();
    const late = Math.max(0, sent - at);
    const lag = Math.min(late, Math.max(0, reached - freeSince) + (sent - resumed));
    inFlight++;
    handle(item as T, lag, capped ? late - lag : undefined, warm).then(finished, finished);
  }
  if (inFlight > 0) await new Promise<void>((r) => (allDone = r));
  return count;
}
