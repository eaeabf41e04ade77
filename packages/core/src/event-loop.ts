/** Event-loop utilisation over the generate phase from which Yardstick's own client counts as the limit. */
export const BUSY_EVENT_LOOP = 0.9;

/**
 * Which side of BUSY_EVENT_LOOP a run's mean event-loop share fell on, with the threshold as people
 * read it ("90%"): the kernel's warning and every reporter's verdict line come from this one test.
 */
export function eventLoopBusy(mean: number): { busy: boolean; threshold: string } {
  return { busy: mean >= BUSY_EVENT_LOOP, threshold: `${Math.round(BUSY_EVENT_LOOP * 100)}%` };
}
