import { cutAtStops, type ScoreCard, type ScoredSample } from '@yardstick/core';
import { scoreQuestion } from './official.js';
import { extractSpan } from './postprocess.js';

export const SCORER = 'scorer-squad';

export interface SquadScoreOptions {
  /** `span`: apply extractSpan first; `raw`: score the output text as is (trimmed), like the script. */
  postprocess: 'span' | 'raw';
  noAnswerPhrases: readonly string[];
}

export interface SquadDetail {
  prediction: string;
  golds: string[];
  unanswerable: boolean;
}

/** The sample's gold answers: a list of strings ([] = unanswerable); a single string is accepted too. */
export function goldsOf(target: unknown): string[] | undefined {
  if (typeof target === 'string') return [target];
  if (Array.isArray(target) && target.every((t) => typeof t === 'string')) return target as string[];
  return undefined;
}

export function scoreSquad(card: ScoreCard, scored: ScoredSample, options: SquadScoreOptions): ScoreCard {
  const golds = goldsOf(scored.sample.target);
  if (!golds) {
    return { ...card, reasons: { ...card.reasons, [SCORER]: `sample ${scored.sample.id}: target must be a list of gold answer strings` } };
  }
  const { result } = scored;
  // The official script's split: a question "has an answer" when its raw answer list is non-empty
  // (`bool(qa['answers'])`), before normalization. Each sample carries only its side's metrics, and
  // the summary averages a metric over the samples that have it: HasAns_* and NoAns_* come out as
  // evaluate-v2.0.py's (and lm-eval's squadv2) split means.
  const split = golds.length > 0 ? 'HasAns' : 'NoAns';
  if (result.error) {
    return {
      ...card,
      metrics: { ...card.metrics, exact: 0, f1: 0, em_f1_mean: 0, [`${split}_exact`]: 0, [`${split}_f1`]: 0 },
      reasons: { ...card.reasons, [SCORER]: `request failed (${result.error.code}): scored 0` },
    };
  }
  // Cut at the sample's stops (["\n"] in completion style, lm-eval's `until`), in case the engine
  // ignored them or the prediction was saved without them: the reference scores the text before.
  const text = cutAtStops(result.text ?? '', scored.sample.generation?.stop);
  const prediction = options.postprocess === 'span' ? extractSpan(text, options.noAnswerPhrases) : text.trim();
  const s = scoreQuestion(golds, prediction);
  const unanswerable = s.golds.length === 1 && s.golds[0] === '';
  const reason =
    s.exact === 1
      ? unanswerable
        ? 'correctly abstained on an unanswerable question'
        : `exact match: ${JSON.stringify(prediction)}`
      : `${JSON.stringify(prediction)} vs ${unanswerable ? 'no answer' : JSON.stringify(s.golds)} (F1 ${s.f1.toFixed(3)})`;
  return {
    ...card,
    metrics: { ...card.metrics, exact: s.exact, f1: s.f1, em_f1_mean: (s.exact + s.f1) / 2, [`${split}_exact`]: s.exact, [`${split}_f1`]: s.f1 },
    reasons: { ...card.reasons, [SCORER]: reason },
    details: { ...card.details, [SCORER]: { prediction, golds: s.golds, unanswerable } satisfies SquadDetail },
  };
}
