import { definePlugin, requestsOf, STAGE, type RunContext, type Usage } from '@yardstick/core';
import { resolveWorkload, servingOptionsSchema } from './options.js';
import { buildSources, SERVING_TASK } from './workload.js';

export { servingOptionsSchema, resolveWorkload, PRESETS, type ServingOptions, type ResolvedWorkload, type OutputLength, type PresetName } from './options.js';
export { loadPromptFile, resolveDataset, type PromptFile, type PromptRow, type PromptFormat } from './datasets.js';
export { exactPrompt, tokenPool, CORPUS, type Tokenizer, type ExactPrompt } from './synthetic.js';
export { outputLengths } from './lengths.js';
export { buildSources, SERVING_TASK } from './workload.js';

/** The field PerformanceAggregator compares with server usage (see core/performance). */
type CheckedUsage = Usage;

const plugin = definePlugin({
  name: 'benchmark-serving',
  version: '0.1.0',
  kind: 'benchmark',
  core: '^0.1.0',
  description: 'Serving performance workloads (vLLM bench serve style): exact-length synthetic prompts, ShareGPT / MT-Bench / JSONL, presets and sweeps',
  configSchema: servingOptionsSchema,
  apply({ hooks, options }) {
    const workload = resolveWorkload(options);
    let names = new Set<string>();
    hooks.setup.tapPromise({ name: 'benchmark-serving' }, async (run: RunContext) => {
      const sources = await buildSources(workload, options, {
        // A check never starts the engine (and may have none configured): a prompt file needs none.
        engine: run.mode === 'check' ? undefined : run.services.engine,
        seed: options.seed ?? run.config.seed,
        baseDir: run.config.baseDir,
        signal: run.signal,
        warn: (m) => run.warn(m),
        check: run.mode === 'check',
      });
      names = new Set(sources.map((s) => s.name));
      for (const source of sources) run.benchmarks.register(source);
    });
    if (options.checkTokens) {
      // Re-count each reply with the engine tokenizer; the aggregator reports server/tokenizer mismatches.
      // A reply without the server's count takes the tokenizer's as its output length, as vLLM counts
      // one (it re-tokenizes the text), instead of the content-chunk count.
      hooks.score.tapPromise({ name: 'benchmark-serving:check-tokens', stage: STAGE.PRE }, async (card, scored, run) => {
        const engine = run.services.engine;
        if (scored.sample.task !== SERVING_TASK || !engine?.tokenize || !names.has(baseName(scored.benchmark))) return card;
        for (const result of requestsOf(scored)) {
          const usage = result.usage as CheckedUsage | undefined;
          if (result.error || !result.text) continue;
          const fromServer = usage?.completionTokens !== undefined && usage.source === 'server';
          // Counted by the tokenizer already; a chunk count (what the client sets without usage) is replaced.
          if (usage?.source === 'tokenizer') continue;
          try {
            const count = (await engine.tokenize(result.text, run.signal)).length;
            if (fromServer) usage.tokenizerCompletionTokens = count;
            else result.usage = { ...usage, completionTokens: count, source: 'tokenizer' };
          } catch (e) {
            card.reasons['benchmark-serving'] = `token re-count failed: ${(e as Error).message}`;
          }
        }
        return card;
      });
    }
  },
});

/** `serving[concurrency=8]` → `serving` (sweep steps are named by the kernel). */
function baseName(benchmark: string): string {
  return benchmark.replace(/\[(concurrency|rate)=[^\]]*\]$/, '');
}

export default plugin;
