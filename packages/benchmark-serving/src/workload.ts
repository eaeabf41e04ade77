import { createRng, type BenchmarkSource, type ChatMessage, type Engine, type RequestKind, type Sample } from '@yardstick/core';
import { loadPromptFile, resolveDataset, type PromptRow } from './datasets.js';
import { maxOutputLength, outputLengths, shuffle } from './lengths.js';
import type { ResolvedWorkload, ServingOptions } from './options.js';
import { exactPrompt, mapLimit, requireTokenizer, tokenPool } from './synthetic.js';

export const SERVING_TASK = 'serving';

export interface BuildContext {
  engine: Engine | undefined;
  seed: number;
  baseDir: string;
  signal?: AbortSignal;
  warn(message: string): void;
  /**
   * A check (`yardstick validate`): no engine runs, so synthetic prompts are not built; their
   * sources are registered empty, under the names and load the run will use.
   */
  check?: boolean;
}

/** Seeds derived per purpose so adding prompts never changes the lengths already drawn, and vice versa. */
const OUTPUT_SEED = 0x0a7;
const SHUFFLE_SEED = 0x5f1;

/** Builds the benchmark sources of a workload: one, or one per context-sweep step. */
export async function buildSources(workload: ResolvedWorkload, options: Pick<ServingOptions, 'promptStyle' | 'multiTurn' | 'shuffle' | 'maxContext'>, ctx: BuildContext): Promise<BenchmarkSource[]> {
  const base = {
    generation: { temperature: workload.temperature, ...(workload.ignoreEos ? { ignoreEos: true } : {}) },
    // Millions of synthetic prompts are not worth storing; timings and lengths are.
    recordPrompts: false,
    ...(workload.load && Object.keys(workload.load).length > 0 ? { load: workload.load } : {}),
  };
  const source = (name: string, kind: RequestKind, samples: Sample[], files?: string[]): BenchmarkSource => ({
    name,
    kind,
    ...base,
    ...(files ? { files } : {}),
    size: () => samples.length,
    samples: () => samples,
  });

  if (workload.dataset !== 'random') {
    const file = resolveDataset(workload.dataset, ctx.baseDir);
    const { rows, format } = await loadPromptFile(file);
    if (options.shuffle) shuffle(rows, createRng(ctx.seed ^ SHUFFLE_SEED));
    const picked = rows.slice(0, workload.numPrompts);
    const outs = outputLengths(workload.outputTokens, picked.length, createRng(ctx.seed ^ OUTPUT_SEED));
    const samples = picked.map((row, i) => fileSample(row, outs[i]!, options, format));
    const kind: RequestKind = samples[0]?.prompt !== undefined ? 'completion' : 'chat';
    return [source(workload.name, kind, samples, [file])];
  }

  const chat = options.promptStyle === 'chat';
  const nameFor = (length: number) => (workload.inputLengths ? `${workload.name}[input=${length}]` : workload.name);
  const requested = workload.inputLengths ?? [workload.inputTokens];
  if (ctx.check) {
    // Exact-length prompts are made with the engine's tokenizer, which a check does not start.
    ctx.warn(`benchmark-serving: ${workload.name}: synthetic prompts are built with the engine tokenizer when the run starts; their count shows as 0 here`);
    return requested.map((length) => source(nameFor(length), chat ? 'chat' : 'completion', []));
  }
  const tokenizer = requireTokenizer(ctx.engine, 'synthetic prompts of an exact token length');
  const pool = await tokenPool(tokenizer, ctx.signal);
  const maxOut = maxOutputLength(workload.outputTokens);
  const context = options.maxContext ?? (await ctx.engine?.contextLength?.());
  // One token of slack for the BOS token most engines prepend to a completion prompt.
  const room = context === undefined ? Infinity : context - maxOut - 1;
  if (room < 1) {
    ctx.warn(`benchmark-serving: the model context (${context} tokens) leaves no room for prompts with up to ${maxOut} output tokens; using 1-token prompts`);
  }
  let lengths = requested.filter((n) => n <= room);
  if (lengths.length < requested.length) {
    const cap = Math.max(1, room);
    const dropped = requested.filter((n) => n > room);
    ctx.warn(`benchmark-serving: input lengths ${dropped.join(', ')} exceed the model context (${context} tokens − ${maxOut} output − 1); capped at ${cap}`);
    if (!lengths.includes(cap)) lengths = [...lengths, cap];
  }
  const outs = outputLengths(workload.outputTokens, workload.numPrompts, createRng(ctx.seed ^ OUTPUT_SEED));
  const sources: BenchmarkSource[] = [];
  for (const length of lengths) {
    const prompts = await mapLimit(workload.numPrompts, 4, (i) => exactPrompt(tokenizer, pool, length, createRng(mix(ctx.seed, length, i)), ctx.signal));
    const inexact = prompts.filter((p) => !p.exact);
    if (inexact.length > 0) {
      ctx.warn(`benchmark-serving: ${inexact.length} of ${prompts.length} prompts could not be made exactly ${length} tokens (closest: ${inexact.map((p) => p.tokens).join(', ')})`);
    }
    const samples: Sample[] = prompts.map((p, i) => ({
      id: String(i),
      task: SERVING_TASK,
      ...(chat ? { messages: [{ role: 'user' as const, content: p.text }] } : { prompt: p.text }),
      generation: { maxTokens: outs[i]! },
      metadata: { input_tokens: p.tokens, output_tokens: outs[i]! },
    }));
    sources.push(source(nameFor(length), chat ? 'chat' : 'completion', samples));
  }
  return sources;
}

function fileSample(row: PromptRow, maxTokens: number, options: Pick<ServingOptions, 'promptStyle' | 'multiTurn'>, format: string): Sample {
  const sample: Sample = {
    id: row.id,
    task: SERVING_TASK,
    generation: { maxTokens },
    metadata: { dataset: format, output_tokens: maxTokens, ...(row.category ? { category: row.category } : {}) },
  };
  if (row.turns) {
    if (options.multiTurn && options.promptStyle !== 'completion') {
      sample.messages = [];
      sample.turns = row.turns.map((content) => ({ messages: [{ role: 'user', content }] }));
      return sample;
    }
    return withStyle(sample, undefined, [{ role: 'user', content: row.turns[0]! }], options.promptStyle);
  }
  return withStyle(sample, row.prompt, row.messages, options.promptStyle);
}

function withStyle(sample: Sample, prompt: string | undefined, messages: ChatMessage[] | undefined, style: ServingOptions['promptStyle']): Sample {
  if (style === 'completion' && prompt === undefined) sample.prompt = (messages ?? []).map((m) => m.content).join('\n\n');
  else if (style === 'chat' && prompt !== undefined) sample.messages = [{ role: 'user', content: prompt }];
  else if (prompt !== undefined) sample.prompt = prompt;
  else sample.messages = messages;
  return sample;
}

/** A per-prompt seed: stable whatever order the prompts are built in. */
function mix(seed: number, length: number, index: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ length, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ index, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
