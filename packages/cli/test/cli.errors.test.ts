import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED, TINY_MODEL, writeGsm8kConfig, yardstick } from './helpers.js';

// Temporary folders have no package.json: a `.ts` config there loads as CommonJS, the case that
// used to lose both the TypeScript transform and the syntax error's position.
const tmp = () => mkdtemp(join(tmpdir(), 'ys-err-'));

async function validateFile(name: string, text: string) {
  const dir = await tmp();
  const file = join(dir, name);
  await writeFile(file, text);
  // pnpm's .bin shims (vitest's too) set NODE_PATH, which would let a config in /tmp resolve
  // workspace packages; a user's shell has none.
  return { file, r: await yardstick(['validate', '--config', file], { env: { NODE_PATH: '' } }) };
}

describe('config files that do not load', () => {
  it('a .ts syntax error shows file:line:column, the offending line and a caret', async () => {
    const { file, r } = await validateFile('yardstick.config.ts', "export default {\n  limit: 3,\n  plugins: {\n    'engine-llamacpp': { model: './m.gguf' mode: 'server' },\n  },\n};\n");
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`✖ YS_CONFIG_INVALID  Syntax error at ${file}:4:44: Expected "}" but found "mode"`);
    expect(r.stderr).toContain("  4 |     'engine-llamacpp': { model: './m.gguf' mode: 'server' },\n    |                                            ^\n");
    expect(r.stderr).not.toContain('error above');
  });

  it('a .mjs syntax error (V8 gives import() no position) is located too', async () => {
    const { file, r } = await validateFile('c.mjs', 'export default {\n  limit: 3\n  plugins: {},\n};\n');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`Syntax error at ${file}:3:3: Unexpected identifier 'plugins'`);
    expect(r.stderr).toContain('  3 |   plugins: {},\n    |   ^\n');
  });

  it('a valid TypeScript config loads outside a "type": "module" package', async () => {
    const { r } = await validateFile('yardstick.config.ts', "const limit: number = 3;\nexport default { limit, plugins: { 'benchmark-gsm8k': {} } };\n");
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });

  it('an import that does not resolve gets its own hint, not "fix the syntax"', async () => {
    const { r } = await validateFile('yardstick.config.ts', "import { defineConfig } from '@yardstick/core';\nexport default defineConfig({ limit: 3 });\n");
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/✖ YS_CONFIG_INVALID {2}Could not load config .*Cannot find (module|package) '@yardstick\/core'/);
    expect(r.stderr).toContain('→ The config imports "@yardstick/core", which is not installed where the config is');
    expect(r.stderr).toContain('defineConfig only adds types');
    expect(r.stderr).not.toMatch(/syntax/i);
  });

  it('an error thrown by the config code names where it was thrown', async () => {
    const { file, r } = await validateFile('yardstick.config.ts', 'export default {\n  limit: notDefined,\n};\n');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`Config ${file} threw while loading (at ${file}:2:10): notDefined is not defined`);
  });
});

describe('user errors show their stable code', () => {
  it('bad --resume folder, --set, and --resume combined with --config', async () => {
    const dir = await tmp();
    const resume = await yardstick(['run', '--resume', join(dir, 'nope')]);
    expect(resume.exitCode).toBe(2);
    expect(resume.stderr).toContain(`✖ YS_RESUME_MISMATCH  ${join(dir, 'nope')} is not a Yardstick run folder`);
    await writeFile(join(dir, 'ok.json'), '{"limit": 1}');
    const set = await yardstick(['validate', '--config', join(dir, 'ok.json'), '--set', 'noequals']);
    expect(set.stderr).toContain('✖ YS_CLI_USAGE  --set "noequals" is not of the form key.path=value');
    // A bad value that came from --set says so: the config file never had it.
    const badSet = await yardstick(['validate', '--config', join(dir, 'ok.json'), '--set', 'concurrency=-2', '--set', 'benchmark-gsm8k.numFewshot="x"']);
    expect(badSet.exitCode).toBe(2);
    expect(badSet.stderr).toMatch(/concurrency: .* \(from --set concurrency=-2\)/);
    expect(badSet.stderr).toMatch(/plugins › benchmark-gsm8k › numFewshot: .* \(from --set benchmark-gsm8k\.numFewshot="x"\)/);
    const both = await yardstick(['run', '--resume', dir, '--config', 'x.json']);
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain('✖ YS_CLI_USAGE  --config cannot be combined with --resume');
  });

  it('a fresh run is refused into a folder that holds a run, which it would mix with its own and whose run.json it would replace', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'ok.json'), '{"limit": 1}');
    const out = join(dir, 'taken');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(out);
    await writeFile(join(out, 'journal.jsonl'), '{"benchmark":"b"}\n');
    const r = await yardstick(['run', '--config', join(dir, 'ok.json'), '--out', out]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`✖ YS_CLI_USAGE  ${out} already holds a run`);
    expect(r.stderr).toContain(`yardstick run --resume ${out}`);
    expect(await readFile(join(out, 'journal.jsonl'), 'utf8')).toBe('{"benchmark":"b"}\n');
    // A matrix writes each cell's run in a folder of its own: one holding a run refuses it too.
    await writeFile(join(dir, 'matrix.json'), JSON.stringify({ limit: 1, matrix: { options: { concurrency: [1, 2] } } }));
    const cells = join(dir, 'cells');
    await mkdir(join(cells, 'concurrency=1'), { recursive: true });
    await writeFile(join(cells, 'concurrency=1', 'run.json'), '{}');
    const m = await yardstick(['run', '--config', join(dir, 'matrix.json'), '--out', cells]);
    expect(m.exitCode).toBe(2);
    expect(m.stderr).toContain(`✖ YS_CLI_USAGE  ${cells} already holds a run`);
  });
});

