import { definePlugin, ERROR_CODES, STAGE, YardstickError, type RunContext, type ScoreCard, type ScoredSample } from '@yardstick/core';
import { z } from 'zod';
import { evaluatePrompt, looseVariants, type PromptOutcome } from './evaluate.js';
import { LANGUAGE_INSTRUCTIONS, type Kwargs, type LanguageDetector } from './instructions.js';
import { detectLanguage } from './language.js';
import { LangdetectProcess } from './langdetect-process.js';

export { evaluatePrompt, looseVariants } from './evaluate.js';
export { INSTRUCTIONS, SUPPORTED_INSTRUCTIONS, buildChecker } from './instructions.js';
export { countSentences, countWords, splitSentences, wordTokenize } from './nltk.js';
export { detectLanguage } from './language.js';

const NAME = 'scorer-ifeval';

const configSchema = z.strictObject({
  tasks: z
    .array(z.string().min(1))
    .default(['ifeval'])
    .describe('Sample tasks this scorer acts on (benchmark-ifeval emits task "ifeval").'),
  breakdown: z
    .enum(['none', 'group', 'instruction'])
    .default('group')
    .describe(
      'Extra instruction-weighted accuracies like the reference report: per group ("strict:keywords"), per instruction id ("strict:keywords:existence"), or none',
    ),
  languageDetector: z
    .enum(['auto', 'langdetect', 'franc'])
    .default('auto')
    .describe(
      "Language checks: langdetect (the reference's, via Python; Debian python3-langdetect), franc (in-process stand-in), or auto: langdetect when an interpreter has it",
    ),
  python: z.array(z.string().min(1)).default(['python3', '/usr/bin/python3']).describe('Interpreters tried, in order, for langdetect'),
});

export type IfevalScorerOptions = z.output<typeof configSchema>;

/** What benchmark-ifeval puts in `sample.target`. */
const targetSchema = z.object({
  instruction_id_list: z.array(z.string()),
  kwargs: z.array(z.record(z.string(), z.unknown())),
});

function describeOutcome(o: PromptOutcome): string {
  const failed = (key: 'strict' | 'loose') =>
    o.instructions.filter((i) => i.supported && !i[key]).map((i) => i.id);
  const parts = [
    `strict ${o.strictFollowed}/${o.supported}${failed('strict').length ? ` (not followed: ${failed('strict').join(', ')})` : ''}`,
    `loose ${o.looseFollowed}/${o.supported}${failed('loose').length ? ` (not followed: ${failed('loose').join(', ')})` : ''}`,
  ];
  const unsupported = o.instructions.filter((i) => !i.supported);
  if (unsupported.length) {
    parts.push(`UNSUPPORTED, excluded from instruction-level and prompt-level: ${unsupported.map((i) => `${i.id} (${i.note})`).join('; ')}`);
  }
  const errors = o.instructions.filter((i) => i.supported && i.note);
  if (errors.length) parts.push(`errors: ${errors.map((i) => `${i.id}: ${i.note}`).join('; ')}`);
  return parts.join('; ');
}

/**
 * Per-group (the reference's "tier0", e.g. `keywords`) or per-id ("tier1") accuracies: each sample
 * contributes the fraction it followed, weighted by how many such instructions it has, so the
 * kernel's weighted mean equals the reference's per-group accuracy over the whole benchmark.
 */
function addBreakdown(metrics: Record<string, number>, weights: Record<string, number>, o: PromptOutcome, level: 'group' | 'instruction'): void {
  const buckets = new Map<string, { n: number; strict: number; loose: number }>();
  for (const i of o.instructions) {
    if (!i.supported) continue;
    const key = level === 'group' ? i.id.split(':')[0]! : i.id;
    const b = buckets.get(key) ?? { n: 0, strict: 0, loose: 0 };
    b.n++;
    if (i.strict) b.strict++;
    if (i.loose) b.loose++;
    buckets.set(key, b);
  }
  for (const [key, b] of buckets) {
    metrics[`strict:${key}`] = b.strict / b.n;
    metrics[`loose:${key}`] = b.loose / b.n;
    weights[`strict:${key}`] = b.n;
    weights[`loose:${key}`] = b.n;
  }
}

