/**
 * Milliseconds rounded to the microsecond: the clock's useful resolution. Every timing field a record
 * keeps goes through this, so records read the same however a time was measured, and shorter
 * numbers make each stored record cheaper to write and read back.
 */
export const toMicroseconds = (ms: number): number => Math.round(ms * 1000) / 1000;
