import { ERROR_CODES, YardstickError } from '@yardstick/core';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { collect, type CommandModule } from '../command-context.js';
import { EXIT } from '../exit-codes.js';
import { defaultOutDir, executeRun, newRunId } from '../execute-run.js';
import { runMatrix } from '../matrix-run.js';
import { prepareRun } from '../prepare.js';
import { renderError } from '../render-error.js';
import { exitCodeFor, nextStep, runCause } from '../run-outcome.js';
import { readRunState, RUN_STATE_FILE, type RunState } from '../run-state.js';
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

const register: CommandModule = (program, ctx) => {
  program
    .command('run')
    .description('Run the evaluation described by the config (or continue one with --resume)')
    .option('-c, --config <file>', 'config file (default: yardstick.config.{ts,mjs,js,json,yaml,yml} in this folder)')
    .option('-o, --out <dir>', 'output folder (default: <config.out>/<timestamp>-<id>)')
    .option('-s, --set <key=value>', 'override a config value, e.g. engine-llamacpp.model=./m.gguf (repeatable)', collect, [])
    .option('-r, --resume <runDir>', 'continue an interrupted run in RUN_DIR with the config saved there (plus any --set), skipping finished samples')
    .option('--slo <objectives>', 'goodput SLOs in ms, e.g. ttft=200,tpot=20,e2el=2000 (vLLM --goodput pairs like ttft:200 work too); sets config `slo`')
    .option('--goodput <pairs...>', "vLLM bench serve's form of --slo: --goodput ttft:200 tpot:20")
    .option('--save-detailed', "vLLM bench serve's flag: add the per-request arrays (ttfts, itls, generated_texts…) to vllm-bench.*.json; sets reporter-json.vllmDetailed")
    .option('-q, --quiet', 'no log output on the terminal (the log file still gets everything)')
    .option('--log-level <level>', 'terminal log level (fatal|error|warn|info|debug|trace)')
    .action(async (flags: RunFlags) => {
      let prepared;
      let outDir: string;
      let runId: string;
      let resumeFrom: RunState | undefined;
      const sets = [...(flags.set ?? []), ...sloFlags(flags), ...(flags.saveDetailed ? ['reporter-json.vllmDetailed=true'] : [])];
      if (flags.resume) {
        // A resumed run replays the config saved in run.json into its own folder: a --config or --out
        // given with it would be silently ignored, so say so instead.
        const ignored = [flags.config !== undefined && '--config', flags.out !== undefined && '--out'].filter(Boolean);
        if (ignored.length) {
          throw new YardstickError(ERROR_CODES.CLI_USAGE, `${ignored.join(' and ')} cannot be combined with --resume`, {
            hint: 'A resumed run uses the config saved in RUN_DIR/run.json and writes into RUN_DIR; change saved values with --set key=value, or start a new run.',
          });
        }
        outDir = resolve(flags.resume);
        resumeFrom = await readRunState(outDir);
        prepared = await prepareRun({ raw: resumeFrom.config, filepath: resumeFrom.configFile, baseDir: resumeFrom.baseDir, sets });
        runId = resumeFrom.runId;
      } else {
        prepared = await prepareRun({ configPath: flags.config, sets });
        runId = newRunId();
        outDir = flags.out ? resolve(flags.out) : defaultOutDir(prepared, runId);
        // A fresh run into a folder that holds one would append to its journal and replace its run.json:
        // two runs mixed in one summary, and the first one's config lost.
        if (flags.out && ((await holdsRun(outDir)) || (prepared.config.matrix !== undefined && (await cellsHoldRuns(outDir))))) {
          throw new YardstickError(ERROR_CODES.CLI_USAGE, `${outDir} already holds a run (run.json or results in journal.jsonl); a new run will not write into it`, {
            hint: `Continue that run with: yardstick run --resume ${outDir}, or give a new folder with --out.`,
          });
        }
      }
      if (prepared.config.matrix !== undefined && !flags.resume) {
        ctx.setExitCode(await runMatrix(prepared, { outDir, flags, ctx }));
        return;
      }
      const { summary, stoppedBy } = await executeRun(prepared, { outDir, runId, resumeFrom, quiet: flags.quiet, logLevel: flags.logLevel });
      const code = exitCodeFor(summary, stoppedBy);
      if (code !== EXIT.OK) renderError(runCause(summary) ?? new Error(summary.error?.message ?? 'run failed'), ctx.stderr);
      ctx.stderr(`\nResults: ${outDir}\n`);
      const next = nextStep(summary, outDir);
      if (next) ctx.stderr(`${next}\n`);
      ctx.setExitCode(code);
    });
};

/** A matrix writes each cell's run into a folder of its own under `dir`: whether any of them holds one. */
async function cellsHoldRuns(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) if (entry.isDirectory() && (await holdsRun(join(dir, entry.name)))) return true;
  return false;
}

/** Whether `dir` has a run's state or any journaled result. */
async function holdsRun(dir: string): Promise<boolean> {
  const size = (file: string) =>
    stat(join(dir, file)).then(
      (st) => st.size,
      () => -1,
    );
  return (await size(RUN_STATE_FILE)) >= 0 || (await size('journal.jsonl')) > 0;
}

export default register;
