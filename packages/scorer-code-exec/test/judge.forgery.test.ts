import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeExecutor } from '../src/executor.js';
import { buildJudgedProgram, type JudgedProgram } from '../src/judgedProgram.js';
import { executor, humanEvalRows, mbppRows, type HumanEvalRow, type MbppRow } from './helpers.js';

/**
 * Programs written to forge a pass (the audit of 2026-11-23: each one passed when the tests ran in the
 * program's own interpreter) against real HumanEval and MBPP tasks. Every one must fail now, while
 * the canonical/reference solution of the same task passes.
 */

// Finds anything shaped like the nonce: in every frame's globals, in every object gc knows, in every
// readable process's memory; prints each to stdout and exits 0, as a finished program would.
const STEAL = String.raw`
import sys, os, gc, re
_pat = re.compile(r"__yardstick_done_[0-9a-f]{24}__")
_found = set()
_f = sys._getframe(0)
while _f is not None:
    for _v in list(_f.f_globals.values()):
        if type(_v) is str and _pat.fullmatch(_v): _found.add(_v)
    _f = _f.f_back
for _o in gc.get_objects():
    if type(_o) is dict:
        for _v in list(_o.values()):
            if type(_v) is str and _pat.fullmatch(_v): _found.add(_v)
for _p in [p for p in os.listdir("/proc") if p.isdigit()]:
    try:
        _m = open(f"/proc/{_p}/mem", "rb")
        for _l in open(f"/proc/{_p}/maps"):
            _a, _b = [int(x, 16) for x in _l.split()[0].split("-")]
            if "rw" not in _l.split()[1] or _b - _a > 64 << 20: continue
            try:
                _m.seek(_a); _found.update(x.decode() for x in re.findall(rb"__yardstick_done_[0-9a-f]{24}__", _m.read(_b - _a)))
            except Exception: pass
    except Exception as e: sys.stderr.write(f"/proc/{_p}/mem: {type(e).__name__}\n")
for _n in _found:
    sys.stdout.write("\n" + _n + "\n")
    try: os.write(os.open(f"/proc/{os.getppid()}/fd/1", os.O_WRONLY), ("\n" + _n + "\n").encode())
    except Exception as e: sys.stderr.write(f"judge stdout: {type(e).__name__}\n")
sys.stdout.flush()
os._exit(0)
`;

// F5: a line tracer that jumps over the test's `def check`, leaving the program's own check in place.
const SETTRACE = String.raw`
import sys
check = lambda c: None
_src = open("program.py").read().split("\n")
def _lt(fr, ev, arg):
    if ev == "line" and fr.f_code.co_name == "<module>" and _src[fr.f_lineno - 1].startswith("def check("):
        j = fr.f_lineno
        while _src[j] == "" or _src[j][0] in " \t": j += 1
        fr.f_lineno = j + 1
    return _lt
sys.settrace(lambda *a: None)
sys._getframe().f_trace = _lt
`;

// Modules the judge imports lazily (a failing test's traceback, MBPP's builtin-named entry point),
// planted in the work dir: they would run in the judge if the work dir were on its sys.path.
const PLANT = String.raw`
_evil = "import sys, os\nm = sys.modules['__main__']\nos.write(1, ('\\n' + getattr(m, 'n', 'none') + '\\n').encode())\nos._exit(0)\n"
for _name in ("traceback", "linecache", "ast", "json", "ctypes", "math", "sys"):
    with open(_name + ".py", "w") as _f: _f.write(_evil)
`;

const heChat = (body: string): string => `\`\`\`python\n${body}\n\`\`\``;

