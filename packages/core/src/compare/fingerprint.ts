import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { EngineDescription } from '../types.js';
import { flatten } from '../matrix/paths.js';

/** What makes a run reproducible; written to `summary.json` as `fingerprint`. */
export interface RunFingerprint {
  version: 1;
  yardstick: string;
  node: string;
  model?: {
    id: string;
    /** sha256 of the model file (GGUF) or of a folder's config / index files. */
    sha256?: string;
    sizeBytes?: number;
    /** Hub revision, when the config names one. */
    revision?: string;
  };
  /** Local data files named in plugin options, by path as configured → content hash. */
  datasets: Record<string, { sha256: string; sizeBytes: number }>;
  /**
   * Data files benchmarks resolved and read themselves (default datasets, few-shot pools), keyed by
   * their last three path segments (`datasets/gsm8k/train.jsonl`), so runs from other folders or
   * machines name a file alike. Compared only where both runs read the file: whether one reads it
   * at all follows from a setting (`numFewshot: 0`), which the comparison already reports.
   */
  dataFiles?: Record<string, { sha256: string; sizeBytes: number }>;
  engine?: { name: string; version?: string; launch?: string };
  /** Plugin name → version. */
  plugins: Record<string, string>;
  seeds: { seed?: number; generationSeed?: number };
  /** The effective config flattened to `a.b.c` → value (without out, name, log, matrix). */
  settings: Record<string, unknown>;
  /** The matrix values this run was started with, when it is a matrix cell. */
  varied?: Record<string, unknown>;
}

export interface FileHash {
  sha256: string;
  sizeBytes: number;
}

const cache = new Map<string, FileHash>();

