import { unsafeUniformIntDistribution, xoroshiro128plus, type RandomGenerator } from 'pure-rand';

export type Arrival = 'constant' | 'poisson' | 'gamma';

export interface ArrivalProfile {
  /** Requests per second. */
  rate: number;
  arrival: Arrival;
  /** Gamma shape (vLLM's `--burstiness`): < 1 burstier, > 1 smoother, 1 = Poisson. */
  burstiness: number;
}

/** A seeded uniform in (0, 1): 53 random bits from the generator, never exactly 0. */
export function uniform(rng: RandomGenerator): number {
  const hi = unsafeUniformIntDistribution(0, (1 << 26) - 1, rng);
  const lo = unsafeUniformIntDistribution(0, (1 << 27) - 1, rng);
  return (hi * 2 ** 27 + lo + 0.5) / 2 ** 53;
}

export function createRng(seed: number): RandomGenerator {
  return xoroshiro128plus(seed >>> 0);
}

/** Standard normal by Box–Muller. */
function normal(rng: RandomGenerator): number {
  return Math.sqrt(-2 * Math.log(uniform(rng))) * Math.cos(2 * Math.PI * uniform(rng));
}

/** Gamma(shape, scale) by Marsaglia & Tsang (2000); shape < 1 via the boost u^(1/shape). */
export function gamma(rng: RandomGenerator, shape: number, scale: number): number {
  if (shape < 1) return gamma(rng, shape + 1, scale) * uniform(rng) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = uniform(rng);
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

/**
 * The arrival law a load profile asks for, resolved as vLLM `bench serve` reads its flags: a
 * `burstiness` other than 1 alone means gamma arrivals (vLLM has no separate switch), `arrival`
 * defaults to Poisson, and burstiness is reported as what was used (1 for Poisson, Infinity for
 * constant spacing, vLLM's `--burstiness inf`). A burstiness set beside an `arrival` it cannot apply
 * to ('poisson', 'constant') is a contradiction: a string naming it, for the caller's error.
 */
export function resolveArrival(load: { arrival?: Arrival; burstiness?: number }): { arrival: Arrival; burstiness: number } | string {
  const { arrival, burstiness } = load;
  const shaped = burstiness !== undefined && burstiness !== 1;
  if (arrival === undefined) return shaped ? { arrival: 'gamma', burstiness } : { arrival: 'poisson', burstiness: 1 };
  if (arrival === 'gamma') return { arrival, burstiness: burstiness ?? 1 };
  if (shaped) return `burstiness ${burstiness} applies to gamma arrivals, but arrival is '${arrival}' (leave arrival out or set it to 'gamma')`;
  return { arrival, burstiness: arrival === 'constant' ? Infinity : 1 };
}

/** One inter-arrival gap in ms, mean `meanMs`. */
function gapMs(profile: ArrivalProfile, rng: RandomGenerator, meanMs: number): number {
  if (profile.arrival === 'constant') return meanMs;
  const shape = profile.arrival === 'poisson' ? 1 : profile.burstiness;
  return gamma(rng, shape, meanMs / shape);
}

/**
 * Absolute send times (ms after the start of the measured stretch), precomputed from a seed so a
 * run's schedule is reproducible and independent of how fast the server answers. As vLLM `bench
 * serve` draws them (`get_request`): gamma inter-arrivals with shape = burstiness and mean 1/rate
 * (Poisson is the shape-1 case, constant spacing exact), the first send one gap after the start
 * (vLLM's clock starts before it), and, when the number of requests is known (`count`), every gap
 * scaled so the count-th send lands exactly at count / rate: vLLM's normalization, which keeps the
 * request throughput from swinging with the seed (an unscaled Poisson schedule of 100 requests at
 * 10 req/s ends anywhere from ~8 to ~13 s). Sends past `count` keep the same scale. The scale is
 * found by drawing the first `count` gaps once with the same seed, so nothing is held in memory,
 * and it is found here, before the first send is asked for (~0.1 µs a gap: 10 ms for 100,000
 * requests): a dispatcher that makes its schedule before it starts sending never pays it mid-run.
 */
export function arrivalTimesMs(profile: ArrivalProfile, seed: number, count?: number): Generator<number> {
  const meanMs = 1000 / profile.rate;
  let scale = 1;
  if (count !== undefined && count > 0 && profile.arrival !== 'constant') {
    const probe = createRng(seed);
    let sum = 0;
    for (let i = 0; i < count; i++) sum += gapMs(profile, probe, meanMs);
    if (sum > 0) scale = (count * meanMs) / sum;
  }
  return scaledTimes(profile, seed, meanMs, scale);
}

function* scaledTimes(profile: ArrivalProfile, seed: number, meanMs: number, scale: number): Generator<number> {
  const rng = createRng(seed);
  let t = 0;
  for (;;) {
    t += gapMs(profile, rng, meanMs) * scale;
    yield t;
  }
}
