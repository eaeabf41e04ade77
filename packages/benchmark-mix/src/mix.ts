import { join } from 'node:path';
import {
  ERROR_CODES,
  interleave,
  readGsm8k,
  readHhSplit,
  readHumanEval,
  readSquadV2,
  resolveDataPath,
  seededPick,
  seededRank,
  YardstickError,
  type Sample,
} from '@yardstick/core';
import { gsm8kSample, hhSample, humanevalSample, squadSample, type BuildContext } from './build.js';
import type { MixOptions, MixSource } from './options.js';

export interface MixResult {
  samples: Sample[];
  /** Rows left out by a source reader (HH-RLHF rows with an empty chosen reply), as `file:line`. */
  skipped: string[];
  /** The data files read. */
  files: string[];
}

function enough(source: MixSource, want: number, have: number): void {
  if (want > have) {
    throw new YardstickError(ERROR_CODES.PLUGIN_OPTIONS_INVALID, `benchmark-mix › counts.${source}: ${want} requested but the dataset has ${have}`, {
      hint: `Lower counts.${source} to at most ${have}.`,
      details: { key: `counts.${source}`, requested: want, available: have },
    });
  }
}

/**
 * Reads each source with a non-zero count, picks that many items by seeded rank, builds their samples,
 * then orders the whole mix by another seeded rank so any prefix (`limit`) is itself a mix.
 */
export async function buildMix(options: MixOptions, seed: number, baseDir: string): Promise<MixResult> {
  const { counts, paths } = options;
  const ctx: BuildContext = { seed, options };
  const samples: Sample[] = [];
  const skipped: string[] = [];
  const files: string[] = [];
  /** A data file's path, noted as read (hashed into the run's fingerprint). */
  const path = (option: string | undefined, rel: string) => {
    const file = resolveDataPath(option, baseDir, rel);
    files.push(file);
    return file;
  };

  if (counts.squad_v2 > 0) {
    const all = await readSquadV2(path(paths.squad_v2, 'datasets/squad_v2/small.json'));
    enough('squad_v2', counts.squad_v2, all.length);
    ctx.squadPool = all;
    for (const q of seededPick(all, (q) => `mix:squad_v2:${q.id}`, seed, counts.squad_v2)) samples.push(squadSample(q, ctx));
  }
  if (counts.gsm8k > 0) {
    const all = await readGsm8k(path(paths.gsm8k, 'datasets/gsm8k/test.jsonl'));
    enough('gsm8k', counts.gsm8k, all.length);
    if (options.fewshot.gsm8k > 0) ctx.gsm8kTrain = await readGsm8k(path(paths.gsm8kTrain, 'datasets/gsm8k/train.jsonl'));
    for (const r of seededPick(all, (r) => `mix:gsm8k:${r.index}`, seed, counts.gsm8k)) samples.push(gsm8kSample(r, ctx));
  }
  if (counts['hh-rlhf'] > 0) {
    const dir = resolveDataPath(paths.hhRlhf, baseDir, 'datasets/hh-rlhf');
    const splitFiles = options.hhSplits.map((s) => join(dir, s, 'test.jsonl.gz'));
    files.push(...splitFiles);
    const splits = await Promise.all(options.hhSplits.map((s, i) => readHhSplit(splitFiles[i]!, s)));
    skipped.push(...splits.flatMap((s) => s.skipped));
    const all = interleave(splits.map((s) => s.rows));
    enough('hh-rlhf', counts['hh-rlhf'], all.length);
    for (const r of seededPick(all, (r) => `mix:hh-rlhf:${r.split}:${r.index}`, seed, counts['hh-rlhf'])) samples.push(hhSample(r, ctx));
  }
  if (counts.humaneval > 0) {
    const all = await readHumanEval(path(paths.humaneval, 'datasets/humaneval/HumanEval.jsonl.gz'));
    enough('humaneval', counts.humaneval, all.length);
    for (const r of seededPick(all, (r) => `mix:humaneval:${r.task_id}`, seed, counts.humaneval)) samples.push(humanevalSample(r, ctx));
  }

  const order = new Map(samples.map((s) => [s.id, seededRank(seed, `mix-order:${s.id}`)]));
  samples.sort((a, b) => (order.get(a.id)! < order.get(b.id)! ? -1 : 1));
  return { samples, skipped, files };
}