describe('forged passes are scored as failures (judge process)', () => {
  let ex: CodeExecutor;
  let he: Map<string, HumanEvalRow>;
  let mb: Map<number, MbppRow>;

  beforeAll(async () => {
    ex = await executor({ uidBase: 270_000, workers: 2, timeoutMs: 20_000, cpuSeconds: 10 });
    he = new Map(humanEvalRows().map((r) => [r.task_id, r]));
    mb = new Map(mbppRows().map((r) => [r.task_id, r]));
  });

  afterAll(() => ex.close());

  const heJob = (id: string, reply: string, chat = true): JudgedProgram => {
    const row = he.get(id)!;
    const built = buildJudgedProgram('humaneval', reply, row, chat);
    if ('error' in built) throw new Error(built.error);
    return built.job;
  };
  const mbJob = (id: number, code: string): JudgedProgram => {
    const row = mb.get(id)!;
    const built = buildJudgedProgram('mbpp', code, { test_list: row.test_list, test_setup_code: row.test_setup_code });
    if ('error' in built) throw new Error(built.error);
    return built.job;
  };

  it('controls: the canonical/reference solutions of the attacked tasks pass', async () => {
    const jobs = [
      ...['HumanEval/0', 'HumanEval/2', 'HumanEval/4'].map((id) => heJob(id, he.get(id)!.canonical_solution, false)),
      ...[11, 126, 367].map((id) => mbJob(id, mb.get(id)!.code)),
    ];
    const results = await Promise.all(jobs.map((j) => ex.run(j)));
    expect(results.map((r) => `${r.status} ${r.reason ?? ''}`)).toEqual(results.map(() => 'passed '));
  }, 60_000);

  const attacks: [string, () => JudgedProgram][] = [
    ['F4: nonce from frames, gc and /proc/*/mem, printed, exit 0 (HumanEval/0)', () => heJob('HumanEval/0', `def has_close_elements(numbers, threshold):\n    return True\n${STEAL}`)],
    ['F4: the same, run from inside a test call (HumanEval/2)', () => heJob('HumanEval/2', `def truncate_number(number):\n    exec(${JSON.stringify(STEAL)})\n`)],
    ['F4: the same in an MBPP program (MBPP 11)', () => mbJob(11, `def remove_Occ(s, ch):\n    return s\n${STEAL}`)],
    ['F5: settrace past the test\'s def check (HumanEval/0)', () => heJob('HumanEval/0', `def has_close_elements(numbers, threshold):\n    return True\n${SETTRACE}`)],
    ['F5c: builtins.abs patched to return 0 (HumanEval/2)', () => heJob('HumanEval/2', 'def truncate_number(number):\n    return 0.0\nimport builtins\nbuiltins.abs = lambda x: 0\n')],
    ['F5c: abs shadowed in the program\'s globals (HumanEval/4)', () => heJob('HumanEval/4', 'def mean_absolute_deviation(numbers):\n    return 0.0\nabs = lambda x: 0\n')],
    ['F6: a float subclass whose __eq__ is always True (HumanEval/2)', () => heJob('HumanEval/2', 'def truncate_number(number):\n    class A(float):\n        def __eq__(s, o): return True\n        def __sub__(s, o): return 0.0\n        def __abs__(s): return 0.0\n        def __lt__(s, o): return True\n        __hash__ = float.__hash__\n    return A()\n')],
    ['F6: an object equal to everything (MBPP 11)', () => mbJob(11, 'class A:\n    def __eq__(s, o): return True\n    def __ne__(s, o): return False\n    __hash__ = object.__hash__\ndef remove_Occ(s, ch):\n    return A()\n')],
    ['F6: builtin-named entry point cannot take over the judge\'s builtins (MBPP 126: sum)', () => mbJob(126, 'def sum(a, b):\n    return -1\nint = lambda *a: 6\nbool = lambda *a: True\n')],
    ['F7: modules planted in the work dir for the judge to import (HumanEval/0)', () => heJob('HumanEval/0', `def has_close_elements(numbers, threshold):\n    return 1\n${PLANT}`)],
    ['F7: the same, MBPP 126 (the judge imports ast there)', () => mbJob(126, `def sum(a, b):\n    return 0\n${PLANT}`)],
    ['F8: os._exit(0) inside a test call (HumanEval/0)', () => heJob('HumanEval/0', 'def has_close_elements(numbers, threshold):\n    import os\n    os._exit(0)\n')],
    ['F8: SystemExit inside a test call (MBPP 11)', () => mbJob(11, 'def remove_Occ(s, ch):\n    raise SystemExit(0)\n')],
  ];

  for (const [name, job] of attacks) {
    it(name, async () => {
      const r = await ex.run(job());
      expect(r.passed, `${r.status} ${r.stdout.slice(-200)} ${r.stderr.slice(-500)}`).toBe(false);
      expect(r.stdout).not.toMatch(/__yardstick_done_[0-9a-f]{24}__/);
    }, 30_000);
  }

  it('the judge process is out of the program\'s reach: no ptrace, no /proc/<judge>/{mem,fd,environ}', async () => {
    const probe = String.raw`
def has_close_elements(numbers, threshold):
    return True
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
judge = os.getppid()
sys.stderr.write(f"PTRACE {libc.ptrace(16, judge, 0, 0)} {ctypes.get_errno()}\n")
for path, mode in ((f"/proc/{judge}/mem", "rb"), (f"/proc/{judge}/environ", "rb"), (f"/proc/{judge}/fd/1", "wb"), (f"/proc/{judge}/fd/0", "rb")):
    try:
        open(path, mode); sys.stderr.write(f"OPENED {path}\n")
    except OSError as e:
        sys.stderr.write(f"DENIED {path} {type(e).__name__}\n")
links = {}
for fd in os.listdir("/proc/self/fd"):
    try: links[int(fd)] = os.readlink(f"/proc/self/fd/{fd}")
    except OSError: pass  # listdir's own fd, closed by now
sys.stderr.write(f"STDIN {links[0]} SAME12 {links[1] == links[2]} CHANNELS {len({l for l in links.values() if l.startswith(('pipe:', 'socket:'))})}\n")
`;
    const r = await ex.run(heJob('HumanEval/0', heChat(probe)));
    expect(r.stderr).toMatch(/PTRACE -1 1\n/); // EPERM
    expect(r.stderr).not.toContain('OPENED');
    expect(r.stderr.match(/DENIED/g)).toHaveLength(4);
    // stdin is /dev/null and stdout a copy of stderr: no fd on the verdict pipe, only stderr's and the two to the judge.
    expect(r.stderr).toContain('STDIN /dev/null SAME12 True CHANNELS 3\n');
    expect(r.passed).toBe(false);
  }, 30_000);
});
