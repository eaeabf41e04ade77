import { assertRunFolderFree, createLogger, CORE_VERSION, ERROR_CODES, isYardstickError, type RunSummary } from '@yardstick/core';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildKernel } from './build-kernel.js';
import type { StopSignal } from './exit-codes.js';
import { handleInterrupts } from './interrupt.js';
import type { PreparedRun } from './prepare.js';
import { writeRunState, writeRunStateSync, type RunState } from './run-state.js';

export interface ExecuteOptions {
  outDir: string;
  runId: string;
  /** The run.json of the run being resumed (its start time, and what to put back if the resume is refused). */
  resumeFrom?: RunState;
  quiet?: boolean;
  logLevel?: string;
  mode?: 'run' | 'score';
  sampleFilter?: (benchmark: string, sample: import('@yardstick/core').Sample) => boolean;
  /** Extra plugins (e.g. the predictions source of `yardstick score`). */
  extraPlugins?: PreparedRun['plugins'];
}

export interface ExecutedRun {
  summary: RunSummary;
  /** The signal that stopped the run (SIGTERM also when the parent package manager went away). */
  stoppedBy?: StopSignal;
}

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '').replace('T', '-');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export function defaultOutDir(prepared: PreparedRun, runId: string): string {
  return join(resolve(prepared.config.baseDir, prepared.config.out), runId);
}

/**
 * Runs one configuration end to end in `outDir`, with Ctrl-C / SIGTERM interrupting cleanly
 * (teardown and reports still run; `--resume` continues). A second signal exits at once.
 */
export async function executeRun(prepared: PreparedRun, options: ExecuteOptions): Promise<ExecutedRun> {
  await mkdir(options.outDir, { recursive: true });
  // Before the log and run.json are touched: a resume refused because the run still goes on must
  // not rewrite that run's state or write into its log (the store takes the lock itself later).
  await assertRunFolderFree(options.outDir);
  const startedAt = options.resumeFrom?.startedAt ?? new Date().toISOString();
  // A live progress bar owns the terminal: below warn, log lines would garble it (the file keeps all).
  const barOnTerminal = process.stderr.isTTY === true && prepared.plugins.some((p) => p.plugin.name === 'reporter-console');
  const configured = prepared.config.log.level;
  const level = options.logLevel ?? (barOnTerminal && (configured === 'info' || configured === 'debug' || configured === 'trace') && prepared.raw.log === undefined ? 'warn' : configured);
  const logger = createLogger({
    level: level as 'info',
    file: join(options.outDir, 'yardstick.log'),
    quiet: options.quiet,
  }).child({ runId: options.runId });
  const state: RunState = {
    runId: options.runId,
    startedAt,
    status: 'running',
    configFile: prepared.config.filepath,
    baseDir: prepared.config.baseDir,
    config: prepared.raw,
    yardstickVersion: CORE_VERSION,
  };
  const writesState = options.mode !== 'score';
  // Built before run.json is written: plugins that refuse their options leave no "running" run behind.
  const kernel = buildKernel({ ...prepared, plugins: [...prepared.plugins, ...(options.extraPlugins ?? [])] }, { outDir: options.outDir, runId: options.runId, logger });
  // A resume refused by the store (another process holds the folder, a corrupt journal) must leave
  // run.json as it found it: the state before this attempt is put back on those errors.
  const before = writesState ? options.resumeFrom : undefined;
  if (writesState) await writeRunState(options.outDir, state);

  let settled = false;
  const interrupts = handleInterrupts({
    logger,
    // A forced exit skips teardown, but run.json must not claim the run is still going.
    beforeForcedExit: () => {
      if (writesState && !settled) writeRunStateSync(options.outDir, { ...state, status: 'interrupted' });
      logger.flush?.();
    },
  });
  try {
    const summary = await kernel.run({ signal: interrupts.signal, resume: options.resumeFrom !== undefined, startedAt, mode: options.mode, sampleFilter: options.sampleFilter });
    if (writesState) await writeRunState(options.outDir, { ...state, status: summary.status });
    settled = true;
    logger.flush?.();
    return { summary, stoppedBy: interrupts.stoppedBy };
  } catch (error) {
    if (before && isYardstickError(error) && (error.code === ERROR_CODES.STORE_CORRUPT || error.code === ERROR_CODES.RUN_LOCKED)) {
      settled = true;
      await writeRunState(options.outDir, before);
    }
    throw error;
  } finally {
    interrupts.dispose();
  }
}
