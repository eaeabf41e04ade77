import { isYardstickError, type RunSummary } from '@yardstick/core';
import { resolve } from 'node:path';
import { collect, type CommandModule } from '../command-context.js';
import { EXIT } from '../exit-codes.js';
import { defaultOutDir, executeRun, newRunId } from '../execute-run.js';
import { runMatrix } from '../matrix-run.js';
import { prepareRun } from '../prepare.js';
import { renderError } from '../render-error.js';
import { readRunState } from '../run-state.js';
import { sloFlags } from '../slo-flag.js';

export interface RunFlags {
  config?: string;
  out?: string;
  set?: string[];
  resume?: string;
  quiet?: boolean;
  logLevel?: string;
  slo?: string;
  goodput?: string[];
  saveDetailed?: boolean;
}

/** Exit code for a finished run: 0 done, 2 when a user error (dataset, config) ended it, else 1. */
export function exitCodeFor(summary: RunSummary): number {
  if (summary.status === 'completed') return EXIT.OK;
  const cause = (summary as unknown as { cause?: unknown }).cause;
  return isYardstickError(cause) && cause.isUserError ? EXIT.USER_ERROR : EXIT.RUN_FAILED;
}

const register: CommandModule = (program, ctx) => {
  program
    .command('run')
    .description('Run the evaluation described by the config (or continue one with --resume)')
    .option('-c, --config <file>', 'config file (default: yardstick.config.{ts,mjs,js,json,yaml,yml} in this folder)')
    .option('-o, --out <dir>', 'output folder (default: <config.out>/<timestamp>-<id>)')
    .option('-s, --set <key=value>', 'override a config value, e.g. engine-llamacpp.model=./m.gguf (repeatable)', collect, [])
    .option('-r, --resume <runDir>', 'continue an interrupted run in RUN_DIR, skipping finished samples')
    .option('--slo <objectives>', 'goodput SLOs in ms, e.g. ttft=200,tpot=20,e2el=2000 (vLLM --goodput pairs like ttft:200 work too); sets config `slo`')
    .option('--goodput <pairs...>', "vLLM bench serve's form of --slo: --goodput ttft:200 tpot:20")
    .option('--save-detailed', "vLLM bench serve's flag: add the per-request arrays (ttfts, itls, generated_texts…) to vllm-bench.*.json; sets reporter-json.vllmDetailed")
    .option('-q, --quiet', 'no log output on the terminal (the log file still gets everything)')
    .option('--log-level <level>', 'terminal log level (fatal|error|warn|info|debug|trace)')
    .action(async (flags: RunFlags) => {
      let prepared;
      let outDir: string;
      let runId: string;
      let startedAt: string | undefined;
      const sets = [...(flags.set ?? []), ...sloFlags(flags), ...(flags.saveDetailed ? ['reporter-json.vllmDetailed=true'] : [])];
      if (flags.resume) {
        outDir = resolve(flags.resume);
        const state = await readRunState(outDir);
        prepared = await prepareRun({ raw: state.config, filepath: state.configFile, baseDir: state.baseDir, sets });
        runId = state.runId;
        startedAt = state.startedAt;
      } else {
        prepared = await prepareRun({ configPath: flags.config, sets });
        runId = newRunId();
        outDir = flags.out ? resolve(flags.out) : defaultOutDir(prepared, runId);
      }
      if (prepared.config.matrix !== undefined && !flags.resume) {
        ctx.setExitCode(await runMatrix(prepared, { outDir, flags, ctx }));
        return;
      }
      const summary = await executeRun(prepared, { outDir, runId, startedAt, resume: Boolean(flags.resume), quiet: flags.quiet, logLevel: flags.logLevel });
      const code = exitCodeFor(summary);
      if (code !== EXIT.OK) {
        const cause = (summary as unknown as { cause?: unknown }).cause;
        renderError(cause ?? new Error(summary.error?.message ?? 'run failed'), ctx.stderr);
      }
      ctx.stderr(`\nResults: ${outDir}\n`);
      if (summary.status !== 'completed') ctx.stderr(`Continue with: yardstick run --resume ${outDir}\n`);
      ctx.setExitCode(code);
    });
};

export default register;
