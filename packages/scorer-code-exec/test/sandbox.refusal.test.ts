import { describe, expect, it } from 'vitest';
import { isYardstickError, type Logger } from '@yardstick/core';
import { CodeExecutor } from '../src/executor.js';
import { executor, settings } from './helpers.js';

describe('when bubblewrap is unavailable', () => {
  it('refuses with YS_SANDBOX_UNAVAILABLE and says how to fix it', async () => {
    const error = await executor({ bwrap: '/nonexistent/bwrap' }).catch((e: unknown) => e);
    expect(isYardstickError(error)).toBe(true);
    if (!isYardstickError(error)) return;
    expect(error.code).toBe('YS_SANDBOX_UNAVAILABLE');
    expect(error.message).toContain('/nonexistent/bwrap');
    expect(error.hint).toContain('apt-get install bubblewrap');
    expect(error.hint).toContain('unsafe: true');
  });

  it('with unsafe: true runs with rlimits only, after a loud warning', async () => {
    const lines: string[] = [];
    const record = (...args: unknown[]) => void lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    // Captures what the scorer logs; only the methods the executor calls are needed.
    const logger = { warn: record, info: record, debug: () => undefined, error: record } as unknown as Logger;
    const ex = await CodeExecutor.create(settings({ bwrap: '/nonexistent/bwrap', unsafe: true, timeoutMs: 5000, cpuSeconds: 1 }), logger);
    expect(ex.mode).toBe('unsafe');
    expect(lines.join('')).toMatch(/UNSAFE.*WITHOUT a sandbox/);
    expect((await ex.run('assert 1 + 1 == 2\n')).status).toBe('passed');
    expect((await ex.run('assert 1 + 1 == 3\n')).status).toBe('failed');
    // The judge (tests apart from the code) works without the sandbox too.
    expect((await ex.run({ kind: 'mbpp', candidate: 'def f(x):\n    return x + 1\n', imports: '', tests: 'assert f(1) == 2\n', first: 'assert f(1) == 2' })).status).toBe('passed');
    expect((await ex.run({ kind: 'mbpp', candidate: 'def f(x):\n    return x\n', imports: '', tests: 'assert f(1) == 2\n', first: 'assert f(1) == 2' })).status).toBe('failed');
    expect((await ex.run('x = bytearray(10 * 1024 ** 3)\n')).status).toBe('oom');
    expect((await ex.run('while True:\n    pass\n')).status).toBe('timeout');
  });
});
