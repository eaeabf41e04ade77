import { randomBytes } from 'node:crypto';
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import pLimit, { type LimitFunction } from 'p-limit';
import { findExecutable, YardstickError, type Logger } from '@yardstick/core';
import { bwrapArgs } from './bwrapArgs.js';
import { launcherArgs, LAUNCHER_ERROR_PREFIX } from './launcher.js';
import { JUDGE_BOOTSTRAP } from './judge.js';
import type { JudgedProgram } from './judgedProgram.js';
import { bootstrapArgs, type ExecLimits } from './limits.js';
import { MemoryCgroups } from './memoryCgroups.js';
import { noUsernsFilter, SECCOMP_SUPPORTED } from './seccompNoUserns.js';
import { resolvePython, type PythonInstall } from './python.js';
import { UidLease } from './uidLease.js';

const NO_USERNS_FILTER = noUsernsFilter();

export type ExecStatus = 'passed' | 'failed' | 'timeout' | 'oom' | 'sandbox_error';

export interface ExecResult {
  status: ExecStatus;
  passed: boolean;
  exitCode?: number;
  signal?: string;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** stdout or stderr hit `maxOutputBytes`: the program was killed and the capture cut. */
  outputTruncated: boolean;
  /** Why, in one line, for failures. */
  reason?: string;
}

export interface ExecutorSettings extends ExecLimits {
  bwrap: string;
  python: string;
  unsafe: boolean;
  workers: number;
  /** First uid handed to sandboxed programs when running as root (one per worker slot). */
  uidBase: number;
  setprivPath: string;
}

export type ExecMode = 'sandbox' | 'unsafe';

const SIGXCPU_EXIT = 128 + 24;
const SANDBOX_TOOL_ERROR = new RegExp(`^(bwrap|setpriv|${LAUNCHER_ERROR_PREFIX}): `, 'm');
/** Headroom of a slot's memory cgroup over memoryMb + tmpfsMb: bwrap, setpriv and the interpreter itself. */
const CGROUP_HEADROOM_MB = 64;

/**
 * Runs Python programs with their tests, at most `workers` at once, each in its own sandbox.
 * Create with `CodeExecutor.create`, which self-checks the sandbox and refuses when it is missing.
 */
export class CodeExecutor {
  private readonly limit: LimitFunction;
  private readonly freeSlots: number[];
  /** bwrap's absolute path (the launcher execs it without a PATH search). */
  private bwrapPath = '';
  /** Per-slot memory cgroups of a sandbox executor, when this host lets us create them (see MemoryCgroups); never set in unsafe mode. */
  private cgroups: MemoryCgroups | undefined;
  /** As root: the uids this process alone drops programs to, one per slot (see UidLease). */
  private uids: UidLease | undefined;

  private constructor(
    readonly settings: ExecutorSettings,
    readonly python: PythonInstall,
    readonly mode: ExecMode,
  ) {
    this.limit = pLimit(settings.workers);
    this.freeSlots = Array.from({ length: settings.workers }, (_, i) => settings.workers - 1 - i);
  }

  /**
   * Resolves the interpreter and proves the sandbox works by running `print(6*7)` in it, then a judged
   * program (judge.ts: the path every scored task takes). Without a working sandbox this throws
   * YS_SANDBOX_UNAVAILABLE, unless `unsafe` is set: then programs run with rlimits only and a loud
   * warning is logged.
   */
  static async create(settings: ExecutorSettings, logger: Logger): Promise<CodeExecutor> {
    const python = await resolvePython(settings.python);
    const sandboxed = new CodeExecutor(settings, python, 'sandbox');
    if (isRoot()) sandboxed.uids = UidLease.take(settings.uidBase, settings.workers);
    const cgroups = MemoryCgroups.create(settings.workers, (settings.memoryMb + settings.tmpfsMb + CGROUP_HEADROOM_MB) * 1024 * 1024);
    if (typeof cgroups !== 'string') sandboxed.cgroups = cgroups;
    const problem = await sandboxed.selfCheck();
    if (problem === undefined) {
      logger.debug(
        { python: python.executable, version: python.version, privileged: isRoot(), memoryCgroup: typeof cgroups === 'string' ? cgroups : 'per slot' },
        'code sandbox ready (bubblewrap)',
      );
      if (typeof cgroups === 'string') {
        logger.info({ reason: cgroups }, 'code sandbox: no memory cgroup, so memory is capped per process (RLIMIT_AS) only, not for memfd/shared memory');
      }
      return sandboxed;
    }
    sandboxed.close();
    if (!settings.unsafe) {
      throw new YardstickError('YS_SANDBOX_UNAVAILABLE', `the bubblewrap sandbox for running generated code is not usable: ${problem}`, {
        hint:
          'Install it with `apt-get install bubblewrap`. As a non-root user it also needs unprivileged user namespaces ' +
          '(Debian: sysctl kernel.unprivileged_userns_clone=1; Ubuntu ≥ 23.10: sysctl kernel.apparmor_restrict_unprivileged_userns=0 or an AppArmor profile for bwrap), ' +
          'or set the scorer-code-exec option `bwrap` to its path. To run model-written code WITHOUT isolation, set `unsafe: true`.',
        details: { bwrap: settings.bwrap, problem },
      });
    }
    logger.warn(
      { bwrap: settings.bwrap, problem },
      '!!! UNSAFE: bubblewrap is not usable, so model-generated code runs WITHOUT a sandbox, with only rlimits. ' +
        'It can read your files, use the network and write anywhere you can. Set unsafe: false to refuse instead. !!!',
    );
    return new CodeExecutor(settings, python, 'unsafe');
  }

