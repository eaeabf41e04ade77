import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';
import { ERROR_CODES, YardstickError } from '../errors.js';
import type { Logger } from '../logger.js';
import { describeCommand, SECRET_FLAGS } from './describe-command.js';
import { killGroup } from './kill-group.js';
import { withParentDeathSignal } from './parent-death.js';
import { statFields } from '../system/proc.js';
import { assertPortFree } from './ports.js';
import { waitForReady, type ProbeSpec } from './readiness.js';

export interface ManagedServerOptions {
  /** Shown in messages, e.g. `llama-server`. */
  name: string;
  /** argv; the first element is the executable (a path or a name looked up on PATH). */
  command: readonly string[];
  /** Added to the inherited environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Where the server listens (checked free before launch). */
  host: string;
  port: number;
  /** Defaults to `http://<host>:<port>` (a wildcard host is reached through 127.0.0.1). */
  baseUrl?: string;
  /** Readiness checks, in order (default `/health`). */
  probes?: readonly ProbeSpec[];
  readinessTimeoutMs?: number;
  pollIntervalMs?: number;
  /** SIGTERM → wait this long → SIGKILL (default 10 s). */
  stopGraceMs?: number;
  /**
   * Within the grace period, send SIGTERM again this long after the last one while the server is
   * still up (default: never). For servers that treat a second signal as "exit now": llama-server
   * forgets a SIGTERM that lands between "listening" and the start of its task loop (the loop sets
   * the flag the signal cleared) and exits at once on a second one, so a stop right after start-up
   * takes this long instead of the whole grace period.
   */
  repeatTermMs?: number;
  /**
   * What the kernel sends the server if Yardstick dies without stopping it (`kill -9`), via
   * `setpriv --pdeathsig` (default SIGTERM; false: none). SIGTERM lets a server such as vLLM stop its
   * own workers; SIGKILL suits a server with nothing to clean up that can miss an early SIGTERM.
   */
  parentDeathSignal?: NodeJS.Signals | false;
  /** Sent with readiness probes; never logged. */
  apiKey?: string;
  logger?: Logger;
  /** Output lines kept for error messages (default 50). */
  tailLines?: number;
  /** Output lines kept from launch until ready, for start-up reports such as memory (default 2,000). */
  startupLines?: number;
  /** Flags whose values are hidden in `commandLine`. */
  secretFlags?: readonly string[];
}

export interface ServerExit {
  exitCode?: number;
  signal?: string;
  /** Spawn failure (ENOENT…) when the command never ran. */
  error?: string;
}

/**
 * Every process group we started and have not reaped. Our servers run detached (their own group), so
 * a terminal's Ctrl-C does not reach them: if Node exits without a teardown — process.exit, an
 * uncaught exception, or a signal nobody else handles — they are killed here rather than orphaned.
 */
const live = new Set<number>();
let exitHookInstalled = false;
const FATAL_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
function onFatalSignal(signal: NodeJS.Signals): void {
  // Someone else handles it (the CLI's graceful shutdown, which stops servers in teardown).
  if (process.listenerCount(signal) > 1) return;
  for (const p of live) killGroup(p, 'SIGKILL');
  for (const s of FATAL_SIGNALS) process.removeListener(s, onFatalSignal);
  // Die of the same signal, as Node would have without our listener.
  process.kill(process.pid, signal);
}
function trackGroup(pid: number): void {
  live.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const p of live) killGroup(p, 'SIGKILL');
  });
  for (const s of FATAL_SIGNALS) process.on(s, onFatalSignal);
}

/**
 * True while some member of the process group can still run (hold a port, write a file). kill(-pgid, 0)
 * alone also counts zombies: a wrapper's killed child is reparented to PID 1, and an init that reaps
 * slowly (a container's) would keep stop() waiting on a process that is already dead. On Linux /proc
 * tells zombies apart; elsewhere any member counts.
 */
