import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One file per uid handed to sandboxed programs, holding the pid of the process that leased it. */
const LEASE_DIR = join(tmpdir(), 'yardstick-uid-leases');
/** Blocks tried before giving up (each `count` uids further on). */
const MAX_BLOCKS = 1024;

/**
 * A block of uids this process alone drops sandboxed programs to (as root: `uidBase + slot`).
 *
 * Why: RLIMIT_NPROC counts every process of a uid on the machine, and the kernel keyring is per uid.
 * Two Yardstick runs at once with the same `uidBase` shared their slots' uids: a program holding
 * its 32 processes in one run made a correct `subprocess.run(["true"])` fail with EAGAIN in the
 * other (an audit saw it). Each uid is leased with an exclusive create of its file; a lease whose
 * process is gone (killed before it could release) is taken over. Uncontended, the block starts at
 * `base` itself.
 */
export class UidLease {
  private constructor(
    /** The block's first uid. */
    readonly first: number,
    private readonly files: string[],
  ) {}

  /** `count` consecutive uids from `base` or the first free block after it. */
  static take(base: number, count: number, dir: string = LEASE_DIR): UidLease {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (let block = 0, first = base; block < MAX_BLOCKS; block++, first += count) {
      const files: string[] = [];
      for (let uid = first; uid < first + count; uid++) {
        const file = join(dir, String(uid));
        if (!lease(file)) break;
        files.push(file);
      }
      if (files.length === count) return new UidLease(first, files);
      for (const file of files) rmSync(file, { force: true });
    }
    throw new Error(`no free block of ${count} sandbox uids from ${base} (leases in ${dir})`);
  }

  /** Gives the uids back (only the files still holding this process's pid). */
  release(): void {
    for (const file of this.files) if (owner(file) === process.pid) rmSync(file, { force: true });
    this.files.length = 0;
  }
}

/** Creates the lease file exclusively, taking over one whose process is gone; false when a live process holds it. */
function lease(file: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, String(process.pid));
      } finally {
        closeSync(fd);
      }
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = owner(file);
    if (holder !== undefined && alive(holder)) return false;
    // Stale: its process died without releasing it (or it is being written this instant; the retry's
    // exclusive create settles that).
    if (owner(file) === holder) rmSync(file, { force: true });
  }
  return false;
}

function owner(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
