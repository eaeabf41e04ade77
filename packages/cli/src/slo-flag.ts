import { ERROR_CODES, rootConfigSchema, YardstickError } from '@yardstick/core';

/** The objectives the config's `slo` accepts (ttft, tpot, e2el): the flag follows the schema. */
const SLO_KEYS = Object.keys(rootConfigSchema.shape.slo.unwrap().shape);

/**
 * `--slo ttft=200,tpot=20,e2el=2000` as config overrides (`slo.ttft=200`, …) for the run's `--set`
 * list. vLLM's `--goodput ttft:200 tpot:20` pairs are accepted too (`:` for `=`, spaces for commas),
 * so a command line copied from `vllm bench serve` works (and `--goodput` itself, see sloFlags).
 * Values are milliseconds, as in vLLM.
 */
export function sloOverrides(spec: string | undefined, flag = '--slo'): string[] {
  if (spec === undefined) return [];
  const usage = (why: string) => new YardstickError(ERROR_CODES.CLI_USAGE, `${flag} "${spec}": ${why}`, { hint: 'e.g. --slo ttft=200,tpot=20,e2el=2000 or --goodput ttft:200 tpot:20 (milliseconds; goodput counts requests meeting every one)' });
  const pairs = spec.split(/[\s,]+/).filter(Boolean);
  if (pairs.length === 0) throw usage('no objective given');
  const seen = new Set<string>();
  return pairs.map((pair) => {
    const match = /^([a-z0-9]+)[=:](.+)$/i.exec(pair);
    if (!match) throw usage(`"${pair}" is not of the form name=ms`);
    const name = match[1]!.toLowerCase();
    if (!SLO_KEYS.includes(name)) throw usage(`"${match[1]}" is not an objective (use ${SLO_KEYS.join(', ')})`);
    if (seen.has(name)) throw usage(`${name} is given twice`);
    seen.add(name);
    const ms = Number(match[2]);
    if (!Number.isFinite(ms) || ms < 0 || match[2]!.trim() === '') throw usage(`${name} must be a non-negative number of milliseconds, got "${match[2]}"`);
    return `slo.${name}=${ms}`;
  });
}

/** `--slo` or vLLM's `--goodput` (one or the other), as `slo.*` overrides. */
export function sloFlags(flags: { slo?: string; goodput?: string[] }): string[] {
  if (flags.slo !== undefined && flags.goodput !== undefined) {
    throw new YardstickError(ERROR_CODES.CLI_USAGE, '--slo and --goodput set the same objectives: give one of them', { hint: 'e.g. --slo ttft=200,tpot=20 or --goodput ttft:200 tpot:20' });
  }
  return flags.goodput !== undefined ? sloOverrides(flags.goodput.join(' '), '--goodput') : sloOverrides(flags.slo);
}