/** Scores one sample; exported so it can be unit-tested and reused outside the kernel. */
export function scoreIfeval(
  card: ScoreCard,
  scored: ScoredSample,
  breakdown: IfevalScorerOptions['breakdown'] = 'none',
  detect?: LanguageDetector,
): { card: ScoreCard; outcome?: PromptOutcome } {
  const parsed = targetSchema.safeParse(scored.sample.target);
  if (!parsed.success || parsed.data.kwargs.length !== parsed.data.instruction_id_list.length) {
    const why = parsed.success ? 'kwargs and instruction_id_list differ in length' : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    return { card: { ...card, reasons: { ...card.reasons, [NAME]: `sample ${scored.sample.id}: unusable target (${why}); not scored` } } };
  }
  const { instruction_id_list: ids, kwargs } = parsed.data;
  const response = scored.result.error ? '' : scored.result.text;
  const outcome = evaluatePrompt(ids, kwargs as Kwargs[], response, detect);

  const metrics: Record<string, number> = { ...card.metrics, unsupported_instructions: outcome.unsupported };
  const weights: Record<string, number> = { ...(card.weights ?? {}) };
  if (outcome.promptStrict !== undefined) metrics.prompt_level_strict = outcome.promptStrict ? 1 : 0;
  if (outcome.promptLoose !== undefined) metrics.prompt_level_loose = outcome.promptLoose ? 1 : 0;
  if (outcome.supported > 0) {
    // Fractions weighted by the instruction count: the weighted mean over samples is exactly
    // sum(followed) / sum(instructions), the reference's instruction-level accuracy.
    metrics.inst_level_strict = outcome.strictFollowed / outcome.supported;
    metrics.inst_level_loose = outcome.looseFollowed / outcome.supported;
    weights.inst_level_strict = outcome.supported;
    weights.inst_level_loose = outcome.supported;
  }
  if (breakdown !== 'none') addBreakdown(metrics, weights, outcome, breakdown);
  const reason = (scored.result.error ? `generation failed (${scored.result.error.code}), scored as empty; ` : '') + describeOutcome(outcome);
  return {
    outcome,
    card: {
      metrics,
      weights,
      reasons: { ...card.reasons, [NAME]: reason },
      details: { ...card.details, [NAME]: { instructions: outcome.instructions } },
    },
  };
}

/**
 * langdetect's answers for every text a language checker of this sample can see (the response's
 * eight loose variants, the first of which is the response itself), fetched in one round trip
 * before the synchronous checkers run; any other text falls back to franc. undefined when the
 * sample has no language instruction.
 */
async function langdetectFor(langdetect: LangdetectProcess, scored: ScoredSample): Promise<LanguageDetector | undefined> {
  const ids = (scored.sample.target as { instruction_id_list?: unknown } | undefined)?.instruction_id_list;
  if (!Array.isArray(ids) || !ids.some((id) => typeof id === 'string' && LANGUAGE_INSTRUCTIONS.has(id))) return undefined;
  const response = scored.result.error ? '' : scored.result.text;
  // The response is the first of its loose variants, and without a `*` or more than one line most
  // of them are the same text: each distinct text is detected once (detection is deterministic).
  const texts = [...new Set(looseVariants(response))];
  const codes = await langdetect.detect(texts);
  const byText = new Map<string, string | null>();
  texts.forEach((text, i) => byText.set(text, codes[i] ?? null));
  return (text) => {
    const code = byText.get(text);
    return code === undefined || code === '!error' ? detectLanguage(text) : (code ?? undefined);
  };
}

