import { isAbsolute, join } from 'node:path';
import { definePlugin, writeReportFile, type RunContext, type RunSummary } from '@yardstick/core';
import { z } from 'zod';
import { stableStringify, SUMMARY_KEY_ORDER } from './stable.js';
import { writeVllmExports } from './vllm.js';

export { stableClone, stableStringify, SUMMARY_KEY_ORDER, type KeyOrder } from './stable.js';
export { writeVllmExports, vllmMapper, vllmBackendOf } from './vllm.js';
export { VllmDetailArrays } from './vllm-detailed.js';

export const jsonReporterOptions = z.strictObject({
  file: z.string().default('summary.json').describe('Output file, relative to the run folder'),
  indent: z.number().int().min(0).max(8).default(2).describe('Spaces of indentation (0 = one line)'),
  vllm: z.boolean().default(true).describe('Also write vllm-bench.<benchmark>.json (vLLM bench serve result fields) for benchmarks with performance'),
  vllmDetailed: z
    .boolean()
    .default(false)
    .describe("Add vLLM's other --save-detailed per-request arrays (input_lens, output_lens, ttfts, itls, start_times, generated_texts, errors) to those files; latencies and queue_times are always there, as in vLLM's"),
});
export type JsonReporterOptions = z.output<typeof jsonReporterOptions>;

/** Writes the full RunSummary, keys in a stable order, atomically (temp file + rename). */
export async function writeSummaryJson(summary: RunSummary, outDir: string, options: JsonReporterOptions): Promise<string> {
  const target = isAbsolute(options.file) ? options.file : join(outDir, options.file);
  const text = `${stableStringify(summary, options.indent, SUMMARY_KEY_ORDER)}\n`;
  // A reader (CI, a dashboard) never sees a half-written summary.json.
  await writeReportFile(target, text, 'reporter-json');
  return target;
}

const plugin = definePlugin({
  name: 'reporter-json',
  version: '0.1.0',
  kind: 'reporter',
  core: '^0.1.0',
  description: 'Writes summary.json: the full RunSummary with a stable key order',
  configSchema: jsonReporterOptions,
  apply({ hooks, options, logger }) {
    hooks.report.tapPromise({ name: 'reporter-json' }, async (summary: RunSummary, run: RunContext) => {
      const file = await writeSummaryJson(summary, run.outDir, options);
      logger.debug({ file }, 'summary written');
      if (options.vllm) {
        const files = await writeVllmExports(summary, run, undefined, { detailed: options.vllmDetailed });
        if (files.length > 0) logger.debug({ files }, 'vLLM-format results written');
      }
    });
  },
});

export default plugin;
