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

/** A record built the way PhaseRequests builds one (keys in the same order). */
function record(benchmark: string, sample: Sample, r: GenerateResult, index: number, card: ScoreCard, extra: Partial<SampleRecord> = {}): SampleRecord {
  const rec = { benchmark, sample, result: r } as SampleRecord;
  if (extra.turns) rec.turns = extra.turns;
  if (extra.attempts) rec.attempts = extra.attempts;
  rec.runId = extra.runId ?? 'run "1"';
  rec.index = extra.index ?? index;
  rec.score = card;
  rec.finishedAt = new Date(1795379353949 + index).toISOString();
  if (extra.attempt !== undefined) rec.attempt = extra.attempt;
  return rec;
}

/** The JSON PhaseRequests writes when RecordLines does not build the line: the record with its sample prompt-less. */
const stringified = (rec: SampleRecord) => JSON.stringify({ ...rec, sample: promptless(rec.sample) });

const rows: Sample[] = [
  { id: '0', task: 'serving', prompt: 'x'.repeat(64), generation: { maxTokens: 8 }, metadata: { input_tokens: 64, output_tokens: 8 } },
  { id: 'ünï "quoted" \n\u2028', task: 'serving', messages: [{ role: 'user', content: 'hi' }], metadata: { nested: { a: [1, null, true] } } },
  { id: '2', task: 'qa', prompt: '', target: ['ref', 2] },
];

describe('RecordLines', () => {
  it('writes exactly JSON.stringify of the prompt-less record, for a row and for its cycled copies', () => {
    const lines = new RecordLines('serving[rate=10]', 'run "1"', true);
    for (let i = 0; i < 12; i++) {
      const row = rows[i % rows.length]!;
      const cycle = Math.floor(i / rows.length);
      const sample = cycle === 0 ? row : { ...row, id: `${row.id}~${cycle}` };
      const rec = record('serving[rate=10]', sample, result(`tok ${i} "é" \u0000`, i), i, emptyCard());
      const line = lines.line(rec, row, true);
      expect(line).toBe(stringified(rec));
      expect(line).not.toContain('"prompt"');
      expect(line).not.toContain('"messages"');
    }
  });

  it("writes a resumed attempt's number last, as JSON.stringify does", () => {
    const lines = new RecordLines('serving', 'run "1"', true);
    const rec = record('serving', rows[0]!, result('tok', 0), 0, emptyCard(), { attempt: 3 });
    const line = lines.line(rec, rows[0]!, true);
    expect(line).toBe(stringified(rec));
    expect(line).toMatch(/,"attempt":3\}$/);
  });

  it('serializes a card that is not the fresh empty one', () => {
    const lines = new RecordLines('b', 'run "1"', true);
    const card: ScoreCard = { metrics: { exact_match: 1 }, reasons: { exact_match: 'ok' }, details: {} };
    const rec = record('b', rows[0]!, result('a', 0), 3, card);
    expect(lines.line(rec, rows[0]!, false)).toBe(stringified(rec));
  });

  it('leaves every other shape to JSON.stringify (undefined)', () => {
    const lines = new RecordLines('b', 'run "1"', true);
    const row = rows[0]!;
    const others = [
      record('b', rows[1]!, result('a', 0), 1, emptyCard(), { turns: [result('t0', 0), result('t1', 1)] }),
      record('b', row, result('a', 0), 2, emptyCard(), { attempts: [result('a0', 0), result('a1', 1)] }),
      record('b', row, result('a', 0), 2, emptyCard(), { runId: 'other' }),
      record('other', row, result('a', 0), 2, emptyCard()),
      record('b', row, result('a', 0), 2, emptyCard(), { index: Number.NaN }),
    ];
    for (const rec of others) expect(lines.line(rec, rec.sample, true)).toBeUndefined();
    // A row whose JSON does not start with its id.
    const idLater: Sample = { task: 't', id: 'z', prompt: 'p' };
    expect(lines.line(record('b', idLater, result('a', 0), 0, emptyCard()), idLater, true)).toBeUndefined();
    // A phase that does not build lines (scorers, or prompts recorded).
    expect(new RecordLines('b', 'run "1"', false).line(record('b', row, result('a', 0), 0, emptyCard()), row, true)).toBeUndefined();
  });
});
