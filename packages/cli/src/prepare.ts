import {
  ERROR_CODES,
  YardstickError,
  applyOverrides,
  isYardstickError,
  loadConfigFile,
  loadPlugin,
  problemsFromZod,
  resolveRootConfig,
  type ConfigProblem,
  type Plugin,
  type ResolvedConfig,
} from '@yardstick/core';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Reporters every run gets unless the config lists them with `false`. */
export const DEFAULT_REPORTERS = ['reporter-console', 'reporter-json', 'reporter-jsonl', 'reporter-markdown', 'reporter-csv', 'reporter-html'] as const;

/** Where first-party plugins are installed: beside the CLI. */
export const CLI_DIR = dirname(dirname(fileURLToPath(import.meta.url)));

export interface PreparedPlugin {
  plugin: Plugin;
  options: unknown;
  spec: string;
}

export interface PreparedRun {
  config: ResolvedConfig;
  /** The raw config after --set overrides (what `run.json` stores for --resume). */
  raw: Record<string, unknown>;
  plugins: PreparedPlugin[];
}

export interface PrepareOptions {
  configPath?: string;
  cwd?: string;
  sets?: readonly string[];
  /** A raw config instead of a file (resume, score, matrix). */
  raw?: Record<string, unknown>;
  filepath?: string;
  baseDir?: string;
  /** Add the default reporters (not for `validate`). */
  defaultReporters?: boolean;
}

/**
 * Loads and validates the whole config — root and every plugin's slice — collecting every problem
 * before failing, so one `validate` shows everything that is wrong at once.
 */
export async function prepareRun(options: PrepareOptions): Promise<PreparedRun> {
  const loaded = options.raw
    ? { raw: options.raw, filepath: options.filepath, baseDir: options.baseDir ?? options.cwd ?? process.cwd() }
    : await loadConfigFile({ configPath: options.configPath, cwd: options.cwd });
  const raw = applyOverrides(loaded.raw, options.sets ?? []);
  const problems: ConfigProblem[] = [];
  let config: ResolvedConfig | undefined;
  try {
    config = resolveRootConfig(raw, { filepath: loaded.filepath, baseDir: loaded.baseDir });
  } catch (e) {
    if (isYardstickError(e) && Array.isArray(e.details.problems)) problems.push(...(e.details.problems as ConfigProblem[]));
    else throw e;
  }
  const entries = Object.entries((raw.plugins ?? {}) as Record<string, unknown>);
  if (options.defaultReporters !== false) {
    for (const name of DEFAULT_REPORTERS) if (!entries.some(([k]) => k === name || k === `@yardstick/${name}`)) entries.push([name, {}]);
  }
  const plugins: PreparedPlugin[] = [];
  for (const [spec, value] of entries) {
    if (value === false) continue;
    try {
      const { plugin } = await loadPlugin(spec, loaded.baseDir, [CLI_DIR]);
      const opts = value === true || value === undefined || value === null ? {} : value;
      plugins.push({ plugin, options: opts, spec });
      const parsed = plugin.configSchema?.safeParse(opts);
      if (parsed && !parsed.success) problems.push(...problemsFromZod(parsed.error, { file: loaded.filepath, plugin: plugin.name }));
    } catch (e) {
      if (!isYardstickError(e)) throw e;
      // A default reporter that is not installed is not the user's problem.
      if (e.code === ERROR_CODES.PLUGIN_NOT_FOUND && (DEFAULT_REPORTERS as readonly string[]).includes(spec) && !(spec in ((raw.plugins ?? {}) as object))) continue;
      problems.push({ file: loaded.filepath, path: ['plugins', spec], message: `${e.message}${e.hint ? ` ${e.hint}` : ''}` });
    }
  }
  if (problems.length || !config) {
    for (const problem of problems) {
      const set = setBehind(problem, options.sets ?? []);
      if (set) problem.message += ` (from --set ${set})`;
    }
    throw new YardstickError(ERROR_CODES.CONFIG_INVALID, `Invalid configuration${loaded.filepath ? ` in ${loaded.filepath}` : ''}`, { details: { problems } });
  }
  return { config, raw, plugins };
}

/**
 * The `--set` that wrote the key a problem is about (or a key inside it, or the object around it),
 * so the message does not send the user to a config file that never had the bad value.
 */
function setBehind(problem: ConfigProblem, sets: readonly string[]): string | undefined {
  const plain = (key: string) => key.replace(/^plugins\./, '').replace(/^@yardstick\//, '');
  const key = plain([...(problem.plugin ? [problem.plugin] : []), ...problem.path.map(String)].join('.'));
  return sets.find((set) => {
    const target = plain(set.slice(0, Math.max(0, set.indexOf('='))));
    return target !== '' && (target === key || key.startsWith(`${target}.`) || target.startsWith(`${key}.`));
  });
}