  /** Whether each program's whole memory (files and shared memory too) is capped by a cgroup. */
  get hasMemoryCgroups(): boolean {
    return this.cgroups !== undefined;
  }

  /** Removes the memory cgroups; the executor must not run programs after this. */
  close(): void {
    this.cgroups?.close();
    this.cgroups = undefined;
    this.uids?.release();
    this.uids = undefined;
  }

  /** undefined when the sandbox runs a trivial program correctly, else what went wrong. */
  private async selfCheck(): Promise<string | undefined> {
    // A path as given, a name on PATH (the launcher execs bwrap without a PATH search); either way an executable file.
    const bwrap = findExecutable(this.settings.bwrap, process.env.PATH ?? '/usr/bin:/bin');
    if (bwrap === undefined) return `'${this.settings.bwrap}' not found or not executable`;
    this.bwrapPath = bwrap;
    if (isRoot()) {
      try {
        await access(this.settings.setprivPath, constants.X_OK);
      } catch {
        return `'${this.settings.setprivPath}' (util-linux) is needed to drop root inside the sandbox`;
      }
    }
    const result = await this.run('print(6*7)\n');
    if (result.status !== 'passed' || result.stdout.trim() !== '42') {
      return `self-check program did not run (status ${result.status}, exit ${result.exitCode ?? result.signal}): ${result.stderr.trim().slice(0, 300)}`;
    }
    // Scoring runs every task through the judge (ctypes for prctl, fork, pipes): prove that works too.
    const judged = await this.run({ kind: 'mbpp', candidate: 'def f():\n    return 42\n', imports: '', tests: 'assert f() == 42\n', first: 'assert f() == 42' });
    if (judged.status === 'passed') return undefined;
    return `self-check of the test judge failed (status ${judged.status}, exit ${judged.exitCode ?? judged.signal}): ${judged.stderr.trim().slice(0, 300)}`;
  }

  /**
   * Runs one program; queued behind the worker limit. Never rejects. A string is a whole program that
   * passes when it reaches its end (self-check, drills); a JudgedProgram keeps the tests in a judge
   * process of their own (judge.ts), which the program cannot talk into a pass.
   */
  run(source: string | JudgedProgram, signal?: AbortSignal): Promise<ExecResult> {
    return this.limit(async () => {
      const slot = this.freeSlots.pop() ?? 0;
      try {
        return await this.runInSlot(source, slot, signal);
      } catch (error) {
        // Spawn or temp-dir failures: one sample's problem, never a crash that loses the others.
        const reason = `could not start the program: ${(error as Error).message}`;
        return { status: 'sandbox_error', passed: false, stdout: '', stderr: '', durationMs: 0, outputTruncated: false, reason };
      } finally {
        this.freeSlots.push(slot);
      }
    });
  }

