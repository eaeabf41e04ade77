import { execFile } from 'node:child_process';

export interface GpuReading {
  index: number;
  name: string;
  memoryUsedMiB: number;
  memoryTotalMiB: number;
  /** Percent of time a kernel was running over the driver's last sample period. */
  utilizationPercent: number;
}

/** nvidia-smi's query arguments: one CSV line per GPU, without header or units. */
export const GPU_QUERY = ['--query-gpu=index,name,memory.used,memory.total,utilization.gpu', '--format=csv,noheader,nounits'];

/**
 * One `nvidia-smi` query. Resolves undefined when nvidia-smi is missing, fails or prints nothing
 * usable (no GPU, no driver): GPU metrics are optional and must never fail a run. Resolves after
 * `timeoutMs` whatever the process does: one stuck in the driver may not even die of SIGKILL, and
 * waiting for it would hold the end of the run.
 */
export function queryGpus(binary = 'nvidia-smi', timeoutMs = 5000): Promise<GpuReading[] | undefined> {
  return new Promise((resolve) => {
    // Whichever comes first, the answer or the deadline, settles it (a promise settles once).
    const settle = (gpus: GpuReading[] | undefined) => {
      clearTimeout(timer);
      resolve(gpus);
    };
    const child = execFile(binary, GPU_QUERY, { windowsHide: true }, (error, stdout) => {
      if (error) return settle(undefined);
      const gpus = parseGpuCsv(String(stdout));
      settle(gpus.length > 0 ? gpus : undefined);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      child.unref();
      child.stdout?.destroy();
      child.stderr?.destroy();
      settle(undefined);
    }, timeoutMs);
  });
}

/** Parses `index, name, memory.used, memory.total, utilization.gpu` lines; skips `[N/A]` rows. */
export function parseGpuCsv(text: string): GpuReading[] {
  const out: GpuReading[] = [];
  for (const line of text.split('\n')) {
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length < 5) continue;
    const [index, name, used, total, util] = cells;
    const nums = [index, used, total, util].map(Number);
    if (nums.some((n) => !Number.isFinite(n))) continue;
    out.push({ index: nums[0]!, name: name!, memoryUsedMiB: nums[1]!, memoryTotalMiB: nums[2]!, utilizationPercent: nums[3]! });
  }
  return out;
}
