import { join } from 'node:path';
import { definePlugin, interleave, readHhSplit, resolveDataPath, type HhRow, type Sample, rowsSource } from '@yardstick/core';
import { z } from 'zod';

// The split reader and transcript parser live in core so benchmark-mix reads the very same rows.
export {
  parseHhTranscript as parseTranscript,
  splitHhTurns as splitTurns,
  type HhTranscript as ParsedTranscript,
  readHhSplit,
  interleave,
  type HhRow,
} from '@yardstick/core';

export const hhRlhfOptionsSchema = z.strictObject({
  name: z.string().min(1).default('benchmark-hh-rlhf').describe('Benchmark name in reports (unique in the run)'),
  dir: z.string().optional().describe('Folder with <split>/test.jsonl.gz (relative to the config file); default <repo>/../shared/datasets/hh-rlhf'),
  splits: z.array(z.string().min(1)).min(1).default(['helpful-base', 'harmless-base']).describe('Split folders to read, interleaved row by row'),
  limit: z.number().int().positive().optional().describe('First N samples of the interleaved order; default the root `limit`'),
  systemPrompt: z.string().optional().describe('Optional system message before the conversation'),
  maxTokens: z.number().int().positive().optional().describe('Per-request max tokens; default the root generation.maxTokens'),
});

export function toSample(row: HhRow, systemPrompt?: string, maxTokens?: number): Sample {
  const sample: Sample = {
    id: `${row.split}:${row.index}`,
    task: 'hh-rlhf',
    messages: systemPrompt ? [{ role: 'system', content: systemPrompt }, ...row.messages] : row.messages,
    target: row.reference,
    metadata: { category: row.split, split: row.split, row: row.index, turns: row.messages.length },
  };
  if (maxTokens !== undefined) sample.generation = { maxTokens };
  return sample;
}

const plugin = definePlugin({
  name: 'benchmark-hh-rlhf',
  version: '0.1.0',
  kind: 'benchmark',
  core: '^0.1.0',
  defaultScorers: ['scorer-embedding-similarity'],
  description: 'Anthropic HH-RLHF test splits: the conversation up to the last chosen reply, which is the reference',
  configSchema: hhRlhfOptionsSchema,
  apply({ hooks, options }) {
    hooks.setup.tapPromise({ name: 'benchmark-hh-rlhf' }, async (run) => {
      const dir = resolveDataPath(options.dir, run.config.baseDir, 'datasets/hh-rlhf');
      const files = options.splits.map((s) => join(dir, s, 'test.jsonl.gz'));
      const splits = await Promise.all(options.splits.map((s, i) => readHhSplit(files[i]!, s)));
      const skipped = splits.flatMap((s) => s.skipped);
      if (skipped.length) run.warn(`benchmark-hh-rlhf: left out ${skipped.length} rows whose chosen reply is empty: ${skipped.join(', ')}`);
      const all = interleave(splits.map((s) => s.rows));
      run.benchmarks.register(
        rowsSource({
          name: options.name,
          kind: 'chat',
          files,
          rows: all,
          limit: options.limit ?? run.config.limit,
          toSample: (row) => toSample(row, options.systemPrompt, options.maxTokens),
        }),
      );
    });
  },
});

export default plugin;
