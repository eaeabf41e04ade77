import type { SampleRecord } from './types.js';

/**
 * The start of the kernel's reason on a record whose scorers threw. Such a sample is stored with
 * its reply and without scores (the run goes on), and `--resume` runs it again: a scorer that
 * failed once (a sandbox that died, a helper process that went away) may well work the next time,
 * and a result it never judged should not count as finished.
 */
export const SCORING_FAILED_PREFIX = 'scoring failed: ';

/** Whether `record` is one whose scorers threw (see SCORING_FAILED_PREFIX). */
export function scoringFailed(record: SampleRecord): boolean {
  const reason = record.score?.reasons?.kernel;
  return typeof reason === 'string' && reason.startsWith(SCORING_FAILED_PREFIX);
}