  private async runInSlot(source: string | JudgedProgram, slot: number, signal?: AbortSignal): Promise<ExecResult> {
    const nonce = `__yardstick_done_${randomBytes(12).toString('hex')}__`;
    const judged = typeof source !== 'string';
    const interpreter = bootstrapArgs(this.settings, judged ? JUDGE_BOOTSTRAP : undefined);
    const input = `${nonce}\n${judged ? JSON.stringify(source) : source}`;
    const file = this.python.executable;
    let args: string[];
    let cwd: string | undefined;
    if (this.mode === 'sandbox') {
      const privileged = isRoot();
      const seccomp = privileged && SECCOMP_SUPPORTED ? NO_USERNS_FILTER : undefined;
      const sandbox = bwrapArgs(this.python, {
        privileged,
        seccomp: seccomp !== undefined,
        uid: (this.uids?.first ?? this.settings.uidBase) + slot,
        setprivPath: this.settings.setprivPath,
        tmpfsBytes: this.settings.tmpfsMb * 1024 * 1024,
      }, interpreter);
      args = launcherArgs(this.cgroups?.procsFile(slot), seccomp, [this.bwrapPath, ...sandbox]);
    } else {
      cwd = await mkdtemp(join(tmpdir(), 'yardstick-code-'));
      args = interpreter;
    }
    try {
      return await this.spawn(file, args, input, nonce, cwd, slot, signal);
    } finally {
      // Nothing of this program may outlive it on the slot (a timed-out sandbox dies asynchronously).
      await this.cgroups?.drain(slot);
      if (cwd) await rm(cwd, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  private async spawn(file: string, args: string[], input: string, nonce: string, cwd: string | undefined, slot: number, signal?: AbortSignal): Promise<ExecResult> {
    const started = performance.now();
    const cgroups = this.cgroups;
    const oomKillsBefore = cgroups?.oomKills(slot) ?? 0;
    // Unsafe mode: the program gets its own process group so a timeout kills its children too. In the
    // sandbox, killing bwrap is enough (--die-with-parent tears the namespace down), and staying
    // attached lets execa's `cleanup` kill it if node exits.
    const detached = this.mode === 'unsafe';
    const child = execa(file, args, {
      input,
      reject: false,
      detached,
      cleanup: true,
      extendEnv: false,
      env: cwd ? { PATH: '/usr/bin:/bin', HOME: cwd, TMPDIR: cwd, LANG: 'C.UTF-8' } : {},
      cwd,
      maxBuffer: this.settings.maxOutputBytes,
      stripFinalNewline: false,
      killSignal: 'SIGKILL',
    });
    let timedOut = false;
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(detached ? -child.pid : child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, this.settings.timeoutMs);
    const onAbort = () => killGroup();
    signal?.addEventListener('abort', onAbort, { once: true });
    const result = await child;
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    if (detached) killGroup(); // stragglers of the unsafe mode that outlived the main process
    const durationMs = performance.now() - started;
    const rawStdout = typeof result.stdout === 'string' ? result.stdout : '';
    const stderr = typeof result.stderr === 'string' ? result.stderr : '';
    const doneMarker = `\n${nonce}\n`;
    const completed = rawStdout.endsWith(doneMarker);
    const stdout = completed ? rawStdout.slice(0, -doneMarker.length) : rawStdout;
    const base = { exitCode: result.exitCode, signal: result.signal, stdout, stderr, durationMs, outputTruncated: result.isMaxBuffer === true };
    if (timedOut) return { ...base, status: 'timeout', passed: false, reason: `wall-clock limit of ${this.settings.timeoutMs} ms exceeded` };
    if (result.signal === 'SIGXCPU' || result.exitCode === SIGXCPU_EXIT) {
      return { ...base, status: 'timeout', passed: false, reason: `CPU-time limit of ${this.settings.cpuSeconds} s exceeded` };
    }
    if (result.isMaxBuffer) return { ...base, status: 'failed', passed: false, reason: `output exceeded ${this.settings.maxOutputBytes} bytes` };
    if (signal?.aborted) return { ...base, status: 'failed', passed: false, reason: 'aborted' };
    if (result.exitCode === 0 && completed) return { ...base, status: 'passed', passed: true };
    if (cgroups && cgroups.oomKills(slot) > oomKillsBefore) {
      const capMb = this.settings.memoryMb + this.settings.tmpfsMb + CGROUP_HEADROOM_MB;
      return { ...base, status: 'oom', passed: false, reason: `memory limit of ${capMb} MiB for the whole sandbox exceeded (cgroup: the program, its files and shared memory)` };
    }
    if (/\bMemoryError\b/.test(stderr)) return { ...base, status: 'oom', passed: false, reason: `memory limit of ${this.settings.memoryMb} MiB exceeded (MemoryError)` };
    if (SANDBOX_TOOL_ERROR.test(stderr) && !completed && !stderr.includes('Traceback')) {
      return { ...base, status: 'sandbox_error', passed: false, reason: firstLine(stderr) };
    }
    if (result.exitCode === 0) return { ...base, status: 'failed', passed: false, reason: 'program exited early (sys.exit / os._exit) before its tests finished' };
    const why = result.signal ? `killed by ${result.signal}` : lastLine(stderr) || `exit code ${result.exitCode}`;
    return { ...base, status: 'failed', passed: false, reason: why };
  }
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] ?? '').slice(0, 300);
}
