import type { EventLoopUtilization } from 'node:perf_hooks';

/**
 * The open-loop dispatcher's idle spinning, kept out of the event loop's utilisation.
 *
 * Why: a send due sooner than a timer tick (1 ms, Node's shortest) is waited for by spinning,
 * one event-loop turn after another (each still reads replies), because putting the thread to
 * sleep and waking it costs more than such a wait (see Dispatcher.spinUntil). Node counts every
 * one of those turns as active, so at 20,000 req/s a dispatcher that keeps up would read 100% busy,
 * and the "client is the limit" warning, which is read from that figure, would always fire. A spin
 * turn that read no reply data and was short (an empty turn takes a few µs) is idle: its time is
 * added up here and `netEventLoopUtilization` moves it from active to idle. Any other turn stays
 * active in full, spin included, so the figure can err only towards busy.
 */
let repliesRead = 0;
let spinIdleMs = 0;

/** Called for every piece of reply data read (the shared OpenAI client's handler). */
export function noteReplyRead(): void {
  repliesRead++;
}

/** How many pieces of reply data have been read so far: a spin turn compares it with the last turn's. */
export function replyReads(): number {
  return repliesRead;
}

/** Adds the length of one idle spin turn. */
export function addSpinIdle(ms: number): void {
  spinIdleMs += ms;
}

/** `performance.eventLoopUtilization()` with the idle spin turns counted as idle (cumulative, like it). */
export function netEventLoopUtilization(): EventLoopUtilization {
  const { idle, active } = performance.eventLoopUtilization();
  const spun = Math.min(spinIdleMs, active);
  const netActive = active - spun;
  const netIdle = idle + spun;
  return { idle: netIdle, active: netActive, utilization: netIdle + netActive > 0 ? netActive / (netIdle + netActive) : 0 };
}
