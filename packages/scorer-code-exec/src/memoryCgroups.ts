import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { processAlive } from './processAlive.js';

/**
 * One memory cgroup per worker slot, under the cgroup this process runs in, so that a program's
 * memory is capped as a whole: RLIMIT_AS covers only the address space of each process, and a
 * program could otherwise fill memfds, SysV shared memory or a tmpfs of its own (all of them
 * page cache, not mappings) and take gigabytes from the host (measured: 2.5 GiB with memoryMb 256).
 * A cgroup charges those pages too, and the kernel OOM-kills the sandbox at the limit.
 *
 * Needs a writable memory controller: cgroup v1's `memory` hierarchy, or a v2 tree where our
 * cgroup may enable `memory` for children (v2 refuses that while we run in the same cgroup, unless
 * it is delegated). Where neither works, `create` answers undefined and the rlimits stay the only cap.
 */
/** Executors of one process get their own cgroups (tests and sweeps create several). */
let instances = 0;

export class MemoryCgroups {
  private constructor(
    private readonly dirs: string[],
    private readonly version: 1 | 2,
  ) {}

  /** Creates one cgroup per slot capped at `limitBytes`, or answers why it cannot. */
  static create(slots: number, limitBytes: number): MemoryCgroups | string {
    const parent = ownMemoryCgroup();
    if (typeof parent === 'string') return parent;
    removeStale(parent.dir);
    const dirs: string[] = [];
    const instance = instances++;
    const nonce = randomBytes(4).toString('hex');
    try {
      for (let slot = 0; slot < slots; slot++) {
        // Unique even across pid namespaces sharing the parent cgroup (the random part), and created
        // without `recursive`: an existing folder is someone else's, never ours to fill or drain.
        const dir = join(parent.dir, `yardstick-${process.pid}-${instance}-${slot}-${nonce}`);
        mkdirSync(dir);
        dirs.push(dir);
        if (parent.version === 1) {
          writeFileSync(join(dir, 'memory.limit_in_bytes'), String(limitBytes));
          tryWrite(join(dir, 'memory.memsw.limit_in_bytes'), String(limitBytes)); // no escape into swap
          // v1 charges socket buffers only under a TCP limit of their own: without it a program
          // queued 2.2 GiB in loopback sockets of its own network namespace (audit). v2 charges them.
          tryWrite(join(dir, 'memory.kmem.tcp.limit_in_bytes'), String(limitBytes));
          if (Number(readFileSync(join(dir, 'memory.limit_in_bytes'), 'utf8')) > limitBytes) throw new Error('limit not applied');
        } else {
          writeFileSync(join(dir, 'memory.max'), String(limitBytes));
          tryWrite(join(dir, 'memory.swap.max'), '0');
        }
      }
    } catch (error) {
      for (const dir of dirs) tryRmdir(dir);
      return `cannot create memory cgroups under ${parent.dir}: ${(error as Error).message}`;
    }
    return new MemoryCgroups(dirs, parent.version);
  }

  /** The file a process writes its pid to, to join `slot`'s cgroup (children then inherit it). */
  procsFile(slot: number): string {
    return join(this.dirs[slot]!, 'cgroup.procs');
  }

  /** How many times the kernel has OOM-killed a process in `slot`'s cgroup so far. */
  oomKills(slot: number): number {
    const dir = this.dirs[slot]!;
    const text = readOr(join(dir, this.version === 1 ? 'memory.oom_control' : 'memory.events'));
    const match = /^oom_kill (\d+)$/m.exec(text);
    // Kernels before 4.13 have no oom_kill count in v1: the failure count still rises at the limit.
    if (!match && this.version === 1) return Number(readOr(join(dir, 'memory.failcnt')) || 0);
    return Number(match?.[1] ?? 0);
  }

