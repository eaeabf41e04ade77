import { ERROR_CODES, YardstickError, definePlugin, requestsOf, STAGE, CORE_VERSION, type GenerateResult, type Plugin, type ToolCall } from '@yardstick/core';
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/** What was saved for one sample: one entry per attempt (pass@k) or per conversation turn. */
export interface Prediction {
  outputs: { text: string; toolCalls?: ToolCall[] }[];
}

const MAX_OUTPUT_CHARS = 1_000_000;

function asToolCalls(value: unknown): ToolCall[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((c: Record<string, unknown>) => {
    const fn = (c.function ?? c) as Record<string, unknown>;
    const args = fn.arguments;
    return { name: String(fn.name ?? ''), arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) };
  });
}

/**
 * Reads predictions: `{"id", "output"}` lines (or `outputs: [...]`, or `tool_calls`), or a run's own
 * `samples.jsonl` (records with `sample.id` and `result`). Bad lines are reported by line number.
 */
export async function readPredictions(file: string, benchmark: string): Promise<Map<string, Prediction>> {
  try {
    await access(file);
  } catch {
    throw new YardstickError(ERROR_CODES.DATASET_NOT_FOUND, `Predictions file not found: ${file}`);
  }
  const out = new Map<string, Prediction>();
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    if (!line.trim()) continue;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new YardstickError(ERROR_CODES.DATASET_INVALID, `${file}:${lineNo}: not valid JSON`, { hint: 'Each line must be one JSON object like {"id": "...", "output": "..."}.' });
    }
    if (typeof row !== 'object' || row === null) throw new YardstickError(ERROR_CODES.DATASET_INVALID, `${file}:${lineNo}: expected a JSON object`);
    const record = row as { sample?: { id?: unknown }; benchmark?: unknown; result?: GenerateResult; attempts?: GenerateResult[]; turns?: GenerateResult[] };
    if (record.sample && record.result) {
      // A run's samples.jsonl: keep only this benchmark's records (sweep phases share the prefix).
      if (typeof record.benchmark === 'string' && record.benchmark !== benchmark && !record.benchmark.startsWith(`${benchmark}[`)) continue;
      const results = requestsOf({ result: record.result, turns: record.turns, attempts: record.attempts });
      out.set(String(record.sample.id), { outputs: results.map((r) => ({ text: r.text ?? '', toolCalls: r.toolCalls })) });
      continue;
    }
    const id = row.id ?? row.task_id;
    if (id === undefined || id === null) throw new YardstickError(ERROR_CODES.DATASET_INVALID, `${file}:${lineNo}: missing "id"`, { hint: 'Use the dataset\'s own id (task_id, question id) or the 0-based row index as a string.' });
    const texts = Array.isArray(row.outputs) ? row.outputs : [row.output ?? row.text ?? row.completion ?? ''];
    const toolCalls = asToolCalls(row.tool_calls ?? row.toolCalls);
    out.set(String(id), {
      outputs: texts.map((t, i) => ({ text: typeof t === 'string' ? t : JSON.stringify(t), toolCalls: i === 0 ? toolCalls : undefined })),
    });
  }
  return out;
}

/** Serves saved predictions from the `generate` hook (at PRE, so no engine is ever asked). */
export function predictionsPlugin(predictions: Map<string, Prediction>): Plugin {
  return definePlugin({
    name: 'predictions',
    version: CORE_VERSION,
    kind: 'engine',
    core: `^${CORE_VERSION}`,
    apply: ({ hooks }) =>
      hooks.generate.tapPromise({ name: 'predictions', stage: STAGE.PRE }, async (request) => {
        const prediction = predictions.get(request.sampleId);
        const at = /[#@](\d+)$/.exec(request.requestId);
        const output = prediction?.outputs[at ? Number(at[1]) : 0] ?? prediction?.outputs[0];
        const timing = { sentAt: performance.timeOrigin + performance.now(), chunksMs: [], doneMs: 0 };
        if (!output) return { text: '', timing, error: { code: 'YS_PREDICTION_MISSING', message: `no saved prediction for sample ${request.sampleId}` } };
        let text = output.text;
        if (text.length > MAX_OUTPUT_CHARS) text = text.slice(0, MAX_OUTPUT_CHARS);
        // Binary junk (NUL and other control bytes) would break scorers' regexes and reports.
        // eslint-disable-next-line no-control-regex
        text = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
        return { text, toolCalls: output.toolCalls, timing, cached: true, finishReason: 'stop' };
      }),
  });
}