/** Streams a file through sha256 (multi-GB GGUFs never sit in memory); cached per path + size + mtime. */
export async function hashFile(file: string): Promise<FileHash> {
  const abs = path.resolve(file);
  const info = await stat(abs);
  const key = `${abs}\0${info.size}\0${info.mtimeMs}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const hash = createHash('sha256');
  await pipeline(createReadStream(abs), hash);
  const result = { sha256: hash.digest('hex'), sizeBytes: info.size };
  cache.set(key, result);
  return result;
}

/** A model folder's identity: the hash of its small descriptive files (config, tokenizer, index), not of the weights. */
async function hashModelDir(dir: string): Promise<FileHash> {
  const names = (await readdir(dir)).filter((f) => /\.(json|model|txt|jinja)$/.test(f)).sort();
  const hash = createHash('sha256');
  let size = 0;
  for (const name of names) {
    const h = await hashFile(path.join(dir, name));
    hash.update(`${name}\0${h.sha256}\n`);
    size += h.sizeBytes;
  }
  return { sha256: hash.digest('hex'), sizeBytes: size };
}

const MODEL_KEYS = new Set(['model', 'modelPath', 'model_path', 'modelFile']);
const IGNORED_TOP = new Set(['out', 'name', 'log', 'matrix']);


async function existing(file: string): Promise<'file' | 'dir' | undefined> {
  try {
    const s = await stat(file);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : undefined;
  } catch {
    return undefined;
  }
}

export interface FingerprintInput {
  /** The run's effective root config (after validation / matrix expansion). */
  config: Readonly<Record<string, unknown>>;
  /** Folder relative paths in the config are resolved against (the config file's folder). */
  baseDir: string;
  yardstickVersion: string;
  plugins: Record<string, string>;
  engine?: EngineDescription;
  /** Matrix values of this cell. */
  varied?: Record<string, unknown>;
  /** Hash local files named in plugin options (default true). */
  hashFiles?: boolean;
  /** Data files plugins resolved themselves (a benchmark's default dataset path), hashed too. */
  datasetFiles?: readonly string[];
}

/**
 * Builds a run's fingerprint. The model is the engine plugin's `model` (or `modelPath`) option: a local
 * file is hashed in full (sha256, streamed), a local folder by its config/tokenizer files, anything else
 * is an id (with `revision` when set). Every other plugin option that names an existing local file is a
 * dataset and is hashed.
 */
export async function fingerprintRun(input: FingerprintInput): Promise<RunFingerprint> {
  const settings: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input.config)) {
    if (IGNORED_TOP.has(k)) continue;
    Object.assign(settings, flatten(v, k));
  }
  // Seeds have their own block.
  delete settings.seed;
  delete settings['generation.seed'];
  const plugins = (input.config.plugins ?? {}) as Record<string, unknown>;
  let model: RunFingerprint['model'];
  const datasets: RunFingerprint['datasets'] = {};
  /** Absolute paths already hashed. */
  const hashed = new Set<string>();
  const hashFiles = input.hashFiles ?? true;
  for (const [pluginName, options] of Object.entries(plugins)) {
    if (typeof options !== 'object' || options === null) continue;
    const flat = flatten(options);
    for (const [key, value] of Object.entries(flat)) {
      if (typeof value !== 'string' || value.length === 0 || value.includes('\n')) continue;
      const last = key.split('.').pop()!;
      const isModel = /(^|\/)engine-/.test(pluginName) && MODEL_KEYS.has(last);
      const abs = path.resolve(input.baseDir, value);
      const kind = hashFiles && (isModel || /[./\\]/.test(value)) ? await existing(abs) : undefined;
      if (isModel) {
        const revision = (options as Record<string, unknown>).revision;
        model = { id: value, ...(typeof revision === 'string' ? { revision } : {}) };
        if (kind === 'file') Object.assign(model, await hashFile(abs));
        else if (kind === 'dir') Object.assign(model, await hashModelDir(abs));
      } else if (kind === 'file') {
        datasets[value] = await hashFile(abs);
        hashed.add(abs);
      }
    }
  }
  const dataFiles: Record<string, FileHash> = {};
  for (const file of input.datasetFiles ?? []) {
    // A file an option already named is listed under datasets, once.
    const abs = path.resolve(input.baseDir, file);
    if (!hashFiles || hashed.has(abs) || (await existing(abs)) !== 'file') continue;
    dataFiles[abs.split(path.sep).slice(-3).join('/')] = await hashFile(abs);
    hashed.add(abs);
  }
  if (!model && input.engine?.model) model = { id: input.engine.model };
  const generation = input.config.generation as Record<string, unknown> | undefined;
  return {
    version: 1,
    yardstick: input.yardstickVersion,
    node: process.version,
    ...(model ? { model } : {}),
    datasets,
    ...(Object.keys(dataFiles).length > 0 ? { dataFiles } : {}),
    ...(input.engine ? { engine: { name: input.engine.name, version: input.engine.version, launch: normalizeLaunch(input.engine.launch) } } : {}),
    plugins: { ...input.plugins },
    seeds: {
      seed: typeof input.config.seed === 'number' ? input.config.seed : undefined,
      generationSeed: typeof generation?.seed === 'number' ? generation.seed : undefined,
    },
    settings,
    ...(input.varied ? { varied: input.varied } : {}),
  };
}

/** A launch command without what changes on every run (a free port picked at start). */
export function normalizeLaunch(launch: string): string {
  return launch.replace(/(--port[= ])\d+/g, '$1*').replace(/(https?:\/\/[^/\s:]+):\d+/g, '$1:*');
}

export interface FingerprintDifference {
  /** Flattened key, e.g. `model.sha256`, `settings.plugins.engine-vllm.maxNumSeqs`, `engine.version`. */
  key: string;
  a: unknown;
  b: unknown;
}

/** Every flattened field that differs between two fingerprints (the `varied` block itself is skipped). */
export function diffFingerprints(a: RunFingerprint, b: RunFingerprint): FingerprintDifference[] {
  const strip = ({ varied: _v, node: _n, ...rest }: RunFingerprint) => rest;
  // Dataset keys hold dots; flatten them under a bracketed key so they stay one field.
  const flat = (f: RunFingerprint, other: RunFingerprint) => {
    const { datasets, dataFiles, ...rest } = strip(f);
    const out = flatten(rest);
    for (const [p, h] of Object.entries(datasets)) out[`datasets[${p}]`] = h.sha256;
    // Files both runs read: a different content is a difference; one read by one run only is not.
    for (const [p, h] of Object.entries(dataFiles ?? {})) if (other.dataFiles?.[p]) out[`dataFiles[${p}]`] = h.sha256;
    return out;
  };
  const fa = flat(a, b);
  const fb = flat(b, a);
  const keys = [...new Set([...Object.keys(fa), ...Object.keys(fb)])].sort();
  return keys.filter((k) => JSON.stringify(fa[k]) !== JSON.stringify(fb[k])).map((key) => ({ key, a: fa[key], b: fb[key] }));
}

/**
 * Differences not explained by what the runs deliberately vary. A varied option explains its own
 * `settings.<path>`; a varied engine explains the engine block, its plugin's settings and version;
 * a varied model explains the model block; any engine-side change explains `engine.launch`.
 */
export function unexplainedDifferences(diffs: readonly FingerprintDifference[], variedKeys: Iterable<string>): FingerprintDifference[] {
  const varied = [...variedKeys];
  let engineSide = false;
  for (const v of varied) {
    if (v === 'engine' || v === 'model' || v === 'preset' || /^plugins\.(@[^.]+\/)?engine-/.test(v)) engineSide = true;
  }
  return diffs.filter(({ key }) => {
    for (const v of varied) {
      if (key === `settings.${v}` || key.startsWith(`settings.${v}.`)) return false;
      if (v === 'engine') {
        if (key.startsWith('engine.')) return false;
        const m = /^(?:settings\.plugins|plugins)\.((?:@[^.]+\/)?engine-[^.]+)/.exec(key);
        if (m) return false;
      }
      if (v === 'model' && (key.startsWith('model.') || /^settings\.plugins\.[^.]*engine-[^.]+\.(model|modelPath|revision)$/.test(key))) return false;
      if (v === 'preset' && /^settings\.plugins\.[^.]*engine-[^.]+\.preset$/.test(key)) return false;
    }
    if (engineSide && key === 'engine.launch') return false;
    return true;
  });
}
