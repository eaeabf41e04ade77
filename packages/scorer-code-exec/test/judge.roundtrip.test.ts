import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeExecutor } from '../src/executor.js';
import { buildJudgedProgram, type JudgedProgram } from '../src/judgedProgram.js';
import { executor } from './helpers.js';

/** What crosses between the program's process and the judge (judge.ts), checked from the judge's side. */
const PROGRAM = String.raw`
import collections
def tup(): return (1, 'a', (2.5, None))
def st(): return {1, 2, 3}
def fs(): return frozenset({'x'})
def dk(): return {1: 'one', 2: [3, 4], (5, 6): {7: 8.0}}
def fl(): return 0.1 + 0.2
def big(): return 2 ** 200 + 1
def huge(): return -(10 ** 5000)
def cx(): return complex(1.5, -2)
def by(): return b'\x00\xff'
def nan(): return float('nan')
def gen(): return (i * i for i in range(4))
def keys(): return {3: 0, 1: 0}.keys()
def echo(*a, **k): return (a, k)
def boom(): raise ValueError('boom')
class MyErr(KeyError): pass
def myerr(): raise MyErr('k')
def stop(): raise SystemExit(0)
class Box:
    def __init__(s, v): s.v = v
class Falsy:
    def __bool__(s): return False
def mk(v): return Box(v)
def falsy(): return Falsy()
def unbox(b): return b.v
def named(): return collections.namedtuple('P', 'x y')(1, 2)
def counter(): return collections.Counter('aab')
def grow(l): l.append(2); return len(l)
def kind(t): return t.__name__
`;

const TESTS = [
  'assert type(tup()) is tuple and tup() == (1, "a", (2.5, None)) and type(tup()[2]) is tuple',
  'assert type(st()) is set and st() == {1, 2, 3} and type(fs()) is frozenset and fs() == frozenset({"x"})',
  'assert type(dk()) is dict and dk() == {1: "one", 2: [3, 4], (5, 6): {7: 8.0}} and list(dk()) == [1, 2, (5, 6)]',
  'assert fl() == 0.30000000000000004 and fl() != 0.3 and type(fl()) is float',
  'assert big() == 2 ** 200 + 1 and type(big()) is int and huge() == -(10 ** 5000)',
  'assert cx() == complex(1.5, -2) and by() == b"\\x00\\xff" and nan() != nan()',
  'assert list(gen()) == [0, 1, 4, 9] and keys() == {1, 3}',
  'assert echo((1, [2, {3: frozenset({4})}]), k=None) == (((1, [2, {3: frozenset({4})}]),), {"k": None})',
  'assert echo(True)[0][0] is True and type(echo(1)[0][0]) is int and echo(int)[0][0] is int and kind(str) == "str"',
  'try:\n    boom()\n    assert False\nexcept ValueError as e:\n    assert str(e) == "boom"',
  'try:\n    myerr()\n    assert False\nexcept KeyError:\n    pass',
  'b = mk(5)\nassert unbox(b) == 5 and b == b and b != mk(5) and b in [b] and mk(5) not in [b]',
  'assert mk(1) and not falsy()',
  'assert named() == (1, 2) and type(named()) is tuple and counter() == {"a": 2, "b": 1} and type(counter()) is dict',
  // The cost of two processes: the program's changes to an argument do not come back.
  'l = [1]\nassert grow(l) == 2 and l == [1]',
];

const job = (code: string, tests: string[]): JudgedProgram => {
  const built = buildJudgedProgram('mbpp', code, { test_list: tests });
  if ('error' in built) throw new Error(built.error);
  return built.job;
};

describe('the judge: values across the pipe', () => {
  let ex: CodeExecutor;
  beforeAll(async () => {
    ex = await executor({ uidBase: 275_000 });
  });
  afterAll(() => ex.close());

  it('plain data keeps its exact type and value; exceptions come back as their builtin class; handles go back and forth', async () => {
    const r = await ex.run(job(PROGRAM, TESTS));
    expect(r.stderr).toBe('');
    expect(r.status).toBe('passed');
  });

  it('a wrong type or value fails as it does in one interpreter', async () => {
    for (const test of ['assert tup() == [1, "a", [2.5, None]]', 'assert st() == [1, 2, 3]', 'assert fl() == 0.3', 'assert mk(5) == mk(5)']) {
      const r = await ex.run(job(PROGRAM, [test]));
      expect(r.status, test).toBe('failed');
      expect(r.stderr, test).toContain('AssertionError');
    }
  });

  it('a name of the program has no truth value; SystemExit in a call ends the run as failed', async () => {
    const truth = await ex.run(job(PROGRAM, ['assert tup']));
    expect(truth.status).toBe('failed');
    expect(truth.reason).toMatch(/TypeError: this value from the program has no truth value/);
    const exit = await ex.run(job(PROGRAM, ['try:\n    stop()\nexcept BaseException:\n    pass']));
    expect(exit.status).toBe('failed');
    expect(exit.reason).toMatch(/raised SystemExit/);
  });

  it("a function under test that spins is stopped by the CPU limit of the program's process: status timeout", async () => {
    const cpuBound = await executor({ uidBase: 275_010, workers: 1, timeoutMs: 30_000, cpuSeconds: 1 });
    try {
      const r = await cpuBound.run(job('def f():\n    while True:\n        pass\n', ['assert f() == 1']));
      expect(r.status).toBe('timeout');
      expect(r.reason).toMatch(/CPU-time limit of 1 s/);
    } finally {
      cpuBound.close();
    }
  }, 40_000);

  it("the program's prints go to stderr; stdout carries only the judge's verdict", async () => {
    const r = await ex.run(job('def f():\n    print("from f")\n    return 1\nprint("top")\n', ['assert f() == 1']));
    expect(r.status).toBe('passed');
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('top\nfrom f\n');
  });
});
