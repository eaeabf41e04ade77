import type { EventLoopUtilization } from 'node:perf_hooks';

/**
 * The open-loop dispatcher's idle spinning, kept out of the event loop's utilisation.
 *
 * Why: at high rates a send due sooner than a timer tick (1 ms, Node's shortest) is waited for by spinning,
 * one event-loop turn after another (each still reads replies), because putting the thread to
 * sleep and waking it costs more than such a wait (see Dispatcher.spinUntil). Node counts every
 * one of those turns as active, so at 20,000 req/s a dispatcher that keeps up would read 100% busy,
 * and the "client is the limit" warning, which is read from that figure, would always fire. A spin
 * turn that read no reply data and was short (an empty turn takes a few µs) is idle: its time is
 * added up here and `netEventLoopUtilization` moves it from active to idle. A turn that read a reply
 * or took longer stays active in full, spin included. Other work small enough to fit in such a
 * short turn without a reply read (a timer, a write's callback) is counted idle with it; a client
 * that truly falls behind stops spinning, and its lag says so whatever this figure reads.
 */
let repliesRead = 0;
let idleMs = 0;

/** Called for every piece of reply data read (the shared OpenAI client's handler). */
export function noteReplyRead(): void {
  repliesRead++;
}

/** How many pieces of reply data have been read so far: a spin turn compares it with the last turn's. */
export function replyReads(): number {
  return repliesRead;
}

/** Where the idle time counted so far ends: two dispatchers spinning in one loop share their turns. */
let countedTo = 0;

/** Counts the idle spin turn from `from` to `to` (performance.now() times), each moment once. */
export function addSpinIdle(from: number, to: number): void {
  const start = Math.max(from, countedTo);
  if (to <= start) return;
  idleMs += to - start;
  countedTo = to;
}

/** The idle spin time counted so far, in ms. */
export function spinIdleMs(): number {
  return idleMs;
}

/** `performance.eventLoopUtilization()` with the idle spin turns counted as idle (cumulative, like it). */
export function netEventLoopUtilization(): EventLoopUtilization {
  const { idle, active } = performance.eventLoopUtilization();
  const spun = Math.min(idleMs, active);
  const netActive = active - spun;
  const netIdle = idle + spun;
  return { idle: netIdle, active: netActive, utilization: netIdle + netActive > 0 ? netActive / (netIdle + netActive) : 0 };
}
