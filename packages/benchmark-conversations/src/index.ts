import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { definePlugin, type RunContext, type Sample } from '@yardstick/core';
import { z } from 'zod';
import { charCounter, peakContextTokens, type TokenCounter } from './estimate.js';
import { loadConversations } from './load.js';
import { conversationToSample } from './sample.js';
import { CONTEXT_TIERS } from './schema.js';
import { filterConversations, fitContextWindow } from './select.js';
import { turnMetrics } from './turn-metrics.js';

export { loadConversations, parseConversations, ragTag } from './load.js';
export { conversationToSample, renderRag, type TurnReferences } from './sample.js';
export { peakContextTokens, charCounter, type TokenCounter } from './estimate.js';
export { filterConversations, fitContextWindow } from './select.js';
export { turnMetrics } from './turn-metrics.js';
export { conversationSchema, CONTEXT_TIERS, type Conversation } from './schema.js';

/** The hand-written set shipped in this package. */
export const DEFAULT_CONVERSATIONS = fileURLToPath(new URL('../data/conversations.json', import.meta.url));

export const conversationsOptionsSchema = z.strictObject({
  name: z.string().min(1).default('benchmark-conversations').describe('Benchmark name in reports (unique in the run)'),
  path: z.string().optional().describe('Conversation JSON file, relative to the config file; default the set shipped in this package'),
  includeTags: z.array(z.string()).default([]).describe('Keep conversations with at least one of these tags (all when empty)'),
  excludeTags: z.array(z.string()).default([]).describe('Drop conversations with any of these tags'),
  tiers: z.array(z.enum(CONTEXT_TIERS)).default([]).describe('Keep only these context tiers (all when empty)'),
  ids: z.array(z.string()).default([]).describe('Keep only these conversation ids (all when empty)'),
  maxConversations: z.number().int().positive().optional().describe('At most N conversations (after the other filters, file order); default the root `limit`'),
  contextWindow: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("Skip conversations whose peak context exceeds this many tokens; default the engine's contextLength() when it reports one"),
  tokenCount: z
    .enum(['engine', 'chars'])
    .default('engine')
    .describe("How conversation sizes are measured: the engine's tokenizer when it has one (else chars), or charsPerToken"),
  charsPerToken: z.number().positive().default(4).describe('Characters per token for the chars estimate'),
  perMessageOverhead: z.number().int().nonnegative().default(8).describe('Template tokens added per message in size estimates'),
  ragRole: z.enum(['system', 'user']).default('system').describe('Role of injected RAG context messages (some chat templates only accept a leading system message: use user)'),
  ragTemplate: z
    .string()
    .default('Use the following context when answering.\n\n<context>\n{context}\n</context>')
    .describe('How a RAG block is presented; {context} is replaced by the block text'),
  maxTokens: z.number().int().positive().optional().describe('Max tokens per assistant turn; default the root generation.maxTokens'),
  turnMetrics: z
    .boolean()
    .default(true)
    .describe('Add per-conversation metrics: turns_completed, first_turn_ttft_ms, last_turn_ttft_ms, mean_turn_latency_ms'),
});

type Options = z.output<typeof conversationsOptionsSchema>;

/** The engine, except in a check (`yardstick validate`), which never starts it: sizes are then estimated. */
function liveEngine(run: RunContext) {
  return run.mode === 'check' ? undefined : run.services.engine;
}

async function counterFor(run: RunContext, options: Options): Promise<{ count: TokenCounter; how: string }> {
  const chars = { count: charCounter(options.charsPerToken), how: `${options.charsPerToken} chars/token` };
  const engine = liveEngine(run);
  if (options.tokenCount !== 'engine' || !engine?.tokenize) return chars;
  const tokenize = engine.tokenize.bind(engine);
  try {
    await tokenize('probe', run.signal);
  } catch (error) {
    // An engine that advertises tokenize but cannot serve it (attach mode without the endpoint…)
    // must not stop the run: size with the estimate instead, and say so.
    run.warn(`benchmark-conversations: the engine tokenizer failed (${(error as Error).message}); sizing conversations at ${options.charsPerToken} chars/token`);
    return chars;
  }
  return { count: async (text) => (await tokenize(text, run.signal)).length, how: 'engine tokenizer' };
}

async function engineContextLength(run: RunContext): Promise<number | undefined> {
  try {
    return await liveEngine(run)?.contextLength?.();
  } catch (error) {
    run.warn(`benchmark-conversations: could not read the engine's context length (${(error as Error).message}); no conversation is skipped for size`);
    return undefined;
  }
}

export default definePlugin({
  name: 'benchmark-conversations',
  version: '0.1.0',
  kind: 'benchmark',
  core: '^0.1.0',
  description: 'Multi-turn conversations (RAG inject/remove, context tiers) from a JSON file; ships a hand-written set',
  configSchema: conversationsOptionsSchema,
  apply({ hooks, options, logger }) {
    if (options.turnMetrics) {
      hooks.score.tapPromise({ name: 'benchmark-conversations' }, async (card, scored) => (scored.benchmark === options.name ? turnMetrics(card, scored) : card));
    }
    hooks.setup.tapPromise({ name: 'benchmark-conversations' }, async (run) => {
      const file = options.path === undefined ? DEFAULT_CONVERSATIONS : isAbsolute(options.path) ? options.path : resolve(run.config.baseDir, options.path);
      const all = await loadConversations(file);
      const filtered = filterConversations(all, options);

      const replyTokens = options.maxTokens ?? run.config.generation.maxTokens;
      const contextWindow = options.contextWindow ?? (await engineContextLength(run));
      const { count, how } = await counterFor(run, options);
      const sized = [];
      for (const conv of filtered) {
        const draft = conversationToSample(conv, options);
        const tokens = await peakContextTokens(draft, count, { perMessageOverhead: options.perMessageOverhead, replyTokens });
        sized.push({ item: conversationToSample(conv, options, tokens), tokens });
      }
      const { fit, skipped } = fitContextWindow(sized, contextWindow);
      if (skipped.length) {
        run.warn(
          `${options.name}: skipped ${skipped.length} conversation(s) larger than the ${contextWindow}-token context window ` +
            `(${how}, ${replyTokens} tokens per reply): ${skipped.map((s) => `${s.item.id} (~${s.tokens})`).join(', ')}`,
        );
      }
      const max = options.maxConversations ?? run.config.limit;
      const samples: Sample[] = fit.slice(0, max ?? fit.length).map((s) => s.item);
      if (samples.length === 0) run.warn(`${options.name}: no conversation selected from ${file}`);
      logger.info({ file, total: all.length, selected: samples.length, skipped: skipped.length, contextWindow }, 'conversations selected');

      run.benchmarks.register({
        name: options.name,
        kind: 'chat',
        files: [file],
        ...(options.maxTokens !== undefined ? { generation: { maxTokens: options.maxTokens } } : {}),
        size: () => samples.length,
        *samples(signal) {
          for (const s of samples) {
            if (signal.aborted) return;
            yield s;
          }
        },
      });
    });
  },
});
