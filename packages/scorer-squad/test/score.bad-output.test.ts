import type { ScoredSample } from '@yardstick/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NO_ANSWER_PHRASES } from '../src/postprocess.js';
import { scoreSquad } from '../src/score.js';

const options = { postprocess: 'span' as const, noAnswerPhrases: DEFAULT_NO_ANSWER_PHRASES };
const scored = (text: string, target: unknown): ScoredSample => ({
  benchmark: 'b',
  sample: { id: 'q', task: 'squad_v2', target },
  result: { text, timing: { sentAt: 0, chunksMs: [], doneMs: 1 } },
});
const card = () => ({ metrics: {}, reasons: {}, details: {} });

describe('scorer-squad on hostile outputs', () => {
  it('a 1 MB single-line reply is scored without throwing', () => {
    const c = scoreSquad(card(), scored(`France ${'the Normans '.repeat(90_000)}`, ['France']), options);
    expect(c.metrics.exact).toBe(0);
    expect(c.metrics.f1).toBeGreaterThan(0);
    expect(c.metrics.f1).toBeLessThan(0.001);
  });

  it('binary garbage and an empty reply', () => {
    expect(scoreSquad(card(), scored('\u0000\u0001\ud800\uffff', ['Rollo']), options).metrics).toEqual({ exact: 0, f1: 0, em_f1_mean: 0, HasAns_exact: 0, HasAns_f1: 0 });
    expect(scoreSquad(card(), scored('', ['Rollo']), options).metrics).toEqual({ exact: 0, f1: 0, em_f1_mean: 0, HasAns_exact: 0, HasAns_f1: 0 });
    expect(scoreSquad(card(), scored('', []), options).metrics).toEqual({ exact: 1, f1: 1, em_f1_mean: 1, NoAns_exact: 1, NoAns_f1: 1 });
  });

  it('a sample without a usable target gets a reason and no metrics', () => {
    const c = scoreSquad(card(), scored('France', { nope: 1 }), options);
    expect(c.metrics).toEqual({});
    expect(c.reasons['scorer-squad']).toMatch(/target must be a list/);
  });
});