export default definePlugin({
  name: NAME,
  version: '0.1.0',
  kind: 'scorer',
  core: '^0.1.0',
  description: 'IFEval strict/loose prompt- and instruction-level accuracy (google-research instruction_following_eval semantics)',
  configSchema,
  apply({ hooks, options }) {
    const tasks = new Set(options.tasks);
    const unsupportedById = new Map<string, number>();
    const warned = new Set<string>();
    let langdetect: LangdetectProcess | undefined;
    let detector = 'franc';
    /** summary.extensions['scorer-ifeval']: which detector ran, and the unsupported instructions so far. */
    const publish = (run: RunContext): void =>
      run.extend(NAME, {
        language_detector: detector,
        ...(unsupportedById.size > 0
          ? { unsupported_instructions: [...unsupportedById.values()].reduce((a, b) => a + b, 0), unsupported_by_id: Object.fromEntries(unsupportedById) }
          : {}),
      });
    hooks.setup.tapPromise({ name: NAME }, async (run) => {
      if (options.languageDetector !== 'franc') {
        const started = await LangdetectProcess.start(options.python);
        if (typeof started !== 'string') {
          langdetect = started;
          detector = `langdetect ${started.version} (${started.python}, seed 0)`;
        } else if (options.languageDetector === 'langdetect') {
          throw new YardstickError(ERROR_CODES.PLUGIN_OPTIONS_INVALID, `scorer-ifeval: languageDetector is 'langdetect', but no interpreter imports it (${started})`, {
            hint: "Install it (Debian: apt-get install python3-langdetect; or pip install langdetect), list its interpreter in 'python', or set languageDetector: 'franc'.",
          });
        } else {
          run.logger.info({ tried: started }, `${NAME}: Python langdetect not found; language checks use franc, whose verdicts can differ from the reference on short texts`);
        }
      }
      publish(run);
    });
    hooks.teardown.tap({ name: NAME }, () => {
      langdetect?.close();
      langdetect = undefined;
    });
    /**
     * langdetect's answers for a sample; when the interpreter has died or hangs, one restart, then
     * franc for the rest of the run with a warning — never a sample left unscored.
     */
    let restarted = false;
    /** Set while one failing call restarts the interpreter; the calls failing meanwhile wait for it. */
    let recovering: Promise<void> | undefined;
    const recover = async (dead: LangdetectProcess, error: Error, run: RunContext): Promise<void> => {
      dead.close();
      langdetect = undefined;
      const again = restarted ? 'gave up after one restart' : await LangdetectProcess.start([dead.python]);
      restarted = true;
      if (typeof again !== 'string') {
        langdetect = again;
        run.logger.warn({ err: error.message }, `${NAME}: langdetect failed; restarted it`);
      } else {
        detector = `franc (langdetect failed during the run: ${error.message})`;
        run.warn(`${NAME}: langdetect failed (${error.message}); the remaining language checks use franc`);
        publish(run);
      }
    };
    const detectorFor = async (scored: ScoredSample, run: RunContext): Promise<LanguageDetector | undefined> => {
      for (;;) {
        if (recovering) await recovering;
        const current = langdetect;
        if (!current) return undefined;
        try {
          return await langdetectFor(current, scored);
        } catch (error) {
          // The first call to see this process fail restarts it; the others wait and try again.
          if (langdetect === current && !recovering) recovering = recover(current, error as Error, run).finally(() => (recovering = undefined));
        }
      }
    };
    hooks.score.tapPromise({ name: NAME, stage: STAGE.NORMAL }, async (card, scored, run) => {
      if (!tasks.has(scored.sample.task)) return card;
      const detect = await detectorFor(scored, run);
      const { card: next, outcome } = scoreIfeval(card, scored, options.breakdown, detect);
      if (outcome && outcome.unsupported > 0) {
        for (const i of outcome.instructions.filter((x) => !x.supported)) {
          unsupportedById.set(i.id, (unsupportedById.get(i.id) ?? 0) + 1);
          if (!warned.has(i.id)) {
            warned.add(i.id);
            run.warn(`${NAME}: instruction "${i.id}" is unsupported (${i.note}); excluded from the accuracy denominators`);
          }
        }
        publish(run);
      }
      return next;
    });
  },
});