function groupAlive(pid: number): boolean {
  if (!killGroup(pid, 0)) return false;
  if (process.platform !== 'linux') return true;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    const fields = statFields(stat); // [0] state, [2] pgrp
    if (Number(fields[2]) === pid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

function wildcardToLoopback(host: string): string {
  if (host === '0.0.0.0' || host === '' || host === '::' || host === '[::]') return '127.0.0.1';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

type State = 'idle' | 'starting' | 'ready' | 'stopping' | 'stopped';

/**
 * Launch mode: runs a server command in its own process group (so a wrapper script dies with its
 * children), streams its output into the debug log, keeps the last lines for error messages, waits
 * for readiness by polling HTTP probes, notices an early exit, and stops it with SIGTERM then
 * SIGKILL after a grace period. `stop()` is idempotent and safe before `start()`.
 */
export class ManagedServer {
  readonly name: string;
  readonly argv: readonly string[];
  /** Shell-quoted command, secrets masked: for summary.json and messages. */
  readonly commandLine: string;
  readonly baseUrl: string;
  private readonly options: ManagedServerOptions;
  private readonly tail: string[] = [];
  private readonly tailLimit: number;
  private readonly startup: string[] = [];
  private readonly startupLimit: number;
  private startupTruncated = false;
  private subprocess: ResultPromise | undefined;
  private exitInfo: ServerExit | undefined;
  private exitPromise: Promise<ServerExit> | undefined;
  private state: State = 'idle';
  private stopping: Promise<void> | undefined;

  constructor(options: ManagedServerOptions) {
    if (options.command.length === 0) throw new YardstickError(ERROR_CODES.INTERNAL, `${options.name}: empty command`);
    this.options = options;
    this.name = options.name;
    this.argv = [...options.command];
    this.commandLine = describeCommand(this.argv, options.secretFlags ?? SECRET_FLAGS);
    this.baseUrl = (options.baseUrl ?? `http://${wildcardToLoopback(options.host)}:${options.port}`).replace(/\/+$/, '');
    this.tailLimit = options.tailLines ?? 50;
    this.startupLimit = options.startupLines ?? 2_000;
  }

  get pid(): number | undefined {
    return this.subprocess?.pid;
  }

  /** True while the process runs. */
  get running(): boolean {
    return this.subprocess !== undefined && this.exitInfo === undefined;
  }

  /** How the process ended, once it has. */
  get exit(): ServerExit | undefined {
    return this.exitInfo;
  }

  /** The last output lines (stdout and stderr interleaved as they arrived). */
  outputTail(): string[] {
    return [...this.tail];
  }

  /**
   * Everything the server printed from launch until it was ready (stdout and stderr interleaved), capped
   * at `startupLines` (the first ones kept: load reports come early). For parsing start-up reports.
   */
  startupLog(): string[] {
    return [...this.startup];
  }

  /** True when the start-up output had more lines than `startupLines`. */
  get startupLogTruncated(): boolean {
    return this.startupTruncated;
  }

  /** Launches and waits for readiness; throws YS_ENGINE_START_FAILED (process stopped) on failure. */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.state !== 'idle') throw new YardstickError(ERROR_CODES.INTERNAL, `${this.name} was already started (state ${this.state})`);
    this.state = 'starting';
    const o = this.options;
    const log = o.logger;
    try {
      await assertPortFree(o.port, o.host, `${this.name} cannot start`);
    } catch (error) {
      this.state = 'stopped';
      throw this.startError(error instanceof Error ? error.message : String(error), { hint: (error as YardstickError).hint });
    }
    log?.info({ command: this.commandLine }, `starting ${this.name}`);
    const signalOnOurDeath = o.parentDeathSignal ?? 'SIGTERM';
    const pathVariable = o.env && 'PATH' in o.env ? o.env.PATH : process.env.PATH;
    const [file, ...args] = signalOnOurDeath === false ? this.argv : withParentDeathSignal(this.argv, signalOnOurDeath, pathVariable);
    const sub = execa(file!, args, {
      env: o.env,
      extendEnv: true,
      cwd: o.cwd,
      stdin: 'ignore',
      buffer: false,
      reject: false,
      detached: true, // own process group: we kill the group, not just the wrapper
      cleanup: false, // our own exit hook kills the group (execa's is off for detached children anyway)
      forceKillAfterDelay: false,
      windowsHide: true,
    });
    this.subprocess = sub;
    if (sub.pid !== undefined) trackGroup(sub.pid);
    this.pipeLines(sub.stdout, 'stdout');
    this.pipeLines(sub.stderr, 'stderr');
    this.exitPromise = sub.then((result) => {
      const info: ServerExit = {};
      if (typeof result.exitCode === 'number') info.exitCode = result.exitCode;
      if (result.signal) info.signal = result.signal;
      const code = (result as { code?: unknown }).code;
      if (result.failed && result.exitCode === undefined && !result.signal) info.error = typeof code === 'string' ? `${code}: ${result.originalMessage ?? result.shortMessage}` : result.shortMessage;
      this.exitInfo = info;
      if (sub.pid !== undefined && !killGroup(sub.pid, 0)) live.delete(sub.pid);
      if (this.state === 'ready') log?.warn({ exit: info, tail: this.tail.slice(-10) }, `${this.name} exited unexpectedly (${describeExit(info)})`);
      else log?.debug({ exit: info }, `${this.name} exited`);
      return info;
    });

    const outcome = await waitForReady({
      baseUrl: this.baseUrl,
      probes: o.probes ?? ['/health'],
      timeoutMs: o.readinessTimeoutMs ?? 120_000,
      intervalMs: o.pollIntervalMs,
      apiKey: o.apiKey,
      signal,
      failFast: () => (this.exitInfo ? `the process exited before it was ready (${describeExit(this.exitInfo)})` : undefined),
    }).catch(async (error: unknown) => {
      await this.stop();
      this.state = 'stopped';
      if (signal?.aborted) throw new YardstickError(ERROR_CODES.ABORTED, `${this.name} start aborted`, { cause: signal.reason });
      throw error;
    });
    if (!outcome.ready) {
      // Let the last lines of a crashing process arrive before quoting them.
      if (this.exitInfo === undefined) await this.stop();
      else await sleep(50);
      this.state = 'stopped';
      throw this.startError(`${this.name} failed to start: ${outcome.reason}`, {
        hint: this.exitInfo?.error?.startsWith('ENOENT') ? `is "${this.argv[0]}" installed and on PATH?` : 'see the output above; run the command by hand to reproduce',
      });
    }
    this.state = 'ready';
    log?.info({ baseUrl: this.baseUrl, pid: this.pid }, `${this.name} is ready`);
  }

  /** SIGTERM to the process group, SIGKILL after the grace period. Idempotent. */
  stop(): Promise<void> {
    if (!this.subprocess) {
      this.state = 'stopped';
      return Promise.resolve();
    }
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    const prev = this.state;
    this.state = 'stopping';
    const sub = this.subprocess!;
    const pid = sub.pid;
    const grace = this.options.stopGraceMs ?? 10_000;
    if (pid !== undefined) {
      // Already gone (crashed, or killed from outside): nothing to signal or wait for.
      if (this.leaderExited() && !groupAlive(pid)) {
        live.delete(pid);
        await this.exitPromise; // settles at once: every member is dead, so its pipes are closed
        this.state = 'stopped';
        return;
      }
      if (this.exitInfo === undefined) {
        killGroup(pid, 'SIGTERM');
        // Cancelled once the server is gone: a pending grace timer kept Node alive for the rest of
        // the grace period after a clean stop (a finished run lingered ~10 s before exiting).
        const graceTimer = new AbortController();
        const timer = sleep(grace, 'timeout' as const, { signal: graceTimer.signal }).catch(() => 'cancelled' as const);
        const repeat = this.options.repeatTermMs;
        const resend = repeat !== undefined && repeat < grace ? setInterval(() => killGroup(pid, 'SIGTERM'), repeat) : undefined;
        const winner = await Promise.race([this.exitPromise!, timer]).finally(() => {
          clearInterval(resend);
          graceTimer.abort();
        });
        if (winner === 'timeout') {
          this.options.logger?.warn(`${this.name} did not stop within ${grace} ms of SIGTERM; sending SIGKILL`);
          killGroup(pid, 'SIGKILL');
          await this.exitPromise;
        }
      }
      // The leader is gone; children of a wrapper script may still hold the port.
      if (groupAlive(pid)) {
        killGroup(pid, 'SIGTERM');
        for (let waited = 0; waited < grace && groupAlive(pid); waited += 50) await sleep(50);
        killGroup(pid, 'SIGKILL');
      }
      live.delete(pid);
    }
    await this.exitPromise;
    this.state = 'stopped';
    if (prev === 'ready') this.options.logger?.info(`${this.name} stopped`);
  }

  /** The leader process has exited (Node saw it), whether or not its output streams have closed yet. */
  private leaderExited(): boolean {
    const sub = this.subprocess;
    return this.exitInfo !== undefined || (sub !== undefined && (sub.exitCode !== null || sub.signalCode !== null));
  }

  private pipeLines(stream: NodeJS.ReadableStream | null | undefined, name: 'stdout' | 'stderr'): void {
    if (!stream) return;
    const rl = createInterface({ input: stream, crlfDelay: Infinity });
    const log = this.options.logger;
    rl.on('line', (line) => {
      if (this.state === 'starting') {
        if (this.startup.length < this.startupLimit) this.startup.push(line);
        else this.startupTruncated = true;
      }
      this.tail.push(line);
      if (this.tail.length > this.tailLimit) this.tail.shift();
      log?.debug({ server: this.name, stream: name }, line);
    });
  }

  private startError(message: string, extra: { hint?: string } = {}): YardstickError {
    const tail = this.outputTail();
    const text = [
      message,
      `  command: ${this.commandLine}`,
      tail.length > 0 ? `  last ${tail.length} lines of output:\n${tail.map((l) => `    ${l}`).join('\n')}` : '  (no output)',
    ].join('\n');
    return new YardstickError(ERROR_CODES.ENGINE_START_FAILED, text, {
      hint: extra.hint,
      details: { command: this.commandLine, baseUrl: this.baseUrl, tail, exit: this.exitInfo },
    });
  }
}

function describeExit(info: ServerExit): string {
  if (info.error) return info.error;
  if (info.signal) return `killed by ${info.signal}`;
  return `exit code ${info.exitCode ?? '?'}`;
}
