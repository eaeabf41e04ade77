import { readFile } from 'node:fs/promises';
import type { Sample } from '@yardstick/core';
import { fakeEngine, runTestKernel, sharedPath } from '@yardstick/core/testing';
import { describe, expect, it } from 'vitest';
import scorerSquad from '../src/index.js';

interface Qa { id: string; question: string; answers: { text: string }[] }
const squad = JSON.parse(await readFile(sharedPath('datasets/squad_v2/small.json'), 'utf8')) as { data: { paragraphs: { qas: Qa[] }[] }[] };
const qas = squad.data.flatMap((a) => a.paragraphs.flatMap((p) => p.qas)).slice(0, 60);
const samples: Sample[] = qas.map((q) => ({ id: q.id, task: 'squad_v2', prompt: `Question: ${q.question}\n\nAnswer:`, target: q.answers.map((a) => a.text) }));

const span = [scorerSquad, { postprocess: 'span' }] as const;

describe('scorer-squad through the real kernel lifecycle', () => {
  it('by default scores the raw reply, as the official script does', async () => {
    const byId = new Map(qas.map((q) => [q.id, q]));
    // lm-eval-style continuations (generated until "\n"): the gold span, or nothing when unanswerable.
    const bare = fakeEngine({ reply: (req) => ` ${byId.get(req.sampleId)!.answers[0]?.text ?? ''}` });
    const exact = await runTestKernel({ engine: bare, samples: { squad: samples }, plugins: [scorerSquad] });
    expect(exact.summary.benchmarks.squad!.metrics).toMatchObject({ exact: 1, f1: 1 });
    // A labelled reply is not a span: the official script scores "Answer: <gold>" below 1, and so do we.
    const labelled = fakeEngine({ reply: (req) => `Answer: ${byId.get(req.sampleId)!.answers[0]?.text ?? 'unanswerable'}` });
    const raw = await runTestKernel({ engine: labelled, samples: { squad: samples }, plugins: [scorerSquad] });
    expect(raw.summary.benchmarks.squad!.metrics.exact).toBe(0);
  });

  it('with postprocess span, model-style gold replies score exact = f1 = em_f1_mean = 1 over real questions', async () => {
    const byId = new Map(qas.map((q) => [q.id, q]));
    const engine = fakeEngine({
      reply: (req) => {
        const gold = byId.get(req.sampleId)!.answers[0]?.text;
        return gold ? ` Answer: ${gold}\nThe passage says so.` : ' No answer.';
      },
    });
    const { summary, records } = await runTestKernel({ engine, samples: { squad: samples }, plugins: [span] });
    expect(summary.status).toBe('completed');
    const m = summary.benchmarks.squad!.metrics;
    expect(m).toMatchObject({ exact: 1, f1: 1, em_f1_mean: 1 });
    expect(records.every((r) => typeof r.score.reasons['scorer-squad'] === 'string')).toBe(true);
  });

  it('with postprocess span, answering every question "unanswerable" scores exactly the unanswerable share', async () => {
    const engine = fakeEngine({ reply: () => 'unanswerable' });
    const { summary } = await runTestKernel({ engine, samples: { squad: samples }, plugins: [span] });
    const share = qas.filter((q) => q.answers.length === 0).length / qas.length;
    expect(summary.benchmarks.squad!.metrics.exact).toBeCloseTo(share, 12);
    expect(summary.benchmarks.squad!.metrics.f1).toBeCloseTo(share, 12);
    // The official script's HasAns / NoAns split: each the mean over its own questions only.
    expect(summary.benchmarks.squad!.metrics).toMatchObject({ HasAns_exact: 0, HasAns_f1: 0, NoAns_exact: 1, NoAns_f1: 1 });
    expect(summary.benchmarks.squad!.aggregates.NoAns_exact!.n).toBe(qas.filter((q) => q.answers.length === 0).length);
  });
});
