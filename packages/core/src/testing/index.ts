export * from './fake-engine.js';
export * from './test-kernel.js';
export * from './collecting-reporter.js';

/** The repo's `../shared` folder (real models and datasets), or `YARDSTICK_SHARED`. */
export { sharedPath } from '../shared-path.js';
export * from './report-fixtures.js';
export * from './standin-fixtures.js';
export * from './client-engine.js';
