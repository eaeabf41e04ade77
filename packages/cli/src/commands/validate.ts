import { renderTextTable, silentLogger, type BenchmarkCheckReport, type Kernel } from '@yardstick/core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { collect, type CommandModule } from '../command-context.js';
import { buildKernel } from '../build-kernel.js';
import { prepareRun } from '../prepare.js';

/** A path as the user would type it from here: relative below the working folder, else absolute. */
function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : resolve(file);
}

/** The kernel's check, stopped by Ctrl-C / SIGTERM mid-read so the caller's cleanup still runs. */
async function checkInterruptibly(kernel: Kernel): Promise<BenchmarkCheckReport> {
  const interrupt = new AbortController();
  const stop = () => interrupt.abort(new Error('interrupted'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await kernel.check({ signal: interrupt.signal });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

const register: CommandModule = (program, ctx) => {
  program
    .command('validate')
    .description("Check a config (root and every plugin's options) and read every benchmark's dataset, without starting an engine")
    .option('-c, --config <file>', 'config file')
    .option('-s, --set <key=value>', 'override a config value (repeatable)', collect, [])
    .option('--no-datasets', 'check the config only: do not read the benchmarks\' data files')
    .action(async (flags: { config?: string; set?: string[]; datasets: boolean }) => {
      const prepared = await prepareRun({ configPath: flags.config, sets: flags.set, defaultReporters: false });
      // The check's journal (nothing is written to it) lives in a folder of its own, removed after.
      const outDir = await mkdtemp(join(tmpdir(), 'yardstick-validate-'));
      try {
        const kernel = buildKernel(prepared, { outDir, runId: 'validate', logger: silentLogger() });
        let report: BenchmarkCheckReport | undefined;
        if (flags.datasets) report = await checkInterruptibly(kernel);
        else kernel.checkDependencies();
        const plugins = prepared.plugins.map((p) => `${p.plugin.name}@${p.plugin.version}`).join(', ') || 'no plugins';
        ctx.stdout(`✔ ${prepared.config.filepath ?? 'configuration'} is valid: ${plugins}\n`);
        if (!report) return;
        if (report.benchmarks.length > 0) {
          const rows = report.benchmarks.map((b) => [b.name, b.samples.toLocaleString('en-US'), b.phases.length > 1 ? `${b.phases.length} (${b.phases.join(', ')})` : '1']);
          ctx.stdout(`\n${renderTextTable({ headers: ['benchmark', 'samples', 'phases'], rows })}\n`);
          const files = [...new Set(report.benchmarks.flatMap((b) => b.files))];
          if (files.length > 0) ctx.stdout(`\ndata files read:\n${files.map((f) => `  ${shown(f)}\n`).join('')}`);
        }
        if (report.warnings.length > 0) ctx.stdout(`\n${report.warnings.map((w) => `⚠ ${w}\n`).join('')}`);
      } finally {
        await rm(outDir, { recursive: true, force: true });
      }
    });
};

export default register;
