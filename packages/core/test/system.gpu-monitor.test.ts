import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processAlive } from '../src/testing/standin-fixtures.js';
import { GpuMonitor } from '../src/system/gpu-monitor.js';
import { queryGpus } from '../src/system/nvidia.js';
import { SystemSampler } from '../src/system/sampler.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A stand-in `nvidia-smi` in a fresh folder: `body(dir)` is its shell script after the shebang. */
async function standInSmi(body: (dir: string) => string): Promise<{ smi: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ys-smi-'));
  dirs.push(dir);
  const smi = join(dir, 'nvidia-smi');
  await writeFile(smi, `#!/bin/sh\n${body(dir)}`);
  await chmod(smi, 0o755);
  return { smi, dir };
}

/** Waits a moment for a stopped stand-in to be gone, then checks that it is. */
async function expectEnded(pid: string | undefined): Promise<void> {
  await new Promise((r) => setTimeout(r, 100));
  expect(processAlive(Number(pid))).toBe(false);
}

/**
 * A stand-in nvidia-smi that loops as the real one does with `-lms N`: two GPUs per block, GPU 0's
 * memory and utilisation rising each block. It logs each start and its pid.
 */
function loopingSmi(): Promise<{ smi: string; dir: string }> {
  return standInSmi(
    (dir) => `echo "$$ $*" >> "${dir}/starts"
ms=1000; prev=""
for a in "$@"; do [ "$prev" = "-lms" ] && ms=$a; prev=$a; done
i=0
while :; do
  printf '0, Looping GPU, %d, 16384, %d\\n1, Looping GPU, 100, 16384, 0\\n' $((1000 + i * 10)) $((i * 10 % 100))
  i=$((i + 1))
  sleep $(awk "BEGIN{print $ms/1000}")
done
`,
  );
}

