// Pieces the reporter plugins share (they may not import each other): atomic file writing,
// the server-metrics and per-benchmark system tables, duration and distribution-label formatting.
export * from './write-file.js';
export * from './server-metrics-table.js';
export * from './system-table.js';
export * from './format.js';
