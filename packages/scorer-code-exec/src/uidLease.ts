import { closeSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from './processAlive.js';

/**
 * One file per uid handed to sandboxed programs, holding the pid of the process that leased it. As
 * root (the only case leases are taken) under /run, which only root can write; elsewhere in TMPDIR.
 */
const LEASE_DIR = process.getuid?.() === 0 ? '/run/yardstick-uid-leases' : join(tmpdir(), 'yardstick-uid-leases');
/** Blocks tried before giving up (each `count` uids further on). */
const MAX_BLOCKS = 1024;

/**
 * A block of uids this process alone drops sandboxed programs to (as root: `first + slot`).
 *
 * Why: RLIMIT_NPROC counts every process of a uid on the machine, and the kernel keyring is per uid.
 * Two Yardstick runs at once with the same `uidBase` shared their slots' uids: a program holding
 * its 32 processes in one run made a correct `subprocess.run(["true"])` fail with EAGAIN in the
 * other (an audit saw it). Each uid is leased by hard-linking a file that already holds our pid into
 * place (atomic: it exists complete or not at all, so no one reads a lease half-written); a lease
 * whose process is gone (killed before it could release) is taken over. Uncontended, the block
 * starts at `base` itself.
 */
export class UidLease {
  private constructor(
    /** The block's first uid. */
    readonly first: number,
    private readonly files: string[],
  ) {}

  /** `count` consecutive uids from `base` or the first free block after it. */
  static take(base: number, count: number, dir: string = LEASE_DIR): UidLease {
    trustedDir(dir);
    const mine = join(dir, `.pid-${process.pid}-${base}-${Date.now()}`);
    const fd = openSync(mine, 'wx', 0o600);
    try {
      writeSync(fd, String(process.pid));
    } finally {
      closeSync(fd);
    }
    try {
      for (let block = 0, first = base; block < MAX_BLOCKS; block++, first += count) {
        const files: string[] = [];
        for (let uid = first; uid < first + count; uid++) {
          const file = join(dir, String(uid));
          if (!lease(mine, file)) break;
          files.push(file);
        }
        if (files.length === count) return new UidLease(first, files);
        for (const file of files) rmSync(file, { force: true });
      }
    } finally {
      rmSync(mine, { force: true });
    }
    throw new Error(`no free block of ${count} sandbox uids from ${base} (leases in ${dir})`);
  }

  /** Gives the uids back (only the files still holding this process's pid). */
  release(): void {
    for (const file of this.files) if (owner(file) === process.pid) rmSync(file, { force: true });
    this.files.length = 0;
  }
}

/**
 * The lease directory, made if missing; refused unless it is a real directory of ours that nobody
 * else can write: whoever could write it could plant leases and steer which uids programs get.
 */
function trustedDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  const uid = process.getuid?.();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) {
    throw new Error(`the uid lease directory ${dir} is not a directory owned by uid ${uid ?? '?'} and writable only by it`);
  }
}

/** Links our pid file to `file`; takes over a lease whose process is gone; false when a live process holds it. */
function lease(mine: string, file: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      linkSync(mine, file);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = owner(file);
    if (holder === undefined || processAlive(holder)) return false;
    // Its process died without releasing it: remove it, unless someone took it over meanwhile.
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
