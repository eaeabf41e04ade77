import { describe, expect, it } from 'vitest';
import { RecordLines } from '../src/record-line.js';
import { emptyCard, promptless } from '../src/request-builders.js';
import type { GenerateResult, Sample, SampleRecord, ScoreCard } from '../src/types.js';

const result = (text: string, at: number): GenerateResult => ({
  text,
  timing: { sentAt: 1795379353949.772 + at, chunksMs: [1.411, 1.52, 2.003], doneMs: 2.1, headersMs: 1.376, firstTokenMs: 1.411, lagMs: 0.109, queueMs: 0 },
  finishReason: 'length',
  usage: { completionTokens: 3, source: 'server', promptTokens: 64 },
});

/** A record built the way PhaseRequests builds one: keys in the same order. */
function record(benchmark: string, sample: Sample, r: GenerateResult, index: number, card: ScoreCard, recordPrompts: boolean, extra: Partial<SampleRecord> = {}): SampleRecord {
  const rec = { benchmark, sample, result: r } as SampleRecord;
  if (extra.turns) rec.turns = extra.turns;
  if (extra.attempts) rec.attempts = extra.attempts;
  if (!recordPrompts) rec.sample = promptless(sample);
  rec.runId = extra.runId ?? 'run "1"';
  rec.index = extra.index ?? index;
  rec.score = card;
  rec.finishedAt = new Date(1795379353949 + index).toISOString();
  return rec;
}

const samples: Sample[] = [
  { id: '0', task: 'serving', prompt: 'x'.repeat(64), generation: { maxTokens: 8 }, metadata: { input_tokens: 64, output_tokens: 8 } },
  { id: 'ünï "quoted" \n\u2028', task: 'serving', messages: [{ role: 'user', content: 'hi' }], metadata: { nested: { a: [1, null, true] } } },
  { id: '2', task: 'qa', prompt: '', target: ['ref', 2] },
];

describe('RecordLines', () => {
  it('writes exactly JSON.stringify(record), cached sample JSON included, on every reuse of a sample', () => {
    const lines = new RecordLines('serving[rate=10]', 'run "1"', true, false);
    for (let i = 0; i < 9; i++) {
      const sample = samples[i % samples.length]!;
      const rec = record('serving[rate=10]', sample, result(`tok ${i} "é" \u0000`, i), i, emptyCard(), false);
      expect(lines.of(rec, sample, true)).toBe(JSON.stringify(rec));
      expect(JSON.parse(lines.of(rec, sample, true))).toEqual(JSON.parse(JSON.stringify(rec)));
    }
  });

  it('keeps the prompt when the phase records prompts', () => {
    const lines = new RecordLines('b', 'run "1"', true, true);
    const rec = record('b', samples[0]!, result('a', 0), 0, emptyCard(), true);
    expect(lines.of(rec, samples[0]!, true)).toBe(JSON.stringify(rec));
    expect(lines.of(rec, samples[0]!, true)).toContain('"prompt":"xxxx');
  });

  it('serializes a card that is not the fresh empty one', () => {
    const lines = new RecordLines('b', 'run "1"', true, false);
    const card: ScoreCard = { metrics: { exact_match: 1 }, reasons: { exact_match: 'ok' }, details: {} };
    const rec = record('b', samples[0]!, result('a', 0), 3, card, false);
    expect(lines.of(rec, samples[0]!, false)).toBe(JSON.stringify(rec));
  });

  it('falls back to JSON.stringify for other shapes and when samples must not be cached', () => {
    const multi = record('b', samples[1]!, result('a', 0), 1, emptyCard(), false, { turns: [result('t0', 0), result('t1', 1)] });
    const repeated = record('b', samples[0]!, result('a', 0), 2, emptyCard(), false, { attempts: [result('a0', 0), result('a1', 1)] });
    const otherRun = record('b', samples[0]!, result('a', 0), 2, emptyCard(), false, { runId: 'other' });
    const oddIndex = record('b', samples[0]!, result('a', 0), 2, emptyCard(), false, { index: Number.NaN });
    const lines = new RecordLines('b', 'run "1"', true, false);
    for (const [rec, sample] of [
      [multi, samples[1]!],
      [repeated, samples[0]!],
      [otherRun, samples[0]!],
      [oddIndex, samples[0]!],
    ] as const)
      expect(lines.of(rec, sample, true)).toBe(JSON.stringify(rec));
    // Not cached: a sample changed between two records shows in the second line.
    const uncached = new RecordLines('b', 'run "1"', false, false);
    const sample: Sample = { id: 's', task: 't', prompt: 'p', metadata: { v: 1 } };
    uncached.of(record('b', sample, result('a', 0), 0, emptyCard(), false), sample, true);
    sample.metadata = { v: 2 };
    const second = record('b', sample, result('a', 0), 1, emptyCard(), false);
    expect(uncached.of(second, sample, true)).toBe(JSON.stringify(second));
  });
});
