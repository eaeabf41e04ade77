import type { GenerateResult } from './types.js';

/**
 * Every request a sample made: its conversation turns, its repeated attempts, or its one result.
 * Structural, so a record read back from a file (possibly partial) qualifies too.
 */
export function requestsOf(record: { result: GenerateResult; turns?: GenerateResult[]; attempts?: GenerateResult[] }): GenerateResult[] {
  return record.turns ?? record.attempts ?? [record.result];
}
