import { ERROR_CODES, rootConfigSchema, YardstickError } from '@yardstick/core';

/** The objectives the config's `slo` accepts (ttft, tpot, e2el): the flag follows the schema. */
const SLO_KEYS = Object.keys(rootConfigSchema.shape.slo.unwrap().shape);

/**
 * `--slo ttft=200,tpot=20,e2el=2000` as config overrides (`slo.ttft=200`, …) for the run's `--set`
 * list. vLLM's `--goodput ttft:200 tpot:20` pairs are accepted too (`:` for `=`, spaces for commas),
 * so a command line copied from `vllm bench serve` works. Values are milliseconds, as in vLLM.
 */
export function sloOverrides(spec: string | undefined): string[] {
  if (spec === undefined) return [];
  const pairs = spec.split(/[\s,]+/).filter(Boolean);
  if (pairs.length === 0) throw usage(spec, 'no objective given');
  const seen = new Set<string>();
  return pairs.map((pair) => {
    const match = /^([a-z0-9]+)[=:](.+)$/i.exec(pair);
    if (!match) throw usage(spec, `"${pair}" is not of the form name=ms`);
    const name = match[1]!.toLowerCase();
    if (!SLO_KEYS.includes(name)) throw usage(spec, `"${match[1]}" is not an objective (use ${SLO_KEYS.join(', ')})`);
    if (seen.has(name)) throw usage(spec, `${name} is given twice`);
    seen.add(name);
    const ms = Number(match[2]);
    if (!Number.isFinite(ms) || ms < 0 || match[2]!.trim() === '') throw usage(spec, `${name} must be a non-negative number of milliseconds, got "${match[2]}"`);
    return `slo.${name}=${ms}`;
  });
}

function usage(spec: string, why: string): YardstickError {
  return new YardstickError(ERROR_CODES.CLI_USAGE, `--slo "${spec}": ${why}`, { hint: 'e.g. --slo ttft=200,tpot=20,e2el=2000 (milliseconds; goodput counts requests meeting every one)' });
}
