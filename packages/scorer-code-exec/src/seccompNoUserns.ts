/**
 * A classic-BPF seccomp filter (for `bwrap --seccomp FD`) that refuses new user namespaces:
 * `unshare` and `clone` with CLONE_NEWUSER fail with EPERM, and `clone3` (whose flags sit in a
 * struct BPF cannot read) fails with ENOSYS, on which glibc falls back to `clone`.
 *
 * Why: as root the sandbox runs without a user namespace of its own (see bwrapArgs: RLIMIT_NPROC),
 * so bwrap's `--disable-userns` is not available there, and a program could create one. Inside it
 * the program holds CAP_NET_RAW over a network namespace of its own, and AF_PACKET rings there are
 * not charged to any memory cgroup: an audit allocated 3.5 GiB of host memory that way with
 * `memoryMb: 128`. The kernel keyring calls (`add_key`, `request_key`, `keyctl`) fail with EPERM
 * too: as root each slot has a fixed uid, and that uid's keyring outlives the program, so one
 * program could leave state for the next on its slot. Everything else is allowed; on a machine of
 * another architecture the filter allows all (and the README says so).
 */

const CLONE_NEWUSER = 0x10000000;
const EPERM = 1;
const ENOSYS = 38;
const RET_ALLOW = 0x7fff0000;
const RET_ERRNO = 0x00050000;
/** x32 system calls share x86_64's audit arch with this bit set in the number. */
const X32_BIT = 0x40000000;

interface Arch {
  audit: number;
  unshare: number;
  clone: number;
  clone3: number;
  addKey: number;
  requestKey: number;
  keyctl: number;
  x32?: boolean;
}

const ARCHES: Readonly<Record<string, Arch>> = {
  x64: { audit: 0xc000003e, unshare: 272, clone: 56, clone3: 435, addKey: 248, requestKey: 249, keyctl: 250, x32: true },
  arm64: { audit: 0xc00000b7, unshare: 97, clone: 220, clone3: 435, addKey: 217, requestKey: 218, keyctl: 219 },
};

// BPF opcodes (linux/filter.h) and the seccomp_data offsets: nr at 0, arch at 4, args[0] at 16.
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const JSET_K = 0x45;
const RET_K = 0x06;
const OFF_NR = 0;
const OFF_ARCH = 4;
const OFF_ARG0_LOW = 16; // little-endian: the low 32 bits, where CLONE_NEWUSER is

type Insn = [code: number, jt: number, jf: number, k: number];

/** Whether this machine's architecture has a filter (x86_64, arm64). */
export const SECCOMP_SUPPORTED = Object.hasOwn(ARCHES, process.arch);

/** The placeholder in bwrap's argv that the launcher replaces with the filter's fd. */
export const SECCOMP_FD_PLACEHOLDER = '{seccomp-fd}';

/** The filter for this machine's architecture, as the bytes bwrap reads from its fd. */
export function noUsernsFilter(arch: string = process.arch): Buffer {
  const a = ARCHES[arch];
  const program: Insn[] = a ? filterFor(a) : [[RET_K, 0, 0, RET_ALLOW]];
  const bytes = Buffer.alloc(program.length * 8);
  program.forEach(([code, jt, jf, k], i) => {
    bytes.writeUInt16LE(code, i * 8);
    bytes.writeUInt8(jt, i * 8 + 2);
    bytes.writeUInt8(jf, i * 8 + 3);
    bytes.writeUInt32LE(k >>> 0, i * 8 + 4);
  });
  return bytes;
}

function filterFor(a: Arch): Insn[] {
  // Jump offsets count the instructions after the jump: target − (index + 1).
  return [
    /* 0 */ [LD_W_ABS, 0, 0, OFF_ARCH],
    /* 1 */ [JEQ_K, 1, 0, a.audit], // → 3
    /* 2 */ [RET_K, 0, 0, RET_ERRNO | EPERM], // a compat ABI (int 0x80 on x86_64): nothing legitimate here
    /* 3 */ [LD_W_ABS, 0, 0, OFF_NR],
    /* 4 */ a.x32 ? [JGE_K, 11, 0, X32_BIT] : [JEQ_K, 0, 0, 0], // x32 numbers → 16 (EPERM); else a no-op
    /* 5 */ [JEQ_K, 6, 0, a.unshare], // → 12
    /* 6 */ [JEQ_K, 5, 0, a.clone], // → 12
    /* 7 */ [JEQ_K, 7, 0, a.clone3], // → 15
    /* 8 */ [JEQ_K, 7, 0, a.addKey], // → 16
    /* 9 */ [JEQ_K, 6, 0, a.requestKey], // → 16
    /* 10 */ [JEQ_K, 5, 0, a.keyctl], // → 16
    /* 11 */ [RET_K, 0, 0, RET_ALLOW],
    /* 12 */ [LD_W_ABS, 0, 0, OFF_ARG0_LOW],
    /* 13 */ [JSET_K, 2, 0, CLONE_NEWUSER], // → 16
    /* 14 */ [RET_K, 0, 0, RET_ALLOW],
    /* 15 */ [RET_K, 0, 0, RET_ERRNO | ENOSYS],
    /* 16 */ [RET_K, 0, 0, RET_ERRNO | EPERM],
  ];
}