describe('GPU readings from one looping nvidia-smi', () => {
  it('starts nvidia-smi once for the whole run (a process start per reading stalled the event loop), reads every block, and ends it on stop', async () => {
    const { smi, dir } = await loopingSmi();
    const sampler = new SystemSampler({ intervalMs: 100, nvidiaSmi: smi });
    sampler.start();
    await new Promise((r) => setTimeout(r, 750));
    const summary = await sampler.stop();
    const starts = (await readFile(join(dir, 'starts'), 'utf8')).trim().split('\n');
    expect(starts).toHaveLength(1);
    const [pid, ...args] = starts[0]!.split(' ');
    expect(args.join(' ')).toBe('--query-gpu=index,name,memory.used,memory.total,utilization.gpu --format=csv,noheader,nounits -lms 100');
    const gpus = summary.gpu!;
    expect(gpus.map((g) => g.index)).toEqual([0, 1]);
    // GPU 0 rose block by block: the readings are the live ones, not the first block repeated.
    expect(gpus[0]!.memory_used_mb.peak).toBeGreaterThan(1020);
    expect(gpus[0]!.memory_used_mb.mean).toBeLessThan(gpus[0]!.memory_used_mb.peak);
    expect(gpus[0]!.utilization_percent.peak).toBeGreaterThan(0);
    expect(gpus[1]!.memory_used_mb).toEqual({ mean: 100, peak: 100 });
    await expectEnded(pid);
  });

  it('an nvidia-smi that prints once and exits (no looping) is queried once per reading instead', async () => {
    const { smi: once, dir } = await standInSmi((dir) => `echo "$$" >> "${dir}/starts"\nprintf '0, Once GPU, 2048, 16384, 75\\n'\n`);
    const sampler = new SystemSampler({ intervalMs: 50, nvidiaSmi: once });
    sampler.start();
    await new Promise((r) => setTimeout(r, 300));
    const summary = await sampler.stop();
    expect(summary.gpu).toEqual([{ index: 0, name: 'Once GPU', memory_used_mb: { mean: 2048, peak: 2048 }, memory_total_mb: 16384, utilization_percent: { mean: 75, peak: 75 } }]);
    const starts = (await readFile(join(dir, 'starts'), 'utf8')).trim().split('\n');
    expect(starts.length).toBeGreaterThan(2);
  });

  it('no nvidia-smi: no GPU figures, and the run is not held up', async () => {
    const sampler = new SystemSampler({ intervalMs: 50, nvidiaSmi: '/nonexistent/nvidia-smi' });
    const t0 = performance.now();
    sampler.start();
    await new Promise((r) => setTimeout(r, 120));
    const summary = await sampler.stop();
    expect(summary.gpu).toBeUndefined();
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('a reading of an nvidia-smi that prints once and exits always has that output (it once raced the exit)', async () => {
    const { smi: once } = await standInSmi(() => `printf '0, Once GPU, 2048, 16384, 75\\n'\n`);
    const missed: number[] = [];
    for (let i = 0; i < 40; i++) {
      const monitor = new GpuMonitor(once, 100);
      const gpus = await monitor.read();
      monitor.stop();
      if (gpus?.[0]?.memoryUsedMiB !== 2048) missed.push(i);
    }
    expect(missed).toEqual([]);
  });

  it('starts no nvidia-smi once stopped, and the last window closed without start() ends it', async () => {
    const { smi, dir } = await loopingSmi();
    const stopped = new GpuMonitor(smi, 100);
    stopped.stop();
    expect(await stopped.read()).toBeUndefined();
    await expect(readFile(join(dir, 'starts'), 'utf8')).rejects.toThrow(/ENOENT/);

    const sampler = new SystemSampler({ intervalMs: 100, nvidiaSmi: smi });
    const window = sampler.window();
    await new Promise((r) => setTimeout(r, 300));
    const summary = await window.close();
    expect(summary.gpu?.map((g) => g.index)).toEqual([0, 1]);
    const [pid] = (await readFile(join(dir, 'starts'), 'utf8')).trim().split(' ');
    await expectEnded(pid);
  });

  it("gpu: true keeps trying after nvidia-smi gave nothing; 'auto' tries one plain query, then stops asking", async () => {
    // Fails without output on its first two starts (a driver not ready yet), then answers once per start.
    const { smi: flaky, dir } = await standInSmi(
      (dir) => `echo x >> "${dir}/starts"\nif [ $(wc -l < "${dir}/starts") -le 2 ]; then exit 9; fi\nprintf '0, Late GPU, 512, 16384, 5\\n'\n`,
    );
    const keen = new SystemSampler({ intervalMs: 50, nvidiaSmi: flaky, gpu: true });
    keen.start();
    await new Promise((r) => setTimeout(r, 300));
    expect((await keen.stop()).gpu?.[0]?.name).toBe('Late GPU');

    await rm(join(dir, 'starts'));
    const auto = new SystemSampler({ intervalMs: 50, nvidiaSmi: flaky });
    auto.start();
    await new Promise((r) => setTimeout(r, 300));
    expect((await auto.stop()).gpu).toBeUndefined();
    // The looping start and one plain query, nothing after.
    expect((await readFile(join(dir, 'starts'), 'utf8')).trim().split('\n')).toHaveLength(2);
  });

  it('a long event-loop stall is not taken for a hung nvidia-smi: the lines that came in meanwhile are read first', async () => {
    const { smi, dir } = await loopingSmi();
    const monitor = new GpuMonitor(smi, 100, 300);
    expect(await monitor.read()).toHaveLength(2);
    // The loop blocked 700 ms in the check phase, with a reading due in the next timers phase:
    // that reading runs before the poll phase reads what nvidia-smi printed meanwhile.
    const late = new Promise<Awaited<ReturnType<GpuMonitor['read']>>>((resolve) => {
      setImmediate(() => {
        setTimeout(() => resolve(monitor.read()), 1);
        const until = performance.now() + 700;
        while (performance.now() < until);
      });
    });
    expect(await late).toHaveLength(2);
    monitor.stop();
    expect((await readFile(join(dir, 'starts'), 'utf8')).trim().split('\n')).toHaveLength(1);
  });

  it('a query of an nvidia-smi stuck for good (it ignores SIGTERM and never exits) gives up on time', async () => {
    const { smi: stuck } = await standInSmi(() => `trap '' TERM\nprintf '0, Stuck GPU, 1, 16384, 1\\n'\nexec sleep 30\n`);
    const t0 = performance.now();
    expect(await queryGpus(stuck, 300)).toBeUndefined();
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