describe('after bad input, the CLI says what helps instead of "Continue with --resume"', () => {
  it('a missing dataset: fix it and start again, or --resume with --set, which does fix the saved config', async () => {
    const dir = await tmp();
    const config = join(dir, 'yardstick.config.json');
    const plugins = {
      'engine-llamacpp': { model: TINY_MODEL, mode: 'in-process', threads: 1 },
      'benchmark-gsm8k': { path: join(dir, 'missing.jsonl'), numFewshot: 0 },
      'scorer-gsm8k': {},
      'reporter-console': false,
    };
    await writeFile(config, JSON.stringify({ limit: 2, generation: { maxTokens: 8, temperature: 0 }, plugins }));
    const out = join(dir, 'out');
    const failed = await yardstick(['run', '--config', config, '--out', out, '--quiet']);
    expect(failed.exitCode, failed.all).toBe(2);
    expect(failed.stderr).toMatch(/✖ YS_DATASET_NOT_FOUND {2}/);
    expect(failed.stderr).not.toContain('Continue with');
    expect(failed.stderr).toContain(`yardstick run --resume ${out} --set key=value`);
    // The guidance holds: --set on a resume overrides the saved config, and is saved with it.
    const gsm8k = join(SHARED, 'datasets/gsm8k/test.jsonl');
    const resumed = await yardstick(['run', '--resume', out, '--set', `benchmark-gsm8k.path=${gsm8k}`, '--quiet']);
    expect(resumed.exitCode, resumed.all).toBe(0);
    const state = JSON.parse(await readFile(join(out, 'run.json'), 'utf8'));
    expect(state.status).toBe('completed');
    expect(state.config.plugins['benchmark-gsm8k'].path).toBe(gsm8k);
  }, 120_000);
});

describe('a resume refused because the run folder is in use', () => {
  it('exits 2 with YS_RUN_LOCKED and leaves the running process’s run.json and log alone', async () => {
    const dir = await tmp();
    const config = await writeGsm8kConfig(dir, { limit: 2, maxTokens: 4, mode: 'in-process', scorer: false });
    const out = join(dir, 'out');
    expect((await yardstick(['run', '--config', config, '--out', out])).exitCode).toBe(0);
    // This test process stands in for a Yardstick still running on the folder: a live pid holds the lock.
    await writeFile(join(out, 'journal.lock'), JSON.stringify({ pid: process.pid, hostname: (await import('node:os')).hostname(), token: 't', since: 'now' }));
    const runJson = await readFile(join(out, 'run.json'), 'utf8');
    const log = await readFile(join(out, 'yardstick.log'), 'utf8');
    const r = await yardstick(['run', '--resume', out]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('✖ YS_RUN_LOCKED');
    expect(r.stderr).toContain(`process ${process.pid}`);
    expect(await readFile(join(out, 'run.json'), 'utf8')).toBe(runJson);
    expect(await readFile(join(out, 'yardstick.log'), 'utf8')).toBe(log);
    // A corrupt line before the journal's end: the resume stops with YS_STORE_CORRUPT, and run.json
    // is put back as it was (the store refuses after run.json was marked running).
    const { rm } = await import('node:fs/promises');
    await rm(join(out, 'journal.lock'));
    const lines = (await readFile(join(out, 'journal.jsonl'), 'utf8')).split('\n');
    await writeFile(join(out, 'journal.jsonl'), [lines[0]!.slice(0, 20), ...lines.slice(1)].join('\n'));
    const corrupt = await yardstick(['run', '--resume', out]);
    expect(corrupt.exitCode).toBe(2);
    expect(corrupt.stderr).toContain('✖ YS_STORE_CORRUPT');
    expect(await readFile(join(out, 'run.json'), 'utf8')).toBe(runJson);
  }, 120_000);
});