  /**
   * Kills whatever is left in `slot`'s cgroup and waits until it is empty (up to `waitMs`): after a
   * timeout the sandbox's pid namespace dies asynchronously, and its memory would still be charged
   * to the next program on the slot (an `oom` that is not its own), or keep close() from removing it.
   */
  async drain(slot: number, waitMs = 2000): Promise<void> {
    const procs = join(this.dirs[slot]!, 'cgroup.procs');
    for (const started = performance.now(); performance.now() - started < waitMs; ) {
      // Never 0 (v2 lists processes of another pid namespace as 0, and kill(0) is our own group) nor us.
      const pids = readOr(procs).split('\n').filter((p) => /^\d+$/.test(p) && p !== '0' && Number(p) !== process.pid);
      if (pids.length === 0) return;
      for (const pid of pids) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // exited meanwhile
        }
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Removes the cgroups (each is empty once its program has exited; a dying one gets a moment). */
  close(): void {
    for (const dir of this.dirs) {
      for (let attempt = 0; attempt < 20 && !tryRmdir(dir); attempt++) Atomics.wait(SLEEPER, 0, 0, 10);
    }
  }
}

interface CgroupDir {
  dir: string;
  version: 1 | 2;
}

/** Our own memory cgroup's folder, from /proc/self/cgroup and the mount table. */
function ownMemoryCgroup(): CgroupDir | string {
  const membership = readOr('/proc/self/cgroup');
  const mounts = readOr('/proc/self/mountinfo').split('\n').map(parseMount);
  const v1 = /^\d+:([^:]*\bmemory\b[^:]*):(.*)$/m.exec(membership);
  if (v1) {
    const mount = mounts.find((m) => m?.fstype === 'cgroup' && m.superOptions.split(',').includes('memory'));
    if (mount) return { dir: join(mount.point, relativeTo(mount.root, v1[2]!)), version: 1 };
  }
  const v2 = /^0::(.*)$/m.exec(membership);
  const mount = mounts.find((m) => m?.fstype === 'cgroup2');
  if (v2 && mount) {
    const dir = join(mount.point, relativeTo(mount.root, v2[1]!));
    if (!readOr(join(dir, 'cgroup.controllers')).split(/\s+/).includes('memory')) return `the memory controller is not available in ${dir}`;
    if (!readOr(join(dir, 'cgroup.subtree_control')).split(/\s+/).includes('memory') && !tryWrite(join(dir, 'cgroup.subtree_control'), '+memory')) {
      return `cannot enable the memory controller for child cgroups of ${dir} (cgroup v2 needs a delegated subtree)`;
    }
    return { dir, version: 2 };
  }
  return 'no memory cgroup controller is mounted';
}

interface Mount {
  root: string;
  point: string;
  fstype: string;
  superOptions: string;
}

/** One /proc/self/mountinfo line: `id parent dev root point options [tags…] - fstype source superOptions`. */
function parseMount(line: string): Mount | undefined {
  const [left, right] = line.split(' - ');
  if (!left || !right) return undefined;
  const fields = left.split(' ');
  const [fstype, , superOptions] = right.split(' ');
  if (!fields[3] || !fields[4] || !fstype) return undefined;
  return { root: unescapeMount(fields[3]), point: unescapeMount(fields[4]), fstype, superOptions: superOptions ?? '' };
}

const unescapeMount = (s: string) => s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));

/** A cgroup path as seen from a mount whose root is `root` (containers mount their own subtree as /). */
function relativeTo(root: string, path: string): string {
  if (root === '/') return path;
  return path === root || path.startsWith(`${root}/`) ? path.slice(root.length) || '/' : path;
}

/** Cgroups left by an earlier Yardstick process that died without removing them. */
function removeStale(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = /^yardstick-(\d+)-\d+-\d+(?:-[0-9a-f]+)?$/.exec(name)?.[1]; // the older form had no random part
    if (pid === undefined || Number(pid) === process.pid || processAlive(Number(pid))) continue;
    tryRmdir(join(parent, name));
  }
}

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function tryWrite(path: string, value: string): boolean {
  try {
    writeFileSync(path, value);
    return true;
  } catch {
    return false;
  }
}

/** A synchronous 10 ms pause for close(), which runs in teardown and must stay synchronous. */
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

/** true when the folder is gone (removed now, or already). */
function tryRmdir(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (error) {
    // EBUSY: a dying sandbox is still in it
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}
