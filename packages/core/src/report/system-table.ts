import type { BenchmarkSummary } from '../types.js';

/**
 * Each benchmark's (or sweep step's) system sample as one row: what the engine and Yardstick used
 * while that step measured, side by side across steps. A sweep is where this pays: engine CPU or
 * GPU utilisation flattening while the rate still rises is the saturation point. Shared by
 * reporter-console, -markdown and -html (plugins never import each other, so it lives in core).
 */
export interface SystemByBenchmarkTable {
  columns: string[];
  /** Numbers unformatted; null where a part was not sampled (no engine PID, no GPU). */
  rows: (number | string | null)[][];
}

/**
 * Undefined when fewer than two benchmarks carry a system sample: none (e.g. `yardstick score`), or
 * one, which the run's own system table already tells.
 */
export function systemByBenchmarkTable(benchmarks: Record<string, BenchmarkSummary>): SystemByBenchmarkTable | undefined {
  const entries = Object.entries(benchmarks).filter(([, b]) => b.system);
  if (entries.length < 2) return undefined;
  const engine = entries.some(([, b]) => b.system!.engine);
  const gpu = entries.some(([, b]) => b.system!.gpu?.length);
  const columns = ['benchmark', 'seconds'];
  if (engine) columns.push('engine CPU % mean', 'engine CPU % peak', 'engine RSS MB peak');
  columns.push('yardstick CPU % mean', 'event loop busy %');
  // Several GPUs (tensor parallel) run alike: the mean of their utilisations, the fullest one's memory.
  if (gpu) columns.push('GPU util % mean', 'GPU memory MB peak');
  const rows = entries.map(([name, b]) => {
    const s = b.system!;
    const row: (number | string | null)[] = [name, s.duration_s];
    if (engine) row.push(s.engine?.cpu_percent.mean ?? null, s.engine?.cpu_percent.peak ?? null, s.engine?.rss_mb.peak ?? null);
    const elu = s.yardstick.event_loop_utilization;
    row.push(s.yardstick.cpu_percent.mean, elu ? elu.mean * 100 : null);
    if (gpu) {
      const gpus = s.gpu ?? [];
      row.push(gpus.length ? gpus.reduce((a, g) => a + g.utilization_percent.mean, 0) / gpus.length : null, gpus.length ? Math.max(...gpus.map((g) => g.memory_used_mb.peak)) : null);
    }
    return row;
  });
  return { columns, rows };
}
