import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sloFlags, sloOverrides } from '../src/slo-flag.js';
import { yardstick } from './helpers.js';

describe('yardstick CLI basics', () => {
  it('prints its version and help on every command', async () => {
    const v = await yardstick(['--version']);
    expect(v.exitCode).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    for (const cmd of ['run', 'validate', 'plugins', 'score']) {
      const h = await yardstick([cmd, '--help']);
      expect(h.exitCode, cmd).toBe(0);
      expect(h.stdout).toContain(`Usage: yardstick ${cmd}`);
    }
  });

  it('validate: an invalid config prints one block per problem and exits 2 without a stack trace', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ys-cli-'));
    await writeFile(
      join(dir, 'yardstick.config.json'),
      JSON.stringify({ concurrency: 0, plugins: { 'benchmark-gsm8k': { numFewshot: -1, bogus: true }, 'scorer-nope': {} } }),
    );
    const r = await yardstick(['validate'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('✖ YS_CONFIG_INVALID  Invalid configuration in yardstick.config.json');
    expect(r.stderr).toContain('concurrency: Too small');
    expect(r.stderr).toContain('plugins › benchmark-gsm8k › numFewshot');
    expect(r.stderr).toContain('plugins › benchmark-gsm8k › (root): Unknown key(s) "bogus"');
    expect(r.stderr).toContain('plugins.scorer-nope: Plugin "scorer-nope" could not be found');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('validate: a good config passes; a missing config is a user error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ys-cli-'));
    const missing = await yardstick(['validate'], { cwd: dir });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('No Yardstick config found');
    await writeFile(join(dir, 'yardstick.config.yaml'), 'limit: 3\nplugins:\n  benchmark-gsm8k: {}\n  scorer-gsm8k: {}\n');
    const ok = await yardstick(['validate'], { cwd: dir });
    expect(ok.stdout).toContain('is valid');
    expect(ok.exitCode).toBe(0);
  });

  it("validate: reads every benchmark's data without an engine; a bad row is named by file and line", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ys-cli-'));
    // The engine's model does not exist: a check never starts the engine.
    const engine = "  engine-llamacpp: { mode: server, model: ./missing.gguf }\n";
    await writeFile(join(dir, 'yardstick.config.yaml'), `limit: 3\nplugins:\n${engine}  benchmark-gsm8k: { numFewshot: 0 }\n  scorer-gsm8k: {}\n`);
    const ok = await yardstick(['validate'], { cwd: dir });
    expect(ok.stderr).toBe('');
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(/benchmark-gsm8k\s+3\s+1\n/);
    expect(ok.stdout).toMatch(/data files read:\n  \S*datasets\/gsm8k\/test\.jsonl(\n|$)/);

    await writeFile(join(dir, 'bad.jsonl'), '{"question": "1+1?", "answer": "#### 2"}\n{"question": "2+2?", "answer": \n');
    await writeFile(join(dir, 'yardstick.config.yaml'), `plugins:\n${engine}  benchmark-gsm8k: { path: ./bad.jsonl, numFewshot: 0 }\n`);
    const bad = await yardstick(['validate'], { cwd: dir });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('YS_DATASET_INVALID');
    expect(bad.stderr).toContain('bad.jsonl:2');
    const configOnly = await yardstick(['validate', '--no-datasets'], { cwd: dir });
    expect(configOnly.exitCode).toBe(0);
    expect(configOnly.stdout).toContain('is valid');
  });

  it('plugins: lists installed plugins with option types, defaults and descriptions', async () => {
    const r = await yardstick(['plugins', 'benchmark-gsm8k']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('benchmark-gsm8k@0.1.0  [benchmark]');
    expect(r.stdout).toMatch(/numFewshot: integer = 5 — /);
  });

  it('--slo: ttft=…,tpot=…,e2el=… (or vLLM --goodput pairs) become slo.* config overrides', () => {
    expect(sloOverrides(undefined)).toEqual([]);
    expect(sloOverrides('ttft=200,tpot=20,e2el=2000')).toEqual(['slo.ttft=200', 'slo.tpot=20', 'slo.e2el=2000']);
    expect(sloOverrides('ttft:150.5 tpot:0')).toEqual(['slo.ttft=150.5', 'slo.tpot=0']);
    expect(() => sloOverrides('ttft=fast')).toThrow('--slo "ttft=fast": ttft must be a non-negative number of milliseconds, got "fast"');
    expect(() => sloOverrides('itl=5')).toThrow('"itl" is not an objective (use ttft, tpot, e2el)');
    expect(() => sloOverrides('ttft=1,ttft=2')).toThrow('ttft is given twice');
    expect(() => sloOverrides('ttft=-1')).toThrow('non-negative');
    expect(() => sloOverrides('ttft')).toThrow('"ttft" is not of the form name=ms');
  });

  it('run: a malformed --slo is a usage error (exit 2) naming the flag', async () => {
    const r = await yardstick(['run', '--slo', 'ttft=soon']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('✖ YS_CLI_USAGE  --slo "ttft=soon"');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("--goodput: vLLM bench serve's own flag, one pair per argument; not together with --slo", async () => {
    expect(sloFlags({ goodput: ['ttft:200', 'tpot:20'] })).toEqual(['slo.ttft=200', 'slo.tpot=20']);
    expect(sloFlags({ slo: 'e2el=900' })).toEqual(['slo.e2el=900']);
    expect(sloFlags({})).toEqual([]);
    expect(() => sloFlags({ slo: 'ttft=1', goodput: ['tpot:2'] })).toThrow('--slo and --goodput set the same objectives');
    // Both words reach the flag (a variadic option), and the error names --goodput.
    const r = await yardstick(['run', '--goodput', 'ttft:200', 'tpot:soon']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--goodput "ttft:200 tpot:soon": tpot must be a non-negative number of milliseconds');
  });

  it('run: an unknown CLI flag is a usage error (exit 2)', async () => {
    const r = await yardstick(['run', '--no-such-flag']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("✖ YS_CLI_USAGE  unknown option '--no-such-flag'");
  });
});
