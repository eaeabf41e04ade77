import { arrivalTimesMs, type Arrival, type ArrivalProfile } from './arrivals.js';
import { addSpinIdle, replyReads } from './spin-idle.js';

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
  /**
   * Open loop: how many measured items will be sent, when known. Without `durationMs`, the
   * schedule is then scaled so the last of them is due at count / rate, as vLLM's is (see
   * arrivalTimesMs).
   */
  count?: number;
  /**
   * Open loop: called once as the measured stretch's schedule starts (after any warm-up), with that
   * moment in epoch ms (`performance.timeOrigin` based, as a record's `sentAt`). The first measured
   * send is due one inter-arrival gap later: vLLM's benchmark clock starts there too.
   */
  onMeasuring?: (originMs: number) => void;
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
 * Warm-up and measured items go through one handler and one call site: an optimized dispatch loop
 * that has only seen another handler at a call site deoptimizes when the new one arrives ("wrong
 * call target", seen with --trace-deopt). With one call site that happens during the warm-up, not
 * as measuring starts.
 */
export type Handler<T> = (item: T, lagMs: number | undefined, queueMs: number | undefined, warmup: boolean) => Promise<void>;

/** An async iterator, or a sync one (in-memory samples): the sync kind costs no await per item. */
export type Items<T> = AsyncIterator<T> | Iterator<T>;

const now = () => performance.now();
/** Mixed into the run's seed for the warm-up's schedule, so the measured one keeps the seed itself. */
const WARMUP_SEED = 0x5bd1e995;
/**
 * From this rate (req/s; a mean gap of 0.2 ms) a wait shorter than a timer tick is spun rather than
 * slept (see spinUntil). Below it, sleeping one tick keeps lag p99 near 1 ms (10,000 req/s held at
 * 1.3–4.3 ms in the fifteenth pass's runs) and spinning would cost a core for nothing: 66% of one at
 * 2,000 req/s against 13% sleeping, CPU that an engine on the same machine may need.
 */
const SPIN_FROM_RATE = 5000;
/** The longest spin turn counted idle: an empty turn (a zero-timeout poll, the timers' check) takes a few µs. */
const IDLE_TURN_MS = 0.05;
const tick = () => new Promise<void>((r) => setImmediate(r));

/**
 * Runs `handle` over every item, either as N closed-loop workers or on an open-loop arrival
 * schedule. Send times are absolute offsets from the start, so a late dispatch never shifts the
 * rest of the schedule; the lateness of each send is passed to the handler, split into the client's
 * own lag and the time spent waiting for a concurrency slot (see Handler).
 * Resolves with the number of measured items sent, once every dispatched item has finished.
 * Handlers must not reject.
 */
export function dispatch<T>(items: Items<T>, options: DispatchOptions, handle: Handler<T>, warmup?: DispatchWarmup<T>): Promise<number> {
  const dispatcher = new Dispatcher(items, options, handle, warmup);
  return options.rate === undefined ? dispatcher.closedLoop() : dispatcher.openLoop();
}

/**
 * One phase's dispatch. A class, not closures inside `dispatch`, for V8: a closure is a new
 * function object per phase, and code optimized around the first phase's closures deoptimized as
 * the second phase started measuring (`--trace-deopt`). A method is one function object for the
 * whole process.
 */
class Dispatcher<T> {
  /** The open loop's measured schedule, made before `start` (scaling it draws every gap once: see arrivalTimesMs). */
  private readonly measured: Generator<number> | undefined;
  private readonly profile: ArrivalProfile | undefined;
  private readonly start: number;
  private readonly warmupEnd: number;
  /** When dispatching stops; in open loop counted from the measured stretch's start (see openLoop). */
  private deadline: number;
  /** The warm-up's items are taken while this is true (a warm-up source that runs dry just ends it early). */
  private warming: boolean;
  /** Measured items taken. */
  private count = 0;
  // Open loop: requests in flight as a count with one shared completion callback, not a Set entry
  // and a `.finally` closure per request at tens of thousands of requests a second.
  private inFlight = 0;
  private allDone: (() => void) | undefined;
  private readonly slotWaiters: (() => void)[] = [];
  private readonly finished = (): void => {
    this.inFlight--;
    this.slotWaiters.shift()?.();
    if (this.inFlight === 0) this.allDone?.();
    // A reply read in a long event-loop turn (a burst of them) runs this between the turn's I/O
    // callbacks: a send that fell due meanwhile goes out now instead of after the whole turn.
    if (this.wakeAt !== Infinity && this.wakeAt <= now()) this.wakeNow();
  };
  /** Open loop: when the sleeping dispatch loop is due (Infinity when it is not sleeping), and how to wake it. */
  private wakeAt = Infinity;
  private wake: (() => void) | undefined;
  private readonly wakeNow = (): void => {
    const wake = this.wake;
    this.wake = undefined;
    this.wakeAt = Infinity;
    // A long sleep's timer, when a reply or an abort woke the loop first: it would hold the process
    // open for the rest of the gap (seconds at low rates) after the run ended.
    if (this.longTimer) clearTimeout(this.longTimer);
    this.longTimer = undefined;
    wake?.();
  };
  private longTimer: NodeJS.Timeout | undefined;
  private readonly onSleepTimer = (sleep: number): void => {
    if (this.sleeps === sleep) this.wakeNow();
  };
  /** Tells a stale sleep timer (the loop was woken by a reply first) from the current one. */
  private sleeps = 0;
  /**
   * The timer of short sleeps (below SPIN_FROM_RATE), one object re-armed with refresh(): most such
   * sleeps end early (a reply wakes the loop), and a timer made and cleared per sleep cost more than
   * the wait.
   */
  private shortTimer: NodeJS.Timeout | undefined;
  private shortTimerFor = -1;
  private readonly onShortTimer = (): void => this.onSleepTimer(this.shortTimerFor);

  /** Sleeps `ms` (a timer; one tick when under 1 ms), or less when a finished request finds the loop due at `dueAt`. */
  private sleepUntil(ms: number, dueAt: number): Promise<void> {
    const sleep = ++this.sleeps;
    return new Promise<void>((resolve) => {
      this.wake = resolve;
      this.wakeAt = dueAt;
      if (ms > 1) {
        this.longTimer = setTimeout(this.onSleepTimer, ms, sleep);
        return;
      }
      this.shortTimerFor = sleep;
      if (this.shortTimer) this.shortTimer.refresh();
      else this.shortTimer = setTimeout(this.onShortTimer, 1);
    });
  }

  // The spin in progress: when it ends, how to end it, and the last turn's time and reply count.
  private spinAt = 0;
  private spinDone: (() => void) | undefined;
  private spinTurnAt = 0;
  private spinReads = 0;
  private readonly spinTurn = (): void => {
    const at = now();
    const reads = replyReads();
    // A short turn that read no reply did nothing but spin: idle, as the event loop's utilisation
    // reads it (spin-idle.ts). A longer one did other work too (a journal write, a timer): active.
    const turn = at - this.spinTurnAt;
    if (reads === this.spinReads && turn < IDLE_TURN_MS) addSpinIdle(this.spinTurnAt, at);
    this.spinReads = reads;
    this.spinTurnAt = at;
    if (at < this.spinAt && !this.options.signal.aborted) {
      setImmediate(this.spinTurn);
      return;
    }
    const done = this.spinDone!;
    this.spinDone = undefined;
    done();
  };

  /**
   * Waits until `at` by spinning: event-loop turns back to back (setImmediate), each of which
   * polls the sockets and reads the replies that came in, until the time is reached. For the last
   * millisecond of every wait, and from SPIN_FROM_RATE for whole waits shorter than a timer tick:
   * putting the thread to sleep in epoll and waking it costs more than that on the 2-vCPU VM. At
   * 20,000 req/s a loop sleeping one tick per wait was woken about once per reply; spinning,
   * `pnpm bench:client` held 20,000 req/s at lag p99 < 5 ms in four of six runs, against none of
   * fourteen before (the benchmark-serving README's sixteenth pass). The idle turns are kept out of
   * the event-loop utilisation (spin-idle.ts).
   */
  private spinUntil(at: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.spinAt = at;
      this.spinDone = resolve;
      this.spinTurnAt = now();
      this.spinReads = replyReads();
      setImmediate(this.spinTurn);
    });
  }

  constructor(
    private readonly items: Items<T>,
    private readonly options: DispatchOptions,
    private readonly handle: Handler<T>,
    private readonly warmup: DispatchWarmup<T> | undefined,
  ) {
    if (options.rate !== undefined) {
      this.profile = { rate: options.rate, arrival: options.arrival ?? 'poisson', burstiness: options.burstiness ?? 1 };
      this.measured = arrivalTimesMs(this.profile, options.seed, options.durationMs === undefined ? options.count : undefined);
    }
    this.start = now();
    this.warmupEnd = this.start + Math.max(0, warmup?.ms ?? 0);
    this.deadline = options.durationMs === undefined ? Infinity : this.warmupEnd + options.durationMs;
    this.warming = warmup !== undefined && this.warmupEnd > this.start;
  }

  private stopped(): boolean {
    return this.options.signal.aborted || now() >= this.deadline;
  }

  private endWarmup(): undefined {
    if (this.warming) {
      this.warming = false;
      this.warmup!.onEnd?.();
    }
    return undefined;
  }

  /** The warm-up's next item for a send at `at`, or undefined once the warm-up is over. */
  private async nextWarmup(at: number): Promise<T | undefined> {
    if (!this.warming || at >= this.warmupEnd) return this.endWarmup();
    let next = this.warmup!.items.next();
    if (next instanceof Promise) next = await next;
    if (next.done) return this.endWarmup();
    return next.value;
  }

  async closedLoop(): Promise<number> {
    const workers = Math.max(1, this.options.concurrency ?? 1);
    await Promise.all(Array.from({ length: workers }, () => this.worker()));
    return this.count;
  }

  private async worker(): Promise<void> {
    const handle = this.handle; // called as a plain function, as it was given
    while (!this.stopped()) {
      let item: T | undefined = this.warming ? await this.nextWarmup(now()) : undefined;
      const warm = item !== undefined;
      if (!warm) {
        let next = this.items.next();
        if (next instanceof Promise) next = await next;
        if (next.done) return;
        this.count++;
        item = next.value;
      }
      await handle(item as T, undefined, undefined, warm);
    }
  }

  async openLoop(): Promise<number> {
    const { options, start, warmupEnd, slotWaiters, handle, finished } = this;
    const cap = options.concurrency ?? Infinity;
    const capped = Number.isFinite(cap);
    const profile = this.profile!;
    const spinShortWaits = profile.rate >= SPIN_FROM_RATE;
    // Two schedules: the warm-up's own (another seed) while it lasts, then the measured one, which
    // starts as the warm-up ends (or at once without one) and is the same whatever warm-up ran before
    // it. A fresh Poisson process from that moment is the same process continued (it has no memory).
    const warmSchedule = this.warming ? arrivalTimesMs(profile, options.seed ^ WARMUP_SEED) : undefined;
    const measured = this.measured!;
    let schedule: Generator<number> | undefined;
    /** The measured schedule's start (performance.now() time); set with `schedule`. */
    let origin = start;
    const beginMeasuring = (at: number): void => {
      this.endWarmup();
      origin = at;
      schedule = measured;
      if (options.durationMs !== undefined) this.deadline = origin + options.durationMs;
      options.onMeasuring?.(performance.timeOrigin + origin);
    };
    if (!this.warming) beginMeasuring(start);
    let sinceYield = 0;
    /** When the loop last got a slot after waiting for one. */
    let lastSlotAt = -Infinity;
    // An abort wakes a sleeping loop at once: at low rates the next send may be seconds away, and
    // Ctrl-C should not wait for it (nor send it).
    const { signal } = options;
    signal.addEventListener('abort', this.wakeNow, { once: true });
    try {
      for (;;) {
        let at: number;
        let fromWarmup = false;
        if (schedule === undefined) {
          at = start + (warmSchedule!.next().value as number);
          if (at < warmupEnd) fromWarmup = true;
          else {
            beginMeasuring(warmupEnd);
            at = origin + (schedule!.next().value as number);
          }
        } else at = origin + (schedule.next().value as number);
        if (at >= this.deadline || signal.aborted) break;
        const wait = at - now();
        if (wait > 0) {
          // Never before the schedule. A wait over 1 ms sleeps until 1 ms before (timers fire up to
          // ~1 ms late), then spins the rest; from SPIN_FROM_RATE a shorter wait is spun from the
          // start (spinUntil): the send is on time. Below it, a shorter wait sleeps one timer tick,
          // woken early by a finished reply once the send is due (see finished), and goes out up to
          // ~1 ms late, counted as lag: at those rates that keeps the client off a core it would
          // otherwise spin. Sending early instead, as this loop once did, put most requests above
          // 1,000 req/s 0.3-0.9 ms ahead of their arrival time, unseen by the lag metric. The spin
          // also covers a timer that fires early: libuv counts from the loop's cached time, which
          // can trail the clock.
          if (wait > 1) await this.sleepUntil(wait - 1, at);
          else if (!spinShortWaits) await this.sleepUntil(wait, at);
          if (now() < at && !signal.aborted) await this.spinUntil(at);
          if (signal.aborted) break;
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
        if (this.inFlight >= cap) {
          while (this.inFlight >= cap) await new Promise<void>((r) => slotWaiters.push(r));
          resumed = lastSlotAt = now();
        }
        let item: T | undefined = fromWarmup ? await this.nextWarmup(at) : undefined;
        const warm = item !== undefined;
        if (fromWarmup && !warm) {
          // The warm-up's source ran dry before its time was up: measuring starts from here.
          beginMeasuring(now());
          continue;
        }
        if (!warm) {
          let next = this.items.next();
          if (next instanceof Promise) next = await next;
          if (next.done) break;
          this.count++;
          item = next.value;
        }
        const sent = now();
        const late = Math.max(0, sent - at);
        const lag = Math.min(late, Math.max(0, reached - freeSince) + (sent - resumed));
        this.inFlight++;
        handle(item as T, lag, capped ? late - lag : undefined, warm).then(finished, finished);
      }
    } finally {
      signal.removeEventListener('abort', this.wakeNow);
      if (this.shortTimer) clearTimeout(this.shortTimer);
    }
    if (this.inFlight > 0) await new Promise<void>((r) => (this.allDone = r));
    return this.count;
  }
}
