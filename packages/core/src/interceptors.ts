import { ERROR_CODES, YardstickError, isYardstickError } from './errors.js';
import type { RunContext } from './context.js';
import type { HookName, KernelHooks } from './hooks.js';
import type { Logger } from './logger.js';

export interface InterceptorOptions {
  logger: Logger;
  /** Per-hook timeouts in ms (per call of the tap: per request for generate, per sample for score). */
  timeouts: Partial<Record<HookName, number>>;
}

/** Which plugin owns a tap: taps are named `<plugin>` or `<plugin>:<purpose>`. */
const pluginOf = (tapName: string) => tapName.split(':')[0] ?? tapName;

function wrapError(error: unknown, hook: HookName, tapName: string): YardstickError {
  if (isYardstickError(error) && error.details.hook) return error; // already attributed
  const plugin = pluginOf(tapName);
  if (isYardstickError(error)) {
    // Keep the plugin's own code (user errors stay user errors) and add where it happened.
    const wrapped = new YardstickError(error.code, `[${plugin} › ${hook}] ${error.message}`, { hint: error.hint, cause: error, details: { ...error.details, plugin, hook } });
    return wrapped;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new YardstickError(ERROR_CODES.HOOK_FAILED, `[${plugin} › ${hook}] ${message}`, { cause: error, details: { plugin, hook } });
}

/**
 * Races the tap against the hook's timeout. When the time is up the call is rejected with
 * YS_HOOK_TIMEOUT and then `cancel` runs, so the tap's work stops too: a generate request left
 * running after its timeout kept its HTTP request open (more in flight than the concurrency) and
 * was still going at teardown.
 */
/** How long a timed-out generate call may take to hand back what its request got so far. */
const GENERATE_SETTLE_MS = 1000;

/**
 * `promise`, or the hook's timeout error after `ms`, with the call cancelled (its signal aborted
 * with that error). A generate call gets a moment more: an engine that sees its request aborted by
 * this timeout may settle with a result carrying the same error code and what the request got so
 * far (its real send time, the chunks and text before the stall), which is kept instead of a bare
 * error stamped at the moment of the timeout. Any other late answer is ignored.
 */
function withTimeout<T>(promise: Promise<T>, ms: number, hook: HookName, tapName: string, cancel: (reason: Error) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      const error = new YardstickError(ERROR_CODES.HOOK_TIMEOUT, `[${pluginOf(tapName)} › ${hook}] did not finish within ${ms} ms`, { details: { plugin: pluginOf(tapName), hook, timeoutMs: ms }, hint: `Raise timeouts.${hook} in the config if this is expected.` });
      cancel(error);
      if (hook !== 'generate') return reject(error);
      const grace = setTimeout(() => reject(error), GENERATE_SETTLE_MS);
      grace.unref?.();
      promise.then(
        (value) => {
          clearTimeout(grace);
          if (timeoutResult(value)) resolve(value);
          else reject(error);
        },
        () => {
          clearTimeout(grace);
          reject(error);
        },
      );
    }, ms);
    timer.unref?.();
    promise.then(
      (value) => {
        if (timedOut) return;
        clearTimeout(timer);
        resolve(value);
      },
      (e: unknown) => {
        if (timedOut) return;
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** A generate result an engine settled with because the hook's timeout aborted it. */
function timeoutResult(value: unknown): boolean {
  const error = (value as { error?: { code?: unknown } } | undefined)?.error;
  return typeof value === 'object' && value !== null && error?.code === ERROR_CODES.HOOK_TIMEOUT;
}

/**
 * Where the run context is among each per-item hook's arguments. Only these get a per-call signal:
 * their taps start long-running work per call (the engine's request, a sandboxed program). The
 * once-per-run hooks keep the run object itself — plugins key state on it from setup to teardown
 * (reporter-console's progress view), and teardown's last argument is the error, not the run.
 */
const RUN_ARGUMENT: Partial<Record<HookName, number>> = { generate: 1, score: 2 };

/** The per-call controllers of one run, all aborted by one listener on the run's signal. */
const callsByRun = new WeakMap<AbortSignal, Set<AbortController>>();

/**
 * The call's arguments with the run context replaced by one whose `signal` is the call's own,
 * aborted by the hook's timeout or by the run's signal. A plain controller per call, registered
 * with the run and dropped when the call settles — not `AbortSignal.any`, whose composite signals
 * stay reachable while they have listeners (the engine's abort watch), which kept ~1.4 KB per request.
 */
function withCallSignal(args: unknown[], at: number, controller: AbortController): { args: unknown[]; release: () => void } {
  const run = args[at] as RunContext;
  let calls = callsByRun.get(run.signal);
  if (!calls) {
    const own = new Set<AbortController>();
    calls = own;
    callsByRun.set(run.signal, own);
    run.signal.addEventListener('abort', () => {
      for (const c of own) c.abort(run.signal.reason);
      own.clear();
    }, { once: true });
  }
  if (run.signal.aborted) controller.abort(run.signal.reason);
  else calls.add(controller);
  const scoped = Object.create(run, { signal: { value: controller.signal, enumerable: true } }) as RunContext;
  const copy = [...args];
  copy[at] = scoped;
  const set = calls;
  return { args: copy, release: () => void set.delete(controller) };
}

/**
 * One interceptor around every tap of every hook: errors are rewrapped with the plugin and hook
 * name, optional per-hook timeouts apply, and each call is timed at debug level (not on the
 * per-request `generate` hot path, where a log line per request would cost more than the request).
 */
export function installInterceptors(hooks: KernelHooks, options: InterceptorOptions): void {
  const debug = options.logger.isLevelEnabled('debug');
  for (const name of Object.keys(hooks) as HookName[]) {
    const hook = hooks[name];
    const timeoutMs = options.timeouts[name];
    const timed = debug && name !== 'generate' && name !== 'score';
    hook.intercept({
      register: (tap) => {
        const t = tap as typeof tap & { fn: (...args: unknown[]) => unknown };
        const fn = t.fn;
        const tapName = t.name;
        if (t.type === 'promise') {
          t.fn = (...args: unknown[]) => {
            const start = timed ? performance.now() : 0;
            const at = timeoutMs === undefined ? undefined : RUN_ARGUMENT[name];
            const controller = at === undefined ? undefined : new AbortController();
            const call = controller ? withCallSignal(args, at!, controller) : undefined;
            let raw: Promise<unknown>;
            try {
              raw = fn(...(call ? call.args : args)) as Promise<unknown>;
            } catch (error) {
              // A promise tap that throws before returning its promise: a rejection like any other
              // (tapable would otherwise leave the hook unsettled behind an unhandled rejection).
              raw = Promise.reject(error);
            }
            let p = raw.catch((e: unknown) => {
              throw wrapError(e, name, tapName);
            });
            if (timeoutMs !== undefined) p = withTimeout(p, timeoutMs, name, tapName, (reason) => controller?.abort(reason));
            if (call) p = p.finally(call.release);
            if (timed) p = p.finally(() => options.logger.debug({ hook: name, tap: tapName, ms: +(performance.now() - start).toFixed(2) }, 'hook tap finished'));
            return p;
          };
        } else if (t.type === 'sync') {
          t.fn = (...args: unknown[]) => {
            try {
              return fn(...args);
            } catch (e) {
              throw wrapError(e, name, tapName);
            }
          };
        }
        return t;
      },
    });
  }
}
