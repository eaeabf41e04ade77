import type { TimingTrace } from '../types.js';

/**
 * A request's end-to-end latency as vLLM `bench serve` measures it: sent → the last chunk that
 * carried `choices` (`output.latency = most_recent_timestamp - st`), so a trailing usage chunk or
 * `[DONE]` does not lengthen it. Falls back to `doneMs` (the last byte) where that chunk's time was
 * not recorded: non-streamed replies, engines that do not stream over HTTP, older journals.
 */
export function e2elMs(t: TimingTrace): number {
  return t.lastChoiceMs ?? t.doneMs;
}

/**
 * The TTFT a TTFT SLO is judged on: the first content chunk, else (a reply with no content) the
 * first chunk with `choices`, which is vLLM's TTFT; undefined when neither exists, and the SLO then
 * counts as not met rather than as met in 0 ms.
 */
export function sloTtftMs(t: TimingTrace): number | undefined {
  return t.firstTokenMs ?? t.firstChoiceMs;
}

/**
 * TPOT as vLLM defines it: (E2EL − TTFT) / (output tokens − 1); undefined without a TTFT or with
 * fewer than two output tokens (no time between tokens to share out).
 */
export function tpotMs(e2el: number, ttft: number | undefined, outputTokens: number): number | undefined {
  return ttft !== undefined && outputTokens > 1 ? (e2el - ttft) / (outputTokens - 1) : undefined;
}
