import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScoreCard, ScoredSample } from '@yardstick/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NO_ANSWER_PHRASES } from '../src/postprocess.js';
import { scoreSquad } from '../src/score.js';

interface Qa { id: string; answers: { text: string }[]; is_impossible?: boolean }
const shared = process.env.YARDSTICK_SHARED ?? resolve(fileURLToPath(new URL('../../../../shared/', import.meta.url)));
const squad = JSON.parse(await readFile(join(shared, 'datasets/squad_v2/small.json'), 'utf8')) as {
  data: { paragraphs: { qas: Qa[] }[] }[];
};
const qas = squad.data.flatMap((a) => a.paragraphs.flatMap((p) => p.qas));
const options = { postprocess: 'span' as const, noAnswerPhrases: DEFAULT_NO_ANSWER_PHRASES };
const card = (): ScoreCard => ({ metrics: {}, reasons: {}, details: {} });
const scored = (qa: Qa, text: string): ScoredSample => ({
  benchmark: 'squad',
  sample: { id: qa.id, task: 'squad_v2', target: qa.answers.map((a) => a.text) },
  result: { text, timing: { sentAt: 0, chunksMs: [], doneMs: 1 } },
});

describe('SQuAD v2 gold answers as predictions', () => {
  it('score EM = F1 = 1.0 on all 626 questions (unanswerable with the empty prediction)', () => {
    expect(qas).toHaveLength(626);
    expect(qas.filter((q) => q.answers.length === 0)).toHaveLength(333);
    let em = 0;
    let f1 = 0;
    const misses: string[] = [];
    for (const qa of qas) {
      const c = scoreSquad(card(), scored(qa, qa.answers[0]?.text ?? ''), options);
      em += c.metrics.exact!;
      f1 += c.metrics.f1!;
      if (c.metrics.exact !== 1) misses.push(`${qa.id}: ${c.reasons['scorer-squad']}`);
    }
    expect(misses).toEqual([]);
    expect(em / qas.length).toBe(1);
    expect(f1 / qas.length).toBe(1);
  });

  it('every gold of an answerable question scores 1 even as a model-style reply', () => {
    for (const qa of qas.filter((q) => q.answers.length > 0)) {
      for (const a of qa.answers) {
        const c = scoreSquad(card(), scored(qa, ` ${a.text}\n\nQuestion: next`), options);
        expect(c.metrics, `${qa.id} ${a.text}`).toMatchObject({ exact: 1, f1: 1, em_f1_mean: 1 });
      }
    }
  });

  it('"unanswerable" scores 1 on unanswerable and 0 on answerable questions', () => {
    const impossible = qas.find((q) => q.answers.length === 0)!;
    const possible = qas.find((q) => q.answers.length > 0)!;
    expect(scoreSquad(card(), scored(impossible, 'unanswerable'), options).metrics).toEqual({ exact: 1, f1: 1, em_f1_mean: 1, NoAns_exact: 1, NoAns_f1: 1 });
    expect(scoreSquad(card(), scored(possible, 'unanswerable'), options).metrics).toEqual({ exact: 0, f1: 0, em_f1_mean: 0, HasAns_exact: 0, HasAns_f1: 0 });
  });

  it('reports (EM+F1)/2 and the extracted span', () => {
    const qa = qas.find((q) => q.id === '56ddde6b9a695914005b9629')!; // golds "10th and 11th centuries", "in the 10th and 11th centuries"
    const c = scoreSquad(card(), scored(qa, 'Answer: the 10th century'), options);
    // best gold "10th and 11th centuries": pred [10th, century] shares 1 token → P 1/2, R 1/4 → F1 1/3
    expect(c.metrics.exact).toBe(0);
    expect(c.metrics.f1).toBeCloseTo(1 / 3, 12);
    expect(c.metrics.em_f1_mean).toBeCloseTo(1 / 6, 12);
    expect(c.details['scorer-squad']).toMatchObject({ prediction: 'the 10th century', unanswerable: false });
  });
});

describe('the sample stops', () => {
  it('cut the reply at the sample stop strings before scoring (lm-eval generates until "\\n")', () => {
    const scored = {
      benchmark: 'squad',
      sample: { id: 'q', task: 'squad_v2', prompt: 'p', target: ['France'], generation: { stop: ['\n'] } },
      result: { text: ' France\nThe Normans lived in France.', timing: { sentAt: 0, chunksMs: [], doneMs: 1 } },
    };
    const card = scoreSquad({ metrics: {}, reasons: {}, details: {} }, scored, { postprocess: 'raw', noAnswerPhrases: [] });
    expect(card.metrics).toMatchObject({ exact: 1, f1: 1 });
  });
});
