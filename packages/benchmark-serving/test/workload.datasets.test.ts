import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPromptFile, resolveDataset } from '../src/datasets.js';
import { outputLengths } from '../src/lengths.js';
import { createRng } from '@yardstick/core';

describe('prompt files', () => {
  it('detects the shared ShareGPT file and uses each first human turn as a chat prompt', async () => {
    const { format, rows } = await loadPromptFile(resolveDataset('sharegpt', '/'));
    expect(format).toBe('sharegpt');
    expect(rows).toHaveLength(500);
    expect(rows[0]).toEqual({ id: 'fzcoUcK_0', messages: [{ role: 'user', content: 'How to stop automatic updates from the WSUS Server to a target machine' }] });
  });

  it('detects the shared MT-Bench file: 80 two-turn questions with categories', async () => {
    const { format, rows } = await loadPromptFile(resolveDataset('mt-bench', '/'));
    expect(format).toBe('mt-bench');
    expect(rows).toHaveLength(80);
    expect(rows[0]!.id).toBe('81');
    expect(rows[0]!.category).toBe('writing');
    expect(rows[0]!.turns).toHaveLength(2);
  });

  it('reads any JSONL of prompts or messages, relative to the config folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ys-serving-'));
    await writeFile(join(dir, 'p.jsonl'), '{"prompt":"Hello there"}\n\n{"prompt":"Second","category":"b"}\n');
    const p = await loadPromptFile(resolveDataset('p.jsonl', dir));
    expect(p.format).toBe('prompts');
    expect(p.rows).toEqual([{ id: '0', prompt: 'Hello there' }, { id: '1', prompt: 'Second', category: 'b' }]);
    await writeFile(join(dir, 'm.jsonl'), '{"id":"a","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]}\n');
    expect((await loadPromptFile(join(dir, 'm.jsonl'))).rows[0]).toEqual({
      id: 'a',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
    });
  });

  it('names file, line and key for bad rows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ys-serving-'));
    const file = join(dir, 'bad.jsonl');
    await writeFile(file, '{"prompt":"ok"}\n{"messages":[{"role":"robot","content":"x"}]}\n');
    await expect(loadPromptFile(file)).rejects.toMatchObject({ code: 'YS_DATASET_INVALID', message: expect.stringContaining(`${file}:2: key "messages[0]"`) });
    await writeFile(file, '{"prompt":"ok"}\n{not json\n');
    await expect(loadPromptFile(file)).rejects.toMatchObject({ code: 'YS_DATASET_INVALID', message: expect.stringContaining(`${file}:2: invalid JSON`) });
    await expect(loadPromptFile(join(dir, 'missing.jsonl'))).rejects.toMatchObject({ code: 'YS_DATASET_NOT_FOUND' });
    await writeFile(file, '{"text":"?"}\n');
    await expect(loadPromptFile(file)).rejects.toMatchObject({ message: expect.stringContaining('unrecognised prompt format') });
  });
});

describe('output lengths', () => {
  it('are fixed, uniform within the range, or normal around the mean — and seeded', () => {
    expect(outputLengths(7, 3, createRng(1))).toEqual([7, 7, 7]);
    const u = outputLengths({ min: 10, max: 20 }, 2000, createRng(1));
    expect(Math.min(...u)).toBe(10);
    expect(Math.max(...u)).toBe(20);
    expect(outputLengths({ min: 10, max: 20 }, 50, createRng(1))).toEqual(u.slice(0, 50));
    const n = outputLengths({ mean: 100, std: 10 }, 5000, createRng(2));
    const mean = n.reduce((a, b) => a + b, 0) / n.length;
    const std = Math.sqrt(n.reduce((a, b) => a + (b - mean) ** 2, 0) / n.length);
    expect(mean).toBeGreaterThan(99);
    expect(mean).toBeLessThan(101);
    expect(std).toBeGreaterThan(9.3);
    expect(std).toBeLessThan(10.7);
  });
});

describe('benchmark-serving options', () => {
  it('an outputTokens that fits none of its forms says which forms there are, not just "Invalid input"', async () => {
    const { outputLengthSchema } = await import('../src/options.js');
    const r = outputLengthSchema.safeParse({ min: 5 });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe('expected a positive integer N, {min, max} (uniform, integers, max ≥ min) or {mean, std} (normal)');
  });
});
