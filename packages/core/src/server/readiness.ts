import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';

/** One HTTP check that must answer `status` (default 200) before the server counts as ready. */
export interface ReadinessProbe {
  path: string;
  status?: number;
}

export type ProbeSpec = string | ReadinessProbe;

export interface WaitForReadyOptions {
  baseUrl: string;
  /** Checked in order, each until it passes (e.g. `/health` then `/v1/models`). */
  probes: readonly ProbeSpec[];
  timeoutMs: number;
  intervalMs?: number;
  apiKey?: string;
  signal?: AbortSignal;
  /** Called between polls; return a reason to give up at once (the process exited). */
  failFast?: () => string | undefined;
}

export type ReadinessOutcome = { ready: true } | { ready: false; reason: string };

function toProbe(spec: ProbeSpec): ReadinessProbe {
  return typeof spec === 'string' ? { path: spec } : spec;
}

/** One GET; returns the status, or a short description of why there was none. */
export async function probeOnce(url: string, apiKey: string | undefined, signal: AbortSignal | undefined, timeoutMs = 5_000): Promise<number | string> {
  try {
    const res = await request(url, {
      method: 'GET',
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    await res.body.dump();
    return res.statusCode;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
  }
}

/** How long a liveness check mid-run waits for the server's answer. */
export const HEALTH_TIMEOUT_MS = 5_000;

/**
 * A running server's liveness, checked once with its first readiness probe: undefined when it
 * answers with the expected status within HEALTH_TIMEOUT_MS, else why not (what Engine.health
 * returns for an HTTP server).
 */
export async function checkHealth(baseUrl: string, probes: readonly ProbeSpec[], apiKey: string | undefined, signal?: AbortSignal): Promise<string | undefined> {
  const probe = toProbe(probes[0] ?? '/health');
  const got = await probeOnce(`${baseUrl.replace(/\/+$/, '')}${probe.path}`, apiKey, signal, HEALTH_TIMEOUT_MS);
  if (got === (probe.status ?? 200)) return undefined;
  return typeof got === 'number' ? `GET ${probe.path} answered HTTP ${got}` : `GET ${probe.path} got no answer (${got}; waited up to ${HEALTH_TIMEOUT_MS} ms)`;
}

/**
 * Polls the probes until all pass, the deadline passes, `failFast` reports a reason or the signal
 * aborts (which rejects). Never throws for a server that is merely not up yet.
 */
export async function waitForReady(options: WaitForReadyOptions): Promise<ReadinessOutcome> {
  const probes = options.probes.map(toProbe);
  const deadline = performance.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 200;
  const base = options.baseUrl.replace(/\/+$/, '');
  let index = 0;
  let last = 'no answer yet';
  while (index < probes.length) {
    options.signal?.throwIfAborted();
    const early = options.failFast?.();
    if (early) return { ready: false, reason: early };
    const probe = probes[index]!;
    const got = await probeOnce(base + probe.path, options.apiKey, options.signal);
    const want = probe.status ?? 200;
    if (got === want) {
      index++;
      continue;
    }
    last = `GET ${probe.path} answered ${typeof got === 'number' ? `HTTP ${got}` : got}`;
    if (performance.now() >= deadline) {
      return { ready: false, reason: `not ready after ${options.timeoutMs} ms (last check: ${last})` };
    }
    await sleep(interval, undefined, { signal: options.signal }).catch(() => undefined);
  }
  return { ready: true };
}
